"""Report counts over any date range, from the aggregate table where it can answer.

Whole calendar months come from ``report_counts`` (db/aggregates.py, kept current by
triggers); the partial months at either end of the range come from ``threat_reports`` itself
(a few days each, through the ``reported_at`` index). The sum is exactly what one GROUP BY
over the reports would give. Qt-free: the diagnosis, the beats tab and the year's report use
it alike.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    cast,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ReportCount, ThreatReport

GROUPS = ("month", "beat", "category", "status")
# Every grouping: also "day", read from the reports alone (a range's partial months).
COLUMNS = (*GROUPS, "day")
DATES = ("month", "day")  # the groupings whose values are dates
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


def check_group(group: Sequence[str]) -> None:
    unknown = [g for g in group if g not in COLUMNS]
    if unknown:
        raise ValueError(f"unknown group {unknown}; expected some of {COLUMNS}")
    if "day" in group and "month" in group:
        raise ValueError("group by day or by month, not both (the day gives the month)")


def pieces(date_from: dt.date, date_to: dt.date, group: Sequence[str]
           ) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """:func:`split_range`, but a count by day reads the whole range from the reports."""
    if "day" in group:
        return None, [(date_from, date_to)]
    return split_range(date_from, date_to)


def day_of(dialect: str) -> Any:
    """The day of ``reported_at`` (SQLite keeps it as text: its first 10 characters)."""
    if dialect == "sqlite":
        return func.substr(ThreatReport.reported_at, 1, 10)
    return cast(ThreatReport.reported_at, Date)


Request = tuple[dt.date, dt.date, Sequence[str]]


def key_value(value: Any) -> Any:
    if value is None or value.__class__ is int:  # most values: ids
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):  # a month or day read back through a UNION on SQLite
        return _iso_date(value[:10])
    return value


@functools.lru_cache(maxsize=4096)
def _iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def beat_filter(beat: Any, category: Any, beat_ids: Any,
                beat_categories: Mapping[int, Iterable[int] | None] | None) -> list[Any]:
    """The WHERE conditions of ``beat_ids`` and ``beat_categories`` on these columns."""
    conds = []
    if beat_ids is not None:
        conds.append(beat.in_(beat_ids))
    if beat_categories is not None:
        whole = sorted(b for b, cats in beat_categories.items() if cats is None)
        pairs = sorted({(b, c) for b, cats in beat_categories.items() if cats is not None
                        for c in cats})
        either = ([tuple_(beat, category).in_(pairs)] if pairs else []) + (
            [beat.in_(whole)] if whole else [])
        conds.append(or_(*either) if either else false())
    return conds


def count_many_in(s: Session, requests: Sequence[Request], *,
                  statuses: Iterable[int] | None = None,
                  beat_ids: Any = None,
                  beat_categories: Mapping[int, Iterable[int] | None] | None = None,
                  grouping_sets: bool | None = None) -> list[dict[Key, int]]:
    """:func:`count_reports_in` for several (date_from, date_to, group) requests at once, in
    ONE statement: a UNION ALL of a GROUP BY over ``report_counts`` for each request's whole
    months and one over ``threat_reports`` for each partial month (both read from covering
    indexes, migration 0012). One dict per request, in their order. ``statuses`` and
    ``beat_ids`` as in :func:`count_reports_in`; ``beat_categories`` ({beat: its category ids,
    or None for every category}) counts only these beats' reports of these categories.

    ``grouping_sets`` (default: on PostgreSQL, which has them; SQLite has not): the requests
    share their scans instead — ONE scan of ``report_counts`` for all the whole months (each
    range tagged by a CASE, as long as the ranges do not overlap) and one per distinct partial
    month, each grouped BY GROUPING SETS (module ``counts_sets``). Same result."""
    if grouping_sets is None:
        grouping_sets = s.get_bind().dialect.name == "postgresql"
    if grouping_sets:
        from desktop.threats.counts_sets import count_with_grouping_sets

        return count_with_grouping_sets(s, requests, statuses=statuses, beat_ids=beat_ids,
                                        beat_categories=beat_categories)
    status_list = None if statuses is None else list(statuses)
    day = day_of(s.get_bind().dialect.name)
    # Built once: a long IN list is slow to build, and the same for every member.
    counts_filter = beat_filter(ReportCount.beat_key, ReportCount.category_id, beat_ids,
                                beat_categories)
    reports_filter = beat_filter(ThreatReport.beat_id, ThreatReport.category_id, beat_ids,
                                 beat_categories)
    members: list[Any] = []
    sources: list[tuple[int, dt.date | None]] = []  # per member: request, fixed month
    for index, (date_from, date_to, group) in enumerate(requests):
        check_group(group)
        full, parts = pieces(date_from, date_to, group)
        if full is not None:
            cols: tuple[Any, ...] = (ReportCount.month, ReportCount.beat_key,
                                     ReportCount.category_id, ReportCount.status_id, None)
            q = _member(len(members), cols, group, func.sum(ReportCount.count)).where(
                ReportCount.month >= full[0], ReportCount.month <= full[1])
            if status_list is not None:
                q = q.where(ReportCount.status_id.in_(status_list))
            q = q.where(*counts_filter)
            members.append(q)
            sources.append((index, None))
        for start, end in parts:
            cols = (None, ThreatReport.beat_id, ThreatReport.category_id,
                    ThreatReport.status_id, day)
            q = _member(len(members), cols, group, func.count()).where(
                ThreatReport.reported_at >= dt.datetime.combine(start, dt.time()),
                ThreatReport.reported_at < dt.datetime.combine(end + dt.timedelta(days=1),
                                                               dt.time()))
            if status_list is not None:
                q = q.where(ThreatReport.status_id.in_(status_list))
            q = q.where(*reports_filter)
            members.append(q)
            sources.append((index, month_start(start)))
    out: list[dict[Key, int]] = [{} for _ in requests]
    if not members:
        return out
    statement: Any = members[0] if len(members) == 1 else union_all(*members)
    slots = {g: i for i, g in enumerate(COLUMNS)}
    for row in s.execute(statement):
        tag, values, n = row[0], row[1:-1], row[-1]
        if not n:
            continue
        index, month = sources[tag]
        key = []
        for g in requests[index][2]:
            if g == "month" and month is not None:
                key.append(month)
                continue
            value = key_value(values[slots[g]])
            key.append(None if g == "beat" and value in (0, None) else value)
        found = out[index]
        found[tuple(key)] = found.get(tuple(key), 0) + int(n)
    return out


def _member(tag: int, cols: tuple[Any, ...], group: Sequence[str], total: Any) -> Any:
    """SELECT tag, month, beat, category, status, day, total (NULL where not grouped)."""
    chosen = {g: col for g, col in zip(COLUMNS, cols, strict=True)
              if g in group and col is not None}
    out: list[Any] = [literal_column(str(tag)).label("tag")]
    # Typed NULLs: PostgreSQL resolves a UNION's column types member by member.
    out += [chosen.get(g, cast(null(), Date if g in DATES else Integer)).label(g)
            for g in COLUMNS]
    q = select(*out, total.label("n"))
    return q.group_by(*chosen.values()) if chosen else q


def count_reports_in(s: Session, date_from: dt.date, date_to: dt.date,
                     group: Sequence[str] = (), *,
                     statuses: Iterable[int] | None = None,
                     beat_ids: Any = None) -> dict[Key, int]:
    """{group values: reports} for reports with ``date_from <= reported_at's day <= date_to``.

    ``group`` names some of "month" (first day), "beat" (id, None outside every beat),
    "category", "status" (ids), "day" (the date; read from the reports alone, so for short
    ranges: the partial months of a longer one; not with "month"), in the order of the key. ``statuses`` limits to these status
    ids; ``beat_ids`` to these beats (a list, or a SELECT of ids) — reports in no beat are
    then left out. Empty groups give ``{(): total}`` (``{}`` when nothing is counted).
    One statement (:func:`count_many_in`)."""
    return count_many_in(s, [(date_from, date_to, group)], statuses=statuses,
                         beat_ids=beat_ids)[0]


def count_reports(db: Database, date_from: dt.date, date_to: dt.date,
                  group: Sequence[str] = (), *, statuses: Iterable[int] | None = None,
                  beat_ids: Any = None) -> dict[Key, int]:
    """:func:`count_reports_in` in a short session of its own (e.g. for the year's report:
    ``count_reports(db, date(2026, 1, 1), date(2026, 12, 31), ("month", "category"))``)."""
    with db.session() as s:
        return count_reports_in(s, date_from, date_to, group, statuses=statuses,
                                beat_ids=beat_ids)


__all__ = ["COLUMNS", "GROUPS", "beat_filter", "check_group", "count_many_in", "count_reports",
           "count_reports_in", "day_of", "key_value", "month_start", "next_month", "pieces",
           "split_range"]
