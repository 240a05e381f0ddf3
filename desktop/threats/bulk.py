"""Writing many reports at once below SQLAlchemy's per-row parameter handling (which cost
seconds per 100,000 rows): plain tuples through the driver — ``executemany`` on SQLite, COPY
on PostgreSQL (psycopg) for new rows — with one audit entry per statement, as the audit log
records any bulk statement (``db.audit``).

SQLite stores times as SQLAlchemy does (``YYYY-MM-DD HH:MM:SS.ffffff``, dates
``YYYY-MM-DD``), so what is written here reads back exactly as through the ORM.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from db.audit import IGNORED_FIELDS, audit_entry, audit_ready, write_entries

TABLE = "threat_reports"
# The columns an import writes; an update sets all but created_at, by id.
COLUMNS = ("source_id", "category_id", "status_id", "reported_at", "event_date", "event_time",
           "modified_at", "lat", "lon", "teryt", "description", "beat_id", "created_at",
           "updated_at")
UPDATED = tuple(c for c in COLUMNS if c != "created_at")
_TIMES = ("reported_at", "modified_at", "created_at", "updated_at")


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _for_sqlite(rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> list[tuple]:
    """Times and dates as SQLAlchemy stores them on SQLite (only those columns converted)."""
    convert = [i for i, c in enumerate(columns) if c in _TIMES or c == "event_date"]
    out = []
    for row in rows:
        values = list(row)
        for i in convert:
            v = values[i]
            if v is not None:
                values[i] = _sqlite_value(v)
        out.append(tuple(values))
    return out


def _audit(conn: Connection, action: str, columns: Sequence[str], count: int) -> None:
    if count and audit_ready(conn):
        write_entries(conn, [audit_entry(
            action, TABLE, "", f"{count} rekordów",
            {"columns": sorted(c for c in columns if c not in IGNORED_FIELDS)}, rows=count)])


def insert_rows(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows (tuples in the order of COLUMNS) in the caller's transaction."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        raw: Any = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(
                f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(_marks(conn, len(COLUMNS)))
        values = _for_sqlite(rows, COLUMNS) if conn.dialect.name == "sqlite" else list(rows)
        conn.exec_driver_sql(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({marks})",
                             values)
    _audit(conn, "insert", COLUMNS, len(rows))


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
