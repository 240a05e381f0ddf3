"""Assignment services: one short session and one transaction per operation.

The rules themselves live in :mod:`desktop.beats.rules`; this module loads the periods they
need, applies the plan atomically and answers "who was responsible for beat X on day D".
History is never deleted: reassigning closes the previous period, ending sets ``valid_to``.

Several workstations may assign at the same moment. Each write locks the beat's row first
(SELECT … FOR UPDATE on PostgreSQL; on SQLite the write transaction holds the file's write
lock from its start), so the rules see what the other workstation has just saved and the
loser gets the ordinary rule message. The database refuses overlapping periods by itself as
well (migration 0003), and whatever still collides ends as a Polish RuleError, never as a
traceback.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

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
from desktop.common.conflicts import check_version


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


OVERLAP_CONSTRAINT = "ex_assignments_no_overlap"  # PostgreSQL constraint and SQLite triggers
CONCURRENT = ("W tej samej chwili ktoś inny zmienił przydziały tego rejonu – odśwież widok "
              "i spróbuj ponownie.")
BUSY = ("Baza danych jest zajęta zapisem na innym stanowisku – spróbuj ponownie za chwilę.")


class ConcurrentChangeError(RuleError):
    """Another workstation changed the beat's assignments at the same moment; Polish text."""


@contextmanager
def _refused_by_database() -> Iterator[None]:
    """The database's own refusals (overlap, a row changed meanwhile, a busy file) as Polish
    RuleErrors. Wraps the whole transaction so that errors raised at commit are caught too."""
    try:
        yield
    except IntegrityError as exc:
        if OVERLAP_CONSTRAINT in str(exc.orig):
            raise ConcurrentChangeError(
                "Baza danych nie przyjęła przydziału: jego okres nachodzi na inny przydział "
                "tej samej roli w rejonie (być może zapisany przed chwilą na innym "
                "stanowisku). Odśwież widok i spróbuj ponownie.") from exc
        raise
    except StaleDataError as exc:
        raise ConcurrentChangeError(CONCURRENT) from exc
    except OperationalError as exc:
        if "locked" in str(exc.orig) or "busy" in str(exc.orig):
            raise ConcurrentChangeError(BUSY) from exc
        if "deadlock" in str(exc.orig):  # PostgreSQL ended one of two colliding writes
            raise ConcurrentChangeError(CONCURRENT) from exc
        raise


@dataclass(frozen=True)
class AssignResult:
    assignment_id: int
    closed: dict[int, dt.date]
    warnings: list[str]


def assign(db: Database, beat_id: int, officer_id: int, role: AssignmentRole,
           valid_from: dt.date, valid_to: dt.date | None = None, note: str = "",
           kind: AssignmentKind = AssignmentKind.REGULAR) -> AssignResult:
    """Assign an officer to a beat (regular or substitute). Raises RuleError; all or nothing."""
    with _refused_by_database(), db.session() as s, s.begin():
        # The beat's row lock serialises assignments to one beat across workstations.
        if s.get(Beat, beat_id, with_for_update=True) is None:
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
            closed = s.get(Assignment, assignment_id)
            assert closed is not None  # it was read above, in this transaction
            closed.valid_to = new_end
        s.flush()  # end the previous period before the new one starts (the database checks)
        a = Assignment(beat_id=beat_id, officer_id=officer_id, role=role, kind=kind,
                       valid_from=valid_from, valid_to=valid_to, note=note)
        s.add(a)
        s.flush()
        return AssignResult(a.id, dict(plan.close), list(plan.warnings))


def add_substitute(db: Database, beat_id: int, officer_id: int, role: AssignmentRole,
                   valid_from: dt.date, valid_to: dt.date, note: str = "") -> AssignResult:
    return assign(db, beat_id, officer_id, role, valid_from, valid_to, note,
                  AssignmentKind.SUBSTITUTE)


def end_assignment(db: Database, assignment_id: int, last_day: dt.date,
                   expected_version: int | None = None) -> None:
    """End an open (or later-ending) assignment on ``last_day``; the record stays in history.

    ``expected_version``: the version the user saw; ConflictError when someone else changed
    the assignment since (e.g. ended it on another workstation).
    """
    with _refused_by_database(), db.session() as s, s.begin():
        a = s.get(Assignment, assignment_id, with_for_update=True)
        if a is None:
            raise RuleError("Nie ma takiego przydziału.")
        check_version(a, expected_version, f"przydział {officer_label(a.officer)}",
                      {"valid_to": a.valid_to}, {"valid_to": last_day},
                      {"valid_to": "Ostatni dzień"})
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
    version: int = 0  # the stored row version when read (desktop.common.conflicts)


def history_row(a: Assignment, o: Officer) -> HistoryRow:
    return HistoryRow(a.id, a.role, a.kind, o.id, officer_label(o), a.valid_from, a.valid_to,
                      a.note, o.phone, o.mobile, o.email, a.version)


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


@dataclass(frozen=True)
class Target:
    """A beat and an officer named the way people write them (for the command line)."""

    beat_id: int
    beat: str  # "3. Konin – rejon 3 (KMP Konin)"
    officer_id: int
    officer: str


def find_target(db: Database, unit: str, number: str, service_number: str) -> Target:
    """The beat NUMBER of UNIT (short or full name, diacritics and case ignored) and the
    officer with SERVICE_NUMBER; RuleError with a Polish message when either is missing."""
    from db.models import Unit
    from desktop.common.text import fold

    with db.session() as s:
        units = [u for u in s.scalars(select(Unit))
                 if fold(unit.strip()) in (fold(u.short_name or ""), fold(u.name))]
        if not units:
            raise RuleError(f"Nie ma jednostki „{unit}”.")
        beat = s.scalar(select(Beat).where(Beat.unit_id.in_([u.id for u in units]),
                                           Beat.number == number.strip()))
        if beat is None:
            raise RuleError(f"Jednostka „{unit}” nie ma rejonu nr {number}.")
        officer = s.scalar(select(Officer).where(Officer.service_number == service_number.strip()))
        if officer is None:
            raise RuleError(f"Nie ma funkcjonariusza o numerze służbowym „{service_number}”.")
        return Target(beat.id, f"{beat.number}. {beat.name} ({beat.unit.short_name or beat.unit.name})",
                      officer.id, officer_label(officer))
