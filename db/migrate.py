"""Alembic migrations, run programmatically so they work from a checkout, an installed
package and a frozen build alike. SQLite files are backed up before any upgrade."""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import NullPool

from db.engine import create_private_file, describe, sqlite_copy, sqlite_path

if TYPE_CHECKING:  # alembic (0.2 s to import) only when a migration has to run
    from alembic.config import Config

BATCH_TMP_PREFIX = "_alembic_tmp_"

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
log = logging.getLogger("razem.db")


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' must be escaped for ConfigParser interpolation (passwords, encoded paths).
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def newest_file_revision() -> str:
    """The head read cheaply: the highest revision id among the migration files' names
    (``0011_….py`` → ``0011``; a test keeps it equal to Alembic's head)."""
    names = (p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").iterdir()
             if p.suffix in (".py", ".pyc") and p.name[:1].isdigit())
    return max(names, default="")


def _at_newest(engine: Engine) -> bool:
    """The database already names the newest revision (plain SQL, no Alembic): start-up
    then needs neither Alembic nor its import."""
    head = newest_file_revision()
    if not head:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except Exception:  # no version table yet (a new database): the full path decides
        return False
    return [r[0] for r in rows] == [head]


class SchemaUpgradeError(Exception):
    """A database that cannot be brought to this program's schema. The text is one Polish
    line for the user; the database is left as it was."""


def _partial(target: Path) -> Path:
    return target.with_name(target.name + ".part")


def _remove_quietly(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink(missing_ok=True)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    return isinstance(exc, sqlite3.Error) and "disk is full" in str(exc)


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a SQLite file (consistently, through the backup API) next to itself.

    The copy is written under a ``.part`` name (readable by its owner only, like the
    database) and renamed when complete, so a half-written copy never looks like a backup;
    a failed copy is removed. When an earlier backup with the same label holds exactly the
    same bytes (a retried upgrade), that one is kept and returned instead of a second copy.
    Raises SchemaUpgradeError (Polish) when the copy cannot be made.
    """
    started = time.monotonic()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    pattern = f"{path.stem}.*.{label}.bak{path.suffix}"
    for stale in path.parent.glob(pattern + ".part*"):  # left by a killed earlier try
        _remove_quietly(stale)
    target = path.with_name(f"{path.stem}.{stamp}.{label}.bak{path.suffix}")
    part = _partial(target)
    try:
        create_private_file(part)  # readable by its owner only, like the database
        sqlite_copy(path, part)
        with part.open("rb+") as f:
            os.fsync(f.fileno())
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(part, part.with_name(part.name + "-journal"))
        if _is_disk_full(exc):
            raise SchemaUpgradeError(
                f"Brak miejsca na dysku na kopię zapasową bazy przed aktualizacją schematu "
                f"(folder {path.parent}); aktualizację wstrzymano, baza pozostała bez zmian. "
                f"Zwolnij miejsce i spróbuj ponownie.") from exc
        raise SchemaUpgradeError(
            f"Nie udało się zapisać kopii zapasowej bazy przed aktualizacją schematu "
            f"({target}): {exc}; aktualizację wstrzymano, baza pozostała bez zmian.") from exc
    digest = _digest(part)
    for earlier in sorted(path.parent.glob(pattern)):
        if earlier.stat().st_size == part.stat().st_size and _digest(earlier) == digest:
            _remove_quietly(part)
            log.info("kopia zapasowa %s już istnieje (ta sama zawartość)", earlier)
            return earlier
    os.replace(part, target)
    log.info("Kopia zapasowa bazy: %s (%d bajtów) w %.2f s", target, target.stat().st_size,
             time.monotonic() - started)
    return target


def _has_tables(path: Path) -> bool:
    """A new, empty file needs no backup."""
    if not path.exists():
        return False
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0] > 0
    finally:
        conn.close()


def refuse_foreign_sqlite(url: str) -> None:
    """A SQLite file with tables but no Alembic version table belongs to another program:
    refuse it before anything is written to it (even opening it through the app's engine
    would switch it to WAL). Call it before the first connection."""
    path = sqlite_path(url)
    if path is None or not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            names = sorted(r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"))
        finally:
            conn.close()
    except sqlite3.Error:  # not a database at all: the ordinary path reports it
        return
    if names and "alembic_version" not in names:
        shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
        raise SchemaUpgradeError(
            f"Plik {path} nie jest bazą programu Razem (zawiera inne tabele: {shown}); "
            f"nie został zmieniony. Wskaż plik bazy Razem albo nową, nieistniejącą nazwę.")


def _check_known_revision(current: str | None, head: str) -> None:
    if current is None:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    try:
        known = script.get_revision(current) is not None
    except Exception:  # alembic raises its own ResolutionError / CommandError
        known = False
    if not known:
        raise SchemaUpgradeError(
            f"Baza ma schemat w wersji {current}, nieznanej temu programowi (najnowsza znana: "
            f"{head}) – została zapisana przez nowszą wersję programu Razem. Użyj nowszej "
            f"wersji programu; baza pozostała bez zmian.")


def _drop_leftover_batch_tables(conn: Connection) -> None:
    """Older versions of Razem did not run an upgrade in one transaction on SQLite: a kill
    could leave the empty ``_alembic_tmp_<table>`` copy that a batch step builds, and every
    later try failed with "table … already exists". The copy holds nothing the original
    lacks as long as the original table is still there; otherwise it is kept and reported."""
    names = {r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    for name in sorted(n for n in names if n.startswith(BATCH_TMP_PREFIX)):
        if name[len(BATCH_TMP_PREFIX):] not in names:
            raise SchemaUpgradeError(
                f"W bazie jest tabela {name} pozostała po przerwanej aktualizacji, a nie ma "
                f"tabeli, której jest kopią; nie można jej bezpiecznie usunąć. Przywróć bazę "
                f"z kopii zapasowej (*.bak) albo zgłoś to administratorowi.")
        log.warning("usuwam tabelę %s pozostałą po przerwanej aktualizacji", name)
        conn.exec_driver_sql(f'DROP TABLE "{name}"')


def _sqlite_migration_engine(url: str) -> Engine:
    """An engine whose transactions really cover DDL: pysqlite on its own opens a
    transaction only before INSERT/UPDATE/DELETE, so CREATE TABLE of a batch step was
    committed at once. Here the driver's own handling is off and every transaction starts
    with BEGIN IMMEDIATE, so all migrations commit together or not at all. Foreign keys stay
    off (SQLite's default) while tables are rebuilt, and are checked before the commit."""
    engine = create_engine(url, poolclass=NullPool, connect_args={"isolation_level": None})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=5000")

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(url: str, engine: Engine) -> Path | None:
    """Bring the database to the newest schema, all steps in one transaction.

    Returns the backup made (SQLite files with data), if any. Raises SchemaUpgradeError with
    a Polish message for a database from a newer program or when the backup cannot be made.
    """
    refuse_foreign_sqlite(url)
    if _at_newest(engine):
        return None
    path = sqlite_path(url)
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    _check_known_revision(current, head)
    started = time.monotonic()
    backup = None
    cfg = alembic_config(url)
    from alembic import command

    if path is None:  # PostgreSQL: DDL is transactional through the ordinary engine
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    else:
        if _has_tables(path):
            backup = backup_sqlite(path, f"przed-{head}")
        migration_engine = _sqlite_migration_engine(url)
        try:
            with migration_engine.begin() as conn:
                _drop_leftover_batch_tables(conn)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise SchemaUpgradeError(
                        f"Po aktualizacji schematu {len(broken)} wierszy wskazuje na "
                        f"nieistniejące dane; aktualizację wycofano, baza pozostała bez zmian.")
        finally:
            migration_engine.dispose()
    log.info("Migracja bazy %s: %s -> %s w %.2f s", describe(url), current or "pusta", head,
             time.monotonic() - started)
    return backup
