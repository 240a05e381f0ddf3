"""Dictionary names unique ignoring case and spaces, enforced by the database (migration
0014, ``db.dictionary_names``) on SQLite and PostgreSQL alike, Polish letters included; a
clash another workstation causes gets the program's own Polish message."""
from __future__ import annotations

import itertools
import os

import pytest
from alembic import command
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.migrate import SchemaUpgradeError, alembic_config, current_revision, upgrade
from db.models import ThreatCategory, ThreatReport, ThreatStatus
from desktop.threats import dictionaries
from desktop.threats.dictionaries import DictionaryError, add_entry, update_entry

_names = itertools.count(1)


@pytest.fixture
def blank_url(db_engine, tmp_path, request):
    """The URL of a database with nothing in it, on this test's engine."""
    if db_engine == "postgresql":
        server = request.getfixturevalue("postgres_server")
        name = f"name_keys_{os.getpid()}_{next(_names)}"
        yield server.create_database(name)
        server.drop_database(name)
    else:
        yield f"sqlite:///{(tmp_path / 'old.db').as_posix()}"


def _count(db: Database, model, name_key: str) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model)
                        .where(model.name_key == name_key)) or 0


@pytest.mark.parametrize("stored, clash", [
    ("Żebractwo", "ŻEBRACTWO"),  # Ż: SQLite's lower() would leave it upper-case
    ("Łódzkie  sprawy ", "ŁÓDZKIE SPRAWY"),  # Ł, Ó and runs of spaces
    ("Śmiecenie na plaży", "śmiecenie NA PLAŻY"),
])
def test_the_database_itself_refuses_names_differing_only_in_case(empty_db, stored, clash):
    with empty_db.session() as s, s.begin():
        if not s.scalar(select(ThreatCategory.id).where(ThreatCategory.name == stored)):
            s.add(ThreatCategory(name=stored, sort_order=100))
    # around the program's check: the ORM and a Core insert (the key from its default)
    with pytest.raises(IntegrityError), empty_db.session() as s, s.begin():
        s.add(ThreatCategory(name=clash, sort_order=101))
    with pytest.raises(IntegrityError), empty_db.session() as s, s.begin():
        s.execute(insert(ThreatCategory).values(name=clash, sort_order=101))
    key = " ".join(stored.split()).casefold()
    assert _count(empty_db, ThreatCategory, key) == 1


def test_key_follows_a_rename_and_statuses_have_it_too(empty_db):
    with empty_db.session() as s:
        status_id = s.scalar(select(ThreatStatus.id).where(ThreatStatus.name == "Nowe"))
    update_entry(empty_db, "status", status_id, "Nowe  ZGŁOSZENIE")
    assert _count(empty_db, ThreatStatus, "nowe zgłoszenie") == 1
    with pytest.raises(IntegrityError), empty_db.session() as s, s.begin():
        s.add(ThreatStatus(name="nowe zgłoszenie", sort_order=50))
    # a change of case only is the same entry: allowed
    update_entry(empty_db, "status", status_id, "Nowe zgłoszenie")


def test_a_clash_from_another_workstation_gets_the_same_polish_message(empty_db, db_engine,
                                                                     monkeypatch):
    """Workstation B saves "HULAJNOGI NA CHODNIKACH" after A's check passed and before A's
    insert: A gets the check's own message naming B's entry, and nothing of A's is saved.

    On PostgreSQL B really commits from its own connection while A's transaction is open.
    On SQLite the check runs under the write lock (BEGIN IMMEDIATE), so B cannot write in
    between; there B commits first and A's check is made to miss it (as a check on a stale
    view would) — the database's constraint is what stops A in both cases."""
    other = Database.open(empty_db.url)
    real_holder = dictionaries._holder
    calls = itertools.count()

    def b_saves() -> None:
        with other.session() as s, s.begin():
            s.add(ThreatCategory(name="HULAJNOGI NA CHODNIKACH", sort_order=90))

    if db_engine == "postgresql":
        def holder(session, kind, name, entry_id=None):
            found = real_holder(session, kind, name, entry_id)
            if next(calls) == 0:
                b_saves()  # right after A's check looked
            return found
    else:
        b_saves()

        def holder(session, kind, name, entry_id=None):
            return None if next(calls) == 0 else real_holder(session, kind, name, entry_id)

    monkeypatch.setattr(dictionaries, "_holder", holder)
    try:
        with pytest.raises(DictionaryError) as caught:
            add_entry(empty_db, "category", "Hulajnogi na chodnikach")
    finally:
        other.dispose()
    assert str(caught.value) == ("Nazwa „HULAJNOGI NA CHODNIKACH” jest już w słowniku – "
                                 "wybierz inną.")
    assert isinstance(caught.value.__cause__, IntegrityError)
    assert _count(empty_db, ThreatCategory, "hulajnogi na chodnikach") == 1


def _at_0012(url: str, categories: list[str]) -> Database:
    db = Database.open(url)
    cfg = alembic_config(url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0012")
        for i, name in enumerate(categories):
            conn.execute(text("INSERT INTO threat_categories (name, is_road, "
                              "description_required, active, sort_order) "
                              "VALUES (:n, :f, :f, :t, :o)"),
                         {"n": name, "f": False, "t": True, "o": i})
        conn.execute(text("INSERT INTO threat_statuses (name, active, sort_order) "
                          "VALUES ('Nowe', :t, 0)"), {"t": True})
    return db


def test_upgrade_fills_the_keys_of_existing_rows(blank_url):
    db = _at_0012(blank_url, ["ŁÓDŹ  Wschód", "Żebractwo"])
    try:
        upgrade(db.url, db.engine)
        with db.engine.connect() as conn:
            keys = dict(conn.execute(text("SELECT name, name_key FROM threat_categories")).all())
            status = conn.execute(text("SELECT name_key FROM threat_statuses")).scalar_one()
        assert keys == {"ŁÓDŹ  Wschód": "łódź wschód", "Żebractwo": "żebractwo"}
        assert status == "nowe"
        with pytest.raises(IntegrityError), db.session() as s, s.begin():
            s.add(ThreatCategory(name="łódź wschód", sort_order=5))
    finally:
        db.dispose()


def test_upgrade_refuses_existing_clashes_in_polish_and_changes_nothing(blank_url):
    db = _at_0012(blank_url, ["Żebractwo", "Akty wandalizmu", "ŻEBRACTWO"])
    try:
        with pytest.raises(SchemaUpgradeError) as caught:
            upgrade(db.url, db.engine)
        message = str(caught.value)
        assert "w słowniku kategorii KMZB: „Żebractwo” i „ŻEBRACTWO”" in message
        assert "Akty wandalizmu" not in message and "baza pozostała bez zmian" in message
        assert current_revision(db.engine) == "0012"
        columns = {c["name"] for c in inspect(db.engine).get_columns("threat_categories")}
        assert "name_key" not in columns
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM threat_categories")).scalar() == 3
    finally:
        db.dispose()


def test_an_import_naming_a_category_with_other_spaces_uses_the_stored_one(empty_db, tmp_path):
    """An import adding unknown categories meets "Akty  wandalizmu" (two spaces): it is the
    stored "Akty wandalizmu" by the database's key, not a new entry the index would refuse."""
    from desktop.threats.importer import import_reports
    from desktop.threats.mapping import guess_mapping
    from desktop.threats.readers import read_table

    path = tmp_path / "r.csv"
    path.write_text("Typ;Data utworzenia;X;Y\n"
                    "Akty  wandalizmu;2018-01-01;448780.6;484036.3\n", "utf-8")
    mapping = guess_mapping(read_table(path).columns)
    mapping.add_unknown_categories = True
    result = import_reports(empty_db, path, mapping)
    assert result.added == 1 and result.new_categories == []
    assert _count(empty_db, ThreatCategory, "akty wandalizmu") == 1
    with empty_db.session() as s:
        name = s.scalar(select(ThreatCategory.name).join(
            ThreatReport, ThreatReport.category_id == ThreatCategory.id))
    assert name == "Akty wandalizmu"
