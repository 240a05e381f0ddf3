"""The Działania tab and its dialog through the real widgets, on the sample database."""
from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from db.models import ActivityKind
from desktop.activities.service import list_activities
from desktop.activities.ui.dialog import ActivityDialog
from desktop.activities.ui.tab import ActivitiesTab
from desktop.app.context import AppContext, Change


def _tab(qtbot, db) -> tuple[ActivitiesTab, AppContext]:
    ctx = AppContext(db)
    tab = ActivitiesTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    return tab, ctx


def _check(picker, ids) -> None:
    for i in range(picker.list.count()):
        item = picker.list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in ids:
            item.setCheckState(Qt.CheckState.Checked)


def _ok(dialog: ActivityDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_tab_lists_filters_and_searches(qtbot, sample_db, world):
    tab, _ctx = _tab(qtbot, sample_db)
    assert tab.model.rowCount() == 72 and "72 z 72" in tab.count.text()
    tab.kind.setCurrentIndex(tab.kind.findData(ActivityKind.DEBATE))
    debates = [r for r in list_activities(sample_db) if r.kind is ActivityKind.DEBATE]
    assert tab.model.rowCount() == len(debates) > 0
    tab.kind.setCurrentIndex(0)
    tab.beat.setCurrentIndex(tab.beat.findData(world.beat))
    assert {r.id for r in tab.visible_rows()} == {
        r.id for r in list_activities(sample_db) if world.beat in {b.id for b in r.beats}}
    tab.beat.setCurrentIndex(0)
    tab.use_dates.setChecked(True)
    tab.date_from.setDate(tab.date_from.date().fromString("01.06.2018", "dd.MM.yyyy"))
    tab.date_to.setDate(tab.date_to.date().fromString("30.06.2018", "dd.MM.yyyy"))
    assert all(r.starts_at.month == 6 for r in tab.visible_rows()) and tab.visible_rows()
    tab.use_dates.setChecked(False)
    qtbot.keyClicks(tab.search, "SWIETLICA")
    shown = tab.visible_rows()
    assert shown and all("świetlica" in r.place for r in shown)
    assert f"{len(shown)} z 72" in tab.count.text()


def test_ctrl_f_focuses_search(qtbot, sample_db):
    tab, _ctx = _tab(qtbot, sample_db)
    tab.activateWindow()
    tab.view.setFocus()
    qtbot.waitUntil(lambda: tab.view.hasFocus() or tab.isActiveWindow(), timeout=2000)
    qtbot.keyClick(tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(tab.search.hasFocus, timeout=2000)


def test_dialog_shows_error_then_saves_and_the_tab_follows(qtbot, sample_db, world, monkeypatch):
    tab, ctx = _tab(qtbot, sample_db)
    seen = []
    ctx.subscribe(Change.ACTIVITIES, seen.append, tab)

    def fake_exec(dialog: ActivityDialog) -> int:
        _ok(dialog)  # nothing entered yet
        assert dialog.error.text() == "Podaj temat działania."
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert len(list_activities(sample_db)) == 72
        dialog.kind.setCurrentIndex(dialog.kind.findData(ActivityKind.CONSULTATION))
        dialog.title.setText("Konsultacje <b>społeczne</b>")  # keyClicks is ASCII-only
        _ok(dialog)
        assert dialog.error.text() == "Wskaż co najmniej jeden rejon."
        dialog.beats.search.setText("rejon 1")
        _check(dialog.beats, {world.beat})
        _check(dialog.officers, {world.officer})
        _check(dialog.partners, {world.partner})
        dialog.attendance.setValue(12)
        _ok(dialog)
        return dialog.result()

    monkeypatch.setattr(ActivityDialog, "exec", fake_exec)
    tab.add()
    assert seen == [Change.ACTIVITIES]
    assert tab.model.rowCount() == 73
    saved = [r for r in list_activities(sample_db) if r.title == "Konsultacje <b>społeczne</b>"]
    assert len(saved) == 1 and saved[0].attendance == 12
    assert [p.id for p in saved[0].partners] == [world.partner]
    from desktop.common.ui.tables import selected_object
    assert selected_object(tab.view).id == saved[0].id

    # edit: the dialog opens filled in; change the topic
    def edit_exec(dialog: ActivityDialog) -> int:
        assert dialog.title.text() == "Konsultacje <b>społeczne</b>"
        assert dialog.beats.checked() == (world.beat,)
        assert dialog.attendance.value() == 12
        dialog.title.setText("Konsultacje po zmianie")
        _ok(dialog)
        return dialog.result()

    monkeypatch.setattr(ActivityDialog, "exec", edit_exec)
    tab.edit_selected()
    assert [r.title for r in list_activities(sample_db) if r.id == saved[0].id] == [
        "Konsultacje po zmianie"]

    # delete (without the question box) and export what is shown
    tab.select(saved[0].id)
    assert tab.delete_selected(confirm=False)
    assert tab.model.rowCount() == 72


def test_export_writes_the_rows_shown(qtbot, sample_db, tmp_path):
    tab, _ctx = _tab(qtbot, sample_db)
    tab.kind.setCurrentIndex(tab.kind.findData(ActivityKind.PREVENTION))
    path = tmp_path / "d.csv"
    assert tab.export_to(str(path)) is None
    with open(path, encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert len(table) - 1 == tab.proxy.rowCount() > 0
    assert {line[2] for line in table[1:]} == {"pogadanka profilaktyczna"}
    assert "Nie można zapisać pliku" in tab.export_to(str(tmp_path / "missing" / "d.csv"))


def test_window_has_the_reports_and_activities_tabs(qtbot, sample_db):
    from desktop.app.main_window import MainWindow

    window = MainWindow(sample_db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    window.show()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Zgłoszenia" in titles and "Działania" in titles
    assert window.tab_by_key["activities"].model.rowCount() == 72
    reports = window.tab_by_key["reports"]
    assert reports.model.total == 2000
    window.show_tab("reports")
    reports.view.selectRow(0)
    with qtbot.waitSignal(window.ctx.reportSelected, timeout=2000) as chosen:
        reports.map_button.click()
    assert chosen.args == [reports.model.row_object(0).id]
    assert window.tabs.currentWidget() is window.tab_by_key["map"]


def test_editing_keeps_a_partner_removed_from_the_register_since(qtbot, sample_db, world):
    import datetime as dt

    from activity_helpers import WHEN

    from db.models import Partner
    from desktop.activities.service import ActivityInput, create_activity, get_activity

    row = create_activity(sample_db, ActivityInput(
        ActivityKind.JOINT_ACTION, "Wspólna akcja", WHEN, beat_ids=(world.beat,),
        officer_ids=(world.officer,), partner_ids=(world.partner,)))
    with sample_db.session() as s, s.begin():
        partner = s.get(Partner, world.partner)
        assert partner is not None
        partner.deleted_at = dt.datetime(2019, 4, 1)
    dialog = ActivityDialog(sample_db, get_activity(sample_db, row.id))
    qtbot.addWidget(dialog)
    assert dialog.partners.checked() == (world.partner,)
    dialog.title.setText("Wspólna akcja – po zmianie")
    _ok(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    assert [p.id for p in get_activity(sample_db, row.id).partners] == [world.partner]
    # a removed partner cannot be newly added to another activity
    other = ActivityDialog(sample_db)
    qtbot.addWidget(other)
    _check(other.partners, {world.partner})
    assert other.partners.checked() == ()  # not offered at all
