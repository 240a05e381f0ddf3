"""Tabs fill in the background at start-up: the window appears first.

A tab reads its first data with :func:`load` instead of calling its own refresh in the
constructor::

    background.load(self, read=lambda: beat_rows(db, day), fill=self._fill, name="rejony")

While the main window builds its tabs (inside :func:`deferred`), every ``read`` waits; a turn
after the block ends they all run, one after another, in ONE job (``run_job``, off the UI
thread: one thread to start, and the reads do not fight each other for the GIL), and each
``fill`` runs on the UI thread as its data arrives, one fill per event-loop turn so the
window keeps answering. A tab built on its own (tests, dialogs) reads and fills at once, as before.
:func:`pending` counts the start-up loads not yet filled in (the window's
``startup_pending``; tests wait on it).
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer

from desktop.common.ui import uicall
from desktop.common.ui.jobs import JobControl, run_job

log = logging.getLogger("razem.startup")
T = TypeVar("T")


@dataclass
class _Load:
    owner: QObject
    read: Callable[[], Any]
    fill: Callable[[Any], None]
    name: str


class _Relay:
    """On the UI thread: the worker posts each load with its result (or the exception)
    to ``arrived`` (``uicall.post``: no Qt call in the worker)."""

    def __init__(self) -> None:
        self.waiting: list[tuple[_Load, Any]] = []

    def arrived(self, load: _Load, result: Any) -> None:
        self.waiting.append((load, result))
        if len(self.waiting) == 1:
            QTimer.singleShot(0, self._fill_next)

    def _fill_next(self) -> None:
        load, result = self.waiting.pop(0)
        try:
            if isinstance(result, BaseException):
                log.warning("wczytywanie karty (%s) nie powiodło się: %s", load.name, result)
            elif shiboken6.isValid(load.owner):
                load.fill(result)
        finally:
            _pending.discard(id(load))
            if self.waiting:
                QTimer.singleShot(0, self._fill_next)


_deferring = 0
_pending: set[int] = set()
_queued: list[_Load] = []
_relay: _Relay | None = None


def _read_all(ctl: JobControl, loads: list[_Load], relay: _Relay) -> None:
    for load in loads:
        ctl.check()
        try:
            result = load.read()
        except Exception as exc:  # one tab's failure does not keep the others empty
            log.exception("wczytywanie karty (%s)", load.name)
            result = exc
        uicall.post(relay.arrived, load, result)


@contextmanager
def deferred() -> Iterator[None]:
    """Within this block, :func:`load` only queues; the reads start when it ends."""
    global _deferring, _relay
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
        if not _deferring and _queued:
            loads, _queued[:] = list(_queued), []
            if _relay is None:
                _relay = _Relay()
            relay = _relay
            # A turn later: the tab's construction ends (its access keys, splitters, menu
            # entries) without a worker taking the GIL from it (issue 14).
            QTimer.singleShot(0, lambda: run_job(_read_all, loads, relay,
                                                 name="wczytywanie kart"))


def pending() -> int:
    """Start-up loads not yet filled in."""
    return len(_pending)


def load(owner: QObject, read: Callable[[], T], fill: Callable[[T], None], *,
         name: str) -> None:
    """Read (in the start-up job, or at once) and fill the owner's widgets on the UI thread.
    ``read`` must not touch widgets: it may run in another thread."""
    if not _deferring:
        fill(read())
        return
    item = _Load(owner, read, fill, name)
    _pending.add(id(item))
    _queued.append(item)
