"""The leaflets' PDF is written by the dialog's job through a child process: nothing of it
on the UI thread, no Qt call in the job's thread, a Polish message when it cannot be
written (issue #14)."""
from __future__ import annotations

from desktop.app.context import AppContext
from desktop.beats.ui.tab import BeatsTab
from tests.partners.pdf_text import page_texts
from tests.printing.qtcalls import worker_qt_calls
from tests.publish.town import ON


def _dialog(qtbot, db):
    tab = BeatsTab(AppContext(db))
    qtbot.addWidget(tab)
    tab.beats.set_date(ON)
    dialog = tab.make_publish_dialog()
    qtbot.addWidget(dialog)
    dialog.whole_unit.setChecked(True)
    return dialog


def test_unit_pdf_written_by_the_job_without_qt_in_its_thread(qtbot, town, tmp_path):
    dialog = _dialog(qtbot, town.db)
    path = tmp_path / "ulotki.pdf"
    with worker_qt_calls() as seen:
        assert dialog.start("pdf", str(path)) is not None
        qtbot.waitUntil(lambda: dialog.job is None, timeout=60000)
    assert seen.calls == [] and any(t.startswith("razem-job") for t in seen.threads)
    texts = page_texts(path)
    assert dialog.message.text() == f"Zapisano {path} (stron: {len(texts)})."
    assert len(texts) >= 2 and "Rejon nr 1: Łężyn – śródmieście" in " ".join(texts)
    assert not (tmp_path / "ulotki.pdf.part").exists()


def test_unwritable_pdf_is_a_polish_message(qtbot, town, tmp_path):
    dialog = _dialog(qtbot, town.db)
    folder = tmp_path / "plik"
    folder.write_text("nie folder")
    dialog.start("pdf", str(folder / "u.pdf"))
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60000)
    assert dialog.message.text().startswith(
        f"Nie udało się przygotować publikacji: Nie udało się zapisać pliku {folder / 'u.pdf'}")
    assert dialog.pdf_button.isEnabled()
