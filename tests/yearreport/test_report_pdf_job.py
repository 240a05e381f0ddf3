"""The report's PDF is written by the dialog's job through a child process: nothing of it on
the UI thread, no Qt call in the job's thread, a Polish message when it cannot be written,
cancel leaves no file (issue #14)."""
from __future__ import annotations

from desktop.yearreport.ui.dialog import ReportDialog
from tests.partners.pdf_text import page_texts
from tests.printing.qtcalls import worker_qt_calls


def _dialog(qtbot, db) -> ReportDialog:
    dialog = ReportDialog(db)
    qtbot.addWidget(dialog)
    return dialog


def test_pdf_written_by_the_job_without_qt_in_its_thread(qtbot, sample_db, tmp_path):
    dialog = _dialog(qtbot, sample_db)
    path = tmp_path / "sprawozdanie.pdf"
    with worker_qt_calls() as seen:
        assert dialog.start("pdf", str(path)) is not None
        qtbot.waitUntil(lambda: dialog.job is None, timeout=60000)
    assert seen.calls == [] and any(t.startswith("razem-job") for t in seen.threads)
    assert dialog.message.text() == f"Zapisano {path}."
    text = " ".join(page_texts(path))
    assert "Okres sprawozdania:" in text
    assert not (tmp_path / "sprawozdanie.pdf.part").exists()


def test_unwritable_pdf_is_a_polish_message(qtbot, sample_db, tmp_path):
    dialog = _dialog(qtbot, sample_db)
    folder = tmp_path / "plik"
    folder.write_text("nie folder")
    dialog.start("pdf", str(folder / "s.pdf"))
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60000)
    assert dialog.message.text().startswith(
        f"Nie udało się przygotować sprawozdania: Nie udało się zapisać pliku "
        f"{folder / 's.pdf'}")
    assert dialog.pdf_button.isEnabled()


def test_cancelled_pdf_leaves_no_file(qtbot, sample_db, tmp_path):
    dialog = _dialog(qtbot, sample_db)
    path = tmp_path / "s.pdf"
    job = dialog.start("pdf", str(path))
    assert job is not None
    job.cancel()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    job.wait()
    assert dialog.message.text() == "Przerwano przygotowanie sprawozdania."
    assert list(tmp_path.iterdir()) == []
