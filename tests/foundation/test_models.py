"""Models and constraints on a real SQLite file (foreign keys on, WAL)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from db.models import (
    Assignment,
    AssignmentRole,
    Beat,
    Officer,
    OfficerRole,
    ThreatCategory,
    ThreatReport,
    ThreatStatus,
    Unit,
    UnitKind,
)


def _unit_and_beat(s):
    unit = Unit(name="Komenda Miejska Policji w Koninie", kind=UnitKind.COMMAND)
    beat = Beat(number="1", name="Konin – rejon 1", unit=unit)
    s.add_all([unit, beat])
    s.flush()
    return unit, beat


@pytest.mark.engines("sqlite")
def test_sqlite_runs_with_foreign_keys_and_wal(empty_db):
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_dictionaries_seeded_from_kmzb_json(empty_db):
    with empty_db.session() as s:
        categories = s.scalars(select(ThreatCategory).order_by(ThreatCategory.sort_order)).all()
        statuses = s.scalars(select(ThreatStatus).order_by(ThreatStatus.sort_order)).all()
    assert len(categories) == 27 and len(statuses) == 7
    assert statuses[0].name == "Nowe" and statuses[-1].name == "Żart lub pomyłka"
    by_name = {c.name: c for c in categories}
    assert by_name["Nieprawidłowe parkowanie"].is_road
    assert not by_name["Dzikie wysypiska śmieci"].is_road
    assert by_name["Miejsce niebezpiecznej działalności rozrywkowej"].description_required


def test_timestamps_filled(empty_db):
    with empty_db.session() as s, s.begin():
        unit, _ = _unit_and_beat(s)
    assert isinstance(unit.created_at, dt.datetime) and unit.updated_at >= unit.created_at


def test_beat_number_unique_within_unit(empty_db):
    with empty_db.session() as s:
        unit, _ = _unit_and_beat(s)
        s.add(Beat(number="1", name="drugi", unit=unit))
        with pytest.raises(IntegrityError):
            s.flush()


def test_foreign_keys_enforced(empty_db):
    with empty_db.session() as s:
        s.add(Beat(number="9", name="bez jednostki", unit_id=999))
        with pytest.raises(IntegrityError):
            s.flush()


def test_service_number_unique(empty_db):
    with empty_db.session() as s:
        for first in ("Jan", "Anna"):
            s.add(Officer(first_name=first, last_name="Nowak", service_number="123",
                          role=OfficerRole.BEAT_OFFICER))
        with pytest.raises(IntegrityError):
            s.flush()


def test_assignment_period_must_not_end_before_start(empty_db):
    with empty_db.session() as s:
        _, beat = _unit_and_beat(s)
        officer = Officer(first_name="Jan", last_name="Nowak", service_number="1",
                          role=OfficerRole.BEAT_OFFICER)
        s.add(Assignment(beat=beat, officer=officer, role=AssignmentRole.BEAT_OFFICER,
                         valid_from=dt.date(2018, 2, 1), valid_to=dt.date(2018, 1, 31)))
        with pytest.raises(IntegrityError):
            s.flush()


def test_enum_columns_refuse_unknown_values(empty_db):
    with empty_db.engine.connect() as conn, pytest.raises(IntegrityError):
        conn.execute(text(
            "INSERT INTO officers (first_name, last_name, service_number, role, rank, phone,"
            " mobile, email, active) VALUES ('A', 'B', 'x1', 'sheriff', '', '', '', '', TRUE)"))
    with empty_db.session() as s:
        s.add(Officer(first_name="A", last_name="B", service_number="x2", role="sheriff"))
        with pytest.raises((StatementError, LookupError)):
            s.flush()


def test_report_coordinates_checked(empty_db):
    with empty_db.session() as s:
        category = s.scalars(select(ThreatCategory)).first()
        status = s.scalars(select(ThreatStatus)).first()
        s.add(ThreatReport(category=category, status=status, reported_at=dt.datetime(2018, 1, 1),
                           lat=152.2, lon=18.25))
        with pytest.raises(IntegrityError):
            s.flush()


def test_report_source_id_unique(empty_db):
    with empty_db.session() as s:
        category = s.scalars(select(ThreatCategory)).first()
        status = s.scalars(select(ThreatStatus)).first()
        for _ in range(2):
            s.add(ThreatReport(source_id="KMZB-1", category=category, status=status,
                               reported_at=dt.datetime(2018, 1, 1), lat=52.2, lon=18.25))
        with pytest.raises(IntegrityError):
            s.flush()
