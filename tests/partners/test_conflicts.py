"""Two workstations on one file: the partners tab never overwrites a newer change silently,
and undo never overwrites a change made elsewhere (real widgets, a real second connection)."""
from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from db.engine import Database
from desktop.common.conflicts import ConflictError
from desktop.common.ui.conflict_dialog import ConflictDialog
from desktop.partners import agreements, service
from desktop.partners.ui.agreement_undo import SaveAgreementCommand
from desktop.partners.ui.partner_dialog import PartnerDialog
from desktop.partners.ui.tab import PartnersTab

NAME = "Urząd Gminy Skulsk"


@pytest.fixture
def other(sample_db):
    """Another workstation on the same database file."""
    db = Database.open(sample_db.url)
    yield db
    db.dispose()


def make_tab(qtbot, db) -> PartnersTab:
    tab = PartnersTab(db)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def answer_conflict(qtbot, choice: str, seen: list) -> None:
    """When the conflict dialog opens: look at "Pokaż ich zmiany", then press ``choice``."""

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConflictDialog):
            QTimer.singleShot(20, answer)
            return
        qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
        rows = [tuple(dialog.table.item(r, c).text() for c in range(3))
                for r in range(dialog.table.rowCount())]
        seen.append((dialog.message.text(), dialog.table.isVisible(), rows))
        button = dialog.overwrite_button if choice == "overwrite" else dialog.cancel_button
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def edit_phone(monkeypatch, qtbot, tab: PartnersTab, phone: str) -> None:
    def fake_exec(dialog):  # the real dialog, filled and accepted without its own loop
        dialog.edits["phone"].setText(phone)
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(PartnerDialog, "exec", fake_exec)
    row = next(r for r in tab.proxy.visible_rows() if r.name == NAME)
    tab.select_partner(row.id)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)


def theirs_change(other: Database, pid: int, **changes) -> None:
    row = service.get_partner(other, pid)
    service.update_partner(other, pid, dataclasses.replace(row.data, **changes), row.version)


@pytest.mark.parametrize("choice", ["cancel", "overwrite"])
def test_saving_over_a_newer_change_asks_first(sample_db, other, qtbot, monkeypatch, choice):
    tab = make_tab(qtbot, sample_db)
    pid = next(r.id for r in tab.proxy.visible_rows() if r.name == NAME)
    theirs_change(other, pid, representative="Wójt Nowy")  # the tab still shows the old row
    seen: list = []
    answer_conflict(qtbot, choice, seen)
    edit_phone(monkeypatch, qtbot, tab, "600 700 800")
    message, shown, rows = seen[0]
    assert message.startswith(f"Ktoś inny zmienił partnera „{NAME}”")
    assert shown and any(r[0] == "Przedstawiciel" and r[1] == "Wójt Nowy" for r in rows)
    assert any(r[0] == "Telefon" and r[2] == "600 700 800" for r in rows)
    stored = service.get_partner(other, pid).data
    if choice == "cancel":
        assert stored.representative == "Wójt Nowy" and stored.phone != "600 700 800"
        assert tab.undo_stack.count() == 0
    else:  # overwrite: my whole form is saved, knowingly
        assert stored.phone == "600 700 800" and stored.representative != "Wójt Nowy"
        assert tab.undo_stack.count() == 1
    assert tab._selected_row().data == stored  # the tab shows what is stored


def test_undo_never_overwrites_a_change_made_elsewhere(sample_db, other, qtbot, monkeypatch):
    tab = make_tab(qtbot, sample_db)
    pid = next(r.id for r in tab.proxy.visible_rows() if r.name == NAME)
    edit_phone(monkeypatch, qtbot, tab, "600 700 800")  # mine, undoable
    assert tab.undo_stack.count() == 1
    theirs_change(other, pid, notes="zmiana z innego stanowiska")
    seen: list = []
    answer_conflict(qtbot, "cancel", seen)
    tab.undo_stack.undo()
    assert seen and "Ktoś inny zmienił partnera" in seen[0][0]
    stored = service.get_partner(other, pid).data
    assert stored.notes == "zmiana z innego stanowiska" and stored.phone == "600 700 800"
    assert tab.undo_stack.count() == 0 and not tab.undo_stack.canRedo()  # the step is dropped


def test_undo_without_changes_elsewhere_works_as_before(sample_db, other, qtbot, monkeypatch):
    tab = make_tab(qtbot, sample_db)
    pid = next(r.id for r in tab.proxy.visible_rows() if r.name == NAME)
    before = service.get_partner(other, pid).data
    edit_phone(monkeypatch, qtbot, tab, "600 700 800")
    tab.remove_selected()
    tab.undo_stack.undo()  # restore
    tab.undo_stack.undo()  # phone back
    assert service.get_partner(other, pid).data == before
    tab.undo_stack.redo()
    assert service.get_partner(other, pid).data.phone == "600 700 800"


def test_agreement_undo_refuses_to_overwrite_a_newer_change(sample_db, other, qtbot):
    from PySide6.QtGui import QUndoStack

    row = agreements.get_agreement(sample_db)
    stack = QUndoStack()
    asked: list[ConflictError] = []

    def cancel(error: ConflictError) -> bool:  # the user's answer: "Anuluj"
        asked.append(error)
        return False

    after = dataclasses.replace(row.data, place="Konin, sala konferencyjna")
    stack.push(SaveAgreementCommand(sample_db, lambda _i: None, row.id, row.data, after,
                                    resolve=cancel,
                                    loaded_version=row.version))
    theirs = agreements.get_agreement(other, row.id)
    agreements.save_agreement(other, dataclasses.replace(theirs.data, number="7/2018"), row.id,
                              theirs.version)
    stack.undo()
    assert len(asked) == 1 and asked[0].differences  # "Anuluj"
    stored = agreements.get_agreement(other, row.id).data
    assert stored.number == "7/2018" and stored.place == "Konin, sala konferencyjna"
    assert stack.count() == 0
