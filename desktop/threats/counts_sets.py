"""``counts.count_many_in`` with shared scans, grouped BY GROUPING SETS (PostgreSQL).

The plain form reads ``report_counts`` once per request (the diagnosis asks four: this period
by beat and category, by status, by month; the previous period by beat). Here the requests
share their scans: the whole months of every request come from ONE scan of ``report_counts``
(each month range tagged by a CASE; ranges that overlap go to another scan, which the callers'
requests never need), and each distinct partial month from one range scan of the reports'
covering index. Each scan is grouped by every grouping its requests want at once
(``GROUP BY GROUPING SETS ((tag, beat, category), (tag, status), …)``); ``GROUPING()`` tells
which grouping a row belongs to. Still one statement (a UNION ALL of the scans), the same
result as the plain form (tests/threats/test_counts_grouping_sets.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    tuple_,
    union_all,
)

from db.models import ReportCount, ThreatReport
from desktop.threats.counts import (
    COLUMNS,
    DATES,
    Key,
    Request,
    beat_filter,
    check_group,
    day_of,
    key_value,
    pieces,
)

Range = tuple[dt.date, dt.date]
# A scan's wanted groupings: (range, SQL columns grouped) -> [(request, its group)]
Wants = dict[tuple[Range, frozenset[str]], list[tuple[int, Sequence[str]]]]


def layers(ranges: Iterable[Range]) -> list[list[Range]]:
    """The distinct ranges in as few lists as possible, no two ranges of a list overlapping
    (one list when no ranges overlap)."""
    out: list[list[Range]] = []
    for r in sorted(set(ranges)):
        for layer in out:
            if layer[-1][1] < r[0]:
                layer.append(r)
                break
        else:
            out.append([r])
    return out


class _Scan:
    """One member of the UNION ALL: one source, some ranges, every grouping wanted of them."""

    def __init__(self, ranges: list[Range], wants: Wants, fixed_month: bool) -> None:
        self.ranges = ranges
        self.fixed_month = fixed_month  # a partial month: "month" is the range's own month
        self.sets = sorted({cols for (r, cols) in wants if r in ranges}, key=sorted)
        used = set().union(*self.sets)
        self.args = [g for g in COLUMNS if g in used]  # the arguments of GROUPING()
        self.wants = wants

    def gid(self, cols: frozenset[str]) -> int:
        """GROUPING(args) of the rows of the grouping ``cols``: a bit set per argument
        left out, the first argument the highest bit."""
        n = len(self.args)
        return sum(1 << (n - 1 - i) for i, g in enumerate(self.args) if g not in cols)

    def statement(self, first_tag: int, source: dict[str, Any], total: Callable[[Any], Any],
                  inside: Callable[[Range], Any], filters: list[Any]) -> Any:
        tag = case(*((inside(r), literal(first_tag + i)) for i, r in enumerate(self.ranges)))
        inner = [tag.label("tag")] + [source[g].label(g) for g in self.args]
        inner.append(source["value"].label("value"))
        sub = select(*inner).where(or_(*(inside(r) for r in self.ranges)), *filters).subquery()
        gid: Any = (func.grouping(*(sub.c[g] for g in self.args)) if self.args
                    else literal(0))
        out: list[Any] = [sub.c.tag.label("tag"), cast(gid, Integer).label("gid")]
        out += [sub.c[g].label(g) if g in self.args else
                cast(null(), Date if g in DATES else Integer).label(g) for g in COLUMNS]
        sets = [tuple_(sub.c.tag, *(sub.c[g] for g in self.args if g in cols))
                for cols in self.sets]
        q = select(*out, total(sub.c.value).label("n")).group_by(func.grouping_sets(*sets))
        wanted = [(first_tag + i, self.gid(cols)) for i, r in enumerate(self.ranges)
                  for cols in self.sets if (r, cols) in self.wants]
        if self.args and len(wanted) < len(self.ranges) * len(self.sets):
            # The groupings no request wants of a range (e.g. the previous period by beat
            # and category) are not sent.
            q = q.having(tuple_(sub.c.tag, gid).in_(wanted))
        return q


def count_with_grouping_sets(s: Any, requests: Sequence[Request], *,
                             statuses: Iterable[int] | None = None,
                             beat_ids: Any = None,
                             beat_categories: Any = None) -> list[dict[Key, int]]:
    """``counts.count_many_in`` in one statement of shared scans (see the module)."""
    status_list = None if statuses is None else list(statuses)
    full_wants: Wants = {}
    part_wants: Wants = {}
    for index, (date_from, date_to, group) in enumerate(requests):
        check_group(group)
        full, parts = pieces(date_from, date_to, group)
        if full is not None:
            full_wants.setdefault((full, frozenset(group)), []).append((index, group))
        for piece in parts:
            cols = frozenset(g for g in group if g != "month")
            part_wants.setdefault((piece, cols), []).append((index, group))
    scans = [_Scan(layer, full_wants, False) for layer in layers(r for r, _ in full_wants)]
    scans += [_Scan([r], part_wants, True) for r in sorted({r for r, _ in part_wants})]
    out: list[dict[Key, int]] = [{} for _ in requests]
    if not scans:
        return out

    rc, tr = ReportCount, ThreatReport
    counts_source = {"month": rc.month, "beat": rc.beat_key, "category": rc.category_id,
                     "status": rc.status_id, "day": null(), "value": rc.count}
    reports_source = {"month": null(), "beat": tr.beat_id, "category": tr.category_id,
                      "status": tr.status_id, "day": day_of(s.get_bind().dialect.name),
                      "value": literal(1)}

    def month_range(r: Range) -> Any:
        return and_(rc.month >= r[0], rc.month <= r[1])

    def day_range(r: Range) -> Any:
        return and_(tr.reported_at >= dt.datetime.combine(r[0], dt.time()),
                    tr.reported_at < dt.datetime.combine(r[1] + dt.timedelta(days=1),
                                                         dt.time()))

    def filters(status_col: Any, beat_col: Any, category_col: Any) -> list[Any]:
        found = []
        if status_list is not None:
            found.append(status_col.in_(status_list))
        return found + beat_filter(beat_col, category_col, beat_ids, beat_categories)

    members: list[Any] = []
    tags: dict[int, tuple[_Scan, Range]] = {}
    for scan in scans:
        if scan.fixed_month:
            member = scan.statement(len(tags), reports_source, lambda _v: func.count(),
                                    day_range, filters(tr.status_id, tr.beat_id, tr.category_id))
        else:
            member = scan.statement(len(tags), counts_source, func.sum, month_range,
                                    filters(rc.status_id, rc.beat_key, rc.category_id))
        members.append(member)
        first = len(tags)
        tags.update({first + i: (scan, r) for i, r in enumerate(scan.ranges)})
    statement: Any = members[0] if len(members) == 1 else union_all(*members)
    wanted = {(tag, scan.gid(cols)): (scan, r, cols)
              for tag, (scan, r) in tags.items() for cols in scan.sets}
    for row in s.execute(statement):
        tag, gid, n = row[0], row[1], row[-1]
        values = dict(zip(COLUMNS, row[2:-1], strict=True))
        if not n or (tag, gid) not in wanted:
            continue
        scan, r, cols = wanted[(tag, gid)]
        for index, group in scan.wants.get((r, cols), ()):
            key: list[Any] = []
            for g in group:
                if g == "month" and scan.fixed_month:
                    key.append(r[0].replace(day=1))
                    continue
                value = key_value(values[g])
                key.append(None if g == "beat" and value in (0, None) else value)
            found = out[index]
            found[tuple(key)] = found.get(tuple(key), 0) + int(n)
    return out
