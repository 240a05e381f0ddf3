"""Command line of the beats capability: print beat summaries to PDF.

``razem print-beat NUMBER --pdf FILE [--unit UNIT]`` and
``razem print-beats --unit UNIT --pdf FILE``.
"""
from __future__ import annotations

import argparse
import datetime as dt

from desktop.cli.errors import CliError


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("print-beat", parents=[common],
                       help="karta rejonu (A4, PDF) jednego rejonu",
                       description="Zapisuje kartę rejonu do pliku PDF.")
    p.add_argument("number", metavar="NUMER", help="numer rejonu")
    p.add_argument("--unit", metavar="JEDNOSTKA",
                   help="jednostka (np. „KMP Konin”, „KP Golina”) – numery są unikalne "
                        "w jednostce")
    p.add_argument("--pdf", metavar="PLIK", required=True, help="plik PDF do zapisania")
    p.add_argument("--date", metavar="RRRR-MM-DD", help="stan na dzień (domyślnie dziś; dla danych przykładowych 2018-12-31)")
    p.set_defaults(func=_print_beat)
    p = sub.add_parser("print-beats", parents=[common],
                       help="karty wszystkich rejonów jednostki w jednym pliku PDF",
                       description="Zapisuje karty wszystkich rejonów jednostki do PDF.")
    p.add_argument("--unit", metavar="JEDNOSTKA", required=True, help="jednostka")
    p.add_argument("--pdf", metavar="PLIK", required=True, help="plik PDF do zapisania")
    p.add_argument("--date", metavar="RRRR-MM-DD", help="stan na dzień (domyślnie dziś; dla danych przykładowych 2018-12-31)")
    p.set_defaults(func=_print_beats)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"Niepoprawna data „{text}” (oczekiwano RRRR-MM-DD).") from None


def _open(database: str | None):
    from desktop.startup import open_database

    return open_database(database).db


def _write(db, beat_ids: list[int], path: str, on: dt.date | None) -> int:
    from desktop.beats.summary import write_beats_pdf

    try:
        pages = write_beats_pdf(db, beat_ids, path, on)
    except OSError as exc:
        raise CliError(f"Nie można zapisać pliku {path}: {exc}") from exc
    print(f"Zapisano {path}: rejonów {len(beat_ids)}, stron {pages}.")
    return 0


def _print_beat(args, database: str | None) -> int:
    from desktop.beats.queries import find_beat

    on = _date(args.date)
    db = _open(database)
    try:
        found = find_beat(db, args.number, args.unit)
        if not found:
            where = f" w jednostce „{args.unit}”" if args.unit else ""
            raise CliError(f"Nie ma rejonu nr {args.number}{where}.")
        if len(found) > 1:
            units = ", ".join(u for _, u in found)
            raise CliError(f"Rejon nr {args.number} jest w kilku jednostkach ({units}) – "
                           "podaj --unit.")
        return _write(db, [found[0][0]], args.pdf, on)
    finally:
        db.dispose()


def _print_beats(args, database: str | None) -> int:
    from desktop.beats.queries import unit_beat_ids

    on = _date(args.date)
    db = _open(database)
    try:
        ids = unit_beat_ids(db, args.unit)
        if not ids:
            raise CliError(f"Jednostka „{args.unit}” nie istnieje albo nie ma rejonów.")
        return _write(db, ids, args.pdf, on)
    finally:
        db.dispose()
