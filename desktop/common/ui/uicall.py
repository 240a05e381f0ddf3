"""Hand a call to the UI thread from any thread, with no Qt call in the calling thread.

    post(self._deliver, kind, payload)   # in a worker: runs on the UI thread, soon

A worker thread must not call Qt at all: PySide keeps the GIL around some calls (getters,
signal emission) that take one of Qt's pooled mutexes, and the UI thread may hold that mutex
while it waits for the GIL (deleting a widget with a Python wrapper), a deadlock that hung CI
once. So a worker puts the call on a plain queue and writes one byte to a socket pair; on the
UI thread a QSocketNotifier wakes on the byte and runs the queued calls in order. Sockets, not
a pipe, because Qt's notifier on Windows watches sockets only.

:func:`install` creates the waker; it must run on the UI thread before the first ``post``
(``run_job`` and the change watcher call it). An exception raised by a call goes to
``sys.excepthook`` (the log and the user's message), as one raised in a Qt slot would.
"""
from __future__ import annotations

import contextlib
import queue
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier


class _Waker(QObject):
    def __init__(self) -> None:
        super().__init__()
        self._calls: queue.SimpleQueue[tuple[Callable[..., Any], tuple[Any, ...]]] = \
            queue.SimpleQueue()
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        self._notifier = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._run)

    def post(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._calls.put((fn, args))
        # a full socket holds wake-up bytes already: the UI thread will run this call too
        with contextlib.suppress(BlockingIOError, InterruptedError):
            self._write.send(b"\0")

    def _run(self, *_: object) -> None:
        try:
            while self._read.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass  # all wake-up bytes read; every call queued before them is in the queue
        while True:
            try:
                fn, args = self._calls.get_nowait()
            except queue.Empty:
                return
            try:
                fn(*args)
            except Exception:  # as from a slot: reported, the other calls still run
                sys.excepthook(*sys.exc_info())


_waker: _Waker | None = None


def install() -> None:
    """Create the waker (once, on the UI thread)."""
    global _waker
    if _waker is None:
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("uicall.install() must run on the UI thread")
        _waker = _Waker()


def post(fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)`` on the UI thread (in the order posted); callable from any thread."""
    if _waker is None:
        raise RuntimeError("uicall.install() was not called on the UI thread")
    _waker.post(fn, args)
