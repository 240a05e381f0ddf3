"""A profiler on every thread started inside the block that records each call into a
PySide6/shiboken6 object made off the main thread: a worker's Qt call can deadlock with the
UI thread (GIL held while waiting for one of Qt's pooled mutexes), so workers make none: not
the print jobs, nor the job mechanism itself (progress and results go by uicall.post).
``threads`` names every thread the profiler saw run Python (proof that it profiled them)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any


@dataclass
class QtCalls:
    calls: list[str] = field(default_factory=list)  # what must stay empty
    threads: set[str] = field(default_factory=set)  # threads profiled


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
        thread = threading.current_thread()
        if thread is threading.main_thread():
            return
        seen.threads.add(thread.name)
        if event == "c_call":
            module = qt_module(arg)
            if module:
                where = frame.f_code.co_filename.replace("\\", "/")
                seen.calls.append(
                    f"{module}.{getattr(arg, '__qualname__', arg)} ({where}:{frame.f_lineno})")

    threading.setprofile(profile)  # every thread started from now on (the job's thread)
    try:
        yield seen
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
