"""`razem self-check`: checks the installation offline (database, PDF fonts, map page).

The checks themselves live in desktop/app/selfcheck.py (they need Qt); this module only
registers the command, so the parser stays light.
"""
from __future__ import annotations

import argparse


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "self-check", parents=[common],
        help="sprawdź instalację: bazę danych, wydruk PDF i mapę bez internetu",
        description="Sprawdza, czy program działa na tym komputerze bez internetu: otwiera "
                    "bazę danych (schemat, integralność), zapisuje PDF z polskimi znakami "
                    "(osadzone czcionki) i wczytuje mapę (zero żądań do sieci). Kod wyjścia "
                    "0 oznacza, że wszystko działa.")
    p.set_defaults(func=_self_check)


def _self_check(args, database: str | None) -> int:
    from desktop.app.selfcheck import run_checks
    from desktop.common.logs import log_file

    results = run_checks(database)
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(f"Kontrola programu nie powiodła się ({', '.join(failed)}). "
              f"Szczegóły w dzienniku: {log_file()}")
        return 1
    print("Kontrola programu zakończona: wszystko działa.")
    return 0
