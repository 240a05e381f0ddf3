"""Writes that meet a database busy with another writer (Qt-free).

SQLite lets one writer at a time; a command-line import holds the lock for seconds. Each
attempt already waits ``busy_timeout`` (5 s, db.engine) inside SQLite; ``write_with_retry``
tries a bounded number of times, tells the caller before each further try (so the window can
show "Baza zajęta – czekam…"), and then gives up with a Polish ``DatabaseBusy``.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

log = logging.getLogger("razem.db")
T = TypeVar("T")
ATTEMPTS = 3
BUSY_MESSAGE = ("Baza danych jest zajęta przez inny program lub import (np. z wiersza poleceń); "
                "zmian nie zapisano. Spróbuj ponownie za chwilę.")


class DatabaseBusy(Exception):
    """The write did not happen because another writer kept the database locked."""

    def __init__(self, message: str = BUSY_MESSAGE):
        super().__init__(message)


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked/busy" (and PostgreSQL lock timeouts)."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc.orig or exc).lower()
    return "locked" in text or "busy" in text or "lock timeout" in text


def write_with_retry(fn: Callable[[], T], *, attempts: int = ATTEMPTS,
                     on_wait: Callable[[int], None] | None = None) -> T:
    """Run ``fn`` (one committed write); retry while the database is busy. Raises
    DatabaseBusy after ``attempts`` tries; other errors pass through unchanged."""
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            log.warning("baza zajęta (próba %d z %d): %s", attempt, attempts, exc.orig)
            if attempt == attempts:
                raise DatabaseBusy() from exc
            if on_wait is not None:
                on_wait(attempt)
    raise AssertionError("unreachable")
