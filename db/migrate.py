"""Alembic migrations, run programmatically so they work from a checkout, an installed
package and a frozen build alike. SQLite files are backed up before any upgrade."""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from db.engine import create_private_file, describe, sqlite_path

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
log = logging.getLogger("razem.db")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' must be escaped for ConfigParser interpolation (passwords, encoded paths).
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(path: Path, label: str) -> Path:
    """Copy a SQLite file (consistently, through the backup API) next to itself."""
    started = time.monotonic()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{stamp}.{label}.bak{path.suffix}")
    create_private_file(target)  # readable by its owner only, like the database
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
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


def upgrade(url: str, engine: Engine) -> Path | None:
    """Bring the database to the newest schema. Returns the backup made, if any."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    backup = None
    path = sqlite_path(url)
    if path is not None and _has_tables(path):
        backup = backup_sqlite(path, f"przed-{head}")
    started = time.monotonic()
    cfg = alembic_config(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    log.info("Migracja bazy %s: %s -> %s w %.2f s", describe(url), current or "pusta", head,
             time.monotonic() - started)
    return backup
