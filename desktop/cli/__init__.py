"""Command line of Razem (its own package: parser, errors, database commands): `razem` opens the window; subcommands work without one.

``--database URL`` is accepted before or after a subcommand's name. Each capability
registers its own subcommands through a ``register(subparsers, common)`` function in a
module listed in COMMAND_MODULES; the handler is stored as ``func`` and returns an exit code.
"""
from __future__ import annotations

import argparse
import importlib
import re
import sys

from desktop import __version__
from desktop.cli.errors import CliError

COMMAND_MODULES = [
    "desktop.sample.commands",
    "desktop.cli.dbcommands",
    "desktop.partners.commands",
    "desktop.threats.commands",
    "desktop.beats.commands",
    "desktop.cli.selfcheck",
    "desktop.audit.commands",
    "desktop.backup.commands",
    "desktop.organisation.commands",
    "desktop.map.commands",
    "desktop.publish.commands",
    "desktop.partners.edition_commands",
    "desktop.beats.boundary_commands",
    "desktop.addresses.commands",
    "desktop.yearreport.commands",
]


# argparse's own messages are English; the command line speaks Polish like the window.
_ARGPARSE_MESSAGES = [
    (re.compile(r"the following arguments are required: (.*)"), r"brakuje wymaganych argumentów: \1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"nieznane argumenty: \1"),
    (re.compile(r"invalid (\w+) value: (.*)"), r"niepoprawna wartość (\1): \2"),
    (re.compile(r"invalid choice: (.*?) \(choose from (.*)\)"), r"niepoprawny wybór: \1 (do wyboru: \2)"),
    (re.compile(r"expected one argument"), "oczekiwano jednej wartości"),
    (re.compile(r"ambiguous option: (.*)"), r"niejednoznaczna opcja: \1"),
    (re.compile(r"argument (.*?): not allowed with argument (.*)"),
     r"argumentu \1 nie można podać razem z \2"),
    (re.compile(r"one of the arguments (.*) is required"), r"wymagany jest jeden z argumentów: \1"),
]


class PolishHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "użycie: " if prefix is None else prefix)


class PolishArgumentParser(argparse.ArgumentParser):
    """ArgumentParser with Polish headings, help and error messages."""

    def __init__(self, add_help: bool = True, parents=(), **kwargs):
        kwargs.setdefault("formatter_class", PolishHelpFormatter)
        super().__init__(add_help=False, **kwargs)
        self._positionals.title = "argumenty"
        self._optionals.title = "opcje"
        # Parents are merged after the renaming so their options join the same "opcje" group.
        for parent in parents:
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="pokaż tę pomoc i zakończ")

    def error(self, message: str):
        for pattern, replacement in _ARGPARSE_MESSAGES:
            message = pattern.sub(replacement, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: błąd: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = PolishArgumentParser(add_help=False)
    common.add_argument(
        "--database", metavar="URL", default=argparse.SUPPRESS,
        help="adres bazy danych (SQLAlchemy URL lub ścieżka pliku SQLite); "
             "domyślnie RAZEM_DATABASE_URL albo plik w folderze danych użytkownika",
    )
    parser = PolishArgumentParser(
        prog="razem", parents=[common],
        description="Razem dla bezpieczeństwa – rejony, dzielnicowi, partnerzy i diagnoza "
                    "zagrożeń KMP w Koninie. Bez podkomendy otwiera okno programu.",
    )
    parser.add_argument("--version", action="version", version=f"razem {__version__}",
                        help="pokaż wersję programu i zakończ")
    sub = parser.add_subparsers(dest="command", metavar="PODKOMENDA", title="podkomendy",
                                parser_class=PolishArgumentParser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def configure_process_logging() -> None:
    """The log file, faulthandler, Qt messages and the excepthooks (real processes only)."""
    from desktop.app.crash import install_qt_message_handler
    from desktop.common.logs import install_excepthooks, setup_logging

    setup_logging()
    install_excepthooks()
    install_qt_message_handler()


def main(argv: list[str] | None = None, *, configure_logging: bool | None = None) -> int:
    """Run the command line. A real process (``argv`` None) configures the log first; tests
    calling ``main([...])`` in-process keep pytest's own logging and hooks."""
    parser = build_parser()
    # --help and --version end here: before the log set-up, which loads SQLAlchemy and Qt.
    args = parser.parse_args(argv)
    if configure_logging if configure_logging is not None else argv is None:
        configure_process_logging()
    # Imported here, not at the top: building the parser (--help, --version) loads neither
    # SQLAlchemy nor Qt; command modules import what they need inside their handlers.
    from sqlalchemy.exc import SQLAlchemyError

    from db.migrate import SchemaUpgradeError
    from desktop.common.preferences import preferred_database

    database = preferred_database(getattr(args, "database", None))
    try:
        if args.command is None:
            from desktop.app.application import run_gui

            return run_gui(database)
        return int(args.func(args, database) or 0)
    except CliError as exc:
        print(f"razem: błąd: {exc}", file=sys.stderr)
        return 2
    except SchemaUpgradeError as exc:
        print(f"razem: błąd: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        from db.engine import explain_database_error, resolve_database_url

        print(f"razem: błąd: {explain_database_error(exc, resolve_database_url(database))}",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
