"""KMZB dictionaries as data: upgrade of an old database, a newer shipped file, the editing
service and what retired and road-related entries change elsewhere."""
from __future__ import annotations

import datetime as dt
import itertools
import logging
import os

import pytest
from alembic import command
from sqlalchemy import func, select, text

from db.engine import Database
from db.migrate import alembic_config
from db.models import ThreatCategory, ThreatReport, ThreatStatus
from db.services.dictionaries import kmzb_source, sync_dictionaries
from desktop.startup import open_database
from desktop.threats.dictionaries import (
    DictionaryError,
    add_entry,
    list_entries,
    offered_categories,
    rename_entry,
    road_category_ids,
    set_active,
    set_road,
    update_entry,
)
from desktop.threats.plans import category_choices

SHIPPED = kmzb_source()
# An older dictionary: the list had 24 categories before Kłusownictwo, Znęcanie się nad
# zwierzętami and Utonięcia were added.
OLDER_CATEGORIES = SHIPPED["categories"][:24]
_names = itertools.count(1)


@pytest.fixture
def blank_url(db_engine, tmp_path, request):
    """The URL of a database with nothing in it, on this test's engine."""
    if db_engine == "postgresql":
        server = request.getfixturevalue("postgres_server")
        name = f"old_dict_{os.getpid()}_{next(_names)}"
        yield server.create_database(name)
        server.drop_database(name)
    else:
        yield f"sqlite:///{(tmp_path / 'old.db').as_posix()}"


def _old_database(url: str) -> None:
    """A database at revision 0006 seeded as the program did then (sort_order = place in the
    file), from the older dictionary; then a user's changes made directly in it."""
    db = Database.open(url)
    cfg = alembic_config(url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
        for i, name in enumerate(SHIPPED["statuses"]):
            conn.execute(text("INSERT INTO threat_statuses (name, active, sort_order) "
                              "VALUES (:n, :a, :o)"), {"n": name, "a": True, "o": i})
        road = set(SHIPPED["road_categories"])
        for i, name in enumerate(OLDER_CATEGORIES):
            conn.execute(text("INSERT INTO threat_categories (name, is_road, "
                              "description_required, active, sort_order) "
                              "VALUES (:n, :r, :d, :a, :o)"),
                         {"n": name, "r": name in road, "d": False, "a": True, "o": i})
        # the user's own changes
        conn.execute(text("UPDATE threat_categories SET name = 'Wandalizm i graffiti' "
                          "WHERE name = 'Akty wandalizmu'"))
        conn.execute(text("UPDATE threat_categories SET active = :f WHERE name = 'Żebractwo'"),
                     {"f": False})
        # a category an import added a day later, in the first free place of the list
        conn.execute(text("INSERT INTO threat_categories (name, is_road, description_required, "
                          "active, sort_order, created_at, updated_at) "
                          "VALUES ('Graffiti na dworcu', :f, :f, :t, 24, :at, :at)"),
                     {"f": False, "t": True,
                      "at": dt.datetime.now() + dt.timedelta(days=1)})
        cat = conn.execute(text("SELECT id FROM threat_categories "
                                "WHERE name = 'Wandalizm i graffiti'")).scalar_one()
        status = conn.execute(text("SELECT id FROM threat_statuses "
                                   "WHERE name = 'Nowe'")).scalar_one()
        conn.execute(text("INSERT INTO threat_reports (source_id, category_id, status_id, "
                          "reported_at, lat, lon, teryt, description, event_time) VALUES "
                          "('R1', :c, :s, :at, 52.2, 18.25, '', '', '')"),
                     {"c": cat, "s": status, "at": dt.datetime(2018, 3, 1, 12)})
    db.dispose()


def _categories(db: Database) -> dict[str, ThreatCategory]:
    with db.session() as s:
        return {c.name: c for c in s.scalars(select(ThreatCategory))}


def test_old_database_upgraded_gets_new_entries_and_keeps_user_changes(blank_url, caplog):
    _old_database(blank_url)
    caplog.set_level(logging.INFO, logger="razem.dictionaries")

    db = open_database(blank_url).db
    try:
        cats = _categories(db)
        for new in ("Kłusownictwo", "Znęcanie się nad zwierzętami", "Utonięcia"):
            assert cats[new].active and cats[new].shipped_name == new
            assert not cats[new].user_edited
        # the rename is kept and not added a second time under the old name
        assert "Akty wandalizmu" not in cats
        renamed = cats["Wandalizm i graffiti"]
        assert renamed.shipped_name == "Akty wandalizmu" and renamed.user_edited
        # the retirement is kept
        assert not cats["Żebractwo"].active and cats["Żebractwo"].user_edited
        # the import's category is the user's own, not taken for "Kłusownictwo"
        assert cats["Graffiti na dworcu"].shipped_name is None
        assert len(cats) == 27 + 1
        assert cats["Nieprawidłowe parkowanie"].is_road
        with db.session() as s:
            report = s.scalars(select(ThreatReport)).one()
            assert report.category_id == renamed.id
            assert s.scalar(select(func.count()).select_from(ThreatStatus)) == 7
        assert any("Słowniki KMZB" in r.getMessage() and "Kłusownictwo" in r.getMessage()
                   for r in caplog.records)
    finally:
        db.dispose()

    # idempotent: a second start changes nothing
    db = open_database(blank_url).db
    try:
        assert {n: (c.id, c.active, c.shipped_name) for n, c in _categories(db).items()} == \
            {n: (c.id, c.active, c.shipped_name) for n, c in cats.items()}
        with db.session() as s, s.begin():
            assert not sync_dictionaries(s).changed
    finally:
        db.dispose()


def _newer() -> dict:
    """A newer kmzb.json: one category added (road), one dropped, one's road mark changed, and
    one that a user already made (other case)."""
    data = {k: (list(v) if isinstance(v, list) else v) for k, v in SHIPPED.items()}
    data["version"] = "2030-01"
    data["categories"] = [c for c in data["categories"]
                          if c not in ("Utonięcia", "Dzikie kąpieliska")]
    data["categories"] += ["Hulajnogi na chodnikach", "psy bez SMYCZY"]
    data["road_categories"] = data["road_categories"] + ["Hulajnogi na chodnikach",
                                                         "Wypalanie traw"]
    data["statuses"] = data["statuses"] + ["Przekazane do straży miejskiej"]
    return data


def test_newer_shipped_file_reaches_database_without_overwriting_user_changes(empty_db):
    cats = _categories(empty_db)
    rename_entry(empty_db, "category", cats["Kłusownictwo"].id, "Kłusownictwo i sidła")
    set_active(empty_db, "category", cats["Dzikie kąpieliska"].id, False)
    set_active(empty_db, "category", cats["Dzikie kąpieliska"].id, True)  # restored by hand
    set_road(empty_db, cats["Żebractwo"].id, True)
    own = add_entry(empty_db, "category", "Psy bez smyczy")

    with empty_db.session() as s, s.begin():
        result = sync_dictionaries(s, _newer())
    assert result.added == ["status: Przekazane do straży miejskiej",
                            "kategoria: Hulajnogi na chodnikach"]
    after = _categories(empty_db)
    assert after["Hulajnogi na chodnikach"].is_road and after["Hulajnogi na chodnikach"].active
    assert not after["Utonięcia"].active  # dropped from the file, nobody changed it
    assert after["Dzikie kąpieliska"].active  # dropped too, but the user restored it by hand
    assert after["Wypalanie traw"].is_road  # the file's new mark
    assert after["Żebractwo"].is_road  # the user's mark stays
    assert "Kłusownictwo" not in after and "Kłusownictwo i sidła" in after
    assert after["Psy bez smyczy"].id == own and after["Psy bez smyczy"].shipped_name == \
        "psy bez SMYCZY"  # the user's own entry is linked, not doubled
    assert len(after) == 27 + 2
    with empty_db.session() as s, s.begin():
        assert not sync_dictionaries(s, _newer()).changed
        assert s.execute(text("SELECT value FROM database_info "
                              "WHERE key = 'kmzb_dictionary_version'")).scalar_one() == "2030-01"


def test_editing_validates_in_polish(empty_db):
    cats = _categories(empty_db)
    with pytest.raises(DictionaryError, match="Podaj nazwę"):
        add_entry(empty_db, "category", "   ")
    with pytest.raises(DictionaryError, match="za długa.*najwyżej 200 znaków"):
        add_entry(empty_db, "category", "x" * 201)
    with pytest.raises(DictionaryError, match="już w słowniku"):
        add_entry(empty_db, "category", "  akty   WANDALIZMU ")
    with pytest.raises(DictionaryError, match="już w słowniku"):
        update_entry(empty_db, "category", cats["Wypalanie traw"].id, "Żebractwo")
    statuses = list_entries(empty_db, "status")
    for st in statuses[1:]:
        set_active(empty_db, "status", st.id, False)
    with pytest.raises(DictionaryError, match="ostatni"):
        set_active(empty_db, "status", statuses[0].id, False)
    new = add_entry(empty_db, "category", "  Hulajnogi   na chodnikach ", is_road=True)
    entry = next(e for e in list_entries(empty_db, "category") if e.id == new)
    assert entry.name == "Hulajnogi na chodnikach" and entry.is_road
    assert entry.origin == "własna"
    renamed = update_entry(empty_db, "category", cats["Akty wandalizmu"].id, "Wandalizm", False)
    assert renamed is None
    entry = next(e for e in list_entries(empty_db, "category")
                 if e.id == cats["Akty wandalizmu"].id)
    assert entry.origin.startswith("KMZB (zmieniona nazwa")


def test_road_marks_are_read_from_the_data(empty_db):
    cats = _categories(empty_db)
    with empty_db.session() as s:
        before = road_category_ids(s)
    assert before == {cats[n].id for n in SHIPPED["road_categories"]}
    set_road(empty_db, cats["Wypalanie traw"].id, True)
    set_road(empty_db, cats["Nieprawidłowe parkowanie"].id, False)
    with empty_db.session() as s:
        after = road_category_ids(s)
    assert after == (before | {cats["Wypalanie traw"].id}) - {cats["Nieprawidłowe parkowanie"].id}


def test_retired_category_is_not_offered_for_new_plans(empty_db):
    cats = _categories(empty_db)
    retired = cats["Wypalanie traw"].id
    set_active(empty_db, "category", retired, False)
    assert retired not in dict(category_choices(empty_db))
    assert retired not in dict(offered_categories(empty_db))
    kept = dict(category_choices(empty_db, keep=retired))
    assert kept[retired] == "Wypalanie traw (wycofana)"


def test_beat_summary_counts_the_traffic_officers_part_from_the_marks(sample_db):
    from desktop.beats.summary import body_html, collect

    with sample_db.session() as s:
        beat_id, = s.execute(select(ThreatReport.beat_id).where(ThreatReport.beat_id.is_not(None))
                             .group_by(ThreatReport.beat_id)
                             .order_by(func.count().desc()).limit(1)).one()
    data = collect(sample_db, beat_id)
    assert data.categories
    top = data.categories[0]
    with sample_db.session() as s:
        top_id = s.scalar(select(ThreatCategory.id).where(ThreatCategory.name == top.name))
    assert top_id is not None
    set_road(sample_db, top_id, not top.is_road)  # flip the mark of the beat's top category
    again = collect(sample_db, beat_id)
    assert again.categories[0].is_road == (not top.is_road)
    assert abs(again.road_total - data.road_total) == top.count
    html = body_html(again)
    assert f"w kategoriach drogowych (RD – weryfikuje policjant ruchu drogowego): " \
           f"{again.road_total}" in html


def test_plan_drafted_from_the_diagnosis_skips_a_retired_category(sample_db):
    from desktop.threats.plans import draft_plan

    with sample_db.session() as s:
        beat_id, = s.execute(select(ThreatReport.beat_id).where(ThreatReport.beat_id.is_not(None))
                             .group_by(ThreatReport.beat_id)
                             .order_by(func.count().desc()).limit(1)).one()
    start, end = dt.date(2018, 8, 1), dt.date(2019, 1, 31)
    top = draft_plan(sample_db, beat_id, start, end).category_id
    assert top is not None
    set_active(sample_db, "category", top, False)
    after = draft_plan(sample_db, beat_id, start, end).category_id
    assert after is not None and after != top
