"""`razem db upgrade`: bring a database to the newest schema (backing up SQLite first)."""
from __future__ import annotations

import argparse


def register(sub, common: argparse.ArgumentParser) -> None:
    db = sub.add_parser("db", parents=[common], help="operacje na bazie danych")
    db_sub = db.add_subparsers(dest="db_command", metavar="OPERACJA", required=True)
    up = db_sub.add_parser("upgrade", parents=[common], help="uaktualnij schemat bazy")
    up.set_defaults(func=_upgrade)


def _upgrade(args, database: str | None) -> int:
    from db.engine import Database, describe, resolve_database_url
    from db.locking import startup_lock
    from db.migrate import current_revision, head_revision, refuse_foreign_sqlite, upgrade

    db = Database.open(resolve_database_url(database))
    try:
        refuse_foreign_sqlite(db.url)  # before the first connection writes anything
        with startup_lock(db):  # not while a workstation is starting on the same database
            before = current_revision(db.engine)
            backup = upgrade(db.url, db.engine)
        head = head_revision()
        where = describe(db.url)
        if before == head:
            print(f"Baza {where} ma już najnowszy schemat ({head}).")
        else:
            print(f"Uaktualniono bazę {where}: {before or 'pusta'} -> {head}.")
            if backup:
                print(f"Kopia zapasowa: {backup}")
    finally:
        db.dispose()
    return 0
