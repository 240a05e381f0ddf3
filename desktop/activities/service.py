"""The activities log (Qt-free): create, update, delete with validation and Polish messages,
and the filtered list.

An activity is a meeting with residents ("Dzielnicowy bliżej nas"), a debate, a consultation,
a prevention talk, a joint action with partners or a patrol with the traffic officer, in one
or more beats, with officers, partners, attendance, the threat categories it addressed, its
outcome and follow-up, and the priority plan it belongs to when there is one.

Each call opens one short session and returns frozen dataclasses. Saving takes the version
the user loaded (``expected_version``) and raises ``ConflictError`` when someone else saved
in between (``desktop.common.conflicts``).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload, selectinload

from db.base import utcnow
from db.engine import Database
from db.models import (
    Activity,
    ActivityKind,
    Beat,
    Officer,
    OfficerRole,
    Partner,
    PriorityPlan,
    ThreatCategory,
    activity_beats,
    activity_officers,
    activity_partners,
)
from desktop.activities.fields import ACTIVITY_FIELDS, FIELD_LABELS
from desktop.common.conflicts import ConflictError, check_version, conflicts_as
from desktop.common.labels import label
from desktop.common.text import matches

log = logging.getLogger("razem.activities")

WHAT = "działanie"
MAX_ATTENDANCE = 100_000

class ActivityError(ValueError):
    """Input that cannot be saved; the message is Polish and names the field."""


@dataclass(frozen=True)
class ActivityInput:
    """What the user entered (ids of the linked records)."""

    kind: ActivityKind
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    place: str = ""
    beat_ids: tuple[int, ...] = ()
    officer_ids: tuple[int, ...] = ()
    partner_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    attendance: int | None = None
    outcome: str = ""
    follow_up: str = ""
    plan_id: int | None = None


@dataclass(frozen=True)
class Named:
    id: int
    name: str


@dataclass(frozen=True)
class ActivityRow:
    """One activity as lists and the dialog show it."""

    id: int
    version: int
    kind: ActivityKind
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    attendance: int | None
    outcome: str
    follow_up: str
    plan_id: int | None
    plan: str
    beats: tuple[Named, ...] = ()
    officers: tuple[Named, ...] = ()
    partners: tuple[Named, ...] = ()
    categories: tuple[Named, ...] = ()

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def beats_text(self) -> str:
        return ", ".join(b.name for b in self.beats)

    @property
    def officers_text(self) -> str:
        return ", ".join(o.name for o in self.officers)

    @property
    def partners_text(self) -> str:
        return ", ".join(p.name for p in self.partners)

    @property
    def categories_text(self) -> str:
        return ", ".join(c.name for c in self.categories)

    def to_input(self) -> ActivityInput:
        return ActivityInput(
            self.kind, self.title, self.starts_at, self.ends_at, self.place,
            tuple(b.id for b in self.beats), tuple(o.id for o in self.officers),
            tuple(p.id for p in self.partners), tuple(c.id for c in self.categories),
            self.attendance, self.outcome, self.follow_up, self.plan_id)

    def search_fields(self) -> tuple[str, ...]:
        """The texts the search looks in: the searchable fields of the field list."""
        return ACTIVITY_FIELDS.search_text(self)


@dataclass(frozen=True)
class ActivityFilter:
    """``None`` means no restriction; dates are inclusive; ``text`` ignores diacritics."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    beat_id: int | None = None
    kind: ActivityKind | None = None
    officer_id: int | None = None
    partner_id: int | None = None
    text: str = ""
    limit: int | None = field(default=None, compare=False)


# --- names ------------------------------------------------------------------------------
def officer_name(o: Officer) -> str:
    return f"{o.rank} {o.first_name} {o.last_name}".strip()


def beat_name(b: Beat, unit_short: str = "") -> str:
    prefix = f"{unit_short} " if unit_short else ""
    return f"{prefix}nr {b.number} – {b.name}"


def plan_label(p: PriorityPlan) -> str:
    category = p.category.name if p.category is not None else "bez kategorii"
    return (f"{p.beat.name}: {category} ({p.period_from:%d.%m.%Y} – "
            f"{p.period_to:%d.%m.%Y})")


def _row(a: Activity) -> ActivityRow:
    return ActivityRow(
        a.id, a.version, a.kind, a.title, a.starts_at, a.ends_at, a.place, a.attendance,
        a.outcome, a.follow_up, a.plan_id, plan_label(a.plan) if a.plan is not None else "",
        tuple(Named(b.id, beat_name(b, b.unit.short_name)) for b in a.beats),
        tuple(Named(o.id, officer_name(o)) for o in a.officers),
        tuple(Named(p.id, p.name) for p in a.partners),
        tuple(Named(c.id, c.name) for c in a.categories))


def _loaded():
    return (selectinload(Activity.beats).joinedload(Beat.unit),
            selectinload(Activity.officers), selectinload(Activity.partners),
            selectinload(Activity.categories),
            joinedload(Activity.plan).joinedload(PriorityPlan.category),
            joinedload(Activity.plan).joinedload(PriorityPlan.beat))


# --- validation --------------------------------------------------------------------------
def _clean(data: ActivityInput) -> ActivityInput:
    return ActivityInput(
        data.kind, data.title.strip(), data.starts_at, data.ends_at, data.place.strip(),
        tuple(dict.fromkeys(data.beat_ids)), tuple(dict.fromkeys(data.officer_ids)),
        tuple(dict.fromkeys(data.partner_ids)), tuple(dict.fromkeys(data.category_ids)),
        data.attendance, data.outcome.strip(), data.follow_up.strip(), data.plan_id)


def validate(data: ActivityInput) -> None:
    """Checks that need no database; raises ActivityError with a Polish message."""
    if not isinstance(data.kind, ActivityKind):
        raise ActivityError("Wybierz rodzaj działania.")
    if not data.title.strip():
        raise ActivityError("Podaj temat działania.")
    for key, limit in ACTIVITY_FIELDS.too_long({"title": data.title, "place": data.place}):
        raise ActivityError(f"Pole „{FIELD_LABELS[key]}” może mieć najwyżej {limit} znaków.")
    if not isinstance(data.starts_at, dt.datetime):
        raise ActivityError("Podaj datę i godzinę rozpoczęcia.")
    if data.ends_at is not None and data.ends_at < data.starts_at:
        raise ActivityError("Koniec działania nie może być wcześniejszy niż jego początek.")
    if data.attendance is not None and not 0 <= data.attendance <= MAX_ATTENDANCE:
        raise ActivityError(f"Liczba uczestników musi wynosić od 0 do {MAX_ATTENDANCE}.")
    if not data.beat_ids:
        raise ActivityError("Wskaż co najmniej jeden rejon.")
    if not data.officer_ids:
        raise ActivityError("Wskaż co najmniej jednego funkcjonariusza.")
    if data.kind is ActivityKind.JOINT_ACTION and not data.partner_ids:
        raise ActivityError("Wspólne działanie z partnerami wymaga wskazania partnera.")


def _fetch(s: Session, model: type, ids: Sequence[int], missing: str) -> list:
    key = model.id  # type: ignore[attr-defined]
    found: dict[int, object] = {}
    obj: Any
    for obj in s.scalars(select(model).where(key.in_(ids))):
        found[obj.id] = obj
    absent = [i for i in ids if i not in found]
    if absent:
        raise ActivityError(missing)
    return [found[i] for i in ids]


def _apply(s: Session, a: Activity, data: ActivityInput) -> None:
    beats = _fetch(s, Beat, data.beat_ids, "Wybrany rejon już nie istnieje.")
    officers = _fetch(s, Officer, data.officer_ids, "Wybrany funkcjonariusz już nie istnieje.")
    partners = _fetch(s, Partner, data.partner_ids, "Wybrany partner już nie istnieje.")
    already = {p.id for p in a.partners} if a.id is not None else set()
    if any(p.deleted_at is not None and p.id not in already for p in partners):
        raise ActivityError("Wybrany partner został usunięty z rejestru.")
    categories = _fetch(s, ThreatCategory, data.category_ids,
                        "Wybrana kategoria zagrożenia już nie istnieje.")
    if data.kind is ActivityKind.TRAFFIC_PATROL and not any(
            o.role is OfficerRole.TRAFFIC for o in officers):
        raise ActivityError("Patrol z policjantem ruchu drogowego wymaga wskazania policjanta "
                            "Wydziału Ruchu Drogowego.")
    if data.plan_id is not None:
        plan = s.get(PriorityPlan, data.plan_id)
        if plan is None:
            raise ActivityError("Wybrany plan działania priorytetowego już nie istnieje.")
        if plan.beat_id not in data.beat_ids:
            raise ActivityError("Plan działania priorytetowego dotyczy innego rejonu: dodaj jego "
                                "rejon do działania albo wybierz inny plan.")
    a.kind = data.kind
    a.title = data.title
    a.starts_at = data.starts_at
    a.ends_at = data.ends_at
    a.place = data.place
    a.attendance = data.attendance
    a.outcome = data.outcome
    a.follow_up = data.follow_up
    a.plan_id = data.plan_id
    a.beats = beats
    a.officers = officers
    a.partners = partners
    a.categories = categories
    a.updated_at = utcnow()  # a change of the links alone still raises the version


def _stored(a: Activity) -> dict[str, object]:
    return {"kind": a.kind, "title": a.title, "starts_at": a.starts_at, "ends_at": a.ends_at,
            "place": a.place, "attendance": a.attendance, "outcome": a.outcome,
            "follow_up": a.follow_up, "plan_id": a.plan_id,
            "beat_ids": tuple(b.id for b in a.beats),
            "officer_ids": tuple(o.id for o in a.officers),
            "partner_ids": tuple(p.id for p in a.partners),
            "category_ids": tuple(c.id for c in a.categories)}


def _mine(d: ActivityInput) -> dict[str, object]:
    return {k: getattr(d, k) for k in FIELD_LABELS}


# --- write -------------------------------------------------------------------------------
def create_activity(db: Database, data: ActivityInput) -> ActivityRow:
    data = _clean(data)
    validate(data)
    with db.session() as s, s.begin():
        a = Activity()
        _apply(s, a, data)
        s.add(a)
        s.flush()
        row = _row(s.scalars(select(Activity).where(Activity.id == a.id)
                             .options(*_loaded())).one())
    log.info("Dodano działanie %s (%s, %s).", row.id, row.kind.value, row.starts_at)
    return row


def update_activity(db: Database, activity_id: int, data: ActivityInput,
                    expected_version: int | None) -> ActivityRow:
    """Save a change; ``expected_version`` is the version the user loaded (None: no check)."""
    data = _clean(data)
    validate(data)
    with conflicts_as(WHAT), db.session() as s, s.begin():
        a = s.scalars(select(Activity).where(Activity.id == activity_id)
                      .options(*_loaded())).one_or_none()
        if a is None:
            raise ConflictError(WHAT, None, deleted=True)
        check_version(a, expected_version, WHAT, _stored(a), _mine(data), FIELD_LABELS)
        _apply(s, a, data)
        s.flush()
        s.expire(a)
        row = _row(s.scalars(select(Activity).where(Activity.id == activity_id)
                             .options(*_loaded())).one())
    log.info("Zmieniono działanie %s.", activity_id)
    return row


def delete_activity(db: Database, activity_id: int, expected_version: int | None) -> None:
    with conflicts_as(WHAT), db.session() as s, s.begin():
        a = s.get(Activity, activity_id)
        if a is None:
            raise ConflictError(WHAT, None, deleted=True)
        check_version(a, expected_version, WHAT)
        s.delete(a)
    log.info("Usunięto działanie %s.", activity_id)


# --- read --------------------------------------------------------------------------------
def get_activity(db: Database, activity_id: int) -> ActivityRow:
    with db.session() as s:
        a = s.scalars(select(Activity).where(Activity.id == activity_id)
                      .options(*_loaded())).one_or_none()
        if a is None:
            raise LookupError(f"Nie ma działania o identyfikatorze {activity_id}.")
        return _row(a)


def list_activities(db: Database, flt: ActivityFilter | None = None) -> list[ActivityRow]:
    """Activities passing the filter, newest first."""
    flt = flt or ActivityFilter()
    q = select(Activity).options(*_loaded())
    if flt.date_from is not None:
        q = q.where(Activity.starts_at >= dt.datetime.combine(flt.date_from, dt.time()))
    if flt.date_to is not None:
        q = q.where(Activity.starts_at
                    < dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time()))
    if flt.kind is not None:
        q = q.where(Activity.kind == flt.kind)
    for table, column, value in ((activity_beats, "beat_id", flt.beat_id),
                                 (activity_officers, "officer_id", flt.officer_id),
                                 (activity_partners, "partner_id", flt.partner_id)):
        if value is not None:
            q = q.where(exists().where(table.c.activity_id == Activity.id,
                                       table.c[column] == value))
    q = q.order_by(Activity.starts_at.desc(), Activity.id.desc())
    with db.session() as s:
        rows = [_row(a) for a in s.scalars(q)]
    if flt.text.strip():
        rows = [r for r in rows if matches(flt.text, *r.search_fields())]
    return rows[:flt.limit] if flt.limit is not None else rows


def plan_choices(db: Database) -> list[tuple[int, int, str]]:
    """Priority plans as (id, beat id, label), newest first."""
    with db.session() as s:
        plans = s.scalars(select(PriorityPlan)
                          .options(joinedload(PriorityPlan.beat),
                                   joinedload(PriorityPlan.category))
                          .order_by(PriorityPlan.period_from.desc(), PriorityPlan.id)).all()
        return [(p.id, p.beat_id, plan_label(p)) for p in plans]


def traffic_officer_ids(db: Database) -> set[int]:
    with db.session() as s:
        return set(s.scalars(select(Officer.id).where(Officer.role == OfficerRole.TRAFFIC)))
