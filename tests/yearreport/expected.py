"""The report's numbers computed independently of ``desktop.yearreport``: plain ORM rows
loaded whole and counted in Python (no GROUP BY, no diagnosis module)."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Beat,
    OfficerRole,
    PlanEvaluation,
    PriorityPlan,
    Signature,
    SignatureStatus,
    ThreatReport,
    Unit,
)

EXCLUDED = {"Niepotwierdzone", "Żart lub pomyłka"}  # the diagnosis' documented default


@dataclass
class Expected:
    activities: int = 0
    attendance: int = 0
    by_kind: Counter = field(default_factory=Counter)
    attendance_by_kind: Counter = field(default_factory=Counter)
    by_month: Counter = field(default_factory=Counter)
    by_beat: dict = field(default_factory=dict)  # (unit short, number) -> Counter of kinds
    with_partners: int = 0
    reports: int = 0
    previous: int = 0
    outside: int = 0
    beat_reports: Counter = field(default_factory=Counter)  # (unit, number) -> count
    beat_previous: Counter = field(default_factory=Counter)
    road: int = 0
    road_previous: int = 0
    road_by_category: Counter = field(default_factory=Counter)
    traffic_activities: int = 0
    signed_partners: int = 0
    signed_in_period: int = 0
    plans: dict = field(default_factory=dict)  # (unit, number) -> (before, during, evaluation)
    beats_with_traffic: int = 0


def _tree(units: list[Unit], root: int | None) -> set[int]:
    if root is None:
        return {u.id for u in units}
    ids = {root}
    while True:
        more = {u.id for u in units if u.parent_id in ids} - ids
        if not more:
            return ids
        ids |= more


def expected(db, start: dt.date, end: dt.date, unit: str | None = None) -> Expected:
    e = Expected()
    days = (end - start).days + 1
    prev_end = start - dt.timedelta(days=1)
    prev_start = prev_end - dt.timedelta(days=days - 1)
    with db.session() as s:
        units = list(s.scalars(select(Unit)))
        root = next(u.id for u in units if unit in (u.short_name, u.name)) if unit else None
        scope = _tree(units, root)
        short = {u.id: u.short_name for u in units}
        beats = {b.id: b for b in s.scalars(select(Beat)) if b.unit_id in scope}
        for a in s.scalars(select(Activity).options(
                selectinload(Activity.beats), selectinload(Activity.officers),
                selectinload(Activity.partners))):
            if not start <= a.starts_at.date() <= end:
                continue
            mine = [b for b in a.beats if b.id in beats]
            if not mine:
                continue
            e.activities += 1
            e.attendance += a.attendance or 0
            e.by_kind[a.kind] += 1
            e.attendance_by_kind[a.kind] += a.attendance or 0
            e.by_month[a.starts_at.month] += 1
            e.with_partners += bool(a.partners)
            e.traffic_activities += any(o.role is OfficerRole.TRAFFIC for o in a.officers)
            for b in mine:
                e.by_beat.setdefault((short[b.unit_id], b.number), Counter())[a.kind] += 1
        for r in s.scalars(select(ThreatReport).options(
                selectinload(ThreatReport.status), selectinload(ThreatReport.category))):
            if r.status.name in EXCLUDED:
                continue
            day = r.reported_at.date()
            now, before = start <= day <= end, prev_start <= day <= prev_end
            if not (now or before):
                continue
            if r.beat_id is None:
                if root is None:
                    e.reports += now
                    e.previous += before
                    e.outside += now
                continue
            if r.beat_id not in beats:
                continue
            b = beats[r.beat_id]
            key = (short[b.unit_id], b.number)
            e.reports += now
            e.previous += before
            e.beat_reports[key] += now
            e.beat_previous[key] += before
            if r.category.is_road:
                e.road += now
                e.road_previous += before
                if now:
                    e.road_by_category[r.category.name] += 1
        partners = set()
        for sig in s.scalars(select(Signature)):
            if sig.status is SignatureStatus.SIGNED and (sig.signed_on is None
                                                         or sig.signed_on <= end):
                partners.add(sig.partner_id)
                e.signed_in_period += sig.signed_on is not None and start <= sig.signed_on <= end
        e.signed_partners = len(partners)
        for p in s.scalars(select(PriorityPlan)):
            if p.beat_id in beats and p.period_from <= end and p.period_to >= start:
                length = p.period_to - p.period_from
                b_to = p.period_from - dt.timedelta(days=1)
                b_from = b_to - length
                during = before_n = 0
                for r in s.scalars(select(ThreatReport).where(ThreatReport.beat_id == p.beat_id)):
                    if p.category_id is not None and r.category_id != p.category_id:
                        continue
                    day = r.reported_at.date()
                    during += p.period_from <= day <= p.period_to
                    before_n += b_from <= day <= b_to
                b = beats[p.beat_id]
                e.plans[(short[b.unit_id], b.number)] = (before_n, during, p.evaluation)
        traffic_beats = set()
        for asg in s.scalars(select(Assignment)):
            if (asg.role is AssignmentRole.TRAFFIC and asg.kind is AssignmentKind.REGULAR
                    and asg.beat_id in beats and asg.valid_from <= end
                    and (asg.valid_to is None or asg.valid_to >= end)):
                traffic_beats.add(asg.beat_id)
        e.beats_with_traffic = len(traffic_beats)
    return e


__all__ = ["Expected", "expected", "ActivityKind", "PlanEvaluation"]
