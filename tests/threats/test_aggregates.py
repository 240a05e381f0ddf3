"""The report counts table (db/aggregates.py) always equals a recount of the reports, on both
engines, after every kind of write; and the diagnosis and the beats tab give what a recount
of the reports gives, partial months included."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select, text, update

from db import aggregates
from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus, Unit
from desktop.beats.queries import beat_rows, twelve_months_before
from desktop.threats.assignment import reassign_reports
from desktop.threats.counts import count_reports, split_range
from desktop.threats.diagnosis import DiagnosisScope, diagnose, top_threat_by_beat
from desktop.threats.importer import import_reports

from .test_importer import KMZB_HEADER, E, N


def assert_counts_current(db) -> None:
    """The stored counts equal a full recount of threat_reports (no zero rows left)."""
    with db.engine.connect() as conn:
        stored, recounted = aggregates.stored(conn), aggregates.recounted(conn)
    assert stored == recounted
    assert all(n > 0 for n in stored.values())


def _csv(rows: list[tuple[str, str, str, int, float]]) -> str:
    lines = [KMZB_HEADER]
    for sid, cat, status, ms, dx in rows:
        lines.append(f"{sid};{cat};{status};3062011;{ms};{ms};{ms};{E + dx:.1f};{N:.1f};o")
    return "\n".join(lines) + "\n"


MS_2018_03 = 1520244000000  # 2018-03-05
DAY_MS = 86_400_000


def test_sample_counts_equal_recount(sample_db):
    assert_counts_current(sample_db)
    with sample_db.engine.connect() as conn:
        assert sum(aggregates.stored(conn).values()) == conn.scalar(
            text("SELECT count(*) FROM threat_reports"))


def test_import_reimport_edit_delete(sample_db, write_file):
    db = sample_db
    rows = [(f"A-{i}", "Akty wandalizmu", "Potwierdzone", MS_2018_03 + i * 9 * DAY_MS, i * 5.0)
            for i in range(40)]
    import_reports(db, write_file("a.csv", _csv(rows)))
    assert_counts_current(db)
    # Re-import: other statuses, categories and dates (newer modification) and new rows.
    changed = [(sid, "Nieprawidłowe parkowanie" if i % 2 else cat,
                "Nowe" if i % 3 else st, ms + 40 * DAY_MS, dx)
               for i, (sid, cat, st, ms, dx) in enumerate(rows)]
    changed += [(f"B-{i}", "Akty wandalizmu", "Nowe", MS_2018_03, 0.0) for i in range(5)]
    result = import_reports(db, write_file("b.csv", _csv(changed)))
    assert result.updated == 40 and result.added == 5
    assert_counts_current(db)
    # An edit through the ORM (status, category, date) and one through raw SQL.
    with db.session() as s, s.begin():
        report = s.scalars(select(ThreatReport).order_by(ThreatReport.id)).first()
        assert report is not None
        statuses = list(s.scalars(select(ThreatStatus.id)))
        categories = list(s.scalars(select(ThreatCategory.id)))
        report.status_id = statuses[-1] if report.status_id != statuses[-1] else statuses[0]
        report.category_id = categories[-1]
        report.reported_at = report.reported_at - dt.timedelta(days=400)
    with db.session() as s, s.begin():
        s.execute(text("UPDATE threat_reports SET status_id = :st WHERE id % 7 = 0"),
                  {"st": statuses[1]})
        s.execute(update(ThreatReport).where(ThreatReport.id % 11 == 0)
                  .values(description="tylko opis"))  # no counted column changes
    assert_counts_current(db)
    # Deletions: a few rows, then a whole month.
    with db.session() as s, s.begin():
        s.execute(delete(ThreatReport).where(ThreatReport.id % 5 == 0))
        s.execute(delete(ThreatReport).where(
            ThreatReport.reported_at >= dt.datetime(2018, 4, 1),
            ThreatReport.reported_at < dt.datetime(2018, 5, 1)))
    assert_counts_current(db)


def test_rolled_back_write_leaves_counts(sample_db):
    with sample_db.engine.connect() as conn:
        before = aggregates.stored(conn)
    with pytest.raises(RuntimeError), sample_db.session() as s, s.begin():
        s.execute(delete(ThreatReport))
        raise RuntimeError("cancel")
    with sample_db.engine.connect() as conn:
        assert aggregates.stored(conn) == before


def test_beat_boundary_change_and_deleted_beat(sample_db):
    db = sample_db
    with db.session() as s, s.begin():
        beats = s.scalars(select(Beat).order_by(Beat.id)).all()
        # Beat 1 takes beat 2's shape as well (its reports move), beat 2 loses its boundary.
        beats[0].boundary, beats[1].boundary = beats[1].boundary, None
    summary = reassign_reports(db)
    assert summary.changed > 0
    assert_counts_current(db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ThreatReport)
                        .where(ThreatReport.beat_id == beats[1].id)) == 0
    # A beat deleted by SQL: ON DELETE SET NULL moves its reports out of every beat.
    with db.session() as s, s.begin():
        beat_id = beats[0].id
        for table in ("assignments", "priority_plans", "activity_beats", "street_ranges"):
            s.execute(text(f"DELETE FROM {table} WHERE beat_id = :b"), {"b": beat_id})
        s.execute(text("DELETE FROM beats WHERE id = :b"), {"b": beat_id})
    assert_counts_current(db)


def test_category_rename_keeps_counts_and_names(sample_db):
    db = sample_db
    scope = DiagnosisScope(dt.date(2017, 1, 1), dt.date(2018, 12, 31))
    before = diagnose(db, scope)
    top = before.by_category[0]
    with db.session() as s, s.begin():
        s.execute(update(ThreatCategory).where(ThreatCategory.name == top.name)
                  .values(name="Nowa nazwa kategorii"))
    assert_counts_current(db)
    after = diagnose(db, scope)
    assert after.by_category[0].name == "Nowa nazwa kategorii"
    assert after.by_category[0].count == top.count and after.total == before.total


def test_migration_fills_counts_from_existing_reports(sample_db):
    with sample_db.engine.begin() as conn:
        conn.execute(text("DELETE FROM report_counts"))
        aggregates.recount(conn)
    assert_counts_current(sample_db)
    with sample_db.engine.begin() as conn:  # only some months
        conn.execute(text("UPDATE report_counts SET count = count + 3"))
        months = sorted({k[0] for k in aggregates.stored(conn)})
        aggregates.recount(conn, months)
    assert_counts_current(sample_db)


# -- the readers give what a recount of the reports gives ----------------------------------

@pytest.mark.parametrize(("start", "end"), [
    (dt.date(2017, 1, 1), dt.date(2018, 12, 31)),  # whole months only
    (dt.date(2017, 3, 15), dt.date(2018, 2, 10)),  # partial months at both ends
    (dt.date(2018, 5, 3), dt.date(2018, 5, 20)),  # inside one month
    (dt.date(2018, 5, 3), dt.date(2018, 6, 20)),  # two partial months, no whole one
    (dt.date(2018, 5, 1), dt.date(2018, 6, 30)),  # exactly two months
    (dt.date(2018, 2, 1), dt.date(2018, 2, 28)),  # one whole February
])
def test_counts_equal_grouped_reports(sample_db, start, end):
    full, parts = split_range(start, end)
    days = set()
    if full:
        d = full[0]
        while d <= full[1] or (d.year, d.month) == (full[1].year, full[1].month):
            days.add(d)
            d += dt.timedelta(days=1)
    for a, b in parts:
        days |= {a + dt.timedelta(days=i) for i in range((b - a).days + 1)}
    assert days == {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}
    with sample_db.session() as s:
        statuses = list(s.scalars(select(ThreatStatus.id)))[:3]
        reports = s.execute(select(ThreatReport.reported_at, ThreatReport.beat_id,
                                   ThreatReport.category_id, ThreatReport.status_id)).all()
    expected: dict[tuple, int] = {}
    for when, beat, cat, st in reports:
        if start <= when.date() <= end and st in statuses:
            key = (when.date().replace(day=1), beat, cat)
            expected[key] = expected.get(key, 0) + 1
    got = count_reports(sample_db, start, end, ("month", "beat", "category"),
                        statuses=statuses)
    assert got == expected


def _recount_diagnosis(db, scope: DiagnosisScope, beat_ids: set[int] | None):
    """The diagnosis's numbers counted in Python from every report (the old path's meaning)."""
    def inside(when, beat, st, period):
        return (period.date_from <= when.date() <= period.date_to
                and (scope.statuses is None or st in scope.statuses)
                and (beat_ids is None or beat in beat_ids))

    with db.session() as s:
        rows = s.execute(select(ThreatReport.reported_at, ThreatReport.beat_id,
                                ThreatReport.category_id, ThreatReport.status_id)).all()
        names = dict(s.execute(select(ThreatCategory.id, ThreatCategory.name)).all())
    cur = [r for r in rows if inside(r[0], r[1], r[3], scope)]
    prev = [r for r in rows if inside(r[0], r[1], r[3], scope.previous())]
    by_cat: dict[str, int] = {}
    per_beat: dict[int, int] = {}
    monthly: dict[dt.date, int] = {}
    for when, beat, cat, _st in cur:
        by_cat[names[cat]] = by_cat.get(names[cat], 0) + 1
        monthly[when.date().replace(day=1)] = monthly.get(when.date().replace(day=1), 0) + 1
        if beat is not None:
            per_beat[beat] = per_beat.get(beat, 0) + 1
    return (len(cur), len(prev), sum(1 for r in cur if r[1] is None), by_cat, per_beat,
            monthly)


@pytest.mark.parametrize("kind", ["all", "unit", "beat", "statuses"])
def test_diagnosis_equals_recount(sample_db, kind):
    db = sample_db
    with db.session() as s:
        beat = s.execute(select(Beat.id, Beat.unit_id).order_by(Beat.id)).first()
        assert beat is not None
        units, parents = {beat.unit_id}, dict(s.execute(select(Unit.id, Unit.parent_id)).all())
        while grown := {u for u, p in parents.items() if p in units} - units:
            units |= grown  # the unit with its stations
        unit_beats = set(s.scalars(select(Beat.id).where(Beat.unit_id.in_(units))))
        statuses = tuple(s.scalars(select(ThreatStatus.id)))[1:]
    scope = DiagnosisScope(dt.date(2017, 2, 14), dt.date(2018, 7, 9),
                           unit_id=beat.unit_id if kind == "unit" else None,
                           beat_id=beat.id if kind == "beat" else None,
                           statuses=statuses if kind == "statuses" else None)
    beat_ids = {"unit": unit_beats, "beat": {beat.id}}.get(kind)
    total, prev, outside, by_cat, per_beat, monthly = _recount_diagnosis(db, scope, beat_ids)
    d = diagnose(db, scope)
    assert total > 0
    assert (d.total, d.previous_total, d.outside_beats) == (total, prev, outside)
    assert {r.name: r.count for r in d.by_category} == by_cat
    assert {b.beat_id: b.reports for b in d.beats if b.reports} == per_beat
    assert {m: n for m, n in d.monthly if n} == monthly
    assert {b.beat_id: b.reports for b in top_threat_by_beat(db, scope) if b.reports} == per_beat


def test_beats_tab_12_months_equals_recount(sample_db):
    with sample_db.session() as s:
        last = s.scalar(select(func.max(ThreatReport.reported_at)))
        rows = s.execute(select(ThreatReport.reported_at, ThreatReport.beat_id)).all()
    on = last.date() - dt.timedelta(days=40)  # a window with partial months at both ends
    since = twelve_months_before(on)
    expected: dict[int, int] = {}
    for when, beat in rows:
        if beat is not None and since <= when.date() <= on:
            expected[beat] = expected.get(beat, 0) + 1
    listed = beat_rows(sample_db, on)
    assert sum(r.reports_12m for r in listed) > 0
    assert {r.id: r.reports_12m for r in listed} == {r.id: expected.get(r.id, 0) for r in listed}


def test_cancelled_import_keeps_triggers_and_counts(sample_db, write_file, monkeypatch):
    """The SQLite importer pauses the triggers inside its transaction: a cancel in the middle
    of the write brings them back with the counts as they were."""
    import desktop.threats.importer as importer

    monkeypatch.setattr(importer, "WRITE_CHUNK", 2)
    rows = [(f"C-{i}", "Akty wandalizmu", "Nowe", MS_2018_03, 0.0) for i in range(10)]
    stages: list[str] = []
    with pytest.raises(importer.ImportCancelled):
        import_reports(sample_db, write_file("c.csv", _csv(rows)),
                       progress=lambda _p, stage: stages.append(stage),
                       cancelled=lambda: stages.count("Zapisywanie zgłoszeń") >= 2)
    assert_counts_current(sample_db)
    with sample_db.session() as s, s.begin():  # the triggers still count a plain insert
        s.execute(text("UPDATE threat_reports SET status_id = status_id + 0, "
                       "beat_id = NULL WHERE id % 3 = 0"))
    assert_counts_current(sample_db)
