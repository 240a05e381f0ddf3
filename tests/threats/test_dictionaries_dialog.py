"""The Słowniki KMZB editor through its real widgets, reached from the Organizacja tab; the map
filters follow Change.DICTIONARIES and leave retired categories unticked."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import ThreatCategory
from desktop.app.context import AppContext, Change
from desktop.map.data import filter_choices
from desktop.map.ui.filters import FilterPanel
from desktop.threats.ui.dictionaries_dialog import DictionariesDialog, DictionaryPage


def _row_of(page: DictionaryPage, name: str) -> int:
    proxy = page.view.model()
    for r in range(proxy.rowCount()):
        if proxy.index(r, 0).data() == name:
            return r
    raise AssertionError(f"{name} not in the table")


def _names(page: DictionaryPage) -> list[str]:
    proxy = page.view.model()
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_editor_adds_renames_marks_and_retires(qtbot, empty_db):
    calls = []
    dialog = DictionariesDialog(empty_db, lambda: calls.append(1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    page = dialog.categories
    assert page.road.isVisibleTo(dialog)
    assert page.name.maxLength() == 200

    # add a road-related category of one's own
    page.view.clearSelection()
    page.name.clear()
    qtbot.keyClicks(page.name, "Hulajnogi na chodnikach")
    page.road.setChecked(True)
    _click(qtbot, page.add_button)
    assert page.error.text() == ""
    assert "Hulajnogi na chodnikach" in _names(page) and calls == [1]
    entry = page.current()
    assert entry is not None and entry.name == "Hulajnogi na chodnikach" and entry.is_road
    assert entry.origin == "własna"

    # a duplicate (other case, extra spaces) is refused with a Polish message, nothing saved
    page.name.clear()
    qtbot.keyClicks(page.name, "  akty  wandalizmu")
    _click(qtbot, page.add_button)
    assert "już w słowniku" in page.error.text()
    assert calls == [1]

    # rename a shipped category and mark it road-related
    page.view.selectRow(_row_of(page, "Wypalanie traw"))
    assert page.name.text() == "Wypalanie traw" and not page.road.isChecked()
    page.name.clear()
    qtbot.keyClicks(page.name, "Wypalanie traw przy drogach")
    page.road.setChecked(True)
    _click(qtbot, page.save_button)
    assert page.error.text() == ""
    with empty_db.session() as s:
        row = s.scalars(select(ThreatCategory)
                        .where(ThreatCategory.shipped_name == "Wypalanie traw")).one()
        assert (row.name, row.is_road, row.user_edited) == ("Wypalanie traw przy drogach",
                                                           True, True)
    assert page.current().origin.startswith("KMZB (zmieniona nazwa")

    # retire and restore
    assert page.retire_button.text() == "Wycofaj"
    _click(qtbot, page.retire_button)
    assert page.current().active is False and page.retire_button.text() == "Przywróć"
    _click(qtbot, page.retire_button)
    assert page.current().active is True
    assert len(calls) == 4 and dialog.changed

    # statuses: no road checkbox, a status of one's own
    dialog.pages.setCurrentWidget(dialog.statuses)
    statuses = dialog.statuses
    assert not statuses.road.isVisibleTo(dialog)
    statuses.view.clearSelection()
    statuses.name.clear()
    statuses.name.insert("Przekazane do straży miejskiej")  # QTest types Latin-1 only
    _click(qtbot, statuses.add_button)
    assert "Przekazane do straży miejskiej" in _names(statuses)


def test_organisation_tab_opens_editor_and_map_filters_follow(qtbot, empty_db):
    from desktop.organisation.ui.tab import OrganisationTab

    ctx = AppContext(empty_db)
    tab = OrganisationTab(ctx)
    qtbot.addWidget(tab)
    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_choices(filter_choices(empty_db))
    ctx.subscribe(Change.DICTIONARIES, lambda _c: panel.set_choices(filter_choices(empty_db)),
                  panel)
    assert panel.current().categories is None  # everything ticked at first
    notified = []
    ctx.subscribe(Change.DICTIONARIES, notified.append, tab)
    seen = []

    def interact() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, DictionariesDialog)
        page = dialog.categories
        page.view.selectRow(_row_of(page, "Żebractwo"))
        page.retire_button.click()
        seen.append(page.current().active)
        dialog.reject()

    QTimer.singleShot(0, interact)
    tab.dictionaries_button.click()
    assert seen == [False] and notified == [Change.DICTIONARIES]
    with empty_db.session() as s:
        retired = s.scalar(select(ThreatCategory.id).where(ThreatCategory.name == "Żebractwo"))
        everything = set(s.scalars(select(ThreatCategory.id)))
    # the map's filter now leaves the retired category out by default, and says so
    assert set(panel.current().categories or ()) == everything - {retired}
    labels = [panel.categories.list.item(i).text() for i in range(panel.categories.list.count())]
    assert "Żebractwo (wycofane)" in labels


def test_filter_keeps_the_users_ticks_but_a_new_retired_entry_starts_unticked(qtbot, empty_db):
    from desktop.threats.dictionaries import add_entry, set_active

    panel = FilterPanel()
    qtbot.addWidget(panel)
    panel.set_choices(filter_choices(empty_db))
    first = panel.categories.list.item(0)
    first.setCheckState(Qt.CheckState.Unchecked)  # the user's own choice
    new = add_entry(empty_db, "category", "Nowa")
    set_active(empty_db, "category", new, False)
    panel.set_choices(filter_choices(empty_db))
    ticked = set(panel.current().categories or ())
    ids = [panel.categories.list.item(i).data(Qt.ItemDataRole.UserRole)
           for i in range(panel.categories.list.count())]
    assert ids[0] not in ticked and new not in ticked
    assert set(ids[1:]) - {new} <= ticked
