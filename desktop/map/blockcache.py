"""The map's encoded reports kept on disk, so a start with unchanged data reads no reports.

One file per database in ``<data dir>/cache`` (``map-reports-<hash of the database>.bin``),
holding the block the page decodes (:meth:`ReportColumns.raw`, 16 bytes a report) and the
page's :class:`ReportsMark`. It is used only when its key equals the key of now:

* the reports' change marker (:func:`db.report_marker.report_key`: a token replaced by
  triggers in the same transaction as every change of the reports, with the row count and
  the highest id on SQLite);
* the positions the page gives categories, statuses and beats (:class:`Indexes`; a renamed
  or reordered dictionary, a beat added, retired or removed, or a new day that retires one);
* the schema's revision and the code that encodes the block (a format number and the
  digest of ``reports.py``).

A changed input can only miss the cache. The file is written whole or not at all (a
rename); a file that is short, damaged (CRC-32 of the block) or of another format is
ignored, and the reports are read afresh. At most :data:`MAX_FILES` files are kept (the
most recently used), so the folder stays bounded when many databases are opened.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session

from db.engine import describe, sqlite_path
from db.report_marker import report_key
from desktop.map.blockfile import _MAGIC as _MAGIC
from desktop.map.blockfile import FORMAT as FORMAT
from desktop.map.blockfile import MAX_FILES as MAX_FILES
from desktop.map.blockfile import PREFIX as PREFIX
from desktop.map.blockfile import file_named, key_of, load_raw, sqlite_identity, store_raw
from desktop.map.reports import Indexes, ReportColumns, ReportsMark, read_all
from desktop.map.shell import cache_folder


def identity(url: str) -> str:
    """Which database: the SQLite file's real path, or the server URL without password."""
    path = sqlite_path(url)
    if path is not None:
        return sqlite_identity(path)
    return describe(url)


def block_key(s: Session, idx: Indexes, marker: str | None) -> str | None:
    """The key of the reports the page would get now (None: nothing may be cached), given
    the change marker read just before (:func:`db.report_marker.report_key`)."""
    conn = s.connection()
    if marker is None:
        return None
    revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return key_of(revision, marker, idx.categories, idx.statuses, idx.beats)


def file_for(url: str, folder: Path) -> Path:
    return file_named(identity(url), folder)


def load(path: Path, key: str) -> tuple[bytes, ReportsMark] | None:
    """The block and mark stored under ``key``, or None (no file, another key, damaged)."""
    hit = load_raw(path, key)
    if hit is None:
        return None
    block, max_id, checksum = hit
    return block, ReportsMark(max_id, checksum)


def store(path: Path, key: str, block: bytes, mark: ReportsMark) -> None:
    """Write whole or not at all (a rename); keep the newest :data:`MAX_FILES` files."""
    store_raw(path, key, block, mark.max_id, mark.checksum)


def read_reports(s: Session, url: str, idx: Indexes, folder: Path | None = None
                 ) -> tuple[ReportColumns, ReportsMark, bool]:
    """The reports as the page gets them: from the cache when its key is today's, else read
    (and stored). The last value says whether the cache was used."""
    # The key is read before the reports: on PostgreSQL each statement has its own snapshot,
    # and a change committed in between then only makes the stored key an old one.
    marker = report_key(s.connection())
    key = block_key(s, idx, marker)
    folder = folder if folder is not None else cache_folder()
    path = file_for(url, folder) if folder is not None and key is not None else None
    if path is not None and key is not None:
        hit = load(path, key)
        if hit is not None:
            block, mark = hit
            return ReportColumns.from_raw(block), replace(mark, key=marker), True
    columns, mark = read_all(s, idx, marker)
    if path is not None and key is not None:
        block = columns.raw()
        store(path, key, block, mark)
        columns = ReportColumns.from_raw(block)
    return columns, mark, False
