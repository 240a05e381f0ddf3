"""Command line of Razem: `razem` opens the window; subcommands work without one.

``--database URL`` is accepted before or after a subcommand's name. Each capability
registers its own subcommands through a ``register(subparsers, common)`` function in a
module listed in COMMAND_MODULES; the handler is stored as ``func`` and returns an exit code.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from desktop import __version__

COMMAND_MODULES = [
    "desktop.sample.commands",
    "desktop.dbcommands",
    "desktop.partners.commands",
    "desktop.threats.commands",
    "desktop.beats.commands",
]


class CliError(Exception):
    """A user mistake reported as one Polish line and exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database", metavar="URL", default=argparse.SUPPRESS,
        help="adres bazy danych (SQLAlchemy URL lub ścieżka pliku SQLite); "
             "domyślnie RAZEM_DATABASE_URL albo plik w folderze danych użytkownika",
    )
    parser = argparse.ArgumentParser(
        prog="razem", parents=[common],
        description="Razem dla bezpieczeństwa – rejony, dzielnicowi, partnerzy i diagnoza "
                    "zagrożeń KMP w Koninie. Bez podkomendy otwiera okno programu.",
    )
    parser.add_argument("--version", action="version", version=f"razem {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="PODKOMENDA")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    database = getattr(args, "database", None)
    try:
        if args.command is None:
            from desktop.app.application import run_gui

            return run_gui(database)
        return int(args.func(args, database) or 0)
    except CliError as exc:
        print(f"razem: błąd: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
