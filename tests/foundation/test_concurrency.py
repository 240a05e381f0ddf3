"""Several workstations on one database, proved with real concurrent connections on SQLite
and on PostgreSQL: no double assignment, no lost update, a safe concurrent first start.

Each test gets a fresh database: a SQLite file, or a new database on the private PostgreSQL
server of ``postgres_url``. "Workstations" are separate ``Database`` objects (own engine,
own connections) driven from threads released together by a barrier, or separate processes.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.models import (
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Beat,
    Officer,
    OfficerRole,
    Partner,
    PartnerType,
    ThreatCategory,
    ThreatStatus,
    Unit,
    UnitKind,
)
from db.services.dictionaries import kmzb_source
from db.services.info import is_empty
from desktop.beats.assignments import assign
from desktop.beats.rules import RuleError
from desktop.common.conflicts import ConflictError
from desktop.partners import service as partners
from desktop.partners.service import PartnerData
from desktop.startup import open_database

ROOT = Path(__file__).resolve().parents[2]
D = dt.date
PAIRS = 12


def _new_postgres_database(postgres_url: str) -> str:
    """A new, empty database on the test server; its URL."""
    name = f"razem_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return make_url(postgres_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def new_url(request, tmp_path) -> str:
    """The URL of a new, empty database (not migrated yet) on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'shared.db').as_posix()}"
    return _new_postgres_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def workstations(new_url):
    """Two workstations on one migrated database (separate engines and connections)."""
    open_database(new_url).db.dispose()
    first, second = Database.open(new_url), Database.open(new_url)
    yield first, second
    first.dispose()
    second.dispose()


def _race(*calls):
    """Run the calls in threads released at the same instant; each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _beats_and_officers(db: Database, n: int) -> tuple[list[int], list[tuple[int, int]]]:
    with db.session() as s, s.begin():
        unit = Unit(name="Komenda Miejska Policji w Koninie", short_name="KMP Konin",
                    kind=UnitKind.COMMAND)
        beats = [Beat(number=str(i + 1), name=f"Rejon {i + 1}", unit=unit) for i in range(n)]
        officers = [Officer(first_name=f"Jan{i}", last_name="Nowak", service_number=f"9{i:03}",
                            role=OfficerRole.BEAT_OFFICER, unit=unit) for i in range(2 * n)]
        s.add_all([unit, *beats, *officers])
        s.flush()
        return ([b.id for b in beats],
                [(officers[2 * i].id, officers[2 * i + 1].id) for i in range(n)])


def test_no_double_assignment_when_two_workstations_assign_at_once(workstations):
    a, b = workstations
    beats, pairs = _beats_and_officers(a, PAIRS)
    day = D(2019, 3, 1)
    for beat, (first, second) in zip(beats, pairs):
        results = _race(partial(assign, a, beat, first, AssignmentRole.BEAT_OFFICER, day),
                        partial(assign, b, beat, second, AssignmentRole.BEAT_OFFICER, day))
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1, results  # exactly one wins, every time
        assert isinstance(errors[0], RuleError), repr(errors[0])  # a Polish message
        assert "nachodzi" in str(errors[0]) or "ktoś inny" in str(errors[0]).lower()
    with a.session() as s:
        per_beat = dict(s.execute(
            select(Assignment.beat_id, func.count()).where(
                Assignment.role == AssignmentRole.BEAT_OFFICER,
                Assignment.kind == AssignmentKind.REGULAR).group_by(Assignment.beat_id)).all())
    assert per_beat == {beat: 1 for beat in beats}


def _raw_insert(db: Database, beat: int, officer: int, start: str, end: str | None) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO assignments (beat_id, officer_id, role, kind, valid_from, valid_to, "
            "note) VALUES (:b, :o, 'dzielnicowy', 'regular', :f, :t, '')"),
            {"b": beat, "o": officer, "f": D.fromisoformat(start),
             "t": D.fromisoformat(end) if end else None})


def test_the_database_itself_refuses_overlapping_periods_even_from_raw_sql(workstations):
    a, b = workstations
    beats, pairs = _beats_and_officers(a, PAIRS)
    _raw_insert(a, beats[0], pairs[0][0], "2019-01-01", None)
    with pytest.raises(IntegrityError, match="ex_assignments_no_overlap"):
        _raw_insert(a, beats[0], pairs[0][1], "2019-06-01", "2019-06-30")
    _raw_insert(a, beats[0], pairs[0][1], "2018-01-01", "2018-12-31")  # before: fine
    with pytest.raises(IntegrityError, match="ex_assignments_no_overlap"), \
            a.engine.begin() as conn:  # updates too
        conn.execute(text("UPDATE assignments SET valid_to = NULL WHERE valid_to IS NOT NULL"))
    # Concurrent raw inserts, no Python rules at all: the database lets exactly one through
    # (PostgreSQL may end the other as a deadlock between the two constraint checks).
    for beat, (first, second) in zip(beats[1:], pairs[1:]):
        results = _race(partial(_raw_insert, a, beat, first, "2019-03-01", None),
                        partial(_raw_insert, b, beat, second, "2019-02-01", "2019-05-31"))
        assert results.count(None) == 1, results
        loser = next(r for r in results if r is not None)
        assert isinstance(loser, IntegrityError) or "deadlock" in str(loser), results
    with a.session() as s:
        assert s.scalar(select(func.count()).select_from(Assignment)) == PAIRS + 1


def _partner(db: Database) -> int:
    return partners.create_partner(db, PartnerData("Urząd Gminy Kramsk", PartnerType.GMINA,
                                                   representative="Wójt Jan Kowal"))


def test_no_lost_update_second_editor_gets_a_conflict(workstations):
    a, b = workstations
    pid = _partner(a)
    seen_a, seen_b = partners.get_partner(a, pid), partners.get_partner(b, pid)
    assert seen_a.version == seen_b.version == 1
    partners.update_partner(a, pid, PartnerData("Urząd Gminy Kramsk", PartnerType.GMINA,
                                                representative="Wójt Anna Nowa"),
                            seen_a.version)
    with pytest.raises(ConflictError) as info:
        partners.update_partner(b, pid, PartnerData("Urząd Gminy Kramsk", PartnerType.GMINA,
                                                    representative="Wójt Jan Kowal",
                                                    phone="63 241 00 00"), seen_b.version)
    assert "Ktoś inny zmienił partnera „Urząd Gminy Kramsk”" in str(info.value)
    assert info.value.current_version == 2
    assert {(d.label, d.theirs, d.mine) for d in info.value.differences} == {
        ("Przedstawiciel", "Wójt Anna Nowa", "Wójt Jan Kowal"), ("Telefon", "", "63 241 00 00")}
    assert partners.get_partner(a, pid).data.representative == "Wójt Anna Nowa"
    # "Nadpisz": save again over the version now stored.
    partners.update_partner(b, pid, PartnerData("Urząd Gminy Kramsk", PartnerType.GMINA,
                                                representative="Wójt Jan Kowal"),
                            info.value.current_version)
    assert partners.get_partner(a, pid).data.representative == "Wójt Jan Kowal"


def test_no_lost_update_when_both_save_at_the_same_moment(workstations):
    a, b = workstations
    for round_ in range(6):
        pid = _partner(a)
        version = partners.get_partner(a, pid).version
        results = _race(
            partial(partners.update_partner, a, pid, PartnerData(
                "Urząd Gminy Kramsk", PartnerType.GMINA, notes=f"A{round_}"), version),
            partial(partners.update_partner, b, pid, PartnerData(
                "Urząd Gminy Kramsk", PartnerType.GMINA, notes=f"B{round_}"), version))
        winners = [r for r in results if not isinstance(r, Exception)]
        assert winners == [version + 1], results
        assert all(isinstance(r, ConflictError) for r in results if isinstance(r, Exception))
        notes = partners.get_partner(a, pid).data.notes
        assert notes == ("A" if isinstance(results[1], Exception) else "B") + str(round_)


STARTER = textwrap.dedent("""
    import json, sys, time
    sys.path.insert(0, {root!r})
    from desktop.startup import open_database
    start_at = float(sys.argv[2])
    time.sleep(max(0.0, start_at - time.time()))
    opened = open_database(sys.argv[1], fill_sample=True)
    print(json.dumps({{"sample": opened.sample is not None}}))
    opened.db.dispose()
""")


@pytest.mark.slow
def test_two_workstations_start_on_an_empty_database_at_once(new_url, tmp_path):
    script = tmp_path / "start.py"
    script.write_text(STARTER.format(root=str(ROOT)), encoding="utf-8")
    start_at = str(time.time() + 4)  # both processes are imported and waiting by then
    env_dir = tmp_path / "userdata"
    procs = [subprocess.Popen([sys.executable, str(script), new_url, start_at],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**_env(), "RAZEM_DATA_DIR": str(env_dir)})
             for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in procs]
    for p, (_out, err) in zip(procs, outs):
        assert p.returncode == 0, err  # both succeed
    samples = [json.loads(out.strip().splitlines()[-1])["sample"] for out, _ in outs]
    db = Database.open(new_url)
    try:
        with db.session() as s:
            data = kmzb_source()
            assert s.scalar(select(func.count()).select_from(ThreatStatus)) == len(data["statuses"])
            assert s.scalar(select(func.count()).select_from(ThreatCategory)) == len(
                data["categories"])
            units = s.scalar(select(func.count()).select_from(Unit))
            if db.engine.dialect.name == "postgresql":
                assert samples == [False, False] and is_empty(s)  # no sample in a real database
            else:  # a workstation's own file gets the sample once, never twice
                assert sorted(samples) == [False, True] and units == 6
            assert s.scalar(select(func.count()).select_from(Partner)) in (0, 35)
    finally:
        db.dispose()


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "RAZEM_DATABASE_URL"}


def test_upgrade_repairs_overlaps_left_by_the_old_race_then_enforces_the_rule(new_url):
    from alembic import command

    from db.migrate import alembic_config, upgrade

    db = Database.open(new_url)
    try:
        cfg = alembic_config(new_url)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO units (id, name, short_name, kind, address, phone) "
                              "VALUES (1, 'KMP', 'KMP', 'command', '', '')"))
            conn.execute(text("INSERT INTO beats (id, number, name, unit_id, description) "
                              "VALUES (1, '1', 'Rejon 1', 1, '')"))
            for i in (1, 2, 3):
                conn.execute(text(
                    "INSERT INTO officers (id, rank, first_name, last_name, service_number, "
                    "role, phone, mobile, email, active) VALUES "
                    "(:i, '', 'Jan', 'Nowak', :no, 'dzielnicowy', '', '', '', :t)"),
                    {"i": i, "no": f"n{i}", "t": True})
            for officer, start, end in [(1, "2018-01-01", None),
                                        (2, "2018-03-01", None),
                                        (3, "2018-03-01", None),  # the race's twin, saved later
                                        (1, "2017-01-01", "2017-12-31")]:
                conn.execute(text(
                    "INSERT INTO assignments (beat_id, officer_id, role, kind, valid_from, "
                    "valid_to, note) VALUES (1, :o, 'dzielnicowy', 'regular', :f, :t, '')"),
                    {"o": officer, "f": D.fromisoformat(start),
                     "t": D.fromisoformat(end) if end else None})
        upgrade(db.url, db.engine)
        with db.session() as s:
            rows = [(a.officer_id, a.valid_from, a.valid_to, a.version)
                    for a in s.scalars(select(Assignment).order_by(Assignment.valid_from,
                                                                   Assignment.id))]
        assert rows == [(1, D(2017, 1, 1), D(2017, 12, 31), 1),
                        (1, D(2018, 1, 1), D(2018, 2, 28), 1),
                        (2, D(2018, 3, 1), None, 1)]
        with pytest.raises(IntegrityError, match="ex_assignments_no_overlap"):
            _raw_insert(db, 1, 3, "2018-05-01", "2018-05-31")
    finally:
        db.dispose()


def test_other_records_refuse_lost_updates_too(workstations):
    """Officers, agreements, plans and ending an assignment: the second save over the same
    loaded version gets ConflictError and the first one's change stays."""
    import dataclasses

    from desktop.beats import officers
    from desktop.beats.assignments import end_assignment, history
    from desktop.partners import agreements
    from desktop.threats.plans import ActionData, PlanData, load_plan, save_plan

    a, b = workstations
    beats, pairs = _beats_and_officers(a, 1)
    oid = pairs[0][0]
    seen = officers.get_officer(b, oid)
    officers.update_officer(a, oid, dataclasses.replace(seen.data(), mobile="600 100 200"),
                            seen.version)
    with pytest.raises(ConflictError, match="Ktoś inny zmienił funkcjonariusza Jan0 Nowak"):
        officers.update_officer(b, oid, dataclasses.replace(seen.data(), rank="asp."),
                                seen.version)
    with pytest.raises(ConflictError):
        officers.set_active(b, oid, False, expected_version=seen.version)
    assert officers.get_officer(a, oid).mobile == "600 100 200"

    aid = agreements.save_agreement(a, agreements.AgreementData("Porozumienie"))
    row = agreements.get_agreement(b, aid)
    agreements.save_agreement(a, dataclasses.replace(row.data, place="Konin"), aid, row.version)
    with pytest.raises(ConflictError) as info:
        agreements.save_agreement(b, dataclasses.replace(row.data, number="1/2018"), aid,
                                  row.version)
    assert [(d.label, d.theirs, d.mine) for d in info.value.differences] == [
        ("Numer", "", "1/2018"), ("Miejsce", "Konin", "")]

    plan_id = save_plan(a, PlanData(beats[0], D(2019, 2, 1), D(2019, 7, 31), goal="Mniej",
                                    problem="Psy bez nadzoru"))
    mine, theirs = load_plan(a, plan_id), load_plan(b, plan_id)
    mine.actions.append(ActionData("Debata", D(2019, 3, 1)))  # only an action changes
    save_plan(a, mine)
    theirs.goal = "Inny cel"
    with pytest.raises(ConflictError, match="plan działania priorytetowego"):
        save_plan(b, theirs)
    assert [x.description for x in load_plan(b, plan_id).actions] == ["Debata"]

    assign(a, beats[0], oid, AssignmentRole.BEAT_OFFICER, D(2019, 1, 1))
    shown = history(b, beats[0])[0]
    end_assignment(a, shown.id, D(2019, 6, 30), shown.version)
    with pytest.raises(ConflictError):
        end_assignment(b, shown.id, D(2019, 12, 31), shown.version)
    assert history(a, beats[0])[0].valid_to == D(2019, 6, 30)


def test_beat_numbers_stay_unique_in_a_unit_under_concurrent_inserts(workstations):
    a, b = workstations
    _beats_and_officers(a, 1)

    def add_beat(db: Database, name: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO beats (number, name, unit_id, description) "
                              "SELECT '77', :n, id, '' FROM units"), {"n": name})

    for i in range(4):
        results = _race(partial(add_beat, a, f"A{i}"), partial(add_beat, b, f"B{i}"))
        assert results.count(None) == (1 if i == 0 else 0), results
        assert all(isinstance(r, IntegrityError) for r in results if r is not None)
    with a.session() as s:
        assert s.scalar(select(func.count()).select_from(Beat).where(Beat.number == "77")) == 1


@pytest.mark.slow
def test_sqlite_file_busy_too_long_gives_a_polish_message(tmp_path):
    """Another process holds the file's write lock longer than busy_timeout (5 s)."""
    import sqlite3

    from desktop.beats.assignments import BUSY, ConcurrentChangeError

    url = f"sqlite:///{(tmp_path / 'busy.db').as_posix()}"
    open_database(url).db.dispose()
    db = Database.open(url)
    beats, pairs = _beats_and_officers(db, 1)
    holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(ConcurrentChangeError) as info:
            assign(db, beats[0], pairs[0][0], AssignmentRole.BEAT_OFFICER, D(2019, 1, 1))
        assert str(info.value) == BUSY
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        db.dispose()


def test_migration_0003_downgrades_and_upgrades_again(new_url):
    from alembic import command

    from db.migrate import alembic_config, current_revision, head_revision, upgrade

    db = Database.open(new_url)
    try:
        upgrade(db.url, db.engine)
        cfg = alembic_config(new_url)
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0002")
        assert current_revision(db.engine) == "0002"
        with db.engine.connect() as conn:  # the rule and the versions are gone with it
            columns = {c["name"] for c in sa_inspect(conn).get_columns("partners")}
        assert "version" not in columns
        upgrade(db.url, db.engine)
        assert current_revision(db.engine) == head_revision()
        beats, pairs = _beats_and_officers(db, 1)
        _raw_insert(db, beats[0], pairs[0][0], "2019-01-01", None)
        with pytest.raises(IntegrityError, match="ex_assignments_no_overlap"):
            _raw_insert(db, beats[0], pairs[0][1], "2019-02-01", None)
    finally:
        db.dispose()
