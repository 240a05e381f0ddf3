"""Corrections: an assignment entered by mistake is corrected (dates, officer) or removed
after a question; the rules still hold; substitutes for the traffic officer; an officer with
a future assignment is deactivated once that plan is removed."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from db.models import AssignmentKind, AssignmentRole
from desktop.app.context import AppContext
from desktop.beats import assignments as svc
from desktop.beats.corrections import correct_assignment, remove_assignment
from desktop.beats.officers import OfficerError, set_active
from desktop.beats.rules import RuleError
from desktop.beats.ui.tab import BeatsTab
from desktop.common.conflicts import ConflictError
from desktop.common.ui import plain

D = dt.date


def test_correct_dates_and_officer_keeping_the_rules(world):
    db = world.db
    first = svc.assign(db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER, D(2026, 1, 1))
    second = svc.assign(db, world.beat1, world.host_b, AssignmentRole.BEAT_OFFICER,
                        D(2026, 3, 1))
    # the second was meant to start on 15.03 by Żak: correct it (the first stays ended 28.02)
    [row] = [h for h in svc.history(db, world.beat1) if h.id == second.assignment_id]
    correct_assignment(db, row.id, world.host_c, D(2026, 3, 15), None, row.version)
    history = {h.id: h for h in svc.history(db, world.beat1)}
    assert (history[row.id].officer_id, history[row.id].valid_from) == (world.host_c,
                                                                         D(2026, 3, 15))
    assert history[first.assignment_id].valid_to == D(2026, 2, 28)
    # a correction that would overlap the first period is refused, nothing changes
    with pytest.raises(RuleError, match="nachodzi na przydział"):
        correct_assignment(db, row.id, world.host_c, D(2026, 2, 1), None)
    with pytest.raises(ConflictError):  # stale version
        correct_assignment(db, row.id, world.host_c, D(2026, 3, 20), None, row.version)
    # an inactive or unfitting officer cannot be put in
    with pytest.raises(RuleError, match="nieaktywny"):
        correct_assignment(db, row.id, world.inactive, D(2026, 3, 15), None)
    with pytest.raises(RuleError, match="nie jest dzielnicowym"):
        correct_assignment(db, row.id, world.other, D(2026, 3, 15), None)
    assert svc.history(db, world.beat1)[0].valid_from == D(2026, 3, 15)


def test_remove_then_deactivate_an_officer_with_a_future_assignment(world):
    db = world.db
    future = dt.date.today() + dt.timedelta(days=30)
    planned = svc.assign(db, world.beat2, world.host_c, AssignmentRole.BEAT_OFFICER, future)
    with pytest.raises(OfficerError, match="usuń go z planu"):
        set_active(db, world.host_c, False)
    remove_assignment(db, planned.assignment_id)
    assert svc.history(db, world.beat2) == []
    assert set_active(db, world.host_c, False) == 0
    with pytest.raises(RuleError, match="Nie ma takiego przydziału"):
        remove_assignment(db, planned.assignment_id)


def test_traffic_substitute_and_its_correction(world):
    db = world.db
    svc.assign(db, world.beat1, world.traffic_x, AssignmentRole.TRAFFIC, D(2026, 1, 1))
    sub = svc.add_substitute(db, world.beat1, world.traffic_y, AssignmentRole.TRAFFIC,
                             D(2026, 7, 1), D(2026, 7, 14))
    on = svc.who_was_responsible(db, world.beat1, D(2026, 7, 5)).traffic
    assert on.is_substitute and on.acting is not None and on.acting.officer_id == world.traffic_y
    correct_assignment(db, sub.assignment_id, world.traffic_y, D(2026, 7, 1), D(2026, 7, 21))
    assert svc.who_was_responsible(db, world.beat1, D(2026, 7, 20)).traffic.is_substitute
    with pytest.raises(RuleError, match="sam siebie"):
        correct_assignment(db, sub.assignment_id, world.traffic_x, D(2026, 7, 1),
                           D(2026, 7, 21))
    with pytest.raises(RuleError, match="musi mieć datę końca"):
        correct_assignment(db, sub.assignment_id, world.traffic_y, D(2026, 7, 1), None)


def _tab(qtbot, world):
    ctx = AppContext(world.db)
    tab = BeatsTab(ctx)
    qtbot.addWidget(tab)
    ctx.beatSelected.emit(world.beat1)
    return tab.beats


def _select_history(page, assignment_id: int) -> None:
    for r in range(page.history_proxy.rowCount()):
        src = page.history_proxy.mapToSource(page.history_proxy.index(r, 0))
        if page.history_model.row_object(src.row()).id == assignment_id:
            page.history_view.selectRow(r)
            return
    raise AssertionError("assignment not in the history")


def test_window_corrects_removes_and_adds_a_traffic_substitute(qtbot, world, monkeypatch):
    from desktop.beats.ui.correction_dialog import CorrectAssignmentDialog

    today = dt.date.today()
    wrong = svc.assign(world.db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER,
                       today - dt.timedelta(days=10))
    svc.assign(world.db, world.beat1, world.traffic_x, AssignmentRole.TRAFFIC,
               today - dt.timedelta(days=10))
    page = _tab(qtbot, world)
    _select_history(page, wrong.assignment_id)
    assert page.correct_button.isEnabled() and page.remove_button.isEnabled()
    [row] = [h for h in svc.history(world.db, world.beat1) if h.id == wrong.assignment_id]
    dialog = CorrectAssignmentDialog(world.db, row, page)
    qtbot.addWidget(dialog)
    dialog.officer.setCurrentIndex(dialog.officer.findData(world.host_b))
    start = today - dt.timedelta(days=5)
    dialog.valid_from.setDate(QDate(start.year, start.month, start.day))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    page.after_correct(dialog.warnings)
    assert "Przydział poprawiono" in page.message.text()
    assert "Nowak" in next(r for r in page.model._rows if r.id == world.beat1).beat_officer

    # a traffic substitute from its own button
    assign_dialogs = []
    monkeypatch.setattr(page, "make_assign_dialog", lambda role, kind: assign_dialogs.append(
        (role, kind)) or _FakeExec())
    page.substitute_traffic.click()
    assert assign_dialogs == [(AssignmentRole.TRAFFIC, AssignmentKind.SUBSTITUTE)]

    # removing asks first: "Nie" keeps it, "Tak" removes it
    _select_history(page, wrong.assignment_id)
    answers = [False, True]
    monkeypatch.setattr(plain, "ask", lambda *a, **k: answers.pop(0))
    page.remove_button.click()
    assert len(svc.history(world.db, world.beat1)) == 2
    _select_history(page, wrong.assignment_id)
    page.remove_button.click()
    assert [h.role for h in svc.history(world.db, world.beat1)] == [AssignmentRole.TRAFFIC]
    assert "Usunięto przydział" in page.message.text()


class _FakeExec:
    """Stands in for the assign dialog in the button test (its own tests are elsewhere)."""

    def isVisible(self) -> bool:
        return False

    def exec(self) -> int:
        return 0
