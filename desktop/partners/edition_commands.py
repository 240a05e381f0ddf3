"""Command line of programme editions: ``razem new-edition --year 2019 [--from-year 2018]``."""
from __future__ import annotations

import argparse

from desktop.cli.errors import CliError


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("new-edition", parents=[common],
                       help="rozpocznij nową edycję programu: nowe porozumienie na rok, "
                            "partnerzy poprzedniej edycji jako zaproszeni")
    p.add_argument("--year", type=int, required=True, metavar="ROK", help="rok nowej edycji")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--from-year", type=int, metavar="ROK",
                        help="edycja, z której zaprosić partnerów (domyślnie najnowsza)")
    source.add_argument("--from-agreement", type=int, metavar="ID",
                        help="ID porozumienia, z którego zaprosić partnerów")
    p.add_argument("--with-withdrawn", action="store_true",
                   help="zaproś także partnerów, którzy się wycofali")
    p.set_defaults(func=_new_edition)


def _new_edition(args, database: str | None) -> int:
    from desktop.partners.agreements import AgreementError
    from desktop.partners.editions import edition_choices, start_edition, summary_text
    from desktop.startup import open_database

    opened = open_database(database)
    try:
        choices = edition_choices(opened.db)
        if args.from_agreement is not None:
            source = args.from_agreement
        elif args.from_year is not None:
            found = [c.agreement_id for c in choices if c.year == args.from_year]
            if not found:
                raise CliError(f"nie ma porozumienia edycji {args.from_year}")
            source = found[0]
        elif choices:
            source = choices[0].agreement_id
        else:
            raise CliError("w bazie nie ma porozumienia, od którego można zacząć nową edycję")
        try:
            result = start_edition(opened.db, args.year, source, args.with_withdrawn)
        except AgreementError as exc:
            raise CliError(str(exc)) from exc
    finally:
        opened.db.dispose()
    print(summary_text(result))
    return 0
