"""`razem backup FILE` and `razem restore FILE [--yes]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.errors import CliError


def register(sub, common: argparse.ArgumentParser) -> None:
    b = sub.add_parser("backup", parents=[common],
                       help="kopia zapasowa bazy (SQLite: plik .db; każda baza: plik .zip)")
    b.add_argument("file", metavar="PLIK")
    b.set_defaults(func=_backup)
    r = sub.add_parser("restore", parents=[common],
                       help="odtwórz bazę z kopii (najpierw zapisuje kopię stanu obecnego)")
    r.add_argument("file", metavar="PLIK")
    r.add_argument("--yes", action="store_true", help="nie pytaj o potwierdzenie")
    r.set_defaults(func=_restore)


def _backup(args, database: str | None) -> int:
    from desktop.backup.core import backup_database
    from desktop.backup.dump import BackupError
    from desktop.startup import open_database

    db = open_database(database).db
    try:
        result = backup_database(db, Path(args.file))
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"nie można zapisać kopii {args.file}: {exc.strerror or exc}") from exc
    finally:
        db.dispose()
    print(f"Zapisano kopię zapasową: {result.path} ({result.seconds:.1f} s).")
    return 0


def _restore(args, database: str | None) -> int:
    from db.engine import describe
    from desktop.backup.core import backup_database, default_suffix, timestamped_name
    from desktop.backup.dump import BackupError
    from desktop.backup.settings import load_settings
    from desktop.startup import open_database

    source = Path(args.file)
    if not source.is_file():
        raise CliError(f"nie ma pliku {source}")
    db = open_database(database).db
    try:
        if not args.yes:
            answer = ask(f"Zastąpić WSZYSTKIE dane w bazie {describe(db.url)} danymi z kopii "
                           f"{source}? [t/N] ")
            if answer.strip().lower() not in ("t", "tak", "y", "yes"):
                print("Anulowano; nic nie zmieniono.")
                return 1
        folder = load_settings().folder_path()
        folder.mkdir(parents=True, exist_ok=True)
        before = backup_database(db, folder / timestamped_name(
            "razem-przed-odtworzeniem", default_suffix(db)))
        print(f"Kopia stanu sprzed odtworzenia: {before.path}", file=sys.stderr)
        from desktop.backup.core import restore_database

        rows = restore_database(db, source)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    finally:
        db.dispose()
    print(f"Odtworzono bazę z kopii {source} ({rows} wierszy).")
    return 0


def ask(prompt: str) -> str:
    """A yes/no question on the console; no console (EOF) means no."""
    try:
        return input(prompt)
    except EOFError:
        return ""
