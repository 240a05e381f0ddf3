"""Saving a unit's beat summaries as PDF: read in the background job, laid out and written by
a child process (issue #14: nothing of the print on the UI thread, no Qt in the job's thread),
cancellable, no half-written file."""
from __future__ import annotations

import threading

from pypdf import PdfReader

from desktop.app.context import AppContext
from desktop.beats.ui.tab import BeatsTab


def _tab(qtbot, db) -> BeatsTab:
    tab = BeatsTab(AppContext(db))
    qtbot.addWidget(tab)
    ctx_row = next(r for r in tab.beats.model._rows if r.unit == "KP Kleczew")
    tab._ctx.beatSelected.emit(ctx_row.id)
    return tab


def test_unit_pdf_is_written_by_the_child_process(qtbot, sample_db, tmp_path, monkeypatch):
    import desktop.printing.paged as paged

    threads = []
    real = paged.paint_document

    def spy(device, document, step=None):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(device, document, step)

    monkeypatch.setattr(paged, "paint_document", spy)
    tab = _tab(qtbot, sample_db)
    path = tmp_path / "kleczew.pdf"
    job = tab.start_print(unit=True, save=True, path=str(path))
    assert job is not None
    qtbot.waitUntil(lambda: tab.print_job is None, timeout=30000)
    tab.wait_for_jobs()
    assert threads == []  # laid out and painted in the child process, not in this one
    pages = PdfReader(str(path)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert len(pages) >= 3 and "Karta rejonu nr 3:" in text
    assert tab.beats.message.text() == f"Zapisano {path} ({len(pages)} str.)."
    assert not (tmp_path / "kleczew.pdf.part").exists()


def test_cancelled_save_leaves_no_file(qtbot, sample_db, tmp_path):
    tab = _tab(qtbot, sample_db)
    path = tmp_path / "kleczew.pdf"
    job = tab.start_print(unit=True, save=True, path=str(path))
    job.cancel()
    qtbot.waitUntil(lambda: tab.print_job is None, timeout=10000)
    tab.wait_for_jobs()
    assert tab.beats.message.text() == "Przerwano przygotowanie wydruku."
    assert list(tmp_path.iterdir()) == []


def test_unwritable_file_is_a_polish_message(qtbot, sample_db, tmp_path):
    tab = _tab(qtbot, sample_db)
    folder = tmp_path / "plik"
    folder.write_text("nie folder")  # a file where a folder is needed
    job = tab.start_print(unit=True, save=True, path=str(folder / "k.pdf"))
    assert job is not None
    qtbot.waitUntil(lambda: tab.print_job is None, timeout=30000)
    tab.wait_for_jobs()
    assert tab.beats.message.text().startswith(
        "Nie udało się przygotować wydruku: Nie udało się zapisać pliku")
