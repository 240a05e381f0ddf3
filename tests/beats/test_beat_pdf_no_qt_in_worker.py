"""No Qt call in the job's thread when the beats tab saves the summaries as PDF.

CI hung in a deadlock: the job's thread held the GIL inside a PySide call
(``QTextDocument.documentLayout()``) while waiting for one of Qt's pooled signal-slot
mutexes, which the UI thread held while deleting widgets and asking for the GIL. Any PySide
call from a worker thread can do this, so the pages are laid out in a child process and the
job's thread only reads, pickles and waits. A profiler on the job's thread records every call
into a PySide6/shiboken6 object (fails on the in-process layout of before: thousands)."""
from __future__ import annotations

from pypdf import PdfReader

from desktop.app.context import AppContext
from desktop.beats.ui.tab import BeatsTab
from tests.printing.qtcalls import worker_qt_calls


def test_no_pyside_call_in_the_job_thread_while_saving_the_pdf(qtbot, sample_db, tmp_path):
    tab = BeatsTab(AppContext(sample_db))
    qtbot.addWidget(tab)
    row = next(r for r in tab.beats.model._rows if r.unit == "KP Kleczew")
    tab._ctx.beatSelected.emit(row.id)
    path = tmp_path / "kleczew.pdf"
    with worker_qt_calls() as seen:
        job = tab.start_print(unit=True, save=True, path=str(path))
        assert job is not None
        qtbot.waitUntil(lambda: tab.print_job is None, timeout=60000)
        tab.wait_for_jobs()
    assert seen.calls == []
    assert any(name.startswith("razem-job") for name in seen.threads)  # it was profiled
    pages = PdfReader(str(path)).pages
    assert len(pages) >= 3
    assert tab.beats.message.text() == f"Zapisano {path} ({len(pages)} str.)."
