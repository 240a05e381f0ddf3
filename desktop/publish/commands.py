"""Command line of "Twój dzielnicowy": leaflets (PDF) and the offline web pages of a unit.

``razem publish --unit U (--html DIR | --pdf FILE) [--beat N] [--date RRRR-MM-DD]``
"""
from __future__ import annotations

import argparse
import datetime as dt

from desktop.cli.errors import CliError


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "publish", parents=[common],
        help="„Twój dzielnicowy”: ulotki A4 (PDF) lub strony HTML rejonów jednostki",
        description="Przygotowuje do publikacji „Twój dzielnicowy”: dla każdego rejonu "
                    "jednostki ulotkę A4 (jeden plik PDF) albo zestaw stron HTML do "
                    "umieszczenia na stronie internetowej (index.html i strona każdego "
                    "rejonu, bez odwołań do internetu). Publikowane są tylko kontakty "
                    "służbowe.")
    p.add_argument("--unit", metavar="JEDNOSTKA", required=True,
                   help="jednostka (np. „KMP Konin”, „KP Golina”)")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--html", metavar="FOLDER", help="folder na strony HTML")
    out.add_argument("--pdf", metavar="PLIK", help="plik PDF z ulotkami")
    p.add_argument("--beat", metavar="NUMER", help="tylko ten rejon jednostki")
    p.add_argument("--date", metavar="RRRR-MM-DD",
                   help="stan na dzień (domyślnie dziś; dla danych przykładowych 2018-12-31)")
    p.set_defaults(func=_publish)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"Niepoprawna data „{text}” (oczekiwano RRRR-MM-DD).") from None


def _publish(args, database: str | None) -> int:
    from desktop.publish.content import PublishError, collect, find_unit, unit_beats
    from desktop.startup import open_database

    on = _date(args.date)
    db = open_database(database).db
    try:
        try:
            unit_id = find_unit(db, args.unit)
        except PublishError as exc:
            raise CliError(str(exc)) from None
        ids = unit_beats(db, unit_id, on)
        if args.beat is not None:
            from desktop.beats.queries import find_beat

            wanted = {bid for bid, _ in find_beat(db, args.beat)}
            ids = [bid for bid in ids if bid in wanted]
            if not ids:
                raise CliError(f"Nie ma rejonu nr {args.beat} w jednostce „{args.unit}”.")
        if not ids:
            raise CliError(f"Jednostka „{args.unit}” nie ma rejonów.")
        items = collect(db, ids, on)
    finally:
        db.dispose()
    target = args.pdf or args.html
    try:
        if args.pdf:
            from desktop.publish.leaflet import write_pdf

            pages = write_pdf(items, args.pdf)
            print(f"Zapisano {target}: rejonów {len(items)}, stron {pages}.")
        else:
            from desktop.publish.site import write_site

            files = write_site(items, args.html)
            print(f"Zapisano {len(files)} stron HTML w folderze {target} "
                  f"(rejonów {len(items)}, początek: index.html).")
    except OSError as exc:
        raise CliError(f"Nie można zapisać {target}: {exc}") from exc
    return 0
