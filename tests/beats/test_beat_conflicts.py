"""The beats tab's dialogs on a database another workstation changes meanwhile: the conflict
dialog asks, "Nadpisz" saves over their change knowingly, "Anuluj" keeps it."""
from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from db.engine import Database
from db.models import AssignmentRole
from desktop.beats import assignments as svc
from desktop.beats.officers import get_officer, update_officer
from desktop.beats.ui.dialogs import EndAssignmentDialog, OfficerDialog
from desktop.common.ui.conflict_dialog import ConflictDialog

D = dt.date


def answer_conflict(qtbot, choice: str, seen: list) -> None:
    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConflictDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append([(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text(),
                      dialog.table.item(r, 2).text()) for r in range(dialog.table.rowCount())])
        button = dialog.overwrite_button if choice == "overwrite" else dialog.cancel_button
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)


def test_officer_dialog_overwrites_only_when_asked_to(world, qtbot):
    row = get_officer(world.db, world.host_a)
    dialog = OfficerDialog(world.db, row.id, row.data(), None, row.version)
    qtbot.addWidget(dialog)
    dialog.mobile.setText("600 999 888")
    other = Database.open(world.db.url)
    try:
        update_officer(other, row.id, dataclasses.replace(row.data(), rank="asp. szt."),
                       row.version)
    finally:
        other.dispose()
    seen: list = []
    answer_conflict(qtbot, "overwrite", seen)
    dialog.save()
    assert ("Stopień", "asp. szt.", "st. asp.") in seen[0]
    assert dialog.result() and not dialog.stale
    stored = get_officer(world.db, row.id)
    assert stored.mobile == "600 999 888" and stored.rank == "st. asp."


def test_ending_an_assignment_ended_elsewhere_asks_and_keeps_theirs(world, qtbot):
    svc.assign(world.db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER, D(2018, 1, 1))
    shown = svc.history(world.db, world.beat1)[0]
    dialog = EndAssignmentDialog(world.db, shown)
    qtbot.addWidget(dialog)
    other = Database.open(world.db.url)
    try:
        svc.end_assignment(other, shown.id, D(2018, 6, 30), shown.version)
    finally:
        other.dispose()
    seen: list = []
    answer_conflict(qtbot, "cancel", seen)
    dialog.save()
    assert seen and not dialog.result() and dialog.stale
    assert svc.history(world.db, world.beat1)[0].valid_to == D(2018, 6, 30)
