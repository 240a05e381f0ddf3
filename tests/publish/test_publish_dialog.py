"""Twój dzielnicowy… through the window: the beats tab's action, the dialog's buttons, the
background job with progress and cancel, and the files it writes read back."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop.app.context import AppContext
from desktop.beats.ui.tab import BeatsTab
from desktop.publish.ui.dialog import PublishDialog
from tests.modal import answer_later
from tests.partners.pdf_text import page_texts
from tests.publish.site_check import external_references, parse
from tests.publish.town import ON


def _tab(qtbot, db) -> BeatsTab:
    tab = BeatsTab(AppContext(db))
    qtbot.addWidget(tab)
    tab.beats.set_date(ON)
    return tab


def _dialog(qtbot, tab: BeatsTab, beat_id: int | None) -> PublishDialog:
    if beat_id is not None:
        tab.beats.select_beat(beat_id)
    dialog = tab.make_publish_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_action_in_the_menu_opens_the_dialog_for_the_selected_beat(qtbot, town):
    tab = _tab(qtbot, town.db)
    assert tab.publish_action in tab.menu_actions()
    assert tab.publish_action.text() == "Twój dzielnicowy…"
    tab.beats.select_beat(town.beat1)
    seen = answer_later(lambda d: d.reject())
    tab.publish_action.trigger()
    (dialog,) = seen
    assert isinstance(dialog, PublishDialog)
    assert dialog.one_beat.isChecked() and "nr 1 – Łężyn – śródmieście" in dialog.one_beat.text()
    assert dialog.unit_combo.currentText() == "KMP Konin"


def test_without_a_selected_beat_the_whole_unit_is_offered(qtbot, town):
    tab = _tab(qtbot, town.db)
    dialog = _dialog(qtbot, tab, None)
    assert not dialog.one_beat.isEnabled() and dialog.whole_unit.isChecked()
    assert [dialog.unit_combo.itemText(i) for i in range(dialog.unit_combo.count())] == \
        ["KMP Konin", "KP Ślesin"]


def test_html_set_of_a_unit_saved_into_a_chosen_folder(qtbot, town, tmp_path):
    tab = _tab(qtbot, town.db)
    dialog = _dialog(qtbot, tab, town.beat1)
    dialog.whole_unit.click()
    folder = tmp_path / "strona"
    folder.mkdir()

    def choose(file_dialog):
        assert isinstance(file_dialog, QFileDialog)
        file_dialog.setDirectory(str(folder))
        file_dialog.selectFile(str(folder))
        file_dialog.accept()

    answer_later(choose)
    qtbot.mouseClick(dialog.html_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None and "Zapisano" in dialog.message.text(),
                    timeout=20000)
    assert dialog.message.text().startswith("Zapisano 3 stron HTML")
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["index.html", "rejon-kmp-konin-1.html", "rejon-kmp-konin-2.html"]
    for name in files:
        page = parse(folder / name)
        assert external_references(page) == []
        assert all(link in files for link in page.links)
    assert "Gęślińska" in parse(folder / "rejon-kmp-konin-1.html").all_text
    assert dialog.html_button.isEnabled() and not dialog.cancel_button.isVisible()


def test_pdf_of_the_selected_beat_saved_through_the_file_dialog(qtbot, town, tmp_path):
    tab = _tab(qtbot, town.db)
    dialog = _dialog(qtbot, tab, town.beat1)
    target = tmp_path / "ulotka"

    def choose(file_dialog):
        file_dialog.selectFile(str(target))
        file_dialog.accept()

    answer_later(choose)
    dialog.pdf_button.click()
    qtbot.waitUntil(lambda: dialog.job is None and "Zapisano" in dialog.message.text(),
                    timeout=20000)
    pdf = Path(str(target) + ".pdf")
    assert dialog.last_written == str(pdf)
    (text,) = page_texts(pdf)
    assert "Rejon nr 1: Łężyn – śródmieście" in text and "Psy bez nadzoru" in text


def test_print_preview_paints_the_leaflets(qtbot, town):
    tab = _tab(qtbot, town.db)
    dialog = _dialog(qtbot, tab, None)
    painted = []

    def look(preview):
        painted.append(preview.windowTitle())
        preview.reject()

    seen = answer_later(look)
    dialog.preview_button.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=5000)
    assert painted == ["Podgląd wydruku – Twój dzielnicowy – KMP Konin"]


def test_cancelled_unit_job_writes_nothing(qtbot, sample_db, tmp_path):
    tab = _tab(qtbot, sample_db)
    dialog = _dialog(qtbot, tab, None)
    at = dialog.unit_combo.findText("KMP Konin")
    dialog.unit_combo.setCurrentIndex(at)
    assert dialog.whole_unit.isChecked()
    job = dialog.start("html", str(tmp_path / "www"))
    assert job is not None and dialog.cancel_button.isVisible()
    dialog.cancel_button.click()  # checked before each of the 12 beats
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    job.wait()
    assert job.was_cancelled
    assert dialog.message.text() == "Przerwano przygotowanie publikacji."
    assert not (tmp_path / "www").exists()
    assert dialog.preview_button.isEnabled()
