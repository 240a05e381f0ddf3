"""The same schema, migrations, sample and queries work on a real PostgreSQL server."""
from __future__ import annotations

import datetime as dt
import os

import pg_server
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import delete, func, select

from db.engine import Database
from db.migrate import current_revision, head_revision
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


# --- the two-engine fixtures themselves -------------------------------------------------------

def test_empty_db_is_on_the_engine_of_its_parameter(empty_db, db_engine):
    with empty_db.engine.connect() as conn:
        assert conn.dialect.name == db_engine
    assert head_revision() == current_revision(empty_db.engine)


def test_sample_db_copies_are_private(sample_db, db_engine, database_copy):
    """Each copy (file copy or CREATE DATABASE ... TEMPLATE) holds the full sample and is
    independent of the others."""
    other, close = database_copy(db_engine, "sample")
    try:
        with sample_db.session() as s, s.begin():
            s.execute(delete(ThreatReport))
        with other.session() as s:
            assert s.scalar(select(func.count()).select_from(ThreatReport)) == 2000
        with sample_db.session() as s:
            assert s.scalar(select(func.count()).select_from(ThreatReport)) == 0
    finally:
        close()


@pytest.mark.engines("sqlite")
def test_engines_marker_collects_only_the_named_engine(empty_db, db_engine, request):
    assert db_engine == "sqlite"
    assert request.node.name.endswith("[sqlite]")


def test_both_engines_are_collected(request):
    names = {item.name for item in request.session.items}
    stem = "test_empty_db_is_on_the_engine_of_its_parameter"
    assert {f"{stem}[sqlite]", f"{stem}[postgresql]"} <= names


def test_a_missing_server_fails_in_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.delenv("RAZEM_TEST_POSTGRES_URL", raising=False)
    monkeypatch.setattr(pg_server, "find_bin_dir", lambda: None)
    server, why = pg_server.start_server()
    assert server is None and "postgresql" in why
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL is required"):
        pg_server.unavailable(why)
    monkeypatch.delenv("CI")
    monkeypatch.setenv("RAZEM_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception):
        pg_server.unavailable(why)
    monkeypatch.delenv("RAZEM_REQUIRE_POSTGRES")
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server"):
        pg_server.unavailable(why)


def test_private_server_listens_only_on_this_machine(postgres_server):
    """Unix socket only (no TCP) on Linux, loopback on Windows; fsync off for speed."""
    db = Database.open(postgres_server.url("postgres"))
    try:
        with db.engine.connect() as conn:
            listen = conn.exec_driver_sql("SHOW listen_addresses").scalar()
            fsync = conn.exec_driver_sql("SHOW fsync").scalar()
    finally:
        db.dispose()
    if "RAZEM_TEST_POSTGRES_URL" in os.environ:  # someone else's server: only reachable
        assert listen is not None
    elif os.name == "nt":
        assert (listen, fsync) == ("127.0.0.1", "off")
    else:
        assert (listen, fsync, postgres_server.admin_url.host) == ("", "off", None)


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
