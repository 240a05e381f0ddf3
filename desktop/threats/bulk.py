"""Writing many reports at once below SQLAlchemy's per-row parameter handling (which cost
seconds per 100,000 rows): plain tuples through the driver — ``executemany`` on SQLite, COPY
on PostgreSQL (psycopg) for new rows — with one audit entry per statement, as the audit log
records any bulk statement (``db.audit``).

SQLite stores times as SQLAlchemy does (``YYYY-MM-DD HH:MM:SS.ffffff``, dates
``YYYY-MM-DD``), so what is written here reads back exactly as through the ORM.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from operator import attrgetter, methodcaller
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import (
    ARRAY,
    Connection,
    Select,
    String,
    any_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.audit import IGNORED_FIELDS, audit_entry, audit_ready, write_entries
from db.models import ThreatReport

TABLE = "threat_reports"
# The columns an import writes; an update sets all but created_at, by id.
COLUMNS = ("source_id", "category_id", "status_id", "reported_at", "event_date", "event_time",
           "modified_at", "lat", "lon", "teryt", "description", "beat_id", "created_at",
           "updated_at")
UPDATED = tuple(c for c in COLUMNS if c != "created_at")
_TIMES = ("reported_at", "modified_at", "created_at", "updated_at")


_DATETIME_TEXT = methodcaller("isoformat", " ", "microseconds")


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def sqlite_column(values: Sequence[Any]) -> list[Any]:
    """``_sqlite_value`` of a whole column, with C-level loops for the usual columns: all
    datetimes, all dates, one value repeated (created_at)."""
    if not values:
        return []
    first = values[0]
    if values.count(first) == len(values):
        return [_sqlite_value(first)] * len(values)
    kinds = {v.__class__ for v in values}
    if kinds == {dt.datetime}:
        return list(map(_DATETIME_TEXT, values))
    if kinds == {dt.date}:
        return list(map(dt.date.isoformat, values))
    return [_sqlite_value(v) for v in values]


_EARLIEST, _LATEST = np.datetime64("1000-01-01", "us"), np.datetime64("9999-12-31T23:59:59.999999")


def sqlite_times(values: np.ndarray) -> list[Any]:
    """``sqlite_column`` of a numpy datetime64 column (``[us]``: times, ``[D]``: dates; NaT
    is None): numpy's ISO texts (``np.datetime_as_string``) with a space for the "T", instead
    of one ``isoformat`` per value."""
    is_date = values.dtype == np.dtype("datetime64[D]")
    if not is_date:
        values = values.astype("datetime64[us]")
    nat = np.isnat(values)
    valid = values[~nat] if nat.any() else values
    if len(valid) and not (valid.min() >= _EARLIEST and valid.max() <= _LATEST):
        return sqlite_column(values.astype(object).tolist())  # a year not of 4 digits
    text = np.datetime_as_string(values, unit="D" if is_date else "us")
    if not is_date and len(text):
        text.view(np.uint32).reshape(len(text), -1)[:, 10] = ord(" ")  # UCS-4 characters
    out: list[Any] = text.tolist()
    for i in np.flatnonzero(nat).tolist():
        out[i] = None
    return out


def plain_column(values: Sequence[Any]) -> Sequence[Any]:
    """A numpy datetime64 column as the driver takes it (datetime/date objects, None for
    NaT); any other column as it is."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype(object).tolist()
    return values


def _for_sqlite(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> list[tuple]:
    """Times and dates as SQLAlchemy stores them on SQLite (only those columns converted)."""
    if not rows:
        return []
    cols: list[Sequence[Any]] = list(zip(*rows))
    for i, c in enumerate(columns):
        if c in _TIMES or c == "event_date":
            cols[i] = sqlite_column(cols[i])
    return list(zip(*cols))


def written(new_rows: Sequence[Sequence[Any]],
            updates: Sequence[Sequence[Any]]) -> dict[str, Iterable[Any]]:
    """Each column's values (by name) of the rows to insert (columns in the order of
    COLUMNS) and of the updates (tuples as for :func:`update_rows`)."""
    def column(k: int, name: str) -> Iterable[Any]:
        if name not in UPDATED or not updates:
            return new_rows[k]
        at = UPDATED.index(name)
        return chain(new_rows[k], (row[at] for row in updates))

    return {name: column(k, name) for k, name in enumerate(COLUMNS)}


def _audit(conn: Connection, action: str, columns: Sequence[str], count: int) -> None:
    if count and audit_ready(conn):
        write_entries(conn, [audit_entry(
            action, TABLE, "", f"{count} rekordów",
            {"columns": sorted(c for c in columns if c not in IGNORED_FIELDS)}, rows=count)])


def insert_rows(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows (tuples in the order of COLUMNS) in the caller's transaction."""
    if rows:
        insert_columns(conn, list(zip(*rows)))


def insert_columns(conn: Connection, columns: Sequence[Sequence[Any]]) -> None:
    """INSERT rows given column by column (in the order of COLUMNS, equally long) in the
    caller's transaction."""
    count = len(columns[0]) if columns else 0
    if not count:
        return
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        from psycopg.errors import IntegrityError as DriverIntegrityError

        raw: Any = conn.connection.driver_connection
        columns = [plain_column(col) for col in columns]
        sql = f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN"
        try:
            with raw.cursor() as cur, cur.copy(sql) as copy:
                for row in zip(*columns):
                    copy.write_row(row)
        except DriverIntegrityError as exc:  # as SQLAlchemy reports it for its statements
            raise IntegrityError(sql, None, exc) from exc
    else:
        marks = _marks(conn, len(COLUMNS))
        if conn.dialect.name == "sqlite":
            columns = [col if c not in _TIMES and c != "event_date" else
                       sqlite_times(col) if isinstance(col, np.ndarray) else sqlite_column(col)
                       for c, col in zip(COLUMNS, columns)]
            # A column with one value in every row (the import's time stamps, an unmapped
            # field) is written once in the statement instead of bound in every row.
            literals = [_literal(col) if count > 1 else None for col in columns]
            marks = [mark if lit is None else lit for mark, lit in zip(marks, literals)]
            columns = [col for col, lit in zip(columns, literals) if lit is None]
        else:
            columns = [plain_column(col) for col in columns]
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({', '.join(marks)})",
            list(zip(*columns)) if columns else [()] * count)
    _audit(conn, "insert", COLUMNS, count)


def _literal(column: Sequence[Any]) -> str | None:
    """The SQL literal of a column holding one value in every row — NULL, an integer or a
    short printable text — else None (the column is bound row by row)."""
    if not isinstance(column, (list, tuple)) or not column:
        return None
    first = column[0]
    kind = first.__class__
    if kind is str:
        if len(first) > 200 or not first.isprintable():
            return None
    elif kind is not int and first is not None:
        return None
    if column[-1] != first or column.count(first) != len(column) \
            or kind is int and set(map(type, column)) != {int}:  # 1 == 1.0 == True
        return None
    if first is None:
        return "NULL"
    return str(first) if kind is int else "'" + first.replace("'", "''") + "'"


def update_rows(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """UPDATE by id: tuples in the order of UPDATED followed by the report's id."""
    if not rows:
        return
    marks = _marks(conn, len(UPDATED) + 1)
    sets = ", ".join(f"{c} = {m}" for c, m in zip(UPDATED, marks))
    values = _for_sqlite(rows, (*UPDATED, "id")) if conn.dialect.name == "sqlite" \
        else list(rows)
    conn.exec_driver_sql(f"UPDATE {TABLE} SET {sets} WHERE id = {marks[-1]}",
                         values)
    _audit(conn, "update", UPDATED, len(rows))


def _marks(conn: Connection, n: int) -> list[str]:
    return ["?" if conn.dialect.paramstyle == "qmark" else "%s"] * n


# -- SQLite: a large batch into a small table -------------------------------------------------

CACHE_KIB = 65536  # page cache during a bulk write (SQLite's default is 2 MiB)


@contextmanager
def larger_cache(conn: Connection) -> Iterator[None]:
    """A 64 MiB page cache on SQLite for the caller's bulk write (the indexes of 100,000 new
    rows do not fit the default 2 MiB, and spilling doubles the insert's cost); restored
    afterwards through the driver, which works whatever state the transaction is in."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw: Any = conn.connection.driver_connection
    old = raw.execute("PRAGMA cache_size").fetchone()[0]
    raw.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size = {int(old)}")


def drop_indexes_for(conn: Connection, inserts: int, table: str = TABLE) -> list[str]:
    """On SQLite, when ``inserts`` new rows are at least as many as ``table`` holds, drop
    its secondary indexes (not the unique ones — source_id's, a primary key — which find
    duplicates) and return their CREATE statements for :func:`recreate_indexes`: building an
    index once after the insert costs about a third of keeping it current row by row. DDL is
    part of the caller's transaction, so a rollback (error, cancel) brings the indexes back."""
    if conn.dialect.name != "sqlite" or not inserts:
        return []
    stored = conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar() or 0
    if inserts < stored:
        return []
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL AND upper(sql) NOT LIKE 'CREATE UNIQUE%'", (table,)).all()
    for name, _ in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def recreate_indexes(conn: Connection, statements: Sequence[str]) -> None:
    for sql in statements:
        conn.exec_driver_sql(sql)


# -- report counts while their triggers are paused (db.aggregates) ------------------------------

# (year, month), beat_key, category_id, status_id
CountKey = tuple[tuple[int, int], int, int, int]
_YEAR_MONTH = attrgetter("year", "month")


def month_keys(times: Iterable[dt.datetime]) -> Iterator[tuple[int, int]]:
    """(year, month) of each time: the month of ``report_counts`` (formatted when written)."""
    return map(_YEAR_MONTH, times)


def _grouped(times: np.ndarray, beats: Sequence[int], categories: Sequence[int],
             statuses: Sequence[int]) -> tuple[list[str], list[int], list[int], list[int],
                                               list[int]]:
    """(months as written, beat keys, category ids, status ids, counts) of the distinct
    keys: each column coded by its distance from its smallest value (densely with
    ``np.unique`` if the ranges' product would not fit 62 bits), the codes combined into one
    integer and counted with ``np.unique`` (an integer sort, not a tuple per row)."""
    columns = [times.astype("datetime64[M]").astype(np.int64), np.asarray(beats, np.int64),
               np.asarray(categories, np.int64), np.asarray(statuses, np.int64)]
    lows = [int(c.min()) for c in columns]
    sizes = [int(c.max()) - low + 1 for c, low in zip(columns, lows)]
    dense = float(np.prod(np.array(sizes, dtype=float))) >= 2.0 ** 62
    code = np.zeros(len(times), dtype=np.int64)
    distinct: list[np.ndarray | None] = []  # the distinct values when coded densely
    for k, column in enumerate(columns):
        if dense:  # at most a few thousand values each: no overflow
            values, inverse = np.unique(column, return_inverse=True)
            code = code * len(values) + inverse.reshape(-1)
            distinct.append(values)
            sizes[k] = len(values)
        else:
            code = code * sizes[k] + (column - lows[k])
            distinct.append(None)
    found, counts = np.unique(code, return_counts=True)
    parts: list[list[int]] = []
    for values, low, size in reversed(list(zip(distinct, lows, sizes))):
        at = found % size
        parts.append((values[at] if values is not None else at + low).tolist())
        found = found // size
    months, beat_keys, category_ids, status_ids = reversed(parts)
    text = {m: f"{1970 + m // 12:04d}-{m % 12 + 1:02d}-01" for m in set(months)}
    return (list(map(text.__getitem__, months)), beat_keys, category_ids, status_ids,
            counts.tolist())


def count_keys(times: np.ndarray, beats: Sequence[int], categories: Sequence[int],
               statuses: Sequence[int]) -> Counter[CountKey]:
    """How many rows fall on each key of ``report_counts``: ``times`` a datetime64 column
    (its month), ``beats`` with 0 for no beat."""
    if not len(times):
        return Counter()
    months, beat_keys, category_ids, status_ids, counts = _grouped(times, beats, categories,
                                                                   statuses)
    keys = zip(((int(m[:4]), int(m[5:7])) for m in months), beat_keys, category_ids,
               status_ids)
    return Counter(dict(zip(keys, counts)))


def add_counts(conn: Connection, times: np.ndarray, beats: Sequence[int],
               categories: Sequence[int], statuses: Sequence[int]) -> None:
    """Add new rows (columns as for :func:`count_keys`) to ``report_counts`` while its
    triggers are paused: one upsert per distinct key (into a table holding fewer rows than
    that, its covering index built afterwards, see :func:`drop_indexes_for`)."""
    if len(times):
        rows = list(zip(*_grouped(times, beats, categories, statuses)))
        indexes = drop_indexes_for(conn, len(rows), "report_counts")
        _upsert_counts(conn, rows)
        recreate_indexes(conn, indexes)


def _upsert_counts(conn: Connection, rows: list[tuple[str, int, int, int, int]]) -> None:
    marks = ", ".join(_marks(conn, 5))
    conn.exec_driver_sql(
        "INSERT INTO report_counts (month, beat_key, category_id, status_id, count) "
        f"VALUES ({marks}) ON CONFLICT (month, beat_key, category_id, status_id) "
        "DO UPDATE SET count = report_counts.count + excluded.count", rows)


def apply_count_changes(conn: Connection, changes: Counter[CountKey]) -> None:
    """Add ``changes`` to ``report_counts`` and delete counts that fell to 0 — what the
    paused row triggers would have done, once per key instead of once per row."""
    months = {ym: f"{ym[0]:04d}-{ym[1]:02d}-01" for ym in {key[0] for key in changes}}
    rows = [(months[ym], beat, cat, st, n) for (ym, beat, cat, st), n in changes.items() if n]
    if not rows:
        return
    _upsert_counts(conn, rows)
    fallen = [(months[ym], beat, cat, st) for (ym, beat, cat, st), n in changes.items()
              if n < 0]
    if fallen:
        m = _marks(conn, 4)
        conn.exec_driver_sql(
            f"DELETE FROM report_counts WHERE month = {m[0]} AND beat_key = {m[1]} "
            f"AND category_id = {m[2]} AND status_id = {m[3]} AND count <= 0", fallen)


class StoredReport(NamedTuple):
    id: int
    modified_at: dt.datetime | None
    reported_at: dt.datetime
    beat_id: int | None
    category_id: int
    status_id: int


def stored_reports(s: Session, sids: Sequence[str]) -> dict[str, StoredReport]:
    """The stored reports among the source ids ``sids``, by source id: one query with the ids
    as one parameter (a JSON array on SQLite, an array on PostgreSQL) instead of one per 900."""
    found: dict[str, StoredReport] = {}
    if not sids or s.execute(select(ThreatReport.id).limit(1)).first() is None:
        return found  # an empty table (a first import): nothing to look up
    columns = (ThreatReport.source_id, ThreatReport.id, ThreatReport.modified_at,
               ThreatReport.reported_at, ThreatReport.beat_id, ThreatReport.category_id,
               ThreatReport.status_id)
    dialect = s.get_bind().dialect.name
    if dialect == "sqlite":
        listed: Select[Any] = select(literal_column("value")).select_from(
            func.json_each(bindparam("ids")))
        rows = s.execute(select(*columns).where(ThreatReport.source_id.in_(listed)),
                         {"ids": json.dumps(list(sids))})
    elif dialect == "postgresql":
        rows = s.execute(select(*columns).where(ThreatReport.source_id == any_(
            bindparam("ids", type_=ARRAY(String)))), {"ids": list(sids)})
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(dialect)
    for sid, rid, modified, reported, beat, category, status in rows:
        found[sid or ""] = StoredReport(rid, modified, reported, beat, category, status)
    return found
