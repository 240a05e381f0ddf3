"""The plans panel and the plan editor, driven with qtbot on real databases."""
from __future__ import annotations

import datetime as dt
import re

from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import func, select

from db.models import PlanEvaluation, PriorityPlan
from desktop.app.context import AppContext, Change
from desktop.printing.paged import write_pdf
from desktop.threats.plans import list_plans, load_plan
from desktop.threats.ui.plan_dialog import PlanDialog
from desktop.threats.ui.plans_panel import PlansPanel

from .conftest import HOSTILE, PSY


def _plans(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(PriorityPlan))


def test_new_plan_from_diagnosis_saved(qtbot, small_world):
    db, ids = small_world
    dialog = PlanDialog(db, beat_id=ids["beats"][0])
    qtbot.addWidget(dialog)
    dialog.date_from.setDate(QDate(2018, 4, 1))
    dialog.date_to.setDate(QDate(2018, 9, 30))
    dialog.fill_from_diagnosis()
    assert dialog.category_combo.currentText() == PSY
    assert dialog.officer_combo.currentText() == "Nowak Jan (st. asp.)"
    assert "półroczu przed planem: 4" in dialog.reports_label.text()
    dialog.save()  # no goal yet: refused with a Polish message, dialog stays open
    assert "cel" in dialog.error_label.text() and _plans(db) == 0
    qtbot.keyClicks(dialog.goal, HOSTILE)
    dialog.action_table.setRowCount(0)
    from desktop.threats.plans import ActionData

    dialog.add_action(ActionData("Debata", dt.date(2018, 5, 1), "dzielnicowy"))
    dialog.add_action(ActionData("Patrole", None, "WRD"))
    dialog.action_table.item(1, 1).setText("31.13.2018")
    dialog.save()
    assert "Działanie nr 2: termin" in dialog.error_label.text() and _plans(db) == 0
    assert "DD.MM.RRRR" in dialog.error_label.text()
    dialog.action_table.item(1, 1).setText("1530000000000")  # no epoch milliseconds for people
    dialog.save()
    assert "milisekund" not in dialog.error_label.text() and _plans(db) == 0
    dialog.action_table.item(1, 1).setText("30.06.2018")
    dialog.action_table.item(1, 3).setCheckState(Qt.CheckState.Checked)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.saved_id
    plan = load_plan(db, dialog.saved_id)
    assert plan.goal == HOSTILE and plan.category_id is not None
    assert [(a.description, a.deadline, a.done) for a in plan.actions] == [
        ("Debata", dt.date(2018, 5, 1), False), ("Patrole", dt.date(2018, 6, 30), True)]


def test_evaluation_suggestion_uses_the_measure(qtbot, small_world):
    db, ids = small_world
    dialog = PlanDialog(db, beat_id=ids["beats"][0])
    qtbot.addWidget(dialog)
    dialog.date_from.setDate(QDate(2018, 1, 1))
    dialog.date_to.setDate(QDate(2018, 3, 31))
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findText(PSY))
    assert "w okresie planu: 3; w okresie poprzednim tej samej długości: 1" in \
        dialog.measure_label.text()
    dialog.accept_suggestion()
    assert dialog.evaluation_value() is PlanEvaluation.NOT_ACHIEVED
    assert "3" in dialog.evaluation_note.text()
    # An empty plan on a quiet category: 0 vs 0 is not "osiągnięty".
    dialog.date_from.setDate(QDate(2020, 1, 1))
    dialog.date_to.setDate(QDate(2020, 6, 30))
    assert "w okresie planu: 0; w okresie poprzednim tej samej długości: 0" in \
        dialog.measure_label.text()
    assert "osiągnięty" not in dialog.measure_label.text()
    dialog.accept_suggestion()
    assert dialog.evaluation_value() is None


def test_half_year_choice_sets_period(qtbot, small_world):
    db, ids = small_world
    dialog = PlanDialog(db, beat_id=ids["beats"][0])
    qtbot.addWidget(dialog)
    i = dialog.half_year.findText("01.08.2018 – 31.01.2019")
    dialog.half_year.setCurrentIndex(i)
    assert dialog.date_from.date() == QDate(2018, 8, 1)
    assert dialog.date_to.date() == QDate(2019, 1, 31)


class _Scripted:
    """Stands in for the modal loop: fills the real dialog, then saves it."""

    def __init__(self, db, edit):
        self.db, self.edit, self.dialogs = db, edit, []

    def __call__(self, plan, beat_id):
        dialog = PlanDialog(self.db, plan, beat_id)
        self.dialogs.append(dialog)
        dialog.exec = lambda: (self.edit(dialog), dialog.save(), dialog.result())[-1]
        return dialog


def test_panel_on_sample_lists_edits_deletes_and_prints(qtbot, sample_db, qtmodeltester,
                                                        tmp_path):
    def edit(dialog):
        dialog.goal.setPlainText("Nowy cel")

    ctx = AppContext(sample_db)
    panel = PlansPanel(ctx, dialog_factory=_Scripted(sample_db, edit))
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 8
    qtmodeltester.check(panel.model)
    assert not panel.edit_button.isEnabled()
    panel.select_row(0)
    assert panel.edit_button.isEnabled()
    first = panel.selected()
    with qtbot.waitSignal(ctx.dataChanged) as signal:
        panel.edit_selected()
    assert signal.args == [Change.PLANS]
    edited = load_plan(sample_db, first.id)
    assert edited.goal == "Nowy cel"
    assert edited.evaluation is first.evaluation and len(edited.actions) == 3  # kept as they were
    assert ", ".join(p.name for p in edited.partners) == first.partners
    # Unit filter: a station's plans only.
    station = next(i for i in range(2, panel.unit_combo.count())  # after "all", the command
                   if list_plans(sample_db, unit_id=panel.unit_combo.itemData(i)))
    panel.unit_combo.setCurrentIndex(station)
    expected = list_plans(sample_db, unit_id=panel.unit_combo.currentData())
    assert 0 < len(expected) < 8 and panel.model.rowCount() == len(expected)
    panel.unit_combo.setCurrentIndex(0)
    pdf = tmp_path / "list.pdf"
    write_pdf(pdf, panel.list_document())
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "Plany działań priorytetowych" in text and "Liczba planów: 8" in text
    panel.select_row(0)
    pdf = tmp_path / "plan.pdf"
    write_pdf(pdf, panel.plan_document())
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))
    assert "1. Charakterystyka zdiagnozowanego zagrożenia" in text and "5. Ewaluacja" in text
    panel.delete_selected(confirm=False)
    assert panel.model.rowCount() == 7 and _plans(sample_db) == 7


def test_new_plan_through_panel(qtbot, small_world):
    db, ids = small_world

    def edit(dialog):
        dialog.date_from.setDate(QDate(2018, 1, 1))
        dialog.date_to.setDate(QDate(2018, 3, 31))
        dialog.category_combo.setCurrentIndex(dialog.category_combo.findText(PSY))
        dialog.goal.setPlainText("Cel")
        dialog.partners.item(0).setCheckState(Qt.CheckState.Checked) \
            if dialog.partners.count() else None

    panel = PlansPanel(AppContext(db), dialog_factory=_Scripted(db, edit))
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 0
    panel.new_plan()
    assert panel.model.rowCount() == 1
    assert panel.model.row_object(0).category == PSY


def test_plans_list_follows_data_changes(qtbot, sample_db):
    from sqlalchemy import update

    from db.models import Beat
    from desktop.threats.ui.diagnosis_tab import DiagnosisTab

    tab = DiagnosisTab(AppContext(sample_db))
    qtbot.addWidget(tab)
    first = tab.plans.model.row_object(0)
    with sample_db.session() as s, s.begin():
        s.execute(update(Beat).where(Beat.id == first.beat_id).values(name="Nowa nazwa"))
    tab.ctx.notify(Change.BEATS)
    assert tab.plans.model.row_object(0).beat_name == "Nowa nazwa"


def test_officer_pickers_list_surname_first_and_typing_finds_it(qtbot, small_world):
    """The plan's officer picker (the assignment dialog uses the same label)."""
    db, ids = small_world
    dialog = PlanDialog(db, beat_id=ids["beats"][0])
    qtbot.addWidget(dialog)
    combo = dialog.officer_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Nowak Jan (st. asp.)" in labels and "Zając Anna (asp.)" in labels
    dialog.show()
    combo.setFocus()
    qtbot.keyClicks(combo, "Zaj")
    assert combo.currentText() == "Zając Anna (asp.)"
