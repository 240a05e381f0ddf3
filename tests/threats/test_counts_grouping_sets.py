"""On PostgreSQL the counts share their scans (``counts_sets``: one scan of ``report_counts``
for every request's whole months, grouped BY GROUPING SETS); SQLite keeps the plain UNION ALL
of one GROUP BY per request. Both paths give the same counts as a direct count, and the same
diagnosis, on the same data; the diagnosis reads ``report_counts`` once."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools

import pytest
from sqlalchemy import event, select

import desktop.threats.diagnosis as diagnosis
from db.models import Beat, ThreatCategory, ThreatStatus
from desktop.threats.counts import GROUPS, count_many_in, split_range
from desktop.threats.counts_sets import layers

from .test_counts_fast_path import RANGES, _direct, _reports


def test_layers_keep_overlapping_ranges_apart():
    d = dt.date
    assert layers([]) == []
    assert layers([(d(2018, 3, 1), d(2018, 5, 1)), (d(2018, 1, 1), d(2018, 2, 1)),
                   (d(2018, 1, 1), d(2018, 2, 1))]) == [
        [(d(2018, 1, 1), d(2018, 2, 1)), (d(2018, 3, 1), d(2018, 5, 1))]]
    assert layers([(d(2018, 1, 1), d(2018, 6, 1)), (d(2018, 3, 1), d(2018, 9, 1)),
                   (d(2018, 7, 1), d(2018, 8, 1))]) == [
        [(d(2018, 1, 1), d(2018, 6, 1)), (d(2018, 7, 1), d(2018, 8, 1))],
        [(d(2018, 3, 1), d(2018, 9, 1))]]


def _selects(db, fn):
    """(what ``fn`` returns, the SELECT statements it ran)."""
    sql: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sql.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        return fn(), sql
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)


@pytest.mark.engines("postgresql")
def test_both_paths_equal_a_direct_count(sample_db):
    """Every grouping (and by day), overlapping and disjoint ranges, every filter."""
    rows = _reports(sample_db)
    with sample_db.session() as s:
        status_ids = list(s.scalars(select(ThreatStatus.id).order_by(ThreatStatus.id)))
        beat_ids = list(s.scalars(select(Beat.id).order_by(Beat.id)))[:5]
    groups = [g for n in range(len(GROUPS) + 1) for g in itertools.combinations(GROUPS, n)]
    groups += [("status", "month", "beat"), ("day",), ("beat", "day", "category")]
    filters = [(None, None), (status_ids[:2], None), ([], None), (None, beat_ids),
               (status_ids[1:], beat_ids[:2])]
    requests = [(a, b, g) for a, b in RANGES for g in groups]
    with sample_db.session() as s:
        for statuses, beats in filters:
            plain = count_many_in(s, requests, statuses=statuses, beat_ids=beats,
                                  grouping_sets=False)
            shared = count_many_in(s, requests, statuses=statuses, beat_ids=beats,
                                   grouping_sets=True)
            assert shared == plain, (statuses, beats)
            for (a, b, g), found in zip(requests, shared, strict=True):
                if "day" in g:
                    expected = {}
                    for when, beat, cat, status in rows:
                        if (a <= when.date() <= b and (statuses is None or status in statuses)
                                and (beats is None or beat in beats)):
                            values = {"day": when.date(), "beat": beat, "category": cat}
                            key = tuple(values[x] for x in g)
                            expected[key] = expected.get(key, 0) + 1
                else:
                    expected = _direct(rows, a, b, g, statuses, beats)
                assert found == expected, (a, b, g, statuses, beats)


def test_beat_categories_filter_on_both_paths(sample_db):
    rows = _reports(sample_db)
    with sample_db.session() as s:
        beats = list(s.scalars(select(Beat.id).order_by(Beat.id)))[:3]
        cats = list(s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id)))[:2]
    wanted = {beats[0]: set(cats), beats[1]: None, beats[2]: set()}
    paths = [False, True] if sample_db.engine.dialect.name == "postgresql" else [False]
    for grouping_sets in paths:
        with sample_db.session() as s:
            got = count_many_in(s, [(a, b, ("beat", "category")) for a, b in RANGES],
                                beat_categories=wanted, grouping_sets=grouping_sets)
        for (a, b), found in zip(RANGES, got, strict=True):
            expected = {k: n for k, n in _direct(rows, a, b, ("beat", "category")).items()
                        if k[0] == beats[1] or (k[0] == beats[0] and k[1] in cats)}
            assert found == expected, (a, b, grouping_sets)


def _scopes(db) -> list[diagnosis.DiagnosisScope]:
    with db.session() as s:
        beat = s.execute(select(Beat.id, Beat.unit_id, Beat.gmina_id).order_by(Beat.id)).first()
        statuses = tuple(s.scalars(select(ThreatStatus.id).order_by(ThreatStatus.id)))[:3]
    scopes = []
    for (a, b), where in itertools.product(
            RANGES[1:6], [{}, {"unit_id": beat.unit_id}, {"beat_id": beat.id},
                          {"gmina_id": beat.gmina_id}, {"statuses": statuses}]):
        scopes.append(diagnosis.DiagnosisScope(a, b, **where))
    return scopes


@pytest.mark.engines("postgresql")
def test_diagnosis_is_the_same_on_both_paths(sample_db, monkeypatch):
    """The diagnosis of the PostgreSQL path (shared scans) equals the one of SQLite's path
    run on the same PostgreSQL data, for every scope; its one statement reads
    ``report_counts`` once (it did four times: one per grouping)."""
    scopes = _scopes(sample_db)
    shared = []
    for scope in scopes:
        d, sql = _selects(sample_db, lambda scope=scope: diagnosis.diagnose(sample_db, scope))
        prev = scope.previous()
        whole_months = any(split_range(a, b)[0] is not None for a, b in (
            (scope.date_from, scope.date_to), (prev.date_from, prev.date_to)))
        assert sum(q.count("FROM report_counts") for q in sql) == int(whole_months), scope
        assert len([q for q in sql if "GROUPING SETS" in q]) == 1, scope
        shared.append(d)
    monkeypatch.setattr(diagnosis, "count_many_in",
                        functools.partial(count_many_in, grouping_sets=False))
    plain = []
    for scope in scopes:
        d, sql = _selects(sample_db, lambda scope=scope: diagnosis.diagnose(sample_db, scope))
        assert not any("GROUPING SETS" in q for q in sql)
        plain.append(d)
    assert [dataclasses.asdict(d) for d in shared] == [dataclasses.asdict(d) for d in plain]
    assert sum(d.total for d in shared) > 0
    _d, sql = _selects(sample_db, functools.partial(diagnosis.diagnose, sample_db, scopes[0]))
    assert sum(q.count("FROM report_counts") for q in sql) == 4  # plain: one per grouping


@pytest.mark.engines("sqlite")
def test_sqlite_keeps_the_plain_path(sample_db):
    scope = diagnosis.DiagnosisScope(*RANGES[1])
    _d, sql = _selects(sample_db, lambda: diagnosis.diagnose(sample_db, scope))
    counting = [q for q in sql if "report_counts" in q]
    assert len(counting) == 1 and "GROUPING SETS" not in counting[0]
    assert counting[0].count("FROM report_counts") == 4  # one per grouping
