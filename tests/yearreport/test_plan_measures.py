"""The year's report reads its priority plans' measures from the aggregates
(``counts.count_many_in``: whole months from ``report_counts``, the partial months from the
reports) and they equal a direct count over ``threat_reports``: windows that start and end
mid-month, cross the turn of a year, lie inside one month, plans without a category, on both
engines, in one SQL statement."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from db.models import Beat, PriorityPlan, ThreatCategory, ThreatReport
from desktop.yearreport.content import _plan_measures, collect

# (period_from, period_to); the "before" window is as long and ends the day before.
WINDOWS = [
    (dt.date(2018, 2, 1), dt.date(2018, 7, 31)),  # whole months, before starts mid-month
    (dt.date(2017, 11, 17), dt.date(2018, 2, 3)),  # across the year, partial at both ends
    (dt.date(2018, 1, 1), dt.date(2018, 1, 20)),  # before lies in the previous year
    (dt.date(2018, 4, 9), dt.date(2018, 4, 9)),  # one day
    (dt.date(2018, 8, 15), dt.date(2018, 9, 14)),  # two partial months
    (dt.date(2017, 6, 30), dt.date(2018, 7, 1)),  # one day at either end
    (dt.date(2018, 12, 2), dt.date(2019, 1, 31)),  # into a month with no reports
    (dt.date(2016, 12, 20), dt.date(2017, 1, 10)),  # before the data
]


def _add_plans(db) -> list:
    with db.session() as s, s.begin():
        beats = list(s.scalars(select(Beat.id).order_by(Beat.id)))[:6]
        cats = list(s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id)))
        for i, (start, end) in enumerate(WINDOWS):
            for j, beat in enumerate(beats[i % 3::3]):
                s.add(PriorityPlan(beat_id=beat, period_from=start, period_to=end,
                                   category_id=None if j == 0 else cats[(i + j) % len(cats)]))
    with db.session() as s:
        return list(s.execute(select(PriorityPlan.id, PriorityPlan.beat_id,
                                     PriorityPlan.category_id, PriorityPlan.period_from,
                                     PriorityPlan.period_to)))


def _direct(rows, beat: int, category: int | None, start: dt.date, end: dt.date) -> int:
    return sum(1 for when, b, c in rows if b == beat and category in (None, c)
               and start <= when.date() <= end)


def test_plan_measures_equal_a_direct_count(sample_db):
    plans = _add_plans(sample_db)
    assert sum(p.category_id is None for p in plans) >= len(WINDOWS)
    with sample_db.session() as s:
        rows = s.execute(select(ThreatReport.reported_at, ThreatReport.beat_id,
                                ThreatReport.category_id)).all()
    on = dt.date(2018, 6, 1)
    statements: list[str] = []

    def on_execute(_conn, _cursor, sql, *_args) -> None:
        if sql.lstrip().upper().startswith("SELECT"):  # not the driver's BEGIN
            statements.append(sql)

    event.listen(sample_db.engine, "before_cursor_execute", on_execute)
    try:
        with sample_db.session() as s:
            got = _plan_measures(s, plans, on)
    finally:
        event.remove(sample_db.engine, "before_cursor_execute", on_execute)
    assert len(statements) == 1  # every plan, both windows: one statement
    assert "report_counts" in statements[0]
    counted = 0
    for p in plans:
        length = p.period_to - p.period_from
        before_to = p.period_from - dt.timedelta(days=1)
        during = _direct(rows, p.beat_id, p.category_id, p.period_from, p.period_to)
        before = _direct(rows, p.beat_id, p.category_id, before_to - length, before_to)
        m = got[p.id]
        assert (m.during, m.before, m.finished) == (during, before, on > p.period_to), p
        counted += during + before
    assert counted > 0


def test_report_plans_equal_the_direct_count(sample_db):
    """``collect`` shows the same measures (its plans overlapping 2018, every one)."""
    plans = {p.id: p for p in _add_plans(sample_db)}
    with sample_db.session() as s:
        rows = s.execute(select(ThreatReport.reported_at, ThreatReport.beat_id,
                                ThreatReport.category_id)).all()
    report = collect(sample_db, dt.date(2018, 1, 1), dt.date(2018, 12, 31), user="test")
    expected = sorted(
        (_direct(rows, p.beat_id, p.category_id, p.period_from, p.period_to),
         _direct(rows, p.beat_id, p.category_id,
                 p.period_from - dt.timedelta(days=1) - (p.period_to - p.period_from),
                 p.period_from - dt.timedelta(days=1)))
        for p in plans.values()
        if p.period_from <= dt.date(2018, 12, 31) and p.period_to >= dt.date(2018, 1, 1))
    got = sorted((line.measure.during, line.measure.before) for line in report.plans.plans)
    assert got == expected and len(got) > len(WINDOWS)


def test_no_plans_no_statement(sample_db):
    with sample_db.session() as s:
        assert _plan_measures(s, [], dt.date(2018, 1, 1)) == {}
