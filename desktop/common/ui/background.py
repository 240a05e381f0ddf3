"""Tabs fill in the background at start-up: the window appears first.

A tab reads its first data with :func:`load` instead of calling its own refresh in the
constructor::

    background.load(self, read=lambda: beat_rows(db, day), fill=self._fill, name="rejony")

While the main window builds its tabs (inside :func:`deferred`), ``read`` runs in a job
(``run_job``, off the UI thread) and ``fill`` runs on the UI thread when it is done; a tab built
on its own (tests, dialogs) reads and fills at once, as before. :func:`pending` counts the
start-up loads still running (the window's ``startup_pending``; tests wait on it).

:func:`in_slices` fills long lists a slice per event-loop turn, so the UI thread never stalls.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer

from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job

log = logging.getLogger("razem.startup")
T = TypeVar("T")

_deferring = 0
_pending: set[Job] = set()
_queued: list[Callable[[], None]] = []


@contextmanager
def deferred() -> Iterator[None]:
    """Within this block, :func:`load` starts jobs instead of reading on the spot. The jobs
    start when the block ends (the window's constructor has returned), in order."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if not _deferring:
            queued, _queued[:] = list(_queued), []
            for start in queued:
                start()


def is_deferring() -> bool:
    return _deferring > 0


def pending() -> int:
    """Start-up loads not yet filled in."""
    return len(_pending)


def _read(_ctl: JobControl, read: Callable[[], Any]) -> Any:
    return read()


def load(owner: QObject, read: Callable[[], T], fill: Callable[[T], None], *,
         name: str) -> None:
    """Read (maybe in a job) and fill the owner's widgets with the result on the UI thread."""
    if not _deferring:
        fill(read())
        return

    def start() -> None:
        def done(result: Any) -> None:
            try:
                fill(result)
            finally:
                _pending.discard(job)

        def failed(failure: JobFailure) -> None:
            _pending.discard(job)
            log.warning("wczytywanie karty (%s) nie powiodło się: %s", name, failure.message)

        job = run_job(_read, read, name=f"wczytywanie: {name}", parent=owner,
                      on_success=done, on_failure=failed,
                      on_cancelled=lambda: _pending.discard(job))
        _pending.add(job)

    _queued.append(start)


def in_slices(items: Sequence[T], put: Callable[[Sequence[T]], None], *, size: int = 200,
              done: Callable[[], None] | None = None, parent: QObject | None = None) -> None:
    """Call ``put`` with consecutive slices of ``items``, one per event-loop turn."""
    def step(start: int) -> None:
        put(items[start:start + size])
        if start + size < len(items):
            QTimer.singleShot(0, parent, lambda: step(start + size)) if parent is not None \
                else QTimer.singleShot(0, lambda: step(start + size))
        elif done is not None:
            done()

    step(0)
