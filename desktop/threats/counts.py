"""Report counts over any date range, from the aggregate table where it can answer.

Whole calendar months come from ``report_counts`` (db/aggregates.py, kept current by
triggers); the partial months at either end of the range come from ``threat_reports`` itself
(a few days each, through the ``reported_at`` index). The sum is exactly what one GROUP BY
over the reports would give. Qt-free: the diagnosis, the beats tab and the year's report use
it alike.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ReportCount, ThreatReport

GROUPS = ("month", "beat", "category", "status")
Key = tuple[Any, ...]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def split_range(start: dt.date, end: dt.date
                ) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """(first and last whole month inside start..end, as first days, or None;
    the partial pieces as inclusive day ranges, each within one month)."""
    first_full = start if start.day == 1 else next_month(start)
    last_full = month_start(end)
    if (end + dt.timedelta(days=1)).day != 1:  # end is not the month's last day
        last_full = month_start(last_full - dt.timedelta(days=1))
    if first_full <= last_full:
        parts = []
        if start < first_full:
            parts.append((start, first_full - dt.timedelta(days=1)))
        if end >= next_month(last_full):
            parts.append((next_month(last_full), end))
        return (first_full, last_full), parts
    if month_start(start) == month_start(end):
        return None, [(start, end)]
    return None, [(start, next_month(start) - dt.timedelta(days=1)), (month_start(end), end)]


def _check(group: Sequence[str]) -> None:
    unknown = [g for g in group if g not in GROUPS]
    if unknown:
        raise ValueError(f"unknown group {unknown}; expected some of {GROUPS}")


def count_reports_in(s: Session, date_from: dt.date, date_to: dt.date,
                     group: Sequence[str] = (), *,
                     statuses: Iterable[int] | None = None,
                     beat_ids: Any = None) -> dict[Key, int]:
    """{group values: reports} for reports with ``date_from <= reported_at's day <= date_to``.

    ``group`` names some of "month" (first day), "beat" (id, None outside every beat),
    "category", "status" (ids), in the order of the key. ``statuses`` limits to these status
    ids; ``beat_ids`` to these beats (a list, or a SELECT of ids) — reports in no beat are
    then left out. Empty groups give ``{(): total}`` (``{}`` when nothing is counted)."""
    _check(group)
    status_list = None if statuses is None else list(statuses)
    out: dict[Key, int] = {}

    def add(key: Key, n: int) -> None:
        out[key] = out.get(key, 0) + n

    full, parts = split_range(date_from, date_to)
    if full is not None:
        cols = {"month": ReportCount.month, "beat": ReportCount.beat_key,
                "category": ReportCount.category_id, "status": ReportCount.status_id}
        chosen = [cols[g] for g in group]
        q = select(*chosen, func.sum(ReportCount.count)).where(
            ReportCount.month >= full[0], ReportCount.month <= full[1])
        if status_list is not None:
            q = q.where(ReportCount.status_id.in_(status_list))
        if beat_ids is not None:
            q = q.where(ReportCount.beat_key.in_(beat_ids))
        if chosen:
            q = q.group_by(*chosen)
        beat_at = group.index("beat") if "beat" in group else -1
        month_at = group.index("month") if "month" in group else -1
        full_rows: list[Any] = list(s.execute(q))
        for row in full_rows:
            n = row[-1]
            if not n:
                continue
            key = list(row[:-1])
            if beat_at >= 0 and key[beat_at] == 0:
                key[beat_at] = None
            if month_at >= 0 and isinstance(key[month_at], dt.datetime):
                key[month_at] = key[month_at].date()
            add(tuple(key), int(n))
    for start, end in parts:
        rcols = {"beat": ThreatReport.beat_id, "category": ThreatReport.category_id,
                 "status": ThreatReport.status_id}
        chosen = [rcols[g] for g in group if g != "month"]
        q = select(*chosen, func.count()).where(
            ThreatReport.reported_at >= dt.datetime.combine(start, dt.time()),
            ThreatReport.reported_at < dt.datetime.combine(end + dt.timedelta(days=1),
                                                           dt.time()))
        if status_list is not None:
            q = q.where(ThreatReport.status_id.in_(status_list))
        if beat_ids is not None:
            q = q.where(ThreatReport.beat_id.in_(beat_ids))
        if chosen:
            q = q.group_by(*chosen)
        month = month_start(start)
        part_rows: list[Any] = list(s.execute(q))
        for row in part_rows:
            if not row[-1]:
                continue
            values = iter(row[:-1])
            add(tuple(month if g == "month" else next(values) for g in group),
                int(row[-1]))
    return out


def count_reports(db: Database, date_from: dt.date, date_to: dt.date,
                  group: Sequence[str] = (), *, statuses: Iterable[int] | None = None,
                  beat_ids: Any = None) -> dict[Key, int]:
    """:func:`count_reports_in` in a short session of its own (e.g. for the year's report:
    ``count_reports(db, date(2026, 1, 1), date(2026, 12, 31), ("month", "category"))``)."""
    with db.session() as s:
        return count_reports_in(s, date_from, date_to, group, statuses=statuses,
                                beat_ids=beat_ids)


__all__ = ["GROUPS", "count_reports", "count_reports_in", "split_range", "month_start",
           "next_month"]
