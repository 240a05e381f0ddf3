"""Opening a database for the app or a command: migrate (after a backup), seed the KMZB
dictionaries, and on request fill an empty SQLite database with the sample. All of it under
the start-up lock, so workstations starting together on a new database take turns."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db.engine import Database, resolve_database_url
from db.locking import startup_lock
from db.migrate import upgrade
from db.services.dictionaries import seed_dictionaries
from db.services.info import is_empty
from desktop.sample.generator import Progress, SampleSpec, SampleSummary, generate


@dataclass
class OpenedDatabase:
    db: Database
    backup: Path | None
    sample: SampleSummary | None


def sample_allowed(db: Database) -> bool:
    """The fictional sample goes only into a SQLite file (a workstation's own or trial
    database), never on its own into a shared server, which is a real station's database."""
    return db.engine.dialect.name == "sqlite"


def open_database(url: str | None = None, *, fill_sample: bool = False,
                  progress: Progress | None = None) -> OpenedDatabase:
    """Open (and upgrade) the database chosen by URL / environment / default."""
    db = Database.open(resolve_database_url(url))
    try:
        # Two workstations starting on a new database at once take turns (see db.locking).
        with startup_lock(db):
            backup = upgrade(db.url, db.engine)
            summary = None
            with db.session() as session, session.begin():
                seed_dictionaries(session)
                if fill_sample and sample_allowed(db) and is_empty(session):
                    summary = generate(session, SampleSpec(), progress)
    except Exception:
        db.dispose()
        raise
    return OpenedDatabase(db, backup, summary)
