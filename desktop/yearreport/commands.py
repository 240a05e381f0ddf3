"""`razem report --from RRRR-MM-DD --to RRRR-MM-DD (--pdf FILE | --xlsx FILE) [--unit U]`:
the programme's report "Sprawozdanie z realizacji programu" for a period."""
from __future__ import annotations

import argparse

from desktop.cli.errors import CliError


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common],
                       help="sprawozdanie z realizacji programu za okres (PDF lub XLSX)",
                       description="Zapisuje sprawozdanie z realizacji programu „Razem dla "
                                   "bezpieczeństwa” za podany okres: partnerzy i podpisy, "
                                   "działania, plany priorytetowe, zagrożenia w rejonach "
                                   "na tle okresu poprzedniego, udział ruchu drogowego.")
    p.add_argument("--from", dest="date_from", required=True, metavar="RRRR-MM-DD",
                   help="pierwszy dzień okresu (także DD.MM.RRRR)")
    p.add_argument("--to", dest="date_to", required=True, metavar="RRRR-MM-DD",
                   help="ostatni dzień okresu, włącznie")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--pdf", metavar="PLIK", help="plik PDF do zapisania (A4)")
    out.add_argument("--xlsx", metavar="PLIK", help="plik XLSX z tabelami sprawozdania")
    p.add_argument("--unit", metavar="JEDNOSTKA",
                   help="jednostka wraz z podległymi (np. „KP Golina”); domyślnie cała KMP")
    p.set_defaults(func=_report)


def find_unit(db, text: str) -> int:
    """The unit whose short or full name is ``text`` (case and Polish letters ignored)."""
    from desktop.common.text import fold
    from desktop.yearreport.content import unit_choices

    key = fold(text.strip())
    rows = unit_choices(db)
    for uid, short, name in rows:
        if key in (fold(short), fold(name)):
            return uid
    known = ", ".join(short for _, short, _ in rows)
    raise CliError(f"nie ma jednostki „{text}”; dostępne: {known}")


def _report(args, database: str | None) -> int:
    from desktop.startup import open_database
    from desktop.threats.commands import parse_cli_date
    from desktop.yearreport.content import ReportError, collect

    start, end = parse_cli_date(args.date_from), parse_cli_date(args.date_to)
    db = open_database(database).db
    try:
        unit_id = find_unit(db, args.unit) if args.unit else None
        try:
            report = collect(db, start, end, unit_id)
        except ReportError as exc:
            raise CliError(str(exc)) from exc
    finally:
        db.dispose()
    path = args.pdf or args.xlsx
    try:
        if args.pdf:
            from desktop.yearreport.document import write_pdf

            pages = write_pdf(report, path)
            what = f"stron {pages}"
        else:
            from desktop.yearreport.xlsx import write_xlsx

            what = f"arkuszy {write_xlsx(report, path)}"
    except OSError as exc:
        raise CliError(f"nie można zapisać {path}: {exc.strerror or exc}") from exc
    print(f"Zapisano {path} ({what}): okres {start:%d.%m.%Y}–{end:%d.%m.%Y}, "
          f"{report.scope}; działań {report.activities.total}, zgłoszeń "
          f"{report.threats.total}.")
    return 0
