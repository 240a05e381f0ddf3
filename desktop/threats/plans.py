"""Priority action plans (plany działań priorytetowych): storage, the measure the app computes
for their evaluation, and content for prints. One short session per operation; saving a plan
replaces its actions and partners in one transaction."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from db.base import utcnow
from db.engine import Database
from db.models import (
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Beat,
    Officer,
    Partner,
    PlanAction,
    PlanEvaluation,
    PlanPartner,
    PriorityPlan,
    ThreatCategory,
    ThreatReport,
    Unit,
)
from desktop.common.conflicts import check_version, conflicts_as
from desktop.common.text import plural
from desktop.threats.dictionaries import offered_categories

# A plan is "achieved" when reports of its category fall by at least this share.
ACHIEVED_DROP = 0.20


class PlanError(ValueError):
    """Invalid plan data; the message is Polish."""


_DEADLINE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$|^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_deadline(text: str) -> dt.date:
    """An action's deadline typed by a user: DD.MM.RRRR (or RRRR-MM-DD), 2000–2100."""
    m = _DEADLINE.match(text)
    try:
        if not m:
            raise ValueError
        day, month, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (
            m.group(6), m.group(5), m.group(4))
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        raise PlanError(f"„{text.strip()[:20]}” nie jest datą; wpisz ją jako DD.MM.RRRR, "
                        "np. 15.03.2018") from None
    if not 2000 <= value.year <= 2100:
        raise PlanError(f"data {value:%d.%m.%Y} jest nieprawdopodobna (dopuszczalne lata "
                        "2000–2100)")
    return value


@dataclass
class ActionData:
    description: str
    deadline: dt.date | None = None
    responsible: str = ""
    done: bool = False


@dataclass
class PlanPartnerData:
    partner_id: int
    name: str = ""
    role: str = ""


@dataclass
class PlanData:
    beat_id: int
    period_from: dt.date
    period_to: dt.date
    id: int | None = None
    officer_id: int | None = None
    category_id: int | None = None
    problem: str = ""
    goal: str = ""
    evaluation: PlanEvaluation | None = None
    evaluation_note: str = ""
    actions: list[ActionData] = field(default_factory=list)
    partners: list[PlanPartnerData] = field(default_factory=list)
    version: int | None = None  # as loaded; saving checks it (desktop.common.conflicts)


@dataclass(frozen=True)
class PlanRow:
    id: int
    unit: str
    beat_id: int
    beat_number: str
    beat_name: str
    officer: str
    category: str
    goal: str
    period_from: dt.date
    period_to: dt.date
    evaluation: PlanEvaluation | None
    actions: int
    partners: str


@dataclass(frozen=True)
class PlanMeasure:
    """Reports of the plan's category in its beat: during the plan and in the period of the
    same length just before it."""

    during: int
    before: int
    finished: bool  # the plan period is over (as of ``on``)

    @property
    def change(self) -> int:
        return self.during - self.before

    @property
    def change_pct(self) -> float | None:
        return None if not self.before else 100.0 * self.change / self.before

    @property
    def suggested(self) -> PlanEvaluation | None:
        """The evaluation the counts suggest; None when there is nothing to compare (no
        report before nor during the plan: "0 vs 0" proves nothing, the plan is not rated)."""
        if self.before == 0:
            return None if self.during == 0 else PlanEvaluation.NOT_ACHIEVED
        if self.during <= self.before * (1 - ACHIEVED_DROP):
            return PlanEvaluation.ACHIEVED
        if self.during < self.before:
            return PlanEvaluation.PARTLY
        return PlanEvaluation.NOT_ACHIEVED


def half_year_periods(year: int) -> list[tuple[dt.date, dt.date]]:
    """The programme's usual plan periods starting in a year: 1 Feb–31 Jul, 1 Aug–31 Jan."""
    return [(dt.date(year, 2, 1), dt.date(year, 7, 31)),
            (dt.date(year, 8, 1), dt.date(year + 1, 1, 31))]


def validate(plan: PlanData) -> None:
    if plan.period_to < plan.period_from:
        raise PlanError("Koniec okresu planu jest wcześniejszy niż początek.")
    if plan.category_id is None and not plan.problem.strip():
        raise PlanError("Wskaż zdiagnozowane zagrożenie (kategorię) albo opisz problem.")
    if not plan.goal.strip():
        raise PlanError("Podaj cel planu.")
    for i, action in enumerate(plan.actions, start=1):
        if not action.description.strip():
            raise PlanError(f"Działanie nr {i} nie ma opisu.")
        if action.deadline and not (plan.period_from - dt.timedelta(days=31) <= action.deadline
                                    <= plan.period_to + dt.timedelta(days=31)):
            raise PlanError(f"Termin działania nr {i} ({action.deadline:%d.%m.%Y}) wykracza "
                            "poza okres planu.")
    ids = [p.partner_id for p in plan.partners]
    if len(ids) != len(set(ids)):
        raise PlanError("Partner występuje w planie więcej niż raz.")


def _apply(s: Session, plan: PlanData) -> PriorityPlan:
    if plan.id is None:
        row = PriorityPlan(beat_id=plan.beat_id, period_from=plan.period_from,
                           period_to=plan.period_to)
        s.add(row)
    else:
        found = s.get(PriorityPlan, plan.id, with_for_update=plan.version is not None)
        if found is None:
            raise PlanError("Plan został w międzyczasie usunięty.")
        row = found
        check_version(row, plan.version, "plan działania priorytetowego")
        row.updated_at = utcnow()  # a new version even when only actions or partners change
        s.execute(delete(PlanAction).where(PlanAction.plan_id == plan.id))
        s.execute(delete(PlanPartner).where(PlanPartner.plan_id == plan.id))
        s.expire(row, ["actions", "partners"])
    if s.get(Beat, plan.beat_id) is None:
        raise PlanError("Wybrany rejon nie istnieje.")
    row.beat_id, row.officer_id, row.category_id = plan.beat_id, plan.officer_id, plan.category_id
    row.problem, row.goal = plan.problem.strip(), plan.goal.strip()
    row.period_from, row.period_to = plan.period_from, plan.period_to
    row.evaluation, row.evaluation_note = plan.evaluation, plan.evaluation_note.strip()
    s.flush()
    for a in plan.actions:
        s.add(PlanAction(plan_id=row.id, description=a.description.strip(), deadline=a.deadline,
                         responsible=a.responsible.strip(), done=a.done))
    for p in plan.partners:
        s.add(PlanPartner(plan_id=row.id, partner_id=p.partner_id, role=p.role.strip()))
    s.flush()
    return row


def save_plan(db: Database, plan: PlanData) -> int:
    """Insert or update a plan with its actions and partners; all or nothing.

    A plan loaded with ``load_plan`` carries its version: when someone else saved the plan
    since, ConflictError is raised and nothing is saved (``version=None`` saves regardless).
    """
    validate(plan)
    with conflicts_as("plan działania priorytetowego"), db.session() as s, s.begin():
        return _apply(s, plan).id


def load_plan(db: Database, plan_id: int) -> PlanData:
    with db.session() as s:
        row = s.scalar(select(PriorityPlan).where(PriorityPlan.id == plan_id).options(
            selectinload(PriorityPlan.actions),
            selectinload(PriorityPlan.partners).selectinload(PlanPartner.partner)))
        if row is None:
            raise PlanError("Nie ma takiego planu.")
        return PlanData(
            id=row.id, beat_id=row.beat_id, officer_id=row.officer_id,
            category_id=row.category_id, problem=row.problem, goal=row.goal,
            period_from=row.period_from, period_to=row.period_to, evaluation=row.evaluation,
            evaluation_note=row.evaluation_note,
            actions=[ActionData(a.description, a.deadline, a.responsible, a.done)
                     for a in row.actions],
            partners=[PlanPartnerData(p.partner_id, p.partner.name, p.role)
                      for p in row.partners],
            version=row.version)


def delete_plan(db: Database, plan_id: int) -> None:
    with db.session() as s, s.begin():
        row = s.get(PriorityPlan, plan_id)
        if row is not None:
            s.delete(row)


def _officer_name(o: Officer | None) -> str:
    return f"{o.rank} {o.first_name} {o.last_name}".strip() if o else ""


def list_plans(db: Database, unit_id: int | None = None,
               beat_id: int | None = None) -> list[PlanRow]:
    """Plans, newest period first; limited to a unit (and its stations) or a beat."""
    with db.session() as s:
        q = (select(PriorityPlan).join(Beat, PriorityPlan.beat_id == Beat.id)
             .options(selectinload(PriorityPlan.beat).selectinload(Beat.unit),
                      selectinload(PriorityPlan.officer), selectinload(PriorityPlan.category),
                      selectinload(PriorityPlan.actions),
                      selectinload(PriorityPlan.partners).selectinload(PlanPartner.partner))
             .order_by(PriorityPlan.period_from.desc(), Beat.unit_id, Beat.id))
        if unit_id is not None:
            children = set(s.scalars(select(Unit.id).where(Unit.parent_id == unit_id)))
            q = q.where(Beat.unit_id.in_(children | {unit_id}))
        if beat_id is not None:
            q = q.where(PriorityPlan.beat_id == beat_id)
        return [PlanRow(p.id, p.beat.unit.short_name or p.beat.unit.name, p.beat_id,
                        p.beat.number, p.beat.name, _officer_name(p.officer),
                        p.category.name if p.category else "", p.goal, p.period_from,
                        p.period_to, p.evaluation, len(p.actions),
                        ", ".join(pp.partner.name for pp in p.partners))
                for p in s.scalars(q)]


def _count(s: Session, beat_id: int, category_id: int | None, start: dt.date,
           end: dt.date) -> int:
    q = select(func.count()).select_from(ThreatReport).where(
        ThreatReport.beat_id == beat_id,
        ThreatReport.reported_at >= dt.datetime.combine(start, dt.time()),
        ThreatReport.reported_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    if category_id is not None:
        q = q.where(ThreatReport.category_id == category_id)
    return s.scalar(q) or 0


def measure(db: Database, beat_id: int, category_id: int | None, period_from: dt.date,
            period_to: dt.date, on: dt.date | None = None) -> PlanMeasure:
    """The evaluation measure: reports in the plan period against the period before it."""
    length = period_to - period_from
    before_to = period_from - dt.timedelta(days=1)
    with db.session() as s:
        during = _count(s, beat_id, category_id, period_from, period_to)
        before = _count(s, beat_id, category_id, before_to - length, before_to)
    return PlanMeasure(during, before, (on or dt.date.today()) > period_to)


@dataclass(frozen=True)
class DiagnosedReport:
    reported_at: dt.datetime
    status: str
    description: str
    source_id: str


def diagnosed_reports(db: Database, beat_id: int, category_id: int,
                      period_from: dt.date, months: int = 6) -> list[DiagnosedReport]:
    """The reports behind a diagnosed problem: its category in the beat in the months before
    the plan starts."""
    from db.models import ThreatStatus

    start = period_from - dt.timedelta(days=round(months * 30.44))
    with db.session() as s:
        q = (select(ThreatReport.reported_at, ThreatStatus.name, ThreatReport.description,
                    ThreatReport.source_id)
             .join(ThreatStatus, ThreatReport.status_id == ThreatStatus.id)
             .where(ThreatReport.beat_id == beat_id, ThreatReport.category_id == category_id,
                    ThreatReport.reported_at >= dt.datetime.combine(start, dt.time()),
                    ThreatReport.reported_at < dt.datetime.combine(period_from, dt.time()))
             .order_by(ThreatReport.reported_at))
        return [DiagnosedReport(r, st, d, sid or "") for r, st, d, sid in s.execute(q)]


def _top_category(s: Session, beat_id: int, start: dt.date, end: dt.date) -> tuple[int, int] | None:
    q = (select(ThreatReport.category_id, func.count().label("n"))
         .join(ThreatCategory, ThreatReport.category_id == ThreatCategory.id)
         .where(ThreatReport.beat_id == beat_id,
                ThreatCategory.active.is_(True),  # a retired category is not offered
                ThreatReport.reported_at >= dt.datetime.combine(start, dt.time()),
                ThreatReport.reported_at < dt.datetime.combine(end, dt.time()))
         .group_by(ThreatReport.category_id, ThreatCategory.sort_order)
         .order_by(func.count().desc(), ThreatCategory.sort_order).limit(1))
    row = s.execute(q).first()
    return (row[0], row[1]) if row else None


def _beat_officer(s: Session, beat_id: int, on: dt.date) -> int | None:
    q = (select(Assignment.officer_id).where(
        Assignment.beat_id == beat_id, Assignment.role == AssignmentRole.BEAT_OFFICER,
        Assignment.kind == AssignmentKind.REGULAR, Assignment.valid_from <= on,
        (Assignment.valid_to.is_(None)) | (Assignment.valid_to >= on))
        .order_by(Assignment.valid_from.desc()).limit(1))
    return s.scalar(q)


def draft_plan(s_or_db: Session | Database, beat_id: int, period_from: dt.date, period_to: dt.date) -> PlanData:
    """A new plan pre-filled from the diagnosis: the top category of the half-year before,
    the beat's dzielnicowy on the first day."""
    if isinstance(s_or_db, Database):
        with s_or_db.session() as s:
            return draft_plan(s, beat_id, period_from, period_to)
    s = s_or_db
    top = _top_category(s, beat_id, period_from - dt.timedelta(days=183), period_from)
    plan = PlanData(beat_id=beat_id, period_from=period_from, period_to=period_to,
                    officer_id=_beat_officer(s, beat_id, period_from))
    if top:
        category = s.get(ThreatCategory, top[0])
        assert category is not None  # top[0] comes from reports referencing the category
        name = category.name
        plan.category_id = top[0]
        plan.problem = (f"Najczęściej zgłaszane zagrożenie w rejonie w ostatnim półroczu: "
                        f"{name} ({plural(top[1], 'zgłoszenie', 'zgłoszenia', 'zgłoszeń')} na KMZB).")
    return plan


def partner_choices(db: Database) -> list[tuple[int, str]]:
    """Partners of the register (not removed) for the plan editor."""
    from desktop.common.text import polish_sort_key

    with db.session() as s:
        rows = s.execute(select(Partner.id, Partner.name).where(Partner.deleted_at.is_(None))).all()
    return sorted(((i, n) for i, n in rows), key=lambda p: polish_sort_key(p[1]))


def officer_choices(db: Database) -> list[tuple[int, str]]:
    """Active dzielnicowi (and other officers after them) for the plan editor."""
    from db.models import OfficerRole
    from desktop.common.text import officer_picker_label, polish_sort_key

    with db.session() as s:
        rows = s.execute(select(Officer.id, Officer.rank, Officer.first_name, Officer.last_name,
                                Officer.role).where(Officer.active.is_(True))).all()
    return [(i, officer_picker_label(rank, first, last))
            for i, rank, first, last, role in sorted(
        rows, key=lambda r: (r[4] is not OfficerRole.BEAT_OFFICER, polish_sort_key(r[3]),
                             polish_sort_key(r[2])))]


def beat_choices(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        rows = s.execute(select(Beat.id, Unit.short_name, Beat.number, Beat.name)
                         .join(Unit, Beat.unit_id == Unit.id).order_by(Unit.id, Beat.id)).all()
    return [(i, f"{u} nr {n} – {name}") for i, u, n, name in rows]


def category_choices(db: Database, keep: int | None = None) -> list[tuple[int, str]]:
    """Categories offered for a plan or an activity: retired ones only when already chosen
    (``keep``; the activities dialog adds a record's own ones itself)."""
    return offered_categories(db, keep)


def unit_choices(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        return [(i, n) for i, n in s.execute(select(Unit.id, Unit.name).order_by(Unit.id))]
