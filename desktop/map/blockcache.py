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

import contextlib
import hashlib
import json
import logging
import os
import struct
import sys
import tempfile
import zlib
from dataclasses import replace
from pathlib import Path

from sqlalchemy.orm import Session

from db.engine import describe, sqlite_path
from db.report_marker import report_key
from desktop.map.reports import (
    BYTES_PER_REPORT,
    Indexes,
    ReportColumns,
    ReportsMark,
    read_all,
)
from desktop.map.shell import cache_folder

log = logging.getLogger("razem.map")

FORMAT = 1  # bump when the block's layout or this file's layout changes
PREFIX = "map-reports-"
MAX_FILES = 4
_MAGIC = b"RAZEM-MAP-REPORTS\n"
_HEADER = struct.Struct("<I")  # the header's length, then the JSON header, then the block


def _code_stamp() -> str:
    """The code the block is encoded by: ``reports.py``'s digest, or in a packaged build
    (no module files) the program's version and file."""
    try:
        return hashlib.sha256((Path(__file__).parent / "reports.py").read_bytes()).hexdigest()
    except OSError:
        from desktop import __version__

        try:
            st = os.stat(sys.executable)
            return f"{__version__}:{sys.executable}:{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            return ""


def identity(url: str) -> str:
    """Which database: the SQLite file's real path, or the server URL without password."""
    path = sqlite_path(url)
    if path is not None:
        return "sqlite:" + os.path.realpath(path)
    return describe(url)


def block_key(s: Session, idx: Indexes, marker: str | None) -> str | None:
    """The key of the reports the page would get now (None: nothing may be cached), given
    the change marker read just before (:func:`db.report_marker.report_key`)."""
    conn = s.connection()
    if marker is None:
        return None
    code = _code_stamp()
    if not code:
        return None
    revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    parts = {"format": FORMAT, "code": code, "revision": revision, "marker": marker,
             "categories": sorted(idx.categories.items()),
             "statuses": sorted(idx.statuses.items()),
             "beats": sorted(idx.beats.items())}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def file_for(url: str, folder: Path) -> Path:
    name = hashlib.sha256(identity(url).encode("utf-8")).hexdigest()[:24]
    return folder / f"{PREFIX}{name}.bin"


def load(path: Path, key: str) -> tuple[bytes, ReportsMark] | None:
    """The block and mark stored under ``key``, or None (no file, another key, damaged)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        if not raw.startswith(_MAGIC):
            return None
        start = len(_MAGIC) + _HEADER.size
        (size,) = _HEADER.unpack_from(raw, len(_MAGIC))
        header = json.loads(raw[start:start + size])
        if header.get("format") != FORMAT or header.get("key") != key:
            return None
        block = raw[start + size:]
        count = int(header["reports"])
        if len(block) != count * BYTES_PER_REPORT or zlib.crc32(block) != header["crc"]:
            log.info("Pamięć podręczna zgłoszeń mapy jest uszkodzona; odczyt z bazy")
            return None
        mark = ReportsMark(int(header["max_id"]), tuple(int(v) for v in header["checksum"]))
        if mark.checksum and mark.checksum[0] != count:
            return None
    except (ValueError, KeyError, TypeError, struct.error):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # most recently used: kept when the folder is pruned
    return block, mark


def store(path: Path, key: str, block: bytes, mark: ReportsMark) -> None:
    """Write whole or not at all (a rename); keep the newest :data:`MAX_FILES` files."""
    header = json.dumps({"format": FORMAT, "key": key, "reports": len(block) // BYTES_PER_REPORT,
                         "max_id": mark.max_id, "checksum": list(mark.checksum),
                         "crc": zlib.crc32(block)}).encode("utf-8")
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".map-reports-", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + _HEADER.pack(len(header)) + header)
            f.write(block)
        os.replace(tmp, path)
        tmp = ""
        files = sorted(path.parent.glob(f"{PREFIX}*.bin"), key=_mtime, reverse=True)
        for old in files[MAX_FILES:]:
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        log.info("Zgłoszenia mapy nie zostały zapisane w pamięci podręcznej: %s", exc)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


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
