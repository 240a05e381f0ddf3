"""Command line of the address points: ``razem import-addresses FILE`` and
``razem check-addresses [--csv FILE]``.

Exit codes: 0 done (the check: 0 also when it found problems; they are listed), 2 a file that
cannot be imported (nothing was saved) or a wrong argument.
"""
from __future__ import annotations

import argparse

from desktop.cli.errors import CliError


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import-addresses", parents=[common],
                       help="import punktów adresowych PRG (GML lub CSV, EPSG:2180)",
                       description="Importuje punkty adresowe państwowego rejestru (PRG) z "
                                   "pliku GML (model 2012 lub 2021) albo CSV. Dla każdej "
                                   "gminy (TERYT) z pliku punkty są aktualizowane po "
                                   "identyfikatorze, nowe dodawane, a nieobecne w pliku "
                                   "usuwane – w jednej transakcji.")
    p.add_argument("file", metavar="PLIK", help="plik GML lub CSV z punktami adresowymi")
    p.set_defaults(func=_import)
    p = sub.add_parser("check-addresses", parents=[common],
                       help="punkty adresowe poza rejonami i niezgodne z rejestrem ulic",
                       description="Wypisuje zarejestrowane adresy, których punkt nie leży "
                                   "w żadnym rejonie, oraz te, dla których rejestr ulic "
                                   "wskazuje inny rejon niż granice.")
    p.add_argument("--csv", metavar="PLIK", help="zapisz wynik do pliku CSV")
    p.add_argument("--date", metavar="RRRR-MM-DD", help="rejony na dzień (domyślnie dziś)")
    p.set_defaults(func=_check)


def _open(database: str | None):
    from desktop.startup import open_database

    return open_database(database).db


def _import(args, database: str | None) -> int:
    from desktop.addresses.prg import PrgError
    from desktop.addresses.service import import_addresses
    from desktop.organisation.commands import warn_if_sample

    db = _open(database)
    try:
        warn_if_sample(db)
        try:
            summary = import_addresses(db, args.file)
        except PrgError as exc:
            raise CliError(str(exc)) from exc
        print(f"Zaimportowano punkty adresowe ({summary.kind}): nowe {summary.added}, "
              f"zmienione {summary.updated}, bez zmian {summary.unchanged}, usunięte "
              f"{summary.removed}; gminy (TERYT): {', '.join(summary.gminas)}.")
        if summary.refused_count:
            print(f"Odrzucono {summary.refused_count}:")
            for r in summary.refused:
                print(f"  {r.where}: {r.reason}")
        return 0
    finally:
        db.dispose()


def _check(args, database: str | None) -> int:
    import datetime as dt

    from desktop.addresses.service import AddressError, check_consistency, export_check_csv

    on = None
    if args.date:
        try:
            on = dt.date.fromisoformat(args.date)
        except ValueError:
            raise CliError(f"Niepoprawna data „{args.date}” (oczekiwano RRRR-MM-DD).") from None
    db = _open(database)
    try:
        report = check_consistency(db, on)
        print(f"Sprawdzono punktów adresowych: {report.checked}; poza rejonami: "
              f"{report.outside}; niezgodnych z rejestrem ulic: {report.disagreeing}.")
        for r in report.rows:
            detail = (f"wg granic {r.geometry_beat}, wg rejestru ulic {r.register_beat}"
                      if r.geometry_beat else "poza rejonami")
            print(f"  {r.address}: {detail}")
        if args.csv:
            try:
                export_check_csv(report, args.csv)
            except AddressError as exc:
                raise CliError(str(exc)) from exc
            print(f"Zapisano {args.csv}.")
        return 0
    finally:
        db.dispose()
