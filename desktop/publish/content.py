"""What "Twój dzielnicowy" publishes about a beat, read in one session (Qt-free).

Only official contacts leave the database (:func:`official_contact`, :func:`official_unit`):
the unit's name, address and phone, and the officers' rank, name, official phone, mobile and
e-mail as stored. Service numbers, roles, ids, the plan's responsible persons, the user's
login, and anything else never reach a leaflet or a web page. The officers shown are the
beat's regular ones on the chosen day (a substitute only when nobody holds the beat
regularly): a leaflet hangs longer than a leave lasts.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from db.engine import Database
from db.models import (
    Assignment,
    AssignmentRole,
    Beat,
    Gmina,
    Officer,
    PlanPartner,
    PriorityPlan,
    Unit,
)
from db.services.info import is_sample, session_reference_date
from desktop.beats.mapsvg import MapShape, beat_map_svg
from desktop.beats.rules import Period, responsible_on
from desktop.beats.summary import streets_by_beat
from desktop.common.text import fold, polish_sort_key

# The rule "no personal data beyond official contacts", as data: the only columns of an
# officer and of a unit that may be published. Every other column is listed as never
# published, so a new column must be classified before anything can show it (a test checks
# that the two sets cover the model exactly).
OFFICER_PUBLISHED = ("rank", "first_name", "last_name", "phone", "mobile", "email")
OFFICER_NEVER = frozenset({"id", "service_number", "role", "unit_id", "active", "created_at",
                           "updated_at", "version"})
UNIT_PUBLISHED = ("name", "short_name", "address", "phone")
UNIT_NEVER = frozenset({"id", "kind", "parent_id", "created_at", "updated_at", "version"})


@dataclass(frozen=True)
class OfficialContact:
    """An officer as the public sees them: official contacts only."""

    rank: str
    first_name: str
    last_name: str
    phone: str
    mobile: str
    email: str

    @property
    def name(self) -> str:
        return " ".join(x for x in (self.rank, self.first_name, self.last_name) if x)


@dataclass(frozen=True)
class OfficialUnit:
    name: str
    short_name: str
    address: str
    phone: str


def official_contact(officer: Officer) -> OfficialContact:
    """The published part of an officer: exactly the columns in ``OFFICER_PUBLISHED``."""
    values = {col: (getattr(officer, col) or "").strip() for col in OFFICER_PUBLISHED}
    return OfficialContact(**values)


def official_unit(unit: Unit) -> OfficialUnit:
    values = {col: (getattr(unit, col) or "").strip() for col in UNIT_PUBLISHED}
    return OfficialUnit(**values)


@dataclass(frozen=True)
class Priority:
    """A current priority action plan as residents see it (no responsible persons)."""

    category: str
    problem: str
    goal: str
    period_from: dt.date
    period_to: dt.date
    actions: tuple[tuple[str, dt.date | None], ...]  # description, deadline
    partners: tuple[str, ...]  # partner organisations


@dataclass(frozen=True)
class BeatLeaflet:
    """Everything one beat's leaflet and web page show."""

    beat_id: int
    number: str
    name: str
    gmina: str
    unit: OfficialUnit
    parent_unit: OfficialUnit | None  # shown when the unit itself has no address or phone
    beat_officer: OfficialContact | None
    traffic: OfficialContact | None
    streets: tuple[tuple[str, tuple[str, ...]], ...]  # locality -> described lines
    priorities: tuple[Priority, ...]
    map_svg: str  # "" when the beat has no boundary yet
    on: dt.date
    sample: bool

    @property
    def unit_label(self) -> str:
        return self.unit.short_name or self.unit.name


class PublishError(ValueError):
    """A unit or beat that cannot be published; the text is Polish and ready to show."""


def _current(on: dt.date):  # the beats that exist on the day
    return Beat.retired_on.is_(None) | (Beat.retired_on > on)


def _number_order(number: str) -> tuple:
    return (0, int(number), ()) if number.isdigit() else (1, 0, polish_sort_key(number))


def unit_choices(db: Database) -> list[tuple[int, str]]:
    """Units that have beats: (id, short or full name), in id order."""
    with db.session() as s:
        rows = s.execute(select(Unit.id, Unit.short_name, Unit.name)
                         .where(Unit.id.in_(select(Beat.unit_id))).order_by(Unit.id))
        return [(uid, short or name) for uid, short, name in rows]


def find_unit(db: Database, text: str) -> int:
    """The unit whose short or full name is ``text`` (diacritics and case ignored)."""
    key = fold(text.strip())
    with db.session() as s:
        for uid, short, name in s.execute(select(Unit.id, Unit.short_name, Unit.name)):
            if key and key in (fold(short or ""), fold(name)):
                return uid
    raise PublishError(f"Nie ma jednostki „{text}”.")


def unit_beats(db: Database, unit_id: int, on: dt.date | None = None) -> list[int]:
    """The unit's beats existing on ``on`` (default: the database's reference day), by number."""
    with db.session() as s:
        on = on or session_reference_date(s)
        rows = list(s.execute(select(Beat.id, Beat.number)
                              .where(Beat.unit_id == unit_id, _current(on))))
    return [bid for bid, num in sorted(rows, key=lambda r: _number_order(r[1]))]


def _officers(s: Session, ids: list[int], on: dt.date) -> dict[tuple[int, AssignmentRole],
                                                                  OfficialContact]:
    periods: dict[int, list[Period]] = {}
    officers: dict[int, Officer] = {}
    q = (select(Assignment, Officer).join(Officer)
         .where(Assignment.beat_id.in_(ids), Assignment.valid_from <= on)
         .where(Assignment.valid_to.is_(None) | (Assignment.valid_to >= on)))
    for a, o in s.execute(q):
        officers[o.id] = o
        periods.setdefault(a.beat_id, []).append(
            Period(a.id, a.beat_id, a.officer_id, a.role, a.kind, a.valid_from, a.valid_to))
    out = {}
    for bid, ps in periods.items():
        for role in AssignmentRole:
            r = responsible_on(ps, role, on)
            chosen = r.regular or r.acting
            if chosen is not None:
                out[(bid, role)] = official_contact(officers[chosen.officer_id])
    return out


def _streets(s: Session, ids: list[int]) -> dict[int, tuple[tuple[str, tuple[str, ...]], ...]]:
    """The beat summary's street lines (``streets_by_beat``), frozen for the leaflet."""
    return {bid: tuple((loc, tuple(lines)) for loc, lines in by_locality)
            for bid, by_locality in streets_by_beat(s, ids).items()}


def _priorities(s: Session, ids: list[int], on: dt.date) -> dict[int, list[Priority]]:
    q = (select(PriorityPlan)
         .where(PriorityPlan.beat_id.in_(ids), PriorityPlan.period_from <= on,
                PriorityPlan.period_to >= on)
         .order_by(PriorityPlan.period_from.desc(), PriorityPlan.id.desc())
         .options(joinedload(PriorityPlan.category), selectinload(PriorityPlan.actions),
                  selectinload(PriorityPlan.partners).joinedload(PlanPartner.partner)))
    out: dict[int, list[Priority]] = {}
    for plan in s.scalars(q):
        out.setdefault(plan.beat_id, []).append(Priority(
            plan.category.name if plan.category else "", plan.problem.strip(),
            plan.goal.strip(), plan.period_from, plan.period_to,
            tuple((a.description, a.deadline) for a in plan.actions),
            tuple(sorted((pp.partner.name for pp in plan.partners
                          if pp.partner.deleted_at is None), key=polish_sort_key))))
    return out


def collect(db: Database, beat_ids: Sequence[int], on: dt.date | None = None,
            progress: Callable[[int, int], None] | None = None) -> list[BeatLeaflet]:
    """The leaflets of these beats in their order, read in one session with one query per
    kind of data. ``progress(done, all)`` follows each beat's map (the slow part) and may
    raise to cancel. Raises ``PublishError`` for an unknown beat or an empty list."""
    ids = list(beat_ids)
    if not ids:
        raise PublishError("Brak rejonów do opublikowania.")
    with db.session() as s:
        on = on or session_reference_date(s)
        sample = is_sample(s)
        beats = {b.id: (b, u, g) for b, u, g in s.execute(
            select(Beat, Unit, Gmina).join(Unit, Beat.unit_id == Unit.id)
            .outerjoin(Gmina, Beat.gmina_id == Gmina.id).where(Beat.id.in_(ids)))}
        missing = [bid for bid in ids if bid not in beats]
        if missing:
            raise PublishError(f"Nie ma rejonu o identyfikatorze {missing[0]}.")
        parents = {u.parent_id: official_unit(u.parent) for _, u, _ in beats.values()
                   if u.parent_id is not None and u.parent is not None}
        officers = _officers(s, ids, on)
        streets = _streets(s, ids)
        priorities = _priorities(s, ids, on)
        shapes = list(s.execute(
            select(Beat.id, Beat.unit_id, Beat.number, Unit.short_name, Beat.boundary)
            .join(Unit, Beat.unit_id == Unit.id)
            .where(Beat.boundary.is_not(None), _current(on))))
        plain = {bid: (b.number, b.name, b.boundary, b.unit_id, official_unit(u),
                       u.parent_id, g.name if g else "") for bid, (b, u, g) in beats.items()}
    out = []
    for n, bid in enumerate(ids, start=1):
        number, name, boundary, unit_id, unit, parent_id, gmina = plain[bid]
        neighbours = [MapShape(num if uid == unit_id else f"{short} {num}".strip(), shape)
                      for other, uid, num, short, shape in shapes if other != bid]
        parent = (parents.get(parent_id) if parent_id is not None
                  and not (unit.address or unit.phone) else None)
        out.append(BeatLeaflet(
            bid, number, name, gmina, unit, parent,
            officers.get((bid, AssignmentRole.BEAT_OFFICER)),
            officers.get((bid, AssignmentRole.TRAFFIC)),
            streets.get(bid, ()), tuple(priorities.get(bid, [])),
            beat_map_svg(MapShape(number, boundary), neighbours) if boundary else "",
            on, sample))
        if progress is not None:
            progress(n, len(ids))
    return out


# -- shared wording of the leaflet and the web page ---------------------------------------

SAMPLE_NOTICE = "DANE PRZYKŁADOWE (fikcyjne) – nie do publikacji"
EMERGENCY = "W sytuacji zagrożenia życia, zdrowia lub mienia dzwoń pod numer alarmowy 112."
ROLE_TITLES = {AssignmentRole.BEAT_OFFICER: "Dzielnicowy",
               AssignmentRole.TRAFFIC: "Policjant ruchu drogowego"}


def date_pl(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "–"


def contact_lines(c: OfficialContact) -> list[tuple[str, str]]:
    """(label, value) lines of an officer's official contacts that are filled in."""
    return [(label, value) for label, value in (("tel.", c.phone), ("tel. kom.", c.mobile),
                                                ("e-mail", c.email)) if value]


def unit_lines(item: BeatLeaflet) -> list[str]:
    """The unit (and its parent when the unit has no address or phone) as lines of text."""
    lines = []
    for u in (item.unit, item.parent_unit):
        if u is None:
            continue
        lines.append(u.name if u is item.unit else f"Jednostka nadrzędna: {u.name}")
        if u.address:
            lines.append(u.address)
        if u.phone:
            lines.append(f"tel. {u.phone}")
    return lines
