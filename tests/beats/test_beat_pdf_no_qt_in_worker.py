"""No Qt call in the job's thread when the beats tab saves the summaries as PDF.

CI hung in a deadlock: the job's thread held the GIL inside a PySide call
(``QTextDocument.documentLayout()``) while waiting for one of Qt's pooled signal-slot
mutexes, which the UI thread held while deleting widgets and asking for the GIL. Any PySide
call from a worker thread can do this, so the pages are laid out in a child process and the
job's thread only reads, pickles and waits. A profiler on the job's thread records every call
into a PySide6/shiboken6 object (fails on the in-process layout of before)."""
from __future__ import annotations

import threading
from types import FrameType
from typing import Any

from pypdf import PdfReader

from desktop.app.context import AppContext
from desktop.beats.ui.tab import BeatsTab

# The job mechanism's own relay (desktop/common/ui/jobs.py: progress and result posted to the
# UI thread by a queued signal) is not part of the print; it is listed apart.
RELAY = "desktop/common/ui/jobs.py"


def _qt_owner(fn: Any) -> str:
    owner = getattr(fn, "__self__", None)
    module = ((owner.__module__ if isinstance(owner, type) else type(owner).__module__)
              if owner is not None else getattr(fn, "__module__", None)) or ""
    return module if module.startswith(("PySide6", "shiboken6")) else ""


def test_no_pyside_call_in_the_job_thread_while_saving_the_pdf(qtbot, sample_db, tmp_path):
    tab = BeatsTab(AppContext(sample_db))
    qtbot.addWidget(tab)
    row = next(r for r in tab.beats.model._rows if r.unit == "KP Kleczew")
    tab._ctx.beatSelected.emit(row.id)
    calls: list[str] = []
    relayed: list[str] = []

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "c_call" and threading.current_thread() is not threading.main_thread():
            module = _qt_owner(arg)
            if module:
                where = frame.f_code.co_filename.replace("\\", "/")
                (relayed if where.endswith(RELAY) else calls).append(
                    f"{module}.{getattr(arg, '__qualname__', arg)} ({where}:{frame.f_lineno})")

    path = tmp_path / "kleczew.pdf"
    threading.setprofile(profile)  # every thread started from now on (the job's thread)
    try:
        job = tab.start_print(unit=True, save=True, path=str(path))
        assert job is not None
        qtbot.waitUntil(lambda: tab.print_job is None, timeout=60000)
        tab.wait_for_jobs()
    finally:
        threading.setprofile(None)  # type: ignore[arg-type]
    assert calls == []
    assert relayed  # the profiler did see the job's thread (its progress relay)
    pages = PdfReader(str(path)).pages
    assert len(pages) >= 3
    assert tab.beats.message.text() == f"Zapisano {path} ({len(pages)} str.)."
