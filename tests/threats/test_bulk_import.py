"""The bulk write of an import (desktop/threats/bulk.py): times written per column exactly as
per value, secondary indexes dropped for a large batch and always back after the import
(also after a cancel), counts current."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import delete, text

from db.models import ThreatReport
from desktop.threats import bulk
from desktop.threats.importer import ImportCancelled, import_reports

from .test_aggregates import MS_2018_03, _csv, assert_counts_current


def test_sqlite_column_equals_value_by_value():
    r = random.Random(5)
    times = [None if r.random() < 0.1 else dt.datetime(1900, 1, 1)
             + dt.timedelta(microseconds=r.randrange(10 ** 16)) for _ in range(2000)]
    times += [dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 1, 0, 0, 0, 5)]
    dates = [None if t is None else t.date() for t in times]
    now = dt.datetime(2026, 12, 1, 13, 0)
    aware = [dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2021, 1, 1)]
    for column in (times, dates, [now] * 10, [None] * 3, aware, ["a", 1, 2.5, None],
                   [dt.date(2020, 1, 1), dt.datetime(2020, 1, 1, 5)], []):
        assert bulk.sqlite_column(column) == [bulk._sqlite_value(v) for v in column]


def _indexes(db) -> set[tuple[str, str]]:
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'threat_reports'")
        else:
            rows = conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'threat_reports'")
        return {(n, s or "") for n, s in rows}


def _rows(n: int, prefix: str) -> list[tuple[str, str, str, int, float]]:
    return [(f"{prefix}-{i}", "Akty wandalizmu", "Nowe" if i % 2 else "Potwierdzone",
             MS_2018_03 + i * 3_600_000 * 7, (i % 50) * 20.0) for i in range(n)]


def test_large_batch_into_empty_table_keeps_indexes(sample_db, write_file):
    before = _indexes(sample_db)
    with sample_db.session() as s, s.begin():
        s.execute(delete(ThreatReport))
    result = import_reports(sample_db, write_file("a.csv", _csv(_rows(300, "A"))))
    assert result.added == 300
    assert _indexes(sample_db) == before
    assert_counts_current(sample_db)
    with sample_db.engine.connect() as conn:  # the indexes are used again by the planner
        if conn.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM threat_reports "
                "WHERE reported_at >= '2018-04-01'"))
            assert "ix_threat_reports_reported_at" in plan


def test_cancel_after_indexes_dropped_brings_them_back(sample_db, write_file, monkeypatch):
    import desktop.threats.importer as importer

    before = _indexes(sample_db)
    with sample_db.session() as s, s.begin():
        s.execute(delete(ThreatReport))
    monkeypatch.setattr(importer, "WRITE_CHUNK", 20)
    stages: list[str] = []
    with pytest.raises(ImportCancelled):
        import_reports(sample_db, write_file("c.csv", _csv(_rows(100, "C"))),
                       progress=lambda _p, stage: stages.append(stage),
                       cancelled=lambda: stages.count("Zapisywanie zgłoszeń") >= 3)
    assert _indexes(sample_db) == before
    with sample_db.engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM threat_reports")) == 0
    assert_counts_current(sample_db)


def test_small_batch_into_large_table_keeps_indexes_in_place(sample_db):
    with sample_db.engine.connect() as conn, conn.begin():
        stored = conn.scalar(text("SELECT count(*) FROM threat_reports"))
        assert stored > 1
        assert bulk.drop_indexes_for(conn, stored - 1) == []
        if conn.dialect.name == "sqlite":
            dropped = bulk.drop_indexes_for(conn, stored)
            assert dropped and all("UNIQUE" not in sql.upper() for sql in dropped)
            conn.rollback()
        else:
            assert bulk.drop_indexes_for(conn, stored) == []


def test_reimport_of_a_large_batch_counts_current(sample_db, write_file):
    with sample_db.session() as s, s.begin():
        s.execute(delete(ThreatReport))
    import_reports(sample_db, write_file("a.csv", _csv(_rows(200, "R"))))
    changed = [(sid, "Nieprawidłowe parkowanie" if i % 3 else cat, "Nowe", ms + 86_400_000 * 40,
                dx + 10.0) for i, (sid, cat, _st, ms, dx) in enumerate(_rows(200, "R"))]
    result = import_reports(sample_db, write_file("b.csv", _csv(changed + _rows(250, "S"))))
    assert (result.added, result.updated) == (250, 200)
    assert_counts_current(sample_db)


def test_local_times_equal_per_value_around_dst_changes():
    """Offsets looked up per day, per hour only on DST days: the same times as per value."""
    import numpy as np

    from desktop.threats.columns import local_times
    from desktop.threats.values import from_epoch_ms

    r = random.Random(3)
    values = [r.randrange(946_684_800_000, 1_790_000_000_000) for _ in range(5000)]
    for year in range(2000, 2027):
        for month in (3, 10):  # the last Sunday: every minute of the day before and after
            day = dt.datetime(year, month, 31)
            while day.weekday() != 6:
                day -= dt.timedelta(days=1)
            base = int(day.replace(tzinfo=dt.UTC).timestamp() * 1000)
            values += [base + k * 60_000 for k in range(-24 * 60, 24 * 60, 7)]
    got = local_times(np.array(values, dtype=np.int64))
    assert got == [from_epoch_ms(float(v)) for v in values]
