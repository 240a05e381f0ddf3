"""The fast counting path (whole months from ``report_counts``, partial months from the
reports' covering index, all in one UNION ALL statement) gives exactly what a direct count
over ``threat_reports`` gives: ranges that start and end mid-month, across years, inside one
month; every grouping; every status filter and scope of the diagnosis; on both engines."""
from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import func, select

from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus, Unit
from desktop.threats.counts import GROUPS, count_many_in, count_reports_in
from desktop.threats.diagnosis import DiagnosisScope, diagnose, top_threat_by_beat

RANGES = [
    (dt.date(2016, 12, 20), dt.date(2017, 1, 10)),  # across a year, before the data
    (dt.date(2017, 11, 17), dt.date(2018, 2, 3)),  # across the year, partial at both ends
    (dt.date(2017, 1, 1), dt.date(2018, 12, 31)),  # whole months only
    (dt.date(2017, 6, 30), dt.date(2018, 7, 1)),  # one day at either end
    (dt.date(2018, 4, 9), dt.date(2018, 4, 9)),  # one day
    (dt.date(2018, 8, 15), dt.date(2018, 9, 14)),  # two partial months
    (dt.date(2018, 12, 2), dt.date(2019, 1, 31)),  # into a month with no reports
]


def _reports(db) -> list[tuple]:
    with db.session() as s:
        return s.execute(select(ThreatReport.reported_at, ThreatReport.beat_id,
                                ThreatReport.category_id, ThreatReport.status_id)).all()


def _direct(rows, start, end, group, statuses=None, beats=None) -> dict[tuple, int]:
    out: dict[tuple, int] = {}
    for when, beat, cat, status in rows:
        if not start <= when.date() <= end:
            continue
        if statuses is not None and status not in statuses:
            continue
        if beats is not None and beat not in beats:
            continue
        values = {"month": when.date().replace(day=1), "beat": beat, "category": cat,
                  "status": status}
        key = tuple(values[g] for g in group)
        out[key] = out.get(key, 0) + 1
    return out


def test_every_grouping_equals_a_direct_count(sample_db):
    rows = _reports(sample_db)
    with sample_db.session() as s:
        status_ids = list(s.scalars(select(ThreatStatus.id).order_by(ThreatStatus.id)))
        beat_ids = list(s.scalars(select(Beat.id).order_by(Beat.id)))[:5]
    groups = [g for n in range(len(GROUPS) + 1) for g in itertools.combinations(GROUPS, n)]
    groups.append(("status", "month", "beat"))  # any order of the key
    filters = [(None, None), (status_ids[:2], None), ([], None), (None, beat_ids),
               (status_ids[1:], beat_ids[:2])]
    with sample_db.session() as s:
        for statuses, beats in filters:
            requests = [(a, b, g) for a, b in RANGES for g in groups]
            got = count_many_in(s, requests, statuses=statuses, beat_ids=beats)
            for (a, b, g), found in zip(requests, got, strict=True):
                expected = _direct(rows, a, b, g, statuses, beats)
                assert found == expected, (a, b, g, statuses, beats)
        # A SELECT of ids as the beat filter, and one request alone.
        beats_q = select(Beat.id).where(Beat.id.in_(beat_ids))
        a, b = RANGES[1]
        assert count_reports_in(s, a, b, ("beat", "month"), beat_ids=beats_q) == _direct(
            rows, a, b, ("beat", "month"), None, set(beat_ids))
    assert sum(_direct(rows, *RANGES[1], ()).values()) > 0  # the ranges do count something


def _unit_beats(s, unit_id: int) -> set[int]:
    units, parents = {unit_id}, dict(s.execute(select(Unit.id, Unit.parent_id)).all())
    while grown := {u for u, p in parents.items() if p in units} - units:
        units |= grown
    return set(s.scalars(select(Beat.id).where(Beat.unit_id.in_(units))))


def test_diagnosis_equals_a_direct_count_for_every_scope_and_status_filter(sample_db):
    db = sample_db
    rows = _reports(db)
    with db.session() as s:
        beat = s.execute(select(Beat.id, Beat.unit_id, Beat.gmina_id).order_by(Beat.id)).first()
        assert beat is not None and beat.gmina_id is not None
        root = s.scalar(select(Unit.id).where(Unit.parent_id.is_(None)).order_by(Unit.id))
        scopes = {"all": ({}, None),
                  "unit": ({"unit_id": beat.unit_id}, _unit_beats(s, beat.unit_id)),
                  "root unit": ({"unit_id": root}, _unit_beats(s, root)),
                  "gmina": ({"gmina_id": beat.gmina_id}, set(s.scalars(
                      select(Beat.id).where(Beat.gmina_id == beat.gmina_id)))),
                  "beat": ({"beat_id": beat.id}, {beat.id})}
        status_ids = tuple(s.scalars(select(ThreatStatus.id).order_by(ThreatStatus.id)))
        cat_names = dict(s.execute(select(ThreatCategory.id, ThreatCategory.name)).all())
        st_names = dict(s.execute(select(ThreatStatus.id, ThreatStatus.name)).all())
        all_beats = set(s.scalars(select(Beat.id)))
    checked = 0
    for (a, b), (kind, (where, beats)), statuses in itertools.product(
            RANGES[1:6], scopes.items(), [None, status_ids[:3], status_ids[3:4]]):
        scope = DiagnosisScope(a, b, statuses=statuses, **where)
        prev = scope.previous()
        d = diagnose(db, scope)
        label = (a, b, kind, statuses)
        cur = _direct(rows, a, b, ("beat", "category", "status"), statuses, beats)
        before = _direct(rows, prev.date_from, prev.date_to, ("beat",), statuses, beats)
        assert d.total == sum(cur.values()), label
        assert d.previous_total == sum(before.values()), label
        assert d.outside_beats == sum(n for k, n in cur.items() if k[0] is None), label
        by_cat: dict[str, int] = {}
        by_status: dict[str, int] = {}
        per_beat: dict[int, dict[int, int]] = {}
        for (bid, cat, st), n in cur.items():
            by_cat[cat_names[cat]] = by_cat.get(cat_names[cat], 0) + n
            by_status[st_names[st]] = by_status.get(st_names[st], 0) + n
            if bid is not None:
                cats = per_beat.setdefault(bid, {})
                cats[cat] = cats.get(cat, 0) + n
        assert {r.name: r.count for r in d.by_category} == by_cat, label
        assert {r.name: r.count for r in d.by_status} == by_status, label
        monthly = _direct(rows, a, b, ("month",), statuses, beats)
        assert {m: n for m, n in d.monthly if n} == {k[0]: n for k, n in monthly.items()}
        in_scope = beats if beats is not None else all_beats
        ranked = {r.beat_id: r for r in d.beats}
        assert set(ranked) == in_scope, label
        for bid, r in ranked.items():
            cats = per_beat.get(bid, {})
            assert (r.reports, r.previous) == (sum(cats.values()),
                                               before.get((bid,), 0)), label
            assert r.top_count == max(cats.values(), default=0), label
        top = {r.beat_id: (r.reports, r.previous, r.top_category, r.top_count)
               for r in top_threat_by_beat(db, scope)}
        assert top == {r.beat_id: (r.reports, r.previous, r.top_category, r.top_count)
                       for r in d.beats}, label
        checked += d.total
    assert checked > 0


def test_covering_indexes_exist(sample_db):
    """Migration 0012 (and the models) give the two covering indexes the fast path reads."""
    from sqlalchemy import inspect

    with sample_db.engine.connect() as conn:
        insp = inspect(conn)
        counts = {i["name"]: i["column_names"] for i in insp.get_indexes("report_counts")}
        reports = {i["name"]: i["column_names"] for i in insp.get_indexes("threat_reports")}
        assert conn.scalar(select(func.count()).select_from(ThreatReport)) > 0
    assert counts["ix_report_counts_cover"] == ["month", "beat_key", "category_id",
                                                "status_id", "count"]
    assert reports["ix_threat_reports_reported_at"] == ["reported_at", "beat_id",
                                                        "category_id", "status_id"]
