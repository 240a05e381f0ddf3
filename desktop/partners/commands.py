"""Command line of the partner register: ``razem export-agreement`` and ``razem export-partners``."""
from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.errors import CliError
from desktop.common.text import plural


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export-agreement", parents=[common],
                       help="zapisz listę sygnatariuszy porozumienia do PDF")
    p.add_argument("--agreement", type=int, metavar="ID",
                   help="ID porozumienia (domyślnie najnowsze)")
    p.add_argument("--pdf", required=True, metavar="PLIK", help="plik PDF do zapisania")
    p.set_defaults(func=_export_agreement)

    p = sub.add_parser("export-partners", parents=[common],
                       help="zapisz rejestr partnerów do CSV (UTF-8 z BOM, ';') lub XLSX")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--csv", metavar="PLIK", help="plik CSV do zapisania")
    group.add_argument("--xlsx", metavar="PLIK", help="plik XLSX do zapisania")
    p.set_defaults(func=_export_partners)


def _check_writable(path: str) -> None:
    """Fail with a Polish message before Qt tries (and only warns) to open the file."""
    target = Path(path)
    if target.is_dir():
        raise CliError(f"{path} jest folderem, a nie plikiem")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "ab"):
            pass
    except OSError as exc:
        raise CliError(f"nie można zapisać pliku {path}: {exc.strerror or exc}") from exc


def _export_agreement(args, database: str | None) -> int:
    from desktop.common.document import render_pdf
    from desktop.partners.agreements import AgreementError
    from desktop.partners.report import build_report
    from desktop.startup import open_database

    opened = open_database(database)
    try:
        report = build_report(opened.db, args.agreement)
        _check_writable(args.pdf)
        pages = render_pdf(report.document, args.pdf)
    except AgreementError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"nie można zapisać pliku {args.pdf}: {exc}") from exc
    finally:
        opened.db.dispose()
    print(f"Zapisano {args.pdf} ({plural(pages, 'strona', 'strony', 'stron')}).")
    return 0


def _export_partners(args, database: str | None) -> int:
    from desktop.partners.exchange import export_csv, export_xlsx
    from desktop.partners.service import list_partners
    from desktop.startup import open_database

    opened = open_database(database)
    try:
        rows = list_partners(opened.db)
        path = args.csv or args.xlsx
        _check_writable(path)
        try:
            (export_csv if args.csv else export_xlsx)(path, rows)
        except OSError as exc:
            raise CliError(f"nie można zapisać pliku {path}: {exc}") from exc
    finally:
        opened.db.dispose()
    print(f"Zapisano {path} ({plural(len(rows), 'partner', 'partnerzy', 'partnerów')}).")
    return 0
