"""`razem sample`: fill an empty database with the deterministic sample for KMP Konin."""
from __future__ import annotations

import argparse
import sys
import time

from desktop.cli.errors import CliError
from desktop.common.text import plural
from desktop.sample.defaults import DEFAULT_BEATS, DEFAULT_REPORTS, DEFAULT_SEED


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sample", parents=[common],
                       help="wypełnij pustą bazę danymi przykładowymi KMP Konin")
    p.add_argument("--reports", type=int, default=DEFAULT_REPORTS, metavar="N",
                   help=f"liczba syntetycznych zgłoszeń KMZB (domyślnie {DEFAULT_REPORTS})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S",
                   help=f"ziarno losowania; to samo ziarno daje te same dane (domyślnie {DEFAULT_SEED})")
    p.add_argument("--beats", type=int, default=DEFAULT_BEATS, metavar="B",
                   help=f"łączna liczba rejonów, co najmniej 15 (domyślnie {DEFAULT_BEATS})")
    p.set_defaults(func=_run)


def _run(args, database: str | None) -> int:
    from db.engine import describe
    from db.services.info import is_empty
    from desktop.sample.generator import SampleSpec, generate
    from desktop.startup import open_database

    try:
        spec = SampleSpec(reports=args.reports, seed=args.seed, beats=args.beats)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    opened = open_database(database)
    db = opened.db
    try:
        started = time.perf_counter()
        with db.session() as session, session.begin():
            if not is_empty(session):
                raise CliError(f"baza {describe(db.url)} zawiera już dane; "
                               "dane przykładowe można wczytać tylko do pustej bazy")
            last = [-1]

            def progress(stage: str, percent: int) -> None:
                if percent // 10 != last[0] // 10:
                    print(f"  {percent:3d}%  {stage}", file=sys.stderr)
                last[0] = percent

            summary = generate(session, spec, progress)
        took = time.perf_counter() - started
        counts = ", ".join([
            plural(summary.units, "jednostka", "jednostki", "jednostek"),
            plural(summary.gminas, "gmina", "gminy", "gmin"),
            plural(summary.beats, "rejon", "rejony", "rejonów"),
            plural(summary.officers, "funkcjonariusz", "funkcjonariuszy", "funkcjonariuszy"),
            plural(summary.partners, "partner", "partnerzy", "partnerów"),
            plural(summary.reports, "zgłoszenie", "zgłoszenia", "zgłoszeń"),
        ])
        print(f"Baza {describe(db.url)}: {counts} ({took:.1f} s).")
    finally:
        db.dispose()
    return 0
