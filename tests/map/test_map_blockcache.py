"""The disk cache of the map's encoded reports (desktop/map/blockcache.py): what it gives
equals a fresh read, after any change it is not used, and a damaged file is read afresh."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from sqlalchemy import delete, select, text, update

from db.models import Beat, ThreatCategory, ThreatReport
from desktop.map import blockcache, shell
from desktop.map.data import load_map_data
from desktop.map.reports import read_all

NAMES = ("lat", "lon", "day", "beat", "cat", "st")


def fresh(db):
    """The reports and mark as a read without any cache gives them (and the indexes)."""
    idx = load_map_data(db).indexes
    assert idx is not None
    with db.session() as s:
        columns, mark = read_all(s, idx)
    return columns, mark, idx


def through_cache(db, folder):
    idx = load_map_data(db).indexes
    assert idx is not None
    with db.session() as s:
        return blockcache.read_reports(s, db.url, idx, folder)


def assert_same(got, expected) -> None:
    columns, mark = got[0], got[1]
    want_columns, want_mark = expected[0], expected[1]
    assert (mark.max_id, mark.checksum) == (want_mark.max_id, want_mark.checksum)
    for name in NAMES:
        assert np.array_equal(getattr(columns, name), getattr(want_columns, name)), name
    assert columns.raw() == want_columns.raw()


def test_cached_block_equals_a_fresh_read(sample_db, tmp_path):
    first = through_cache(sample_db, tmp_path)
    assert first[2] is False  # nothing cached yet: read and stored
    assert len(list(tmp_path.glob("map-reports-*.bin"))) == 1
    second = through_cache(sample_db, tmp_path)
    assert second[2] is True
    assert len(second[0]) == len(first[0]) > 1000
    assert_same(second, fresh(sample_db))
    assert_same(second, first)


def test_load_map_data_uses_the_user_cache_folder(sample_db):
    a = load_map_data(sample_db)
    folder = shell.cache_folder()
    assert folder is not None and len(list(folder.glob("map-reports-*.bin"))) == 1
    b = load_map_data(sample_db)
    assert a.reports is not None and b.reports is not None
    assert a.reports.raw() == b.reports.raw() and a.mark == b.mark


def _edit_status(db):
    with db.session() as s, s.begin():
        s.execute(text("UPDATE threat_reports SET status_id = (SELECT max(id) FROM "
                       "threat_statuses) WHERE id = (SELECT min(id) FROM threat_reports)"))


def _delete(db):
    with db.session() as s, s.begin():
        s.execute(delete(ThreatReport).where(ThreatReport.id % 9 == 0))


def _insert(db):
    with db.session() as s, s.begin():
        r = s.scalars(select(ThreatReport).order_by(ThreatReport.id)).first()
        assert r is not None
        s.add(ThreatReport(source_id="NEW-1", category_id=r.category_id, status_id=r.status_id,
                           reported_at=r.reported_at, lat=r.lat, lon=r.lon))


def _move_beat(db):
    with db.session() as s, s.begin():
        s.execute(text("UPDATE threat_reports SET beat_id = NULL WHERE id % 4 = 0"))


def _reorder_categories(db):
    with db.session() as s, s.begin():
        cats = s.scalars(select(ThreatCategory).order_by(ThreatCategory.sort_order)).all()
        cats[0].sort_order, cats[-1].sort_order = cats[-1].sort_order, cats[0].sort_order


def _retire_beat(db):
    with db.session() as s, s.begin():
        s.execute(update(Beat).where(Beat.id == select(Beat.id).order_by(Beat.id).limit(1)
                                     .scalar_subquery())
                  .values(retired_on=dt.date.today() - dt.timedelta(days=1)))


@pytest.mark.parametrize("change", [_edit_status, _delete, _insert, _move_beat,
                                    _reorder_categories, _retire_beat])
def test_after_a_change_the_cache_is_not_used(sample_db, tmp_path, change):
    through_cache(sample_db, tmp_path)
    assert through_cache(sample_db, tmp_path)[2] is True
    change(sample_db)
    got = through_cache(sample_db, tmp_path)
    assert got[2] is False
    assert_same(got, fresh(sample_db))
    assert through_cache(sample_db, tmp_path)[2] is True  # stored again for the new state


@pytest.mark.engines("sqlite")
@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "empty", "magic"])
def test_a_damaged_file_is_read_afresh(sample_db, tmp_path, damage):
    through_cache(sample_db, tmp_path)
    (path,) = tmp_path.glob("map-reports-*.bin")
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[:len(raw) - 7]
    elif damage == "flip":
        raw[-100] ^= 0x40
    elif damage == "header":
        raw[len(blockcache._MAGIC) + 6] = ord("{")
    elif damage == "empty":
        raw = bytearray()
    else:
        raw[0] = ord("X")
    path.write_bytes(bytes(raw))
    got = through_cache(sample_db, tmp_path)
    assert got[2] is False
    assert_same(got, fresh(sample_db))
    assert through_cache(sample_db, tmp_path)[2] is True  # the file was written anew


@pytest.mark.engines("sqlite")
def test_one_file_per_database_and_a_bounded_folder(sample_db, tmp_path):
    columns, mark, _idx = fresh(sample_db)
    block = columns.raw()
    for i in range(blockcache.MAX_FILES + 3):
        path = blockcache.file_for(f"sqlite:////tmp/other-{i}.db", tmp_path)
        blockcache.store(path, "k", block, mark)
        blockcache.store(path, "k2", block, mark)  # the same database: the same file
    assert len(list(tmp_path.glob("map-reports-*.bin"))) == blockcache.MAX_FILES
    assert not list(tmp_path.glob(".map-reports-*"))  # no temporary file left


@pytest.mark.engines("sqlite")
def test_no_marker_no_cache(sample_db, tmp_path):
    with sample_db.engine.begin() as conn:  # as an older schema would be
        conn.exec_driver_sql("DROP TABLE report_marker")
    got = through_cache(sample_db, tmp_path)
    assert got[2] is False and not list(tmp_path.glob("map-reports-*.bin"))
    assert_same(got, fresh(sample_db))


# -- the refresh after an import: the marker instead of the checksum scan (SQLite) -----------

def _page_mark(db):
    data = load_map_data(db)
    assert data.mark is not None and data.mark.key is not None
    return data


@pytest.mark.engines("sqlite")
@pytest.mark.parametrize("from_cache", [False, True])
def test_only_added_reports_need_no_scan(sample_db, from_cache):
    from desktop.map.reports import read_new, unchanged

    data = _page_mark(sample_db)
    if from_cache:
        data = _page_mark(sample_db)
        assert data.cached
    _insert(sample_db)
    scans: list[int] = []
    with sample_db.session() as s:
        assert data.indexes is not None and data.mark is not None
        new = read_new(s, data.indexes, data.mark)
        assert new is not None and len(new[0]) == 1
        assert unchanged(s, data.mark, lambda: scans.append(1)) is True
        assert unchanged(s, new[1], lambda: scans.append(1)) is True
    assert scans == []  # decided by the marker, no checksum scan


@pytest.mark.engines("sqlite")
@pytest.mark.parametrize("change", [_edit_status, _delete, _move_beat, "low_id", "date"])
def test_older_changes_are_still_found(sample_db, change):
    from desktop.map.reports import only_added_since, unchanged

    if change == "low_id":  # a gap first (a new token), then a report put into the gap
        with sample_db.session() as s, s.begin():
            gap = s.scalar(select(ThreatReport.id).order_by(ThreatReport.id).offset(10).limit(1))
            s.execute(delete(ThreatReport).where(ThreatReport.id == gap))
    data = _page_mark(sample_db)
    assert data.mark is not None
    if change == "low_id":
        with sample_db.session() as s, s.begin():
            r = s.scalars(select(ThreatReport).order_by(ThreatReport.id)).first()
            assert r is not None
            s.add(ThreatReport(id=gap, source_id="GAP-1", category_id=r.category_id,
                               status_id=r.status_id, reported_at=r.reported_at, lat=r.lat,
                               lon=r.lon))
    elif change == "date":
        with sample_db.session() as s, s.begin():
            s.execute(text("UPDATE threat_reports SET reported_at = '2001-01-01 00:00:00.000000'"
                           " WHERE id = (SELECT min(id) FROM threat_reports)"))
    else:
        change(sample_db)
    with sample_db.session() as s:
        assert only_added_since(s, data.mark) is False
        if change != "date":  # the checksum does not sum dates; the marker does
            assert unchanged(s, data.mark) is False
