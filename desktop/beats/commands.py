"""Command line of the beats capability: print beat summaries to PDF, assign officers.

``razem print-beat NUMBER --pdf FILE [--unit UNIT]``,
``razem print-beats --unit UNIT --pdf FILE`` and
``razem assign --unit U --beat N --officer SERVICE_NO --role dzielnicowy|ruch --from DATE
[--to DATE] [--zastepstwo] [--note TEXT]``.

``assign`` goes through the same service and rules as the window (desktop.beats.assignments,
desktop.beats.rules). Exit codes: 0 saved, 2 wrong arguments (unknown unit, beat or officer,
bad date), 3 refused by the assignment rules (also when another workstation saved a
conflicting assignment at the same moment).
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
    p = sub.add_parser("assign", parents=[common],
                       help="przydziel funkcjonariusza do rejonu (te same zasady co w oknie)",
                       description="Przydziela dzielnicowego lub policjanta ruchu drogowego do "
                                   "rejonu. Nowy przydział kończy poprzedni dzień przed swoim "
                                   "początkiem; okresy tej samej roli nie mogą się pokrywać. "
                                   "Kody wyjścia: 0 zapisano, 2 błędne argumenty, "
                                   "3 odmowa według zasad przydziałów.")
    p.add_argument("--unit", metavar="JEDNOSTKA", required=True,
                   help="jednostka (np. „KMP Konin”, „KP Golina”)")
    p.add_argument("--beat", metavar="NUMER", required=True, help="numer rejonu w jednostce")
    p.add_argument("--officer", metavar="NR_SŁUŻBOWY", required=True,
                   help="numer służbowy funkcjonariusza")
    p.add_argument("--role", choices=sorted(ROLES), required=True,
                   help="dzielnicowy albo ruch (policjant ruchu drogowego)")
    p.add_argument("--from", dest="valid_from", metavar="RRRR-MM-DD", required=True,
                   help="pierwszy dzień przydziału")
    p.add_argument("--to", dest="valid_to", metavar="RRRR-MM-DD",
                   help="ostatni dzień (domyślnie bezterminowo)")
    p.add_argument("--zastepstwo", action="store_true",
                   help="zastępstwo (wymaga --to) zamiast stałego przydziału")
    p.add_argument("--note", metavar="TEKST", default="", help="uwagi (np. urlop)")
    p.set_defaults(func=_assign)


ROLES = {"dzielnicowy": "dzielnicowy", "ruch": "traffic"}  # CLI word -> AssignmentRole value
EXIT_REFUSED = 3


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


def _assign(args, database: str | None) -> int:
    import sys

    from db.models import AssignmentKind, AssignmentRole
    from desktop.beats.assignments import assign, find_target
    from desktop.beats.rules import RuleError, fmt_date

    valid_from = _date(args.valid_from)
    valid_to = _date(args.valid_to)
    assert valid_from is not None  # required by the parser
    role = AssignmentRole(ROLES[args.role])
    kind = AssignmentKind.SUBSTITUTE if args.zastepstwo else AssignmentKind.REGULAR
    db = _open(database)
    try:
        try:
            target = find_target(db, args.unit, args.beat, args.officer)
        except RuleError as exc:
            raise CliError(str(exc)) from exc
        try:
            result = assign(db, target.beat_id, target.officer_id, role, valid_from, valid_to,
                            args.note, kind)
        except RuleError as exc:
            print(f"razem: odmowa: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        what = "zastępstwo" if kind == AssignmentKind.SUBSTITUTE else "przydział"
        print(f"Zapisano {what}: rejon {target.beat}, {args.role} {target.officer}, "
              f"{fmt_date(valid_from)} – {fmt_date(valid_to)}.")
        for day in result.closed.values():
            print(f"Poprzedni przydział zakończono z dniem {fmt_date(day)}.")
        for warning in result.warnings:
            print(warning)
        return 0
    finally:
        db.dispose()
