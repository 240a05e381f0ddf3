"""Opening a database for the app or a command: migrate (after a backup), seed the KMZB
dictionaries, and on request fill an empty SQLite database with the sample. All of it under
the start-up lock, so workstations starting together on a new database take turns."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db.engine import Database, resolve_database_url, sqlite_path
from db.locking import startup_lock
from db.migrate import current_revision, upgrade
from db.services.dictionaries import seed_dictionaries
from db.services.info import KIND_KEY, KIND_NEW, KIND_SAMPLE, data_kind, is_empty, set_info
from desktop.common.document import mark_sample_data
from desktop.sample.generator import Progress, SampleSpec, SampleSummary, generate


@dataclass
class OpenedDatabase:
    db: Database
    backup: Path | None
    sample: SampleSummary | None
    # Created by this start and still empty: the window asks "sample or a new unit database"
    # (desktop.organisation.station.start_new_database does what the user chose).
    awaiting_choice: bool = False


def sample_allowed(db: Database) -> bool:
    """The fictional sample goes only into a SQLite file (a workstation's own or trial
    database), never on its own into a shared server, which is a real station's database."""
    return db.engine.dialect.name == "sqlite"


def open_database(url: str | None = None, *, fill_sample: bool = False,
                  progress: Progress | None = None) -> OpenedDatabase:
    """Open (and upgrade) the database chosen by URL / environment / default."""
    resolved = resolve_database_url(url)
    file = sqlite_path(resolved)
    created: bool | None = not file.exists() if file is not None else None
    db = Database.open(resolved)
    try:
        # Two workstations starting on a new database at once take turns (see db.locking).
        with startup_lock(db):
            if created is None:  # a server (or in-memory) database: new when it has no schema
                created = current_revision(db.engine) is None
            backup = upgrade(db.url, db.engine)
            summary = None
            with db.session() as session, session.begin():
                seed_dictionaries(session)
                if created and is_empty(session):
                    set_info(session, KIND_KEY, KIND_NEW)
                if fill_sample and sample_allowed(db) and is_empty(session):
                    summary = generate(session, SampleSpec(), progress)
                kind = data_kind(session)
                awaiting = kind == KIND_NEW and is_empty(session)
    except Exception:
        db.dispose()
        raise
    mark_sample_data(kind == KIND_SAMPLE)  # every printout of this process says so
    return OpenedDatabase(db, backup, summary, awaiting)
