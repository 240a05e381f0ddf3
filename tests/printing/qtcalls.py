"""A profiler on every thread started inside the block that records each call into a
PySide6/shiboken6 object made off the main thread: a worker's Qt call can deadlock with the
UI thread (GIL held while waiting for one of Qt's pooled mutexes), so print jobs make none.

The job mechanism's own relay (desktop/common/ui/jobs.py: progress and result posted to the
UI thread by a queued signal) is not part of a print; its calls are listed apart."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

RELAY = "desktop/common/ui/jobs.py"


@dataclass
class QtCalls:
    calls: list[str] = field(default_factory=list)  # what must stay empty
    relayed: list[str] = field(default_factory=list)  # the job's relay (proves it profiled)


def qt_module(fn: Any) -> str:
    """The PySide6/shiboken6 module of a called builtin's object, or ''."""
    owner = getattr(fn, "__self__", None)
    module = ((owner.__module__ if isinstance(owner, type) else type(owner).__module__)
              if owner is not None else getattr(fn, "__module__", None)) or ""
    return module if module.startswith(("PySide6", "shiboken6")) else ""


@contextmanager
def worker_qt_calls() -> Iterator[QtCalls]:
    seen = QtCalls()

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "c_call" and threading.current_thread() is not threading.main_thread():
            module = qt_module(arg)
            if module:
                where = frame.f_code.co_filename.replace("\\", "/")
                (seen.relayed if where.endswith(RELAY) else seen.calls).append(
                    f"{module}.{getattr(arg, '__qualname__', arg)} ({where}:{frame.f_lineno})")

    threading.setprofile(profile)  # every thread started from now on (the job's thread)
    try:
        yield seen
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
