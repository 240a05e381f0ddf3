"""The KMZB reports browser (Qt-free): pages of reports filtered as on the map, searched and
sorted in SQL, so 100,000 reports never travel to Python at once.

The filter is the map's own (``desktop.map.data.ReportFilter`` and ``filter_reports``). The
text search ignores case and Polish diacritics ("slesin" finds "Ślesin"): each word becomes a
regular expression with a character class per letter (``[sś][lł][eę]…``), run by the database
(SQLAlchemy gives SQLite a REGEXP function; PostgreSQL has ``~*``).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, literal, select
from sqlalchemy.orm import aliased

from db.engine import Database
from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus, Unit
from desktop.activities.export import ExportColumn, write_table
from desktop.common.logs import timed_info
from desktop.common.text import fold
from desktop.map.data import ReportFilter, filter_reports

PAGE_SIZE = 500
EXPORT_BATCH = 2000
READING, WRITING = "reading", "writing"  # the stages export_reports reports

_VARIANTS = {"a": "aą", "c": "cć", "e": "eę", "l": "lł", "n": "nń", "o": "oó", "s": "sś",
             "z": "zźż"}


@dataclass(frozen=True)
class ReportRow:
    id: int
    source_id: str
    category: str
    status: str
    reported_at: dt.datetime
    beat: str
    description: str


@dataclass(frozen=True)
class ReportQuery:
    """What the browser shows: the map's filter, a search text and the sort."""

    filter: ReportFilter = ReportFilter()
    text: str = ""
    sort: str = "reported_at"  # a key of SORT_KEYS
    descending: bool = True


def word_pattern(word: str) -> str:
    """A regular expression finding ``word`` (already folded) in text with or without Polish
    diacritics; used case-insensitively."""
    out = []
    for ch in word:
        # Both cases spelt out: a PostgreSQL database in the C locale folds only ASCII letters
        # under (?i), so "Źródło" would not match "zrodlo" there.
        variants = _VARIANTS.get(ch, ch if ch.isalpha() else "")
        out.append(f"[{variants}{variants.upper()}]" if variants else re.escape(ch))
    return "".join(out)


_beat_unit = aliased(Unit)
_HAYSTACK = (func.coalesce(ThreatReport.description, "") + literal(" ")
             + ThreatCategory.name + literal(" ") + ThreatStatus.name + literal(" ")
             + func.coalesce(Beat.number, "") + literal(" ") + func.coalesce(Beat.name, "")
             + literal(" ") + func.coalesce(ThreatReport.source_id, "") + literal(" ")
             + cast(ThreatReport.id, String))
_BEAT_LABEL = (func.coalesce(_beat_unit.short_name, "") + literal(" nr ") + Beat.number
               + literal(" – ") + Beat.name)

SORT_KEYS: dict[str, ColumnElement] = {
    "id": ThreatReport.id,  # type: ignore[dict-item]
    "category": ThreatCategory.name,  # type: ignore[dict-item]
    "status": ThreatStatus.name,  # type: ignore[dict-item]
    "reported_at": ThreatReport.reported_at,  # type: ignore[dict-item]
    "beat": _BEAT_LABEL,
    "description": ThreatReport.description,  # type: ignore[dict-item]
}


def search_clause(text: str) -> ColumnElement[bool] | None:
    words = fold(text).split()
    if not words:
        return None
    # "(?i)" at the start means "ignore case" to Python's re (SQLite) and PostgreSQL alike
    return and_(*[_HAYSTACK.regexp_match("(?i)" + word_pattern(w)) for w in words])


def _base(query: ReportQuery, columns: tuple) -> Select:
    q = (select(*columns).select_from(ThreatReport)
         .join(ThreatCategory, ThreatReport.category_id == ThreatCategory.id)
         .join(ThreatStatus, ThreatReport.status_id == ThreatStatus.id)
         .outerjoin(Beat, ThreatReport.beat_id == Beat.id)
         .outerjoin(_beat_unit, Beat.unit_id == _beat_unit.id))
    q = filter_reports(q, query.filter)
    clause = search_clause(query.text)
    return q if clause is None else q.where(clause)


_ROW_COLUMNS = (ThreatReport.id, ThreatReport.source_id, ThreatCategory.name, ThreatStatus.name,
                ThreatReport.reported_at, _BEAT_LABEL, ThreatReport.description)


def _rows_query(query: ReportQuery) -> Select:
    key = SORT_KEYS.get(query.sort, ThreatReport.reported_at)
    order = key.desc() if query.descending else key.asc()
    tie = ThreatReport.id.desc() if query.descending else ThreatReport.id.asc()
    return _base(query, _ROW_COLUMNS).order_by(order, tie)


def _row(r) -> ReportRow:
    return ReportRow(r[0], r[1] or "", r[2], r[3], r[4], r[5] or "", r[6] or "")


def count(db: Database, query: ReportQuery) -> int:
    with db.session() as s:
        return s.scalar(_base(query, (func.count(ThreatReport.id),))) or 0


def page(db: Database, query: ReportQuery, offset: int, limit: int = PAGE_SIZE) -> list[ReportRow]:
    """``limit`` rows from ``offset`` in the query's order (one short session)."""
    with db.session() as s:
        return [_row(r) for r in s.execute(_rows_query(query).offset(offset).limit(limit))]


def iter_rows(db: Database, query: ReportQuery, batch: int = EXPORT_BATCH) -> Iterator[ReportRow]:
    """Every row of the query, read in batches (keyset would need a unique sort; the order
    includes the id, so offsets are stable while nothing is imported meanwhile)."""
    offset = 0
    while True:
        rows = page(db, query, offset, batch)
        yield from rows
        if len(rows) < batch:
            return
        offset += batch


EXPORT_COLUMNS = [
    ExportColumn("Id", lambda r: r.id, 8),
    ExportColumn("Id KMZB", lambda r: r.source_id, 14),
    ExportColumn("Kategoria", lambda r: r.category, 36),
    ExportColumn("Status", lambda r: r.status, 22),
    ExportColumn("Data zgłoszenia", lambda r: r.reported_at, 17),
    ExportColumn("Rejon", lambda r: r.beat, 30),
    ExportColumn("Opis", lambda r: r.description, 60),
]


def export_reports(db: Database, query: ReportQuery, path: str | Path,
                   check: Callable[[str, int], None] | None = None) -> int:
    """Write the query's rows (all of them, not only those shown) to CSV or XLSX; ``check``
    is called with the stage (:data:`READING`, :data:`WRITING`) and the rows done in it every
    batch, and may raise to cancel: no file is left then (see ``write_table``). Returns the
    count."""
    started = time.monotonic()
    rows: list[ReportRow] = []
    for row in iter_rows(db, query):
        rows.append(row)
        if check is not None and len(rows) % EXPORT_BATCH == 0:
            check(READING, len(rows))
    written = (lambda n: check(WRITING, n)) if check is not None else None
    write_table(path, EXPORT_COLUMNS, rows, "Zgłoszenia", written)
    timed_info(logging.getLogger("razem.activities"), "Eksport zgłoszeń do %s: %d wierszy",
               started, path, len(rows))
    return len(rows)
