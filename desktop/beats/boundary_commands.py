"""`razem import-beats FILE [--unit U] [--create] [--number-field F] [--name-field F]
[--encoding E] [--epsg N]`: beat boundaries from GeoJSON, KML, KMZ or a zipped Shapefile,
through the same reading, matching and saving as the window's dialog
(desktop.beats.boundaries, desktop.beats.boundary_import).

Prints one line per beat created or updated, one per refused feature (with its reason) and a
summary. Exit codes: 0 something saved, 2 wrong arguments or an unreadable file, 3 every
feature refused (nothing saved).
"""
from __future__ import annotations

import argparse
import sys

from desktop.cli.errors import CliError

EXIT_REFUSED = 3


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "import-beats", parents=[common],
        help="wczytaj granice rejonów (GeoJSON, KML, KMZ, Shapefile w ZIP); z --create "
             "tworzy brakujące rejony",
        description="Wczytuje granice rejonów: rejon o numerze z pliku dostaje nową granicę; "
                    "z --create rejony, których jeszcze nie ma, są tworzone. Obiekty z błędem "
                    "są pomijane z podaniem przyczyny; reszta zapisuje się w jednej transakcji. "
                    "Kody wyjścia: 0 zapisano, 2 błędne argumenty lub plik, 3 wszystkie "
                    "obiekty odrzucone.")
    p.add_argument("file", metavar="PLIK", help="plik .geojson/.json, .kml, .kmz albo .zip "
                                                "(Shapefile)")
    p.add_argument("--unit", metavar="JEDNOSTKA",
                   help="jednostka rejonów z pliku (skrócona lub pełna nazwa); w niej powstają "
                        "nowe rejony")
    p.add_argument("--create", action="store_true",
                   help="utwórz rejony, których numerów nie ma w bazie")
    p.add_argument("--number-field", metavar="ATRYBUT",
                   help="atrybut z numerem rejonu (domyślnie rozpoznany, np. nr, NR_REJONU, "
                        "name z KML; numer w tekście „Rejon 101 Starówka” też jest "
                        "znajdowany)")
    p.add_argument("--name-field", metavar="ATRYBUT",
                   help="atrybut z nazwą rejonu (domyślnie rozpoznany, np. nazwa, NAZWA, name)")
    p.add_argument("--encoding", metavar="KODOWANIE",
                   help="kodowanie pliku .dbf Shapefile'a, np. cp1250, utf-8 (domyślnie z "
                        "pliku .cpg, inaczej UTF-8, a gdy się nie da – CP1250)")
    p.add_argument("--epsg", type=int, metavar="KOD",
                   help="układ współrzędnych: 4326, 2180, 2176–2179 (domyślnie rozpoznany)")
    p.set_defaults(func=_import_beats)


def _unit_id(db, text: str) -> int:
    from sqlalchemy import select

    from db.models import Unit
    from desktop.common.text import fold

    key = fold(text.strip())
    with db.session() as s:
        units = list(s.execute(select(Unit.id, Unit.short_name, Unit.name)))
    found = [uid for uid, short, name in units if key in (fold(short or ""), fold(name))]
    if not found:
        names = ", ".join(short or name for _, short, name in units) or "brak jednostek"
        raise CliError(f"Nie ma jednostki „{text}” (są: {names}).")
    return found[0]


def _import_beats(args, database: str | None) -> int:
    from desktop.beats.boundaries import SUPPORTED_EPSG, BoundaryError, read_boundaries
    from desktop.beats.boundary_formats import encoding_name
    from desktop.beats.boundary_import import ImportOptions, match_beats, save_boundaries
    from desktop.organisation.commands import warn_if_sample
    from desktop.startup import open_database

    if args.epsg is not None and args.epsg not in SUPPORTED_EPSG:
        raise CliError(f"Nieobsługiwany układ EPSG:{args.epsg} – podaj 4326, 2180 albo "
                       "2176–2179.")
    try:
        encoding = encoding_name(args.encoding) if args.encoding else None
        preview = read_boundaries(args.file, args.epsg, encoding=encoding)
    except BoundaryError as exc:
        raise CliError(str(exc)) from exc
    db = open_database(database).db
    try:
        warn_if_sample(db)
        unit_id = _unit_id(db, args.unit) if args.unit else None
        options = ImportOptions(args.number_field, args.name_field, unit_id, args.create)
        try:
            preview = match_beats(db, preview, options)
        except BoundaryError as exc:
            raise CliError(str(exc)) from exc
        print(f"{args.file}: {preview.source_format}, układ {SUPPORTED_EPSG[preview.epsg]}"
              f"{' (rozpoznany)' if preview.epsg_detected else ''}, obiektów "
              f"{len(preview.features)}; numer z atrybutu „{preview.number_field or '—'}”, "
              f"nazwa z „{preview.name_field or '—'}”.")
        for warning in preview.warnings:
            print(f"uwaga: {warning}")
        for line in preview.errors:
            print(f"odrzucono: {line}", file=sys.stderr)
        if not preview.can_save:
            print(f"razem: odmowa: nie zapisano nic – odrzucono wszystkie obiekty "
                  f"({len(preview.features)}).", file=sys.stderr)
            return EXIT_REFUSED
        try:
            summary = save_boundaries(db, preview)
        except BoundaryError as exc:
            print(f"razem: odmowa: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        for label in summary.created:
            print(f"utworzono: rejon {label}")
        for label in summary.updated:
            print(f"zaktualizowano: rejon {label}")
        print(f"Granice rejonów: utworzono {len(summary.created)}, zaktualizowano "
              f"{len(summary.updated)}, odrzucono {len(summary.refused)}.")
        return 0
    finally:
        db.dispose()
