"""The map's reports cache file and its key, without SQLAlchemy or numpy (see
:mod:`desktop.map.blockcache` for what the key covers and why a hit is exact). Shared by the
ORM read (``blockcache``) and the start-up read with ``sqlite3`` (``fastread``), so both name
the same file and compute the same key from the same values."""
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
from pathlib import Path

log = logging.getLogger("razem.map")

FORMAT = 1  # bump when the block's layout or this file's layout changes
PREFIX = "map-reports-"
MAX_FILES = 4
BYTES_PER_REPORT = 16  # desktop.map.reports.BYTES_PER_REPORT
_MAGIC = b"RAZEM-MAP-REPORTS\n"
_HEADER = struct.Struct("<I")  # the header's length, then the JSON header, then the block


def code_stamp() -> str:
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


def sqlite_identity(path: str | os.PathLike[str]) -> str:
    return "sqlite:" + os.path.realpath(path)


def key_of(revision: object, marker: str, categories: dict[int, int],
           statuses: dict[int, int], beats: dict[int, int]) -> str | None:
    """The cache key of the reports under the change ``marker``, the schema ``revision``
    and the page's positions of categories, statuses and beats (None: nothing is cached)."""
    code = code_stamp()
    if not code:
        return None
    parts = {"format": FORMAT, "code": code, "revision": revision, "marker": marker,
             "categories": sorted(categories.items()),
             "statuses": sorted(statuses.items()),
             "beats": sorted(beats.items())}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def file_named(identity: str, folder: Path) -> Path:
    name = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
    return folder / f"{PREFIX}{name}.bin"


def load_raw(path: Path, key: str) -> tuple[bytes, int, tuple[int, ...]] | None:
    """The block, highest id and checksum stored under ``key``, or None (no file, another
    key, damaged)."""
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
        max_id = int(header["max_id"])
        checksum = tuple(int(v) for v in header["checksum"])
        if checksum and checksum[0] != count:
            return None
    except (ValueError, KeyError, TypeError, struct.error):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # most recently used: kept when the folder is pruned
    return block, max_id, checksum


def store_raw(path: Path, key: str, block: bytes, max_id: int,
              checksum: tuple[int, ...]) -> None:
    """Write whole or not at all (a rename); keep the newest :data:`MAX_FILES` files."""
    header = json.dumps({"format": FORMAT, "key": key, "reports": len(block) // BYTES_PER_REPORT,
                         "max_id": max_id, "checksum": list(checksum),
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
