"""Making a backup of the open database and restoring one.

- SQLite → ``.db`` file through SQLite's online backup API (consistent while others write),
  or a portable ``.zip`` dump when the name ends in ``.zip``;
- PostgreSQL → always the portable ``.zip`` dump (read in one repeatable-read transaction).

A restore first prepares the data in a private SQLite file (in a temporary
folder): a ``.db`` backup is copied there, a dump is loaded into an empty database of its own
schema revision; then it is migrated to the newest schema. Only then is the target replaced:
a SQLite file by one backup-API step (atomic), a PostgreSQL database in one transaction (all
rows deleted and inserted again). Either all of the backup is there afterwards or nothing
changed. Backup files are readable by their owner only where the platform allows.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete

from db import aggregates
from db.audit import audit_entry, audit_ready, write_entries
from db.engine import Database, create_private_file, sqlite_copy, sqlite_path
from db.migrate import alembic_config, head_revision
from desktop.backup.dump import (
    BackupError,
    Check,
    Progress,
    insert_rows,
    load_dump,
    read_manifest,
    reflect,
    reset_sequences,
    table_rows,
    write_dump,
)

log = logging.getLogger("razem.backup")
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str  # "sqlite" | "dump"
    seconds: float


def default_suffix(db: Database) -> str:
    return ".db" if sqlite_path(db.url) is not None else ".zip"


def backup_database(db: Database, target: str | Path, check: Check | None = None,
                    progress: Progress | None = None) -> BackupResult:
    """Write a backup of ``db`` to ``target`` (written beside it first, then renamed)."""
    started = time.perf_counter()
    target = Path(target)
    source = sqlite_path(db.url)
    as_dump = target.suffix.lower() == ".zip"
    if source is None and not as_dump:
        raise BackupError("Kopia bazy na serwerze PostgreSQL to plik .zip (np. razem.zip).")
    if not target.parent.is_dir():
        raise BackupError(f"Nie ma folderu {target.parent}.")
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
        if as_dump:
            with db.engine.connect() as conn:
                if conn.dialect.name == "postgresql":
                    conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    write_dump(conn, partial, conn.dialect.name, check, progress)
        else:
            assert source is not None
            if progress:
                progress(10, "Kopiowanie pliku bazy")
            sqlite_copy(source, partial)
        if check:
            check()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    result = BackupResult(target, "dump" if as_dump else "sqlite",
                          time.perf_counter() - started)
    log.info("kopia zapasowa %s: %s, %.2f s", target, result.kind, result.seconds)
    return result


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(16) == SQLITE_MAGIC


def _known_revision(revision: str | None) -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    try:
        ok = revision is not None and script.get_revision(revision) is not None
    except Exception:
        ok = False
    if not ok:
        raise BackupError(f"Kopia ma schemat bazy {revision!r}, którego ta wersja programu nie "
                          f"zna (kopia z nowszej wersji programu?).")


def prepare_staging(source: Path, folder: Path, check: Check | None = None) -> Path:
    """A private SQLite file at the newest schema holding exactly the backup's data."""
    from alembic import command

    from db.migrate import upgrade

    if not source.is_file():
        raise BackupError(f"Nie ma pliku kopii {source}.")
    staging = folder / "odtwarzanie.db"
    create_private_file(staging)
    if _is_sqlite(source):
        sqlite_copy(source, staging)
        db = Database.open(f"sqlite:///{staging.as_posix()}")
        try:
            with db.engine.connect() as conn:
                from desktop.backup.dump import revision_of

                revision = revision_of(conn)
            _known_revision(revision)
            upgrade(db.url, db.engine)
        finally:
            db.dispose()
        return staging
    manifest = read_manifest(source)
    _known_revision(manifest.revision)
    db = Database.open(f"sqlite:///{staging.as_posix()}")
    try:
        cfg = alembic_config(db.url)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, str(manifest.revision))
            load_dump(source, conn, check)
        upgrade(db.url, db.engine)
    finally:
        db.dispose()
    return staging


def restore_database(db: Database, source: str | Path, check: Check | None = None,
                     progress: Progress | None = None) -> int:
    """Replace every row of ``db`` with the backup's. Returns the number of rows restored."""
    started = time.perf_counter()
    source = Path(source)
    folder = Path(tempfile.mkdtemp(prefix="razem-odtwarzanie-"))
    try:
        if progress:
            progress(5, "Sprawdzanie kopii")
        staging = prepare_staging(source, folder, check)
        if check:
            check()
        if progress:
            progress(50, "Zastępowanie danych")
        target = sqlite_path(db.url)
        stage_db = Database.open(f"sqlite:///{staging.as_posix()}")
        try:
            with stage_db.engine.connect() as sconn:
                rows = sum(sum(1 for _ in table_rows(sconn, t)) for t in reflect(sconn))
            if target is not None:
                with stage_db.engine.connect() as sconn:
                    sconn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                stage_db.dispose()
                db.dispose()  # no pooled connection keeps the old file's pages
                sqlite_copy(staging, target)
            else:
                _replace_server_rows(db, stage_db, check)
        finally:
            stage_db.dispose()
        _record_restore(db, source, rows)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    log.info("odtworzono %s z %s: %d wierszy, %.2f s", db.url.split("@")[-1], source, rows,
             time.perf_counter() - started)
    return rows


def _replace_server_rows(db: Database, stage_db: Database, check: Check | None) -> None:
    with stage_db.engine.connect() as sconn, db.engine.begin() as conn:
        tables = reflect(conn)
        if head_revision() != _revision(conn):
            raise BackupError("Baza docelowa nie ma najnowszego schematu; uruchom najpierw "
                              "„razem db upgrade”.")
        staged = {t.name: t for t in reflect(sconn)}
        for table in reversed(tables):
            conn.execute(delete(table))
        for table in tables:
            if check:
                check()
            st = staged.get(table.name)
            if st is None:
                continue
            insert_rows(conn, table, list(table_rows(sconn, st)))
        if any(t.name == aggregates.TABLE for t in tables):  # derived: recount the reports
            aggregates.recount(conn)
        reset_sequences(conn, tables)


def _revision(conn) -> str | None:
    from desktop.backup.dump import revision_of

    return revision_of(conn)


def _record_restore(db: Database, source: Path, rows: int) -> None:
    """The restore itself goes into the (restored) audit log; the reports' change marker
    gets a new token (a cache keyed by the old one must not be used)."""
    from db import report_marker

    with db.engine.begin() as conn:
        if audit_ready(conn):
            write_entries(conn, [audit_entry(
                "restore", "*", "", source.name, {"plik": str(source), "wiersze": rows},
                rows=rows)])
        if report_marker.report_key(conn) is not None:
            report_marker.touch(conn)


def timestamped_name(prefix: str, suffix: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"{prefix}-{now:%Y%m%d-%H%M%S}{suffix}"
