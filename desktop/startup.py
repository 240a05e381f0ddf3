"""Opening a database for the app or a command: migrate (after a backup), seed the KMZB
dictionaries, and on request fill an empty database with the sample."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect

from db.engine import Database, resolve_database_url, sqlite_path
from db.migrate import upgrade
from db.services.dictionaries import seed_dictionaries
from db.services.info import is_empty
from desktop.sample.generator import Progress, SampleSpec, SampleSummary, generate


def _is_new(db: Database) -> bool:
    path = sqlite_path(db.url)
    if path is not None:
        return not path.exists()
    return not inspect(db.engine).get_table_names()


@dataclass
class OpenedDatabase:
    db: Database
    backup: Path | None
    sample: SampleSummary | None


def open_database(url: str | None = None, *, fill_sample: bool = False,
                  progress: Progress | None = None) -> OpenedDatabase:
    """Open (and upgrade) the database chosen by URL / environment / default.

    ``fill_sample`` is honoured only for a database created by this call (a SQLite file that
    did not exist, a server database without tables): an empty file someone already had is
    never filled with the fictional sample.
    """
    db = Database.open(resolve_database_url(url))
    try:
        created = _is_new(db)
        backup = upgrade(db.url, db.engine)
        summary = None
        with db.session() as session, session.begin():
            seed_dictionaries(session)
            if fill_sample and created and is_empty(session):
                summary = generate(session, SampleSpec(), progress)
    except Exception:
        db.dispose()
        raise
    return OpenedDatabase(db, backup, summary)
