"""`razem init` (a new real station database) and `razem import-officers FILE`."""
from __future__ import annotations

import argparse
import sys

from desktop.cli.errors import CliError


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common],
                       help="załóż nową, pustą bazę jednostki (prawdziwe dane, bez danych "
                            "przykładowych)")
    p.add_argument("--unit", required=True, metavar="NAZWA",
                   help="pełna nazwa jednostki, np. „Komenda Miejska Policji w Koninie”")
    p.add_argument("--short", required=True, metavar="SKRÓT",
                   help="nazwa skrócona, np. „KMP Konin”")
    p.set_defaults(func=_init)
    p = sub.add_parser("import-officers", parents=[common],
                       help="wczytaj wykaz funkcjonariuszy z CSV/XLSX (uzupełnia według "
                            "numeru służbowego)")
    p.add_argument("file", metavar="PLIK", help="plik CSV lub XLSX z nagłówkiem "
                   "stopien;imie;nazwisko;numer_sluzbowy;rola;jednostka;telefon;"
                   "telefon_komorkowy;email")
    p.set_defaults(func=_import_officers)


def warn_if_sample(db) -> None:
    """The one warning line every import command prints before real files go into the sample."""
    from desktop.organisation.station import SAMPLE_IMPORT_WARNING, database_is_sample

    if database_is_sample(db):
        print(f"razem: uwaga: {SAMPLE_IMPORT_WARNING}", file=sys.stderr)


def _init(args, database: str | None) -> int:
    from db.engine import describe
    from desktop.organisation.station import StationError, check_names, init_station
    from desktop.startup import open_database

    try:
        check_names(args.unit, args.short)
    except StationError as exc:
        raise CliError(str(exc)) from exc
    db = open_database(database).db
    try:
        try:
            init_station(db, args.unit, args.short)
        except StationError as exc:
            raise CliError(f"{describe(db.url)}: {exc}") from exc
        print(f"Założono bazę jednostki {args.short.strip()} ({args.unit.strip()}): "
              f"{describe(db.url)}. Dalej: jednostki podległe, gminy i rejony w zakładce "
              "„Organizacja”, wykaz funkcjonariuszy: razem import-officers PLIK.")
    finally:
        db.dispose()
    return 0


def _import_officers(args, database: str | None) -> int:
    from desktop.organisation.roster_import import (
        RosterRefused,
        plan_roster,
        read_roster,
        save_roster,
    )
    from desktop.startup import open_database
    from desktop.threats.readers import ImportFileError

    try:
        table = read_roster(args.file)
    except ImportFileError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"nie można odczytać pliku {args.file}: {exc.strerror or exc}") from exc
    db = open_database(database).db
    try:
        warn_if_sample(db)
        plan = plan_roster(db, table)
        for row in plan.refused:
            print(f"wiersz {row.line}: {row.service_number or '(brak numeru)'} "
                  f"{row.name}: {row.reason}", file=sys.stderr)
        try:
            result = save_roster(db, plan)
        except RosterRefused as exc:
            print(f"razem: {exc}", file=sys.stderr)
            return 3
        print(f"Wykaz funkcjonariuszy: nowych {result.added}, zmienionych {result.updated}, "
              f"bez zmian {result.unchanged}.")
    finally:
        db.dispose()
    return 0
