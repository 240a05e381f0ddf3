"""Reports to beats by geometry (vectorised, shapely 2 STRtree through
``desktop.common.geo.assign_points_to_beats``) and the list of reports that fall in no beat."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Beat, ThreatCategory, ThreatReport
from desktop.common.geo import assign_points_to_beats


@dataclass(frozen=True)
class AssignmentSummary:
    reports: int
    changed: int
    outside: int


@dataclass(frozen=True)
class OutsideReport:
    id: int
    source_id: str
    reported_at: dt.datetime
    category: str
    lat: float
    lon: float


def reassign_reports(db: Database) -> AssignmentSummary:
    """Recompute every report's beat (after beats were drawn or imported); one transaction."""
    with db.session() as s, s.begin():
        return reassign_reports_in(s)


def reassign_reports_in(s: Session) -> AssignmentSummary:
    """The same inside the caller's transaction (e.g. together with new beat boundaries)."""
    s.flush()
    beats = s.execute(select(Beat.id, Beat.boundary).where(Beat.retired_on.is_(None))
                      .order_by(Beat.id)).all()  # a retired beat's area is no beat's now
    data = s.execute(select(ThreatReport.id, ThreatReport.lon, ThreatReport.lat,
                            ThreatReport.beat_id)).all()
    if not data:
        return AssignmentSummary(0, 0, 0)
    ids = np.array([r[0] for r in data], dtype=np.int64)
    lon = np.array([r[1] for r in data], dtype=float)
    lat = np.array([r[2] for r in data], dtype=float)
    old = np.array([-1 if r[3] is None else r[3] for r in data], dtype=np.int64)
    new = assign_points_to_beats(lon, lat, [b for _, b in beats], [i for i, _ in beats])
    changed = np.flatnonzero(new != old)
    if len(changed):
        s.execute(update(ThreatReport), [
            {"id": int(ids[i]), "beat_id": None if new[i] < 0 else int(new[i])}
            for i in changed])
    return AssignmentSummary(len(data), len(changed), int((new < 0).sum()))


def reports_outside_beats(db: Database, limit: int = 10_000) -> list[OutsideReport]:
    with db.session() as s:
        q = (select(ThreatReport.id, ThreatReport.source_id, ThreatReport.reported_at,
                    ThreatCategory.name, ThreatReport.lat, ThreatReport.lon)
             .join(ThreatCategory).where(ThreatReport.beat_id.is_(None))
             .order_by(ThreatReport.reported_at).limit(limit))
        return [OutsideReport(i, sid or "", r, c, la, lo) for i, sid, r, c, la, lo in s.execute(q)]
