"""Assignment services: one short session and one transaction per operation.

The rules themselves live in :mod:`desktop.beats.rules`; this module loads the periods they
need, applies the plan atomically and answers "who was responsible for beat X on day D".
History is never deleted: reassigning closes the previous period, ending sets ``valid_to``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Assignment, AssignmentKind, AssignmentRole, Beat, Officer
from desktop.beats.rules import (
    OfficerFacts,
    Period,
    Responsible,
    RuleError,
    plan_regular,
    plan_substitute,
    responsible_on,
)


def officer_label(o: Officer) -> str:
    return f"{o.rank} {o.first_name} {o.last_name}".strip()


def _period(a: Assignment) -> Period:
    return Period(a.id, a.beat_id, a.officer_id, a.role, a.kind, a.valid_from, a.valid_to,
                  officer_label(a.officer))


def _beat_periods(s: Session, beat_id: int) -> list[Period]:
    q = select(Assignment).where(Assignment.beat_id == beat_id).order_by(Assignment.valid_from)
    return [_period(a) for a in s.scalars(q)]


def _facts(s: Session, officer_id: int) -> OfficerFacts:
    o = s.get(Officer, officer_id)
    if o is None:
        raise RuleError("Nie ma takiego funkcjonariusza.")
    return OfficerFacts(o.id, o.role, o.active, officer_label(o))


@dataclass(frozen=True)
class AssignResult:
    assignment_id: int
    closed: dict[int, dt.date]
    warnings: list[str]


def assign(db: Database, beat_id: int, officer_id: int, role: AssignmentRole,
           valid_from: dt.date, valid_to: dt.date | None = None, note: str = "",
           kind: AssignmentKind = AssignmentKind.REGULAR) -> AssignResult:
    """Assign an officer to a beat (regular or substitute). Raises RuleError; all or nothing."""
    with db.session() as s, s.begin():
        if s.get(Beat, beat_id) is None:
            raise RuleError("Nie ma takiego rejonu.")
        facts = _facts(s, officer_id)
        existing = _beat_periods(s, beat_id)
        if kind == AssignmentKind.SUBSTITUTE:
            plan = plan_substitute(existing, facts, role, valid_from, valid_to)
        else:
            others = [_period(a) for a in s.scalars(
                select(Assignment).where(Assignment.officer_id == officer_id,
                                         Assignment.beat_id != beat_id))]
            plan = plan_regular(existing, facts, role, valid_from, valid_to, others)
        for assignment_id, new_end in plan.close.items():
            s.get(Assignment, assignment_id).valid_to = new_end
        a = Assignment(beat_id=beat_id, officer_id=officer_id, role=role, kind=kind,
                       valid_from=valid_from, valid_to=valid_to, note=note)
        s.add(a)
        s.flush()
        return AssignResult(a.id, dict(plan.close), list(plan.warnings))


def add_substitute(db: Database, beat_id: int, officer_id: int, role: AssignmentRole,
                   valid_from: dt.date, valid_to: dt.date, note: str = "") -> AssignResult:
    return assign(db, beat_id, officer_id, role, valid_from, valid_to, note,
                  AssignmentKind.SUBSTITUTE)


def end_assignment(db: Database, assignment_id: int, last_day: dt.date) -> None:
    """End an open (or later-ending) assignment on ``last_day``; the record stays in history."""
    with db.session() as s, s.begin():
        a = s.get(Assignment, assignment_id)
        if a is None:
            raise RuleError("Nie ma takiego przydziału.")
        if last_day < a.valid_from:
            raise RuleError("Przydział nie może kończyć się przed swoim początkiem "
                            f"({a.valid_from:%d.%m.%Y}).")
        if a.valid_to is not None and a.valid_to <= last_day:
            raise RuleError(f"Przydział kończy się już {a.valid_to:%d.%m.%Y}.")
        a.valid_to = last_day


@dataclass(frozen=True)
class HistoryRow:
    id: int
    role: AssignmentRole
    kind: AssignmentKind
    officer_id: int
    officer: str
    valid_from: dt.date
    valid_to: dt.date | None
    note: str
    phone: str
    mobile: str
    email: str


def history_row(a: Assignment, o: Officer) -> HistoryRow:
    return HistoryRow(a.id, a.role, a.kind, o.id, officer_label(o), a.valid_from, a.valid_to,
                      a.note, o.phone, o.mobile, o.email)


def history(db: Database, beat_id: int) -> list[HistoryRow]:
    """All assignments of a beat, newest first."""
    with db.session() as s:
        q = (select(Assignment, Officer).join(Officer).where(Assignment.beat_id == beat_id)
             .order_by(Assignment.valid_from.desc(), Assignment.id.desc()))
        return [history_row(a, o) for a, o in s.execute(q)]


@dataclass(frozen=True)
class ResponsibleOfficers:
    beat_officer: Responsible
    traffic: Responsible


def who_was_responsible(db: Database, beat_id: int, day: dt.date) -> ResponsibleOfficers:
    """The dzielnicowy and traffic officer (acting and regular) of a beat on a day."""
    with db.session() as s:
        periods = _beat_periods(s, beat_id)
    return ResponsibleOfficers(responsible_on(periods, AssignmentRole.BEAT_OFFICER, day),
                               responsible_on(periods, AssignmentRole.TRAFFIC, day))


@dataclass(frozen=True)
class OfficerAssignmentRow:
    id: int
    beat_id: int
    beat: str  # "KMP Konin 3. Konin – rejon 3"
    role: AssignmentRole
    kind: AssignmentKind
    valid_from: dt.date
    valid_to: dt.date | None


def officer_history(db: Database, officer_id: int) -> list[OfficerAssignmentRow]:
    """Every assignment of one officer (current and past), newest first."""
    from db.models import Unit

    with db.session() as s:
        q = (select(Assignment, Beat.number, Beat.name, Unit.short_name)
             .join(Beat, Assignment.beat_id == Beat.id).join(Unit, Beat.unit_id == Unit.id)
             .where(Assignment.officer_id == officer_id)
             .order_by(Assignment.valid_from.desc(), Assignment.id.desc()))
        return [OfficerAssignmentRow(a.id, a.beat_id, f"{unit} {number}. {name}".strip(),
                                     a.role, a.kind, a.valid_from, a.valid_to)
                for a, number, name, unit in s.execute(q)]
