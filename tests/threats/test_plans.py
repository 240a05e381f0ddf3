"""Priority action plans: saving all-or-nothing, the evaluation measure, prints, sample plans."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from db.models import (
    Partner,
    PartnerType,
    PlanAction,
    PlanEvaluation,
    PlanPartner,
    PriorityPlan,
    ThreatCategory,
)
from desktop.common.document import PagedDocument, PageDecor
from desktop.printing.paged import write_pdf
from desktop.threats.plans import (
    ActionData,
    PlanData,
    PlanError,
    PlanMeasure,
    PlanPartnerData,
    delete_plan,
    diagnosed_reports,
    draft_plan,
    half_year_periods,
    list_plans,
    load_plan,
    measure,
    save_plan,
)
from desktop.threats.report_html import REPORT_CSS, plans_list_html

from .conftest import HOSTILE, PSY

Q1 = (dt.date(2018, 1, 1), dt.date(2018, 3, 31))


def _cat(db, name):
    with db.session() as s:
        return s.scalar(select(ThreatCategory.id).where(ThreatCategory.name == name))


def _partner(db, name=HOSTILE):
    with db.session() as s, s.begin():
        p = Partner(name=name, partner_type=PartnerType.NGO)
        s.add(p)
        s.flush()
        return p.id


def _plan(db, ids, **kw) -> PlanData:
    base = dict(beat_id=ids["beats"][0], period_from=Q1[0], period_to=Q1[1],
                category_id=_cat(db, PSY), goal="Mniej psów bez opieki",
                actions=[ActionData("Debata", dt.date(2018, 2, 1), "dzielnicowy")])
    base.update(kw)
    return PlanData(**base)


@pytest.mark.parametrize("during,before,expected", [
    (8, 10, PlanEvaluation.ACHIEVED),     # -20%: achieved (threshold inclusive)
    (9, 10, PlanEvaluation.PARTLY),
    (10, 10, PlanEvaluation.NOT_ACHIEVED),
    (12, 10, PlanEvaluation.NOT_ACHIEVED),
    (0, 0, None),  # nothing before nor during: no rating, certainly not "osiągnięty"
    (1, 0, PlanEvaluation.NOT_ACHIEVED),
])
def test_suggested_evaluation(during, before, expected):
    assert PlanMeasure(during, before, True).suggested is expected


def test_deadline_messages_are_plain_polish():
    from desktop.threats.plans import PlanError, parse_deadline

    assert parse_deadline(" 5.03.2018 ") == dt.date(2018, 3, 5)
    assert parse_deadline("2018-03-05") == dt.date(2018, 3, 5)
    for text in ("31.13.2018", "1520000000000", "jutro", "01.01.1900"):
        with pytest.raises(PlanError) as caught:
            parse_deadline(text)
        assert "1970" not in str(caught.value) and "milisekund" not in str(caught.value)
        assert "DD.MM.RRRR" in str(caught.value) or "nieprawdopodobna" in str(caught.value)


def test_measure_against_hand_counts(small_world):
    db, ids = small_world
    # Beat 1, dogs: 3 reports in Q1 2018, 1 in the 90 days before (31.12.2017).
    m = measure(db, ids["beats"][0], _cat(db, PSY), *Q1, on=dt.date(2018, 4, 1))
    assert (m.during, m.before, m.finished) == (3, 1, True)
    assert m.change_pct == pytest.approx(200.0)
    assert m.suggested is PlanEvaluation.NOT_ACHIEVED
    assert not measure(db, ids["beats"][0], _cat(db, PSY), *Q1, on=dt.date(2018, 3, 1)).finished


def test_save_load_update_delete(small_world):
    db, ids = small_world
    partner = _partner(db)
    plan = _plan(db, ids, partners=[PlanPartnerData(partner, role="organizator")])
    plan_id = save_plan(db, plan)
    loaded = load_plan(db, plan_id)
    assert loaded.goal == "Mniej psów bez opieki" and loaded.partners[0].name == HOSTILE
    loaded.actions.append(ActionData("Ulotki", dt.date(2018, 3, 1), "asp. Nowak", True))
    loaded.partners = []
    loaded.evaluation = PlanEvaluation.PARTLY
    assert save_plan(db, loaded) == plan_id
    again = load_plan(db, plan_id)
    assert [a.description for a in again.actions] == ["Debata", "Ulotki"]
    assert again.partners == [] and again.evaluation is PlanEvaluation.PARTLY
    delete_plan(db, plan_id)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PlanAction)) == 0
        assert s.scalar(select(func.count()).select_from(PriorityPlan)) == 0


@pytest.mark.parametrize("change,message", [
    (dict(period_to=dt.date(2017, 12, 1)), "wcześniejszy"),
    (dict(goal="  "), "cel"),
    (dict(category_id=None, problem=""), "zagrożenie"),
    (dict(actions=[ActionData("  ")]), "nie ma opisu"),
    (dict(actions=[ActionData("X", dt.date(2019, 6, 1))]), "poza okres"),
])
def test_invalid_plans_are_refused(small_world, change, message):
    db, ids = small_world
    with pytest.raises(PlanError, match=message):
        save_plan(db, _plan(db, ids, **change))


def test_failed_save_leaves_nothing(small_world):
    db, ids = small_world
    plan = _plan(db, ids, partners=[PlanPartnerData(999_999)])  # no such partner: FK fails
    with pytest.raises(IntegrityError):
        save_plan(db, plan)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PriorityPlan)) == 0
        assert s.scalar(select(func.count()).select_from(PlanAction)) == 0


def test_failed_update_keeps_old_actions(small_world):
    db, ids = small_world
    plan_id = save_plan(db, _plan(db, ids))
    plan = load_plan(db, plan_id)
    plan.partners = [PlanPartnerData(999_999)]
    plan.actions = []
    with pytest.raises(IntegrityError):
        save_plan(db, plan)
    assert [a.description for a in load_plan(db, plan_id).actions] == ["Debata"]


def test_draft_from_diagnosis_and_reports_behind_it(small_world):
    db, ids = small_world
    # Plan from 1 April 2018: in the half-year before, beat 1 had 3 dog reports (Jan-Mar)
    # + 1 on 31.12.2017 and 1 alcohol report.
    plan = draft_plan(db, ids["beats"][0], dt.date(2018, 4, 1), dt.date(2018, 9, 30))
    assert plan.category_id == _cat(db, PSY) and "(4 zgłoszenia na KMZB)" in plan.problem
    assert plan.officer_id is not None
    reports = diagnosed_reports(db, ids["beats"][0], _cat(db, PSY), dt.date(2018, 4, 1))
    assert [r.reported_at.date() for r in reports] == [
        dt.date(2017, 12, 31), dt.date(2018, 1, 5), dt.date(2018, 1, 20), dt.date(2018, 3, 31)]


def test_half_year_periods():
    assert half_year_periods(2019) == [(dt.date(2019, 2, 1), dt.date(2019, 7, 31)),
                                       (dt.date(2019, 8, 1), dt.date(2020, 1, 31))]


def test_list_by_unit_and_printed_list(qapp, small_world, tmp_path):
    db, ids = small_world
    save_plan(db, _plan(db, ids))
    save_plan(db, _plan(db, ids, beat_id=ids["beats"][2], goal=HOSTILE))
    assert len(list_plans(db)) == 2
    assert [r.beat_number for r in list_plans(db, unit_id=ids["kp"])] == ["3"]
    assert len(list_plans(db, unit_id=ids["kmp"])) == 2  # the command includes its station
    html = plans_list_html(list_plans(db), "KMP Test")
    assert HOSTILE not in html
    pdf = tmp_path / "plans.pdf"
    write_pdf(pdf, PagedDocument("Plany", html, REPORT_CSS, PageDecor("KMP", "Plany")))
    text = re.sub(r"\s+", " ", PdfReader(pdf).pages[0].extract_text())
    squeezed = "".join(text.split())  # narrow cells wrap words
    assert "Plany działań priorytetowych" in text and "".join(HOSTILE.split()) in squeezed
    assert "Mniej psów bez opieki" in text


def test_sample_database_has_evaluated_plans(sample_db):
    rows = list_plans(sample_db)
    assert len(rows) == 8  # every third of 24 beats
    assert all(r.evaluation is not None and r.actions == 3 for r in rows)
    with sample_db.session() as s:
        assert s.scalar(select(func.count()).select_from(PlanPartner)) >= 8
    for r in rows:
        plan = load_plan(sample_db, r.id)
        m = measure(sample_db, plan.beat_id, plan.category_id, plan.period_from, plan.period_to)
        assert m.suggested is plan.evaluation
