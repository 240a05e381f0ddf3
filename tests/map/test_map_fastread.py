"""The map's start-up read without SQLAlchemy (desktop/map/fastread.py): on a SQLite file with
a valid disk cache it gives exactly what the normal read gives (the page's data script, the
reports' block, the filter choices, the mark and indexes), and None on any doubt."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, select, text, update

from db.models import Assignment, Beat, Officer, Unit
from desktop.map import fastread, shell
from desktop.map.data import data_script, load_map_data, reports_block
from tests.map.test_map_blockcache import (
    _delete,
    _edit_status,
    _insert,
    _move_beat,
    _reorder_categories,
    _retire_beat,
)

pytestmark = pytest.mark.engines("sqlite")
ROOT = Path(__file__).resolve().parents[2]


def fast(db):
    return fastread.read(db.url, shell.cache_folder())


def assert_equal_to_normal(db, got: fastread.FastMap | None) -> None:
    """``got`` equals what load_map_data gives now, in every part the page and tab use."""
    assert got is not None
    want = load_map_data(db)
    assert want.cached  # the normal read found the same cache valid
    assert got.data_js == data_script(want)
    assert got.block == reports_block(want) == got.data.block
    d = got.data
    assert d.payload == want.payload
    assert (d.units, d.gminas, d.categories, d.statuses, d.beats) == \
        (want.units, want.gminas, want.categories, want.statuses, want.beats)
    assert [c.active for c in d.categories] == [c.active for c in want.categories]
    assert (d.report_count, d.beat_polygons, d.bounds) == \
        (want.report_count, want.beat_polygons, want.bounds)
    assert d.mark is not None and want.mark is not None
    assert (d.mark.max_id, d.mark.checksum, d.mark.key) == \
        (want.mark.max_id, want.mark.checksum, want.mark.key)
    assert d.indexes == want.indexes
    assert d.report_count > 1000


def test_the_same_sql_as_the_orm_read(sample_db):
    """Each statement is the SQL SQLAlchemy executes for load_map_data, with the same
    parameters (same text, same plan, same order of rows)."""
    executed: list[tuple[str, tuple]] = []

    def seen(_conn, _cursor, statement, parameters, _context, _many):
        executed.append((statement, tuple(parameters or ())))

    event.listen(sample_db.engine, "before_cursor_execute", seen)
    try:
        load_map_data(sample_db)
    finally:
        event.remove(sample_db.engine, "before_cursor_execute", seen)
    day = dt.date.today().isoformat()
    expected = [(fastread.SQL_UNITS, ()), (fastread.SQL_GMINAS, ()),
                (fastread.SQL_CATEGORIES, ()), (fastread.SQL_STATUSES, ()),
                (fastread.SQL_PEOPLE, (fastread.REGULAR_KIND, day, day)),
                (fastread.SQL_BEATS, (day,)), (fastread.SQL_MARKER, ()),
                (fastread.SQL_COUNT, ())]
    for statement in expected:
        assert statement in executed, statement[0]
    assert any(s.startswith(fastread.SQL_MARKER_TABLE) for s, _p in executed)


def test_equals_the_normal_read_and_needs_the_cache(sample_db):
    assert fast(sample_db) is None  # nothing cached yet
    load_map_data(sample_db)  # reads and stores the block
    assert_equal_to_normal(sample_db, fast(sample_db))


@pytest.mark.parametrize("change", [_edit_status, _delete, _insert, _move_beat,
                                    _reorder_categories, _retire_beat])
def test_a_change_of_the_reports_or_positions_is_read_the_normal_way(sample_db, change):
    load_map_data(sample_db)
    assert fast(sample_db) is not None
    change(sample_db)
    assert fast(sample_db) is None  # the stored key is an old one
    load_map_data(sample_db)  # stored again for the new state
    assert_equal_to_normal(sample_db, fast(sample_db))


def _rename_unit(db):
    with db.session() as s, s.begin():
        s.execute(update(Unit).where(Unit.id == select(Unit.id).limit(1).scalar_subquery())
                  .values(name="Komisariat Nowy"))


def _rename_beat_and_outline(db):
    with db.session() as s, s.begin():
        beat = s.scalars(select(Beat).where(Beat.boundary.is_not(None)).order_by(Beat.id)).first()
        assert beat is not None
        beat.name = "Rejon „nowy” </script>"
        beat.boundary = ('{"type": "Polygon", "coordinates": [[[18.0, 52.0], [18.5, 52.0], '
                         '[18.5, 52.5], [18.0, 52.0]]]}')


def _officer_changes(db):
    with db.session() as s, s.begin():
        officer = s.scalars(select(Officer).order_by(Officer.id)).first()
        assert officer is not None
        officer.last_name, officer.phone = "Zmieniony", ""
        s.execute(update(Assignment).where(Assignment.id == select(Assignment.id).order_by(
            Assignment.id.desc()).limit(1).scalar_subquery())
            .values(valid_to=dt.date.today() - dt.timedelta(days=3)))


@pytest.mark.parametrize("change", [_rename_unit, _rename_beat_and_outline, _officer_changes])
def test_names_outlines_and_officers_are_read_fresh(sample_db, change):
    """What the key does not cover is read each time: still equal to the normal read."""
    load_map_data(sample_db)
    change(sample_db)
    assert_equal_to_normal(sample_db, fast(sample_db))


def test_another_schema_revision_or_no_marker_gives_none(sample_db):
    load_map_data(sample_db)
    assert fast(sample_db) is not None
    with sample_db.session() as s, s.begin():
        s.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert fast(sample_db) is None  # a migration would be due
    with sample_db.session() as s, s.begin():
        s.execute(text("UPDATE alembic_version SET version_num = :v"),
                  {"v": fastread.newest_revision()})
    assert fast(sample_db) is not None
    with sample_db.session() as s, s.begin():
        s.execute(text("DROP TABLE report_marker"))
    assert fast(sample_db) is None


def test_the_newest_revision_is_alembics_head():
    from db.migrate import head_revision

    assert fastread.newest_revision() == head_revision()


def test_only_plain_sqlite_files(sample_db, tmp_path):
    load_map_data(sample_db)
    path = fastread.sqlite_file(sample_db.url)
    assert path is not None and Path(path).is_file()
    folder = shell.cache_folder()
    for url in ("postgresql+psycopg://u@localhost/razem", "sqlite://", "sqlite:///:memory:",
                sample_db.url + "?mode=ro", f"sqlite:///{(tmp_path / 'none.db').as_posix()}"):
        assert fastread.read(url, folder) is None, url
    assert fastread.read(sample_db.url, None) is None
    assert not (tmp_path / "none.db").exists()  # never created


def test_a_damaged_cache_file_gives_none(sample_db):
    load_map_data(sample_db)
    folder = shell.cache_folder()
    assert folder is not None
    (path,) = folder.glob("map-reports-*.bin")
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0x40
    path.write_bytes(bytes(raw))
    assert fast(sample_db) is None


def test_imports_neither_sqlalchemy_nor_numpy():
    code = ("import sys, desktop.map.fastread, desktop.map.ui.view, desktop.map.ui.early; "
            "bad = [m for m in ('sqlalchemy', 'numpy', 'db.models', 'db.engine') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_path_with_spaces_and_polish_letters(sample_db, tmp_path):
    from db.engine import Database, sqlite_copy

    source = fastread.sqlite_file(sample_db.url)
    assert source is not None
    target = tmp_path / "dane zespołu ł" / "baza kopia.db"
    target.parent.mkdir()
    sqlite_copy(Path(source), target)
    db = Database.open(f"sqlite:///{target.as_posix()}")
    try:
        load_map_data(db)
        assert_equal_to_normal(db, fast(db))
    finally:
        db.dispose()
