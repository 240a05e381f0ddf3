"""Read-only overviews for the window's tables (plain rows, no ORM objects leak out)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from db.engine import Database
from db.models import (
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Beat,
    Gmina,
    Officer,
    Partner,
    Signature,
    ThreatCategory,
    ThreatReport,
    ThreatStatus,
    Unit,
)


@dataclass(frozen=True)
class BeatRow:
    id: int
    unit: str
    number: str
    name: str
    gmina: str
    beat_officer: str
    traffic_officer: str
    area_km2: float | None
    reports: int


def _current(role: AssignmentRole, on: dt.date):
    return and_(
        Assignment.role == role,
        Assignment.kind == AssignmentKind.REGULAR,
        Assignment.valid_from <= on,
        or_(Assignment.valid_to.is_(None), Assignment.valid_to >= on),
    )


def beat_rows(db: Database, on: dt.date | None = None) -> list[BeatRow]:
    on = on or dt.date.today()
    with db.session() as s:
        people: dict[tuple[int, AssignmentRole], str] = {}
        for role in AssignmentRole:
            q = (select(Assignment.beat_id, Officer.rank, Officer.first_name, Officer.last_name)
                 .join(Officer).where(_current(role, on)))
            for beat_id, rank, first, last in s.execute(q):
                people[(beat_id, role)] = f"{rank} {first} {last}".strip()
        counts = dict(s.execute(select(ThreatReport.beat_id, func.count())
                                .group_by(ThreatReport.beat_id)).all())
        q = (select(Beat.id, Unit.short_name, Beat.number, Beat.name, Gmina.name, Beat.area_km2)
             .join(Unit).outerjoin(Gmina).order_by(Unit.id, Beat.id))
        return [
            BeatRow(bid, unit, number, name, gmina or "",
                    people.get((bid, AssignmentRole.BEAT_OFFICER), ""),
                    people.get((bid, AssignmentRole.TRAFFIC), ""), area, counts.get(bid, 0))
            for bid, unit, number, name, gmina, area in s.execute(q)
        ]


@dataclass(frozen=True)
class PartnerRow:
    id: int
    name: str
    partner_type: str
    gmina: str
    representative: str
    function: str
    phone: str
    email: str
    signature_status: str


def partner_rows(db: Database) -> list[PartnerRow]:
    with db.session() as s:
        status = {pid: st.value for pid, st in s.execute(
            select(Signature.partner_id, Signature.status))}
        q = (select(Partner).where(Partner.deleted_at.is_(None)).order_by(Partner.id))
        return [
            PartnerRow(p.id, p.name, p.partner_type.value, p.gmina.name if p.gmina else "",
                       p.representative, p.representative_function, p.phone, p.email,
                       status.get(p.id, ""))
            for p in s.scalars(q)
        ]


@dataclass(frozen=True)
class ReportRow:
    id: int
    reported_at: dt.datetime
    category: str
    status: str
    beat: str
    lat: float
    lon: float


def latest_reports(db: Database, limit: int = 500) -> list[ReportRow]:
    with db.session() as s:
        q = (select(ThreatReport.id, ThreatReport.reported_at, ThreatCategory.name,
                    ThreatStatus.name, Beat.name, ThreatReport.lat, ThreatReport.lon)
             .join(ThreatCategory).join(ThreatStatus).outerjoin(Beat)
             .order_by(ThreatReport.reported_at.desc()).limit(limit))
        return [ReportRow(i, r, c, st, b or "", la, lo) for i, r, c, st, b, la, lo in s.execute(q)]


def count_reports(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(ThreatReport)) or 0
