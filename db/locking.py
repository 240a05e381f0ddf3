"""Locks that let several workstations start on one database at the same moment.

The first start on an empty database migrates it and seeds the dictionaries; two workstations
doing that together would both create the tables (the second fails) or both seed (two sets).
``startup_lock`` makes them take turns: a PostgreSQL advisory lock on a server, an exclusive
lock on a small file next to a SQLite database. The second one then finds the database ready.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from db.engine import Database, sqlite_path

log = logging.getLogger("razem.db")

# Any fixed 64-bit number; "razem" in ASCII, so other applications on the server won't collide.
STARTUP_LOCK_KEY = 0x72617A656D


@contextmanager
def startup_lock(db: Database) -> Iterator[None]:
    """Hold the database's start-up lock (waiting for another workstation's start to end)."""
    started = time.monotonic()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_KEY})
            conn.commit()
            _log_wait(started)
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_KEY})
                conn.commit()
        return
    path = sqlite_path(db.url)
    if path is None:  # in-memory SQLite: nobody else can see it
        yield
        return
    with _file_lock(path.with_name(path.name + ".lock")):
        _log_wait(started)
        yield


def _log_wait(started: float) -> None:
    waited = time.monotonic() - started
    if waited > 0.5:
        log.info("Start bazy: czekano %.1f s na inne stanowisko.", waited)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if sys.platform == "win32":
            import msvcrt

            while True:  # LK_LOCK itself gives up after ten one-second tries
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
