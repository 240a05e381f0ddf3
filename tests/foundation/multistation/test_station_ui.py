"""The window's station features with real widgets: menu, audit viewer, backup and restore
dialogs (in the background, with the state backed up first), settings page, RODO dialog."""
from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from db.models import Officer, Partner
from desktop.app.context import AppContext, Change
from desktop.app.main_window import MainWindow
from desktop.audit.ui.rodo_dialog import RodoDialog
from desktop.audit.ui.viewer import AuditDialog
from desktop.backup.settings import BackupSettings, load_settings, save_settings
from desktop.backup.ui.actions import StationActions
from desktop.backup.ui.settings_page import BackupSettingsPage
from desktop.common.ui import plain


@pytest.fixture
def boxes(monkeypatch):
    """Message boxes answered and recorded instead of blocking the test."""
    shown: list[tuple[str, str]] = []
    kinds = {plain.Icon.Information: "info", plain.Icon.Warning: "warning",
             plain.Icon.Critical: "critical"}

    def message(_parent, icon, _title, text):
        shown.append((kinds[icon], text))

    def ask(_parent, _title, text):
        shown.append(("question", text))
        return True

    monkeypatch.setattr(plain, "message", message)
    monkeypatch.setattr(plain, "ask", ask)
    return shown


def test_plik_menu_offers_backup_restore_audit_and_rodo(qtbot, empty_db):
    window = MainWindow(empty_db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    # Access keys are added to every menu entry: compare without the '&'.
    texts = [a.text().replace("&", "") for a in window.menuBar().actions()[0].menu().actions()]
    for expected in ("Kopia zapasowa…", "Odtwórz z kopii zapasowej…", "Dziennik zmian…",
                     "Dane osobowe (RODO)…", "Ustawienia…"):
        assert expected in texts
    assert window.station.watcher._thread is not None
    window.close()  # closing the window ends the watcher's thread and the daily timer
    assert window.station.watcher._thread is None and not window.station.timer.isActive()


def test_audit_viewer_filters_and_exports(qtbot, sample_db, tmp_path):
    with sample_db.session() as s, s.begin():
        s.add(Partner(name="=Partner z formułą", partner_type="ngo"))
    dialog = AuditDialog(sample_db)
    qtbot.addWidget(dialog)
    total = dialog.model.rowCount()
    assert total > 10
    dialog.table.setCurrentIndex(dialog.table.findData("partners"))
    dialog.action.setCurrentIndex(dialog.action.findData("insert"))
    dialog.record.setText("formułą")
    dialog.search.click()
    assert dialog.model.rowCount() == 1
    dialog.view.selectRow(0)
    assert "name: =Partner z formułą" in dialog.details.toPlainText()
    dialog.who.setText("nikt-taki-nie-istnieje")
    dialog.refresh()
    assert dialog.model.rowCount() == 0
    dialog.who.clear()
    dialog.use_from.setChecked(True)
    dialog.refresh()
    assert dialog.model.rowCount() == 1
    out = tmp_path / "dziennik.csv"
    dialog.export(str(out))
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert len(rows) == 2 and rows[1][7] == "'=Partner z formułą"


def test_backup_and_restore_from_the_menu(qtbot, sample_db, tmp_path, boxes, monkeypatch):
    ctx = AppContext(sample_db)
    seen: list[Change] = []
    ctx.subscribe(Change.everything(), seen.append)
    station = StationActions(ctx, None)
    station.watcher.stop()
    from desktop.backup.core import default_suffix

    target = tmp_path / f"z-menu{default_suffix(sample_db)}"
    job = station.backup_now(str(target))
    qtbot.waitUntil(lambda: not job.running and station.last_result is not None, timeout=20000)
    assert target.exists() and boxes[-1][0] == "info"
    with sample_db.session() as s, s.begin():
        s.add(Partner(name="Po kopii", partner_type="ngo"))
    station.last_result = None
    job = station.restore(str(target))
    qtbot.waitUntil(lambda: station.last_result is not None, timeout=30000)
    before_path, rows = station.last_result
    assert rows > 1000 and before_path.exists() and "przed-odtworzeniem" in before_path.name
    assert [k for k, _ in boxes] == ["info", "question", "info"]
    assert Change.everything() in seen
    with sample_db.session() as s:
        assert s.scalar(select(func.count()).where(Partner.name == "Po kopii")) == 0
    # "No" leaves everything as it is.
    boxes.clear()
    monkeypatch.setattr(plain, "ask", lambda *a, **k: False)
    assert station.restore(str(target)) is None


def test_restore_of_a_bad_file_shows_a_polish_message(qtbot, empty_db, tmp_path, boxes):
    station = StationActions(AppContext(empty_db), None)
    station.watcher.stop()
    bad = tmp_path / "zla.zip"
    bad.write_text("to nie kopia", encoding="utf-8")
    station.restore(str(bad))
    qtbot.waitUntil(lambda: station.last_result is not None, timeout=20000)
    assert boxes[-1][0] == "warning" and "nie jest kopią zapasową" in boxes[-1][1]


def test_daily_backup_runs_in_the_background(qtbot, empty_db, tmp_path):
    save_settings(BackupSettings(enabled=True, folder=str(tmp_path / "auto"), keep=2))
    station = StationActions(AppContext(empty_db), None)
    station.watcher.stop()
    assert station.timer.isActive()
    job = station.run_daily()
    qtbot.waitUntil(lambda: not job.running and station.last_result is not None, timeout=20000)
    assert len(list((tmp_path / "auto").glob("razem-auto-*"))) == 1
    station.last_result = None
    job = station.run_daily()  # the same day: nothing more
    qtbot.waitUntil(lambda: not job.running, timeout=20000)
    qtbot.wait(50)
    assert len(list((tmp_path / "auto").glob("razem-auto-*"))) == 1


def test_settings_page_applies(qtbot, tmp_path):
    page = BackupSettingsPage()
    qtbot.addWidget(page)
    assert page.title() == "Kopie zapasowe"
    page.enabled.setChecked(False)
    page.keep.setValue(14)
    page.folder.setText(str(tmp_path))
    page.apply()
    assert load_settings() == BackupSettings(False, str(tmp_path), 14)


def test_rodo_dialog_exports_and_erases(qtbot, sample_db, tmp_path, boxes):
    ctx = AppContext(sample_db)
    dialog = RodoDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.person.count() > 10
    officer_id = dialog.person.currentData()
    out = tmp_path / "osoba.json"
    assert dialog.export(str(out)) and out.exists()
    assert dialog.erase()
    with sample_db.session() as s:
        assert s.get(Officer, officer_id).first_name == "Osoba"
    dialog.partner_mode.setChecked(True)
    assert dialog.person.count() >= 30
    assert dialog.export(str(tmp_path / "partner.csv"))
