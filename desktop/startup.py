"""Opening a database for the app or a command: migrate (after a backup), seed the KMZB
dictionaries, and on request fill an empty SQLite database with the sample. All of it under
the start-up lock, so workstations starting together on a new database take turns."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect

from db.engine import Database, resolve_database_url, sqlite_path
from db.locking import startup_lock
from db.migrate import refuse_foreign_sqlite, upgrade
from db.services.dictionaries import seed_dictionaries
from db.services.info import KIND_KEY, KIND_NEW, KIND_SAMPLE, data_kind, is_empty, set_info
from desktop.common.document import mark_sample_data

if TYPE_CHECKING:  # the generator (numpy, pyproj) only when a sample is made
    from desktop.sample.generator import SampleSummary

Progress = Callable[[str, int], None]  # as desktop.sample.generator.Progress


def _existed(url: str) -> bool | None:
    """Whether the SQLite file is there before Database.open creates it (None: a server)."""
    path = sqlite_path(url)
    return path.exists() if path is not None else None


def _is_new(db: Database, existed: bool | None) -> bool:
    if existed is not None:
        return not existed
    return not inspect(db.engine).get_table_names()


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
    """Open (and upgrade) the database chosen by URL / environment / default.

    ``fill_sample`` is honoured only for a database created by this call (a SQLite file that
    did not exist, a server database without tables): an empty file someone already had is
    never filled with the fictional sample.
    """
    resolved = resolve_database_url(url)
    refuse_foreign_sqlite(resolved)  # before anything (even the lock file) is written
    existed = _existed(resolved)  # Database.open creates a missing file (owner-only)
    db = Database.open(resolved)
    try:
        # Two workstations starting on a new database at once take turns (see db.locking).
        with startup_lock(db):
            created = _is_new(db, existed)
            backup = upgrade(db.url, db.engine)
            summary = None
            with db.session() as session, session.begin():
                seed_dictionaries(session)
                if created and is_empty(session):
                    set_info(session, KIND_KEY, KIND_NEW)
                if fill_sample and created and sample_allowed(db) and is_empty(session):
                    from desktop.sample.generator import SampleSpec, generate

                    summary = generate(session, SampleSpec(), progress)
                kind = data_kind(session)
                awaiting = kind == KIND_NEW and is_empty(session)
    except Exception:
        db.dispose()
        raise
    mark_sample_data(kind == KIND_SAMPLE)  # every printout of this process says so
    return OpenedDatabase(db, backup, summary, awaiting)
