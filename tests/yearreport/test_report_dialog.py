"""The dialog through the main window's menu: default period, unit, preview, PDF, XLSX,
cancel; the files it writes hold the same numbers as the database."""
from __future__ import annotations

import datetime as dt

from openpyxl import load_workbook
from PySide6.QtCore import QDate

from tests.partners.pdf_text import page_texts

from .expected import expected


def _window(qtbot, db):
    from desktop.app.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    # The tabs are built and filled after the window (issue 14): all of it before the test
    # ends, or the last ones would read a database the fixture has already removed.
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
    return window


def _wait(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)


def test_menu_opens_the_dialog_with_the_sample_year(qtbot, sample_db, tmp_path):
    window = _window(qtbot, sample_db)
    entry = window.report_entry
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text().replace("&", "") for a in file_menu.actions()]
    assert "Sprawozdanie z realizacji programu…" in texts
    assert texts.index("Sprawozdanie z realizacji programu…") < texts.index("Zakończ")
    entry.action.trigger()
    dialog = entry.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.period() == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert dialog.unit.currentData() is None

    # XLSX for one station
    golina = dialog.unit.findText("KP Golina – Komisariat Policji w Golinie")
    assert golina > 0
    dialog.unit.setCurrentIndex(golina)
    path = tmp_path / "golina.xlsx"
    dialog.start("xlsx", str(path))
    assert not dialog.preview_button.isEnabled() and dialog.cancel_button.isEnabled()
    _wait(qtbot, dialog)
    assert dialog.message.text() == f"Zapisano {path}."
    assert dialog.preview_button.isEnabled()
    e = expected(sample_db, dt.date(2018, 1, 1), dt.date(2018, 12, 31), "KP Golina")
    rows = {k: v for k, v in list(load_workbook(path)["Podsumowanie"].values)[1:]}
    assert rows["Zakres"] == "KP Golina"
    assert rows["Działania"] == e.activities
    assert rows["Zgłoszenia KMZB w okresie"] == e.reports
    assert rows["Zgłoszenia KMZB w okresie poprzednim"] == e.previous

    # PDF of the whole command for the first half of the year, typed into the date fields
    dialog.unit.setCurrentIndex(0)
    dialog.date_to.setDate(QDate(2018, 6, 30))
    path = tmp_path / "half.pdf"
    dialog.start("pdf", str(path))
    _wait(qtbot, dialog)
    assert dialog.message.text() == f"Zapisano {path}."
    e = expected(sample_db, dt.date(2018, 1, 1), dt.date(2018, 6, 30))
    text = " ".join(page_texts(path)).replace("\ufb01", "fi")
    assert "Okres sprawozdania: 01.01.2018 – 30.06.2018" in text
    assert f"Działania w dzienniku {e.activities} " in text
    assert f"Zgłoszenia KMZB w okresie {e.reports} " in text
    assert f"Zgłoszenia KMZB w okresie poprzednim {e.previous} " in text
    assert "DANE PRZYKŁADOWE (fikcyjne)" in text


def test_preview_opens_and_bad_period_is_refused(qtbot, sample_db):
    window = _window(qtbot, sample_db)
    dialog = window.report_entry.open_dialog()
    dialog.start("preview")
    _wait(qtbot, dialog)
    preview = dialog.preview
    assert preview is not None and preview.isVisible()
    assert "Sprawozdanie z realizacji programu" in preview.windowTitle()
    preview.close()
    dialog.date_from.setDate(QDate(2019, 1, 1))
    assert dialog.start("preview") is None
    assert dialog.message.text() == "Koniec okresu jest wcześniejszy niż jego początek."


def test_cancel_stops_the_job(qtbot, sample_db, tmp_path):
    window = _window(qtbot, sample_db)
    dialog = window.report_entry.open_dialog()
    path = tmp_path / "never.xlsx"
    job = dialog.start("xlsx", str(path))
    assert job is not None
    job.cancel()  # before the first step ends: the next check stops it
    _wait(qtbot, dialog)
    assert dialog.message.text() == "Przerwano przygotowanie sprawozdania."
    assert not path.exists()
    assert dialog.xlsx_button.isEnabled()
