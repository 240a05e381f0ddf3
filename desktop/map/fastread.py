"""The map's data at start-up without SQLAlchemy or numpy (issue 14, "map ready").

On a SQLite file whose reports are in the map's disk cache (:mod:`desktop.map.blockfile`)
and unchanged, everything the page needs is a few small tables and that file: this module
reads them with the plain ``sqlite3`` module, read-only, in one transaction (one snapshot),
while the window's frame is shown and SQLAlchemy and the models are still being imported in
another thread. The queries are the SQL that SQLAlchemy makes of :func:`desktop.map.data.
load_map_data`'s statements (a test keeps them equal), the rows go through the same
:func:`desktop.map.pagedata.assemble`, the cache key is computed by the same
:func:`desktop.map.blockfile.key_of`: the result equals the normal read's (a test compares
them on real files, also after edits that must invalidate the cache).

Anything else gives None and the map is read the normal way: not a plain SQLite file, a
database whose schema is not this program's newest (a migration is due), no change marker,
no cache file or another key, any error.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import db
from desktop.map.blockfile import BYTES_PER_REPORT, file_named, key_of, load_raw, sqlite_identity
from desktop.map.pagedata import (
    Choice,
    Indexes,
    MapData,
    ReportsMark,
    assemble,
    data_script,
    people_by_beat,
)

log = logging.getLogger("razem.map")

# What SQLAlchemy compiles load_map_data's statements to on SQLite (tests/map/test_map_fastread
# compares them); the parameters are bound as the ORM binds them.
SQL_UNITS = "SELECT units.id, units.name \nFROM units ORDER BY units.id"
SQL_GMINAS = "SELECT gminas.id, gminas.name, gminas.boundary \nFROM gminas ORDER BY gminas.id"
SQL_CATEGORIES = ("SELECT threat_categories.id, threat_categories.name, threat_categories.active"
                  " \nFROM threat_categories ORDER BY threat_categories.sort_order, "
                  "threat_categories.id")
SQL_STATUSES = ("SELECT threat_statuses.id, threat_statuses.name, threat_statuses.active \n"
                "FROM threat_statuses ORDER BY threat_statuses.sort_order, threat_statuses.id")
SQL_PEOPLE = ("SELECT assignments.beat_id, assignments.role, officers.rank, officers.first_name,"
              " officers.last_name, officers.phone, officers.mobile, officers.email \n"
              "FROM assignments JOIN officers ON officers.id = assignments.officer_id \n"
              "WHERE assignments.kind = ? AND assignments.valid_from <= ? AND "
              "(assignments.valid_to IS NULL OR assignments.valid_to >= ?) "
              "ORDER BY assignments.valid_from")
SQL_BEATS = ("SELECT beats.id, beats.number, beats.name, beats.unit_id, beats.gmina_id, "
             "beats.boundary \nFROM beats \nWHERE beats.retired_on IS NULL OR "
             "beats.retired_on > ? ORDER BY beats.unit_id, beats.id")
REGULAR_KIND = "regular"  # AssignmentKind.REGULAR.value, as stored
# db.report_marker.report_key on SQLite
SQL_MARKER_TABLE = ("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                    "name = 'report_marker'")
SQL_MARKER = "SELECT token FROM report_marker WHERE id = 1"
SQL_COUNT = "SELECT count(*), coalesce(max(id), 0) FROM threat_reports"

MIGRATIONS = Path(db.__file__).with_name("migrations") / "versions"  # as db.migrate's


@dataclass
class FastMap:
    """The page's data read at start-up: ``data`` as load_map_data gives it (the reports as
    the cached ``block``, no numpy columns), the data script and the block the page fetches."""

    data: MapData
    data_js: bytes
    block: bytes
    seconds: float


def sqlite_file(url: str) -> str | None:
    """The file of a plain ``sqlite:///`` URL (None for anything else: a server, memory, a
    URL with options or escapes, which only SQLAlchemy should interpret)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or any(c in url for c in "?%#"):
        return None
    path = url[len(prefix):]
    return path if path and path != ":memory:" else None


def newest_revision() -> str:
    """The schema this program writes (db.migrate.newest_file_revision, without SQLAlchemy)."""
    try:
        names = [p.name.split("_", 1)[0] for p in MIGRATIONS.iterdir()
                 if p.suffix in (".py", ".pyc") and p.name[:1].isdigit()]
    except OSError:
        return ""
    return max(names, default="")


def read(url: str, folder: Path | None, on: dt.date | None = None) -> FastMap | None:
    """The page's data from the disk cache and a few small tables, or None: read it the
    normal way (see the module's docstring)."""
    started = time.perf_counter()
    path = sqlite_file(url)
    if path is None or folder is None or not os.path.isfile(path):
        return None
    head = newest_revision()
    if not head:
        return None
    try:
        conn = sqlite3.connect(Path(os.path.abspath(path)).as_uri() + "?mode=ro", uri=True,
                               isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only=ON")
        conn.execute("BEGIN")  # one snapshot for every read below
        try:
            data = _read(conn, path, folder, head, on or dt.date.today())
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        log.debug("Mapa: odczyt startowy bez ORM niemożliwy (%s)", exc)
        return None
    finally:
        conn.close()
    if data is None:
        return None
    assert data.block is not None
    return FastMap(data, data_script(data), data.block, time.perf_counter() - started)


def _read(conn: sqlite3.Connection, path: str, folder: Path, head: str,
          on: dt.date) -> MapData | None:
    revisions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
    if revisions != [head]:
        return None  # a migration is due (or a newer program's file): the normal way
    if conn.execute(SQL_MARKER_TABLE).fetchone() is None:
        return None
    row = conn.execute(SQL_MARKER).fetchone()
    if row is None or row[0] is None:
        return None
    count, highest = conn.execute(SQL_COUNT).fetchone()
    marker = f"sqlite:{row[0]}:{count}:{highest}"
    day = on.isoformat()
    units = [Choice(i, n) for i, n in conn.execute(SQL_UNITS)]
    gmina_rows = conn.execute(SQL_GMINAS).fetchall()
    categories = [Choice(i, n, bool(a)) for i, n, a in conn.execute(SQL_CATEGORIES)]
    statuses = [Choice(i, n, bool(a)) for i, n, a in conn.execute(SQL_STATUSES)]
    people = people_by_beat(conn.execute(SQL_PEOPLE, (REGULAR_KIND, day, day)))
    beat_rows = conn.execute(SQL_BEATS, (day,)).fetchall()
    indexes = Indexes({c.id: i for i, c in enumerate(categories)},
                      {c.id: i for i, c in enumerate(statuses)},
                      {r[0]: i for i, r in enumerate(beat_rows)})
    key = key_of(revisions[0], marker, indexes.categories, indexes.statuses, indexes.beats)
    if key is None:
        return None
    hit = load_raw(file_named(sqlite_identity(path), folder), key)
    if hit is None:
        return None
    block, max_id, checksum = hit
    data = assemble(units, gmina_rows, categories, statuses, people, beat_rows,
                    len(block) // BYTES_PER_REPORT)
    data.mark = ReportsMark(max_id, checksum, marker)
    data.indexes = indexes
    data.cached = True
    data.block = block
    return data
