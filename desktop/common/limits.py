"""Limits on what an imported file may hold, in one place (documented in docs/limits.md).

A file over a limit is refused with a Polish message before it can exhaust memory or time;
a row with an implausible date is refused on its own, with its reason. Qt-free.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Iterable
from typing import Any

MB = 1024 * 1024

# -- files -----------------------------------------------------------------------------------
MAX_REPORT_FILE_BYTES = 200 * MB  # CSV / XLSX / GeoJSON of threat reports, as stored on disk
MAX_BOUNDARY_FILE_BYTES = 200 * MB  # GeoJSON / KML / zipped Shapefile of beat boundaries
MAX_PARTNER_FILE_BYTES = 20 * MB  # CSV / XLSX of partners
MAX_ADDRESS_FILE_BYTES = 2048 * MB  # GML / CSV of PRG address points (read streamed)
MAX_STREET_FILE_BYTES = 20 * MB  # CSV of the street register (a voivodeship's ~ 2 MB)

# XLSX (and the Shapefile ZIP) are ZIP archives: their parts are checked before anything is
# unpacked. Python's zipfile never unpacks more than an entry's declared size, so checking
# the declared sizes bounds what is read.
MAX_UNPACKED_BYTES = 500 * MB  # all parts of one archive together
MAX_XLSX_PART_BYTES = 300 * MB  # one worksheet
MAX_XLSX_SHARED_STRINGS_BYTES = 50 * MB  # the shared-strings part: held in memory whole
MAX_COMPRESSION_RATIO = 200  # a part unpacking to more than 200× its packed size is a bomb
RATIO_CHECK_FROM_BYTES = 10 * MB  # small parts may compress better (repeated XML)

# -- rows ------------------------------------------------------------------------------------
MAX_REPORT_ROWS = 1_000_000
MAX_PARTNER_ROWS = 50_000
MAX_STREET_ROWS = 200_000  # street register lines in one file
MAX_ADDRESS_POINTS = 1_000_000  # PRG address points in one file (a large powiat has ~100k)
MAX_COLUMNS = 200

# -- geometry --------------------------------------------------------------------------------
MAX_FEATURES = 5_000  # beat boundaries in one file
MAX_VERTICES_PER_FEATURE = 50_000
MAX_VERTICES = 1_000_000  # in one boundary file
MAX_JSON_DEPTH = 64  # nesting of a GeoJSON document

# -- dates -----------------------------------------------------------------------------------
EARLIEST_DATE = dt.date(2000, 1, 1)  # KMZB started in 2016; anything before 2000 is an error
MAX_FUTURE = dt.timedelta(days=1)  # a report "from tomorrow" is tolerated (time zones)
# Periods asked for (diagnosis, command line) are brought into this range, so that date
# arithmetic never overflows whatever is typed or stored (9999-12-31, 0001-01-01).
EARLIEST_QUERY_DATE = dt.date(1900, 1, 1)
LATEST_QUERY_DATE = dt.date(2199, 12, 31)


class LimitError(ValueError):
    """A file over a limit; the message is Polish."""


def latest_date(today: dt.date | None = None) -> dt.date:
    return (today or dt.date.today()) + MAX_FUTURE


def date_problem(value: dt.date | dt.datetime, today: dt.date | None = None) -> str | None:
    """Why a date is implausible (Polish), or None when it is fine."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < EARLIEST_DATE:
        return f"data {day:%d.%m.%Y} sprzed {EARLIEST_DATE:%Y} roku – nieprawdopodobna"
    if day > latest_date(today):
        return f"data {day:%d.%m.%Y} z przyszłości – nieprawdopodobna"
    return None


def clamp_query_date(day: dt.date) -> dt.date:
    return min(max(day, EARLIEST_QUERY_DATE), LATEST_QUERY_DATE)


def mb(n: int) -> str:
    return f"{n / MB:.0f} MB"


def check_file_size(size: int, limit: int, name: str) -> None:
    if size > limit:
        raise LimitError(f"Plik {name} jest za duży ({mb(size)}; dopuszczalne {mb(limit)}).")


def check_archive(infos: Iterable[zipfile.ZipInfo], name: str,
                  part_limits: dict[str, int] | None = None,
                  default_part_limit: int = MAX_XLSX_PART_BYTES) -> None:
    """Refuse a ZIP archive whose parts would unpack to too much (by declared sizes)."""
    total = 0
    for info in infos:
        total += info.file_size
        limit = (part_limits or {}).get(info.filename.lower(), default_part_limit)
        if info.file_size > limit:
            raise LimitError(f"{name}: część {info.filename} po rozpakowaniu ma "
                             f"{mb(info.file_size)} (dopuszczalne {mb(limit)}) – plik "
                             "jest za duży albo celowo spreparowany.")
        if info.file_size > RATIO_CHECK_FROM_BYTES and \
                info.file_size > MAX_COMPRESSION_RATIO * max(1, info.compress_size):
            raise LimitError(f"{name}: część {info.filename} rozpakowuje się do "
                             f"{mb(info.file_size)} z {info.compress_size} bajtów – plik "
                             "celowo spreparowany (bomba ZIP).")
    if total > MAX_UNPACKED_BYTES:
        raise LimitError(f"{name}: po rozpakowaniu {mb(total)} (dopuszczalne "
                         f"{mb(MAX_UNPACKED_BYTES)}).")


def check_xml_parts(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse XML parts declaring a DTD or entities (entity bombs, external entities):
    spreadsheet programs never write them. A DTD can only stand before the root element, so
    the beginning of each part is enough; a part whose root element does not start within
    its first 64 KB is refused too."""
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            head = part.read(_PROLOG_BYTES)
        if xml_declares_dtd(head):
            raise LimitError(f"{name}: część {info.filename} zawiera deklaracje DTD "
                             "lub encji – plik celowo spreparowany, nie odczytano go.")


def check_xlsx(data: bytes, name: str) -> None:
    """All checks of an XLSX file before openpyxl opens it: part sizes (the shared strings
    are held in memory whole, so they have a lower limit) and no DTD in any XML part.
    Raises LimitError, also for a file that is not a ZIP archive at all."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive.infolist(), name,
                          {"xl/sharedstrings.xml": MAX_XLSX_SHARED_STRINGS_BYTES})
            check_xml_parts(archive, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
            EOFError, ValueError) as exc:
        if isinstance(exc, LimitError):
            raise
        raise LimitError(f"{name} nie jest poprawnym plikiem XLSX (uszkodzony lub "
                         "urwany).") from exc


def xml_declares_dtd(head: bytes) -> bool:
    """Whether an XML document, given by its first bytes, declares a DTD (or its root element
    does not start within them, which hides one)."""
    head = head[:_PROLOG_BYTES]
    prolog = _PROLOG_NOISE.sub(b"", head)
    root = _FIRST_TAG.search(prolog)
    if root is None:
        return len(head) >= _PROLOG_BYTES or b"<!" in prolog
    return root.group(1).startswith(b"!")


_PROLOG_BYTES = 64 * 1024
_PROLOG_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->", re.DOTALL)
_FIRST_TAG = re.compile(rb"<(!?[A-Za-z_:])")


def json_depth_ok(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets outside strings nest at most ``limit`` deep (checked before parsing:
    the parser and everything after it recurse)."""
    import numpy as np  # here: importing limits must stay cheap (the window's start-up)

    # Strings may hold brackets: drop them first (escaped quotes included).
    bare = re.sub(rb'"(?:[^"\\]|\\.)*"', b"", data)
    codes = np.frombuffer(bare, dtype=np.uint8)
    brackets = codes[np.isin(codes, (0x5B, 0x5D, 0x7B, 0x7D))]  # [ ] { } only: small arrays
    step = np.where((brackets == 0x5B) | (brackets == 0x7B), 1, -1).astype(np.int32)
    return not len(step) or int(np.cumsum(step).max()) <= limit


def load_json(data: bytes) -> Any:
    """``json.loads`` of UTF-8 bytes, refusing documents nested deeper than the limit."""
    if not json_depth_ok(data):
        raise LimitError(f"dokument JSON zagnieżdżony głębiej niż {MAX_JSON_DEPTH} "
                         "poziomów – plik uszkodzony lub celowo spreparowany.")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise LimitError("dokument JSON zagnieżdżony zbyt głęboko.") from None
