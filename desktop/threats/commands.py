"""`razem import-reports` and `razem diagnosis`."""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from desktop.cli.errors import CliError

OUTSIDE_SHOWN = 20  # reports outside every beat listed on the console


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import-reports", parents=[common],
                       help="wczytaj zgłoszenia KMZB z pliku CSV, XLSX lub GeoJSON")
    p.add_argument("file", metavar="PLIK")
    p.add_argument("--mapping", metavar="MAPOWANIE",
                   help="plik JSON z mapowaniem kolumn albo pary pole=Kolumna,... "
                        "(np. category=Typ,reported_at=Data,x=X,y=Y,crs=2180); "
                        "domyślnie rozpoznawane z nagłówka")
    p.add_argument("--add-categories", action="store_true",
                   help="dodaj do słownika nieznane kategorie zamiast odrzucać wiersze")
    p.add_argument("--strict", action="store_true",
                   help="jeśli choć jeden wiersz zostanie odrzucony, nie zapisuj niczego")
    p.set_defaults(func=_import)

    d = sub.add_parser("diagnosis", parents=[common],
                       help="diagnoza zagrożeń: największe zagrożenie w każdym rejonie do CSV")
    d.add_argument("--from", dest="date_from", required=True, metavar="DATA",
                   help="początek okresu (RRRR-MM-DD lub DD.MM.RRRR)")
    d.add_argument("--to", dest="date_to", required=True, metavar="DATA",
                   help="koniec okresu, włącznie")
    d.add_argument("--csv", required=True, metavar="PLIK", help="plik wynikowy CSV (;, UTF-8)")
    d.add_argument("--statuses", metavar="STATUSY",
                   help="statusy zgłoszeń do policzenia, rozdzielone przecinkami, albo "
                        "\"wszystkie\"; domyślnie wszystkie oprócz \"Niepotwierdzone\" "
                        "i \"Żart lub pomyłka\"")
    d.set_defaults(func=_diagnosis)


def _import(args, database: str | None) -> int:
    from desktop.common.text import plural
    from desktop.startup import open_database
    from desktop.threats.importer import import_reports
    from desktop.threats.mapping import parse_cli_mapping
    from desktop.threats.readers import ImportFileError, read_table

    try:
        table = read_table(args.file)
        if args.mapping:
            mapping = parse_cli_mapping(args.mapping)
        else:
            from desktop.threats.mapping import guess_mapping

            mapping = guess_mapping(table.columns)
    except ImportFileError as exc:
        raise CliError(str(exc)) from exc
    except (ValueError, OSError) as exc:
        raise CliError(f"niepoprawne mapowanie: {exc}") from exc
    mapping.add_unknown_categories = mapping.add_unknown_categories or args.add_categories
    db = open_database(database).db
    try:
        from desktop.organisation.commands import warn_if_sample

        warn_if_sample(db)
        result = import_reports(db, table, mapping, strict=args.strict)
    except ImportFileError as exc:
        raise CliError(str(exc)) from exc
    finally:
        db.dispose()
    for r in result.refusals:
        ident = f" ({r.source_id})" if r.source_id else ""
        print(f"  odrzucono wiersz {r.line}{ident}: {r.reason}", file=sys.stderr)
    if result.outside_beats:
        n_out = len(result.outside_beats)
        print(f"  {plural(n_out, 'zgłoszenie', 'zgłoszenia', 'zgłoszeń')} poza wszystkimi "
              "rejonami:", file=sys.stderr)
        for line, sid in result.outside_beats[:OUTSIDE_SHOWN]:
            print(f"    wiersz {line}: {sid}", file=sys.stderr)
        if len(result.outside_beats) > OUTSIDE_SHOWN:
            print(f"    … i {len(result.outside_beats) - OUTSIDE_SHOWN} więcej", file=sys.stderr)
    for name in result.new_categories:
        print(f"  dodano kategorię: {name}", file=sys.stderr)
    print(f"Dodano: {result.added}, zaktualizowano: {result.updated}, "
          f"odrzucono: {result.refused}.")
    return 0


def parse_cli_date(text: str) -> dt.date:
    from desktop.threats.values import ValueProblem, parse_date

    try:
        return parse_date(text)
    except ValueProblem as exc:
        raise CliError(str(exc)) from exc


def parse_statuses(text: str | None, choices) -> tuple[int, ...] | None:
    """``--statuses``: None (the documented default), "wszystkie" or names separated by
    commas, matched without regard to case and Polish letters."""
    from desktop.common.text import fold
    from desktop.threats.diagnosis import default_statuses

    if text is None:
        return default_statuses(choices)
    if fold(text.strip()) == "wszystkie":
        return None
    by_name = {fold(c.name): c.id for c in choices}
    ids = []
    for name in (n.strip() for n in text.split(",")):
        if not name:
            continue
        if fold(name) not in by_name:
            known = ", ".join(c.name for c in choices)
            raise CliError(f"nieznany status zgłoszenia \"{name}\"; dostępne: {known}")
        ids.append(by_name[fold(name)])
    if not ids:
        raise CliError("nie podano żadnego statusu zgłoszeń")
    return tuple(ids)


def _diagnosis(args, database: str | None) -> int:
    from desktop.common.text import plural
    from desktop.startup import open_database
    from desktop.threats.diagnosis import (
        DiagnosisScope,
        status_choices,
        statuses_label,
        top_threat_by_beat,
    )
    from desktop.threats.export import write_top_threats_csv

    start, end = parse_cli_date(args.date_from), parse_cli_date(args.date_to)
    if end < start:
        raise CliError("data końcowa jest wcześniejsza niż początkowa")
    db = open_database(database).db
    try:
        choices = status_choices(db)
        statuses = parse_statuses(args.statuses, choices)
        rows = top_threat_by_beat(db, DiagnosisScope(date_from=start, date_to=end,
                                                     statuses=statuses))
    finally:
        db.dispose()
    label = statuses_label(choices, statuses)
    try:
        write_top_threats_csv(args.csv, rows, label)
    except OSError as exc:
        raise CliError(f"nie można zapisać {args.csv}: {exc.strerror or exc}") from exc
    total = sum(r.reports for r in rows)
    print(f"Zapisano {plural(len(rows), 'rejon', 'rejony', 'rejonów')} "
          f"({plural(total, 'zgłoszenie', 'zgłoszenia', 'zgłoszeń')} w okresie "
          f"{start:%d.%m.%Y}–{end:%d.%m.%Y}; statusy: {label}) do {args.csv}.")
    return 0
