"""The same schema, migrations, sample and queries work on a real PostgreSQL server."""
from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from db.models import Base, ThreatReport
from desktop.beats.queries import beat_rows
from desktop.partners.service import list_partners
from desktop.sample.generator import SampleSpec, generate
from desktop.startup import open_database


@pytest.mark.postgres
def test_postgres_migrates_to_the_models_and_holds_the_sample(postgres_url):
    opened = open_database(postgres_url)
    db = opened.db
    try:
        assert opened.backup is None  # backups are for SQLite files; servers have their own
        with db.engine.connect() as conn:
            assert conn.dialect.name == "postgresql"
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    Base.metadata)
        assert diff == []
        with db.session() as s, s.begin():
            generate(s, SampleSpec(reports=400, seed=9))
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(ThreatReport)) == 400
        on = dt.date(2018, 12, 31)
        with db.session() as s:
            last_year = s.scalar(select(func.count()).select_from(ThreatReport)
                                 .where(ThreatReport.reported_at >= dt.datetime(2018, 1, 1)))
        rows = beat_rows(db, on)
        assert len(rows) == 24 and sum(r.reports_12m for r in rows) == last_year > 0
        assert all(r.beat_officer for r in rows)
        assert len(list_partners(db)) == 35
        _activities_and_report_search(db)
    finally:
        db.dispose()


def _activities_and_report_search(db) -> None:
    """The activities log and the reports browser's search (a regular expression per word,
    ``(?i)`` inline) on PostgreSQL."""
    from desktop.activities import reports
    from desktop.activities.service import ActivityFilter, list_activities, update_activity
    from desktop.common.text import matches

    rows = list_activities(db)
    assert len(rows) == 72
    first = rows[0]
    changed = update_activity(db, first.id, first.to_input(), first.version)
    assert changed.version == first.version + 1
    assert {r.id for r in list_activities(db, ActivityFilter(text="SWIETLICA"))} == {
        r.id for r in rows if matches("swietlica", *r.search_fields())}
    with db.session() as s:
        texts = s.execute(select(ThreatReport.id, ThreatReport.description)).all()
    wanted = {i for i, d in texts if matches("przystanku", d or "")}
    found = reports.page(db, reports.ReportQuery(text="PRZYSTANKU"), 0, 10_000)
    assert wanted and {r.id for r in found} == wanted
    assert reports.count(db, reports.ReportQuery(sort="beat")) == 400
