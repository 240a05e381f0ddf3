"""Read-only queries of the beats capability: the beat table and the detail panel."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Assignment, AssignmentRole, Beat, Gmina, Officer, Unit
from desktop.beats.assignments import HistoryRow, history_row, officer_label
from desktop.beats.rules import Period, Responsible, responsible_on
from desktop.threats.counts import count_reports_in


def twelve_months_before(day: dt.date) -> dt.date:
    """The first day of the 12-month window that ends on ``day`` (29 Feb safe)."""
    try:
        return day.replace(year=day.year - 1) + dt.timedelta(days=1)
    except ValueError:
        return dt.date(day.year - 1, 3, 1)


@dataclass(frozen=True)
class BeatRow:
    id: int
    unit_id: int
    unit: str
    number: str
    name: str
    gmina: str
    beat_officer: str
    traffic_officer: str
    area_km2: float | None
    reports_12m: int


def _describe(r: Responsible) -> str:
    if r.acting is None:
        return ""
    if r.is_substitute:
        regular = f" za {r.regular.officer_name}" if r.regular else ""
        return f"{r.acting.officer_name} (zastępstwo{regular})"
    return r.acting.officer_name


def beat_rows(db: Database, on: dt.date | None = None) -> list[BeatRow]:
    """Every beat with its current officers and KMZB reports of the 12 months up to ``on``."""
    on = on or dt.date.today()
    with db.session() as s:
        periods: dict[int, list[Period]] = {}
        q = (select(Assignment, Officer).join(Officer)
             .where(Assignment.valid_from <= on)
             .where(Assignment.valid_to.is_(None) | (Assignment.valid_to >= on)))
        for a, o in s.execute(q):
            periods.setdefault(a.beat_id, []).append(
                Period(a.id, a.beat_id, a.officer_id, a.role, a.kind, a.valid_from, a.valid_to,
                       officer_label(o)))
        # Whole months from the aggregate table, the two partial months from the reports.
        counts = {key[0]: n for key, n in count_reports_in(
            s, twelve_months_before(on), on, ("beat",)).items()}
        beats = (select(Beat.id, Beat.unit_id, Unit.short_name, Unit.name, Beat.number,
                        Beat.name, Gmina.name, Beat.area_km2)
                 .join(Unit, Beat.unit_id == Unit.id)
                 .outerjoin(Gmina, Beat.gmina_id == Gmina.id).order_by(Unit.id, Beat.id)
                 .where(Beat.retired_on.is_(None) | (Beat.retired_on > on)))  # current only
        rows = []
        for bid, uid, short, uname, number, name, gmina, area in s.execute(beats):
            ps = periods.get(bid, [])
            rows.append(BeatRow(
                bid, uid, short or uname, number, name, gmina or "",
                _describe(responsible_on(ps, AssignmentRole.BEAT_OFFICER, on)),
                _describe(responsible_on(ps, AssignmentRole.TRAFFIC, on)),
                area, counts.get(bid, 0)))
        return rows


@dataclass(frozen=True)
class Contact:
    """An officer as residents see it in "Moja Komenda"."""

    officer_id: int
    name: str
    phone: str
    mobile: str
    email: str
    substitute_for: str = ""  # regular officer's name when this one is a substitute


@dataclass(frozen=True)
class BeatDetail:
    id: int
    number: str
    name: str
    description: str
    unit_id: int
    unit_name: str
    unit_short: str
    unit_address: str
    unit_phone: str
    gmina_id: int | None
    gmina: str
    area_km2: float | None
    boundary: str | None
    beat_officer: Contact | None
    traffic: Contact | None
    history: list[HistoryRow]


def _contact(r: Responsible, officers: dict[int, Officer]) -> Contact | None:
    if r.acting is None:
        return None
    o = officers[r.acting.officer_id]
    sub = r.regular.officer_name if r.is_substitute and r.regular else ""
    return Contact(o.id, officer_label(o), o.phone, o.mobile, o.email, sub)


def beat_details_in(s: Session, beat_ids: Sequence[int], on: dt.date) -> dict[int, BeatDetail]:
    """The details of several beats within the caller's session, in two queries whatever
    their number: the beats with unit and gmina, and their assignments with officers (which
    give both the officers on ``on`` and the history). Unknown ids are left out."""
    ids = list(beat_ids)
    beats = list(s.execute(select(Beat, Unit, Gmina).join(Unit, Beat.unit_id == Unit.id)
                           .outerjoin(Gmina, Beat.gmina_id == Gmina.id)
                           .where(Beat.id.in_(ids))))
    rows: dict[int, list[tuple[Assignment, Officer]]] = {}
    for a, o in s.execute(select(Assignment, Officer).join(Officer)
                          .where(Assignment.beat_id.in_(ids))
                          .order_by(Assignment.valid_from.desc(), Assignment.id.desc())):
        rows.setdefault(a.beat_id, []).append((a, o))
    out = {}
    for b, unit, gmina in beats:
        pairs = rows.get(b.id, [])
        officers = {o.id: o for _, o in pairs}
        ps = [Period(a.id, a.beat_id, a.officer_id, a.role, a.kind, a.valid_from, a.valid_to,
                     officer_label(o)) for a, o in pairs]
        out[b.id] = BeatDetail(
            id=b.id, number=b.number, name=b.name, description=b.description or "",
            unit_id=b.unit_id, unit_name=unit.name, unit_short=unit.short_name,
            unit_address=unit.address or "", unit_phone=unit.phone or "",
            gmina_id=b.gmina_id, gmina=gmina.name if gmina else "", area_km2=b.area_km2,
            boundary=b.boundary,
            beat_officer=_contact(responsible_on(ps, AssignmentRole.BEAT_OFFICER, on), officers),
            traffic=_contact(responsible_on(ps, AssignmentRole.TRAFFIC, on), officers),
            history=[history_row(a, o) for a, o in pairs])
    return out


def beat_detail(db: Database, beat_id: int, on: dt.date | None = None) -> BeatDetail:
    """One beat's detail panel (officers on ``on``, default today, and the history)."""
    with db.session() as s:
        found = beat_details_in(s, [beat_id], on or dt.date.today())
    if beat_id not in found:
        raise LookupError(f"Nie ma rejonu o identyfikatorze {beat_id}.")
    return found[beat_id]


def find_beat(db: Database, number: str, unit: str | None = None) -> list[tuple[int, str]]:
    """Beats with this number (optionally in the unit whose short or full name matches)."""
    from desktop.common.text import fold

    with db.session() as s:
        q = select(Beat.id, Unit.short_name, Unit.name).join(Unit).where(
            Beat.number == number.strip())
        out = []
        for bid, short, name in s.execute(q):
            if unit is None or fold(unit.strip()) in (fold(short or ""), fold(name)):
                out.append((bid, short or name))
        return out


def _in_number_order(rows: list[tuple[int, str]]) -> list[int]:
    from desktop.common.text import polish_sort_key

    def order(item: tuple[int, str]) -> tuple:
        num = item[1]
        return (0, int(num), "") if num.isdigit() else (1, 0, polish_sort_key(num))

    return [bid for bid, _ in sorted(rows, key=order)]


def unit_beat_ids(db: Database, unit: str) -> list[int]:
    """Beat ids of the unit (matched by short or full name, diacritics ignored), in order."""
    from desktop.common.text import fold

    key = fold(unit.strip())
    with db.session() as s:
        q = select(Beat.id, Beat.number, Unit.short_name, Unit.name).join(Unit)
        rows = [(bid, num) for bid, num, short, name in s.execute(q)
                if key in (fold(short or ""), fold(name))]
    return _in_number_order(rows)


def beat_ids_of_unit(db: Database, unit_id: int) -> list[int]:
    """Beat ids of the unit with this id, in the order of their numbers."""
    with db.session() as s:
        rows = [(bid, num) for bid, num in s.execute(
            select(Beat.id, Beat.number).where(Beat.unit_id == unit_id))]
    return _in_number_order(rows)
