"""Foreign keys of a bulk write checked once per distinct value instead of once per row.

SQLite checks a row's foreign keys with one lookup in each parent table per row and key:
for 100,000 new reports with three keys (category, status, beat) that was about a quarter of
the INSERT. A bulk write on SQLite therefore runs with the connection's per-row checks off
(``PRAGMA foreign_keys`` only changes outside a transaction, so it is set before BEGIN and set
back after COMMIT or ROLLBACK) and checks each distinct parent id once instead, in the same
transaction (:func:`check_parents`) — which began with BEGIN IMMEDIATE, so no other connection
can delete a parent between the check and the commit. A row a parent is missing for makes the
write fail with an :class:`~sqlalchemy.exc.IntegrityError` as the per-row check would, and
nothing is written. Deleting or updating a parent is not part of such a write (SQLite's
``ON DELETE`` actions need the per-row checks; nothing here deletes a parent).

Used only when every foreign key of the table is on a column the write sets (else the
per-row checks stay on). The connection goes back to the pool with its checks on; if they
cannot be turned on again it is discarded. PostgreSQL keeps its checks (COPY).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.engine import WRITE_OPTION, Database


@contextmanager
def write_session(db: Database, table: str, columns: Sequence[str]) -> Iterator[Session]:
    """``with db.session() as s, s.begin():`` for a bulk write of ``columns`` into
    ``table``; on SQLite without per-row foreign-key checks when every foreign key of the
    table is among ``columns`` (the caller then calls :func:`check_parents`)."""
    if db.engine.dialect.name != "sqlite":
        with db.session() as s, s.begin():
            yield s
        return
    with db.engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        keys = raw.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        pause = bool(raw.execute("PRAGMA foreign_keys").fetchone()[0]) \
            and all(key[3] in columns for key in keys)
        if pause:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            conn.execution_options(**{WRITE_OPTION: True})  # BEGIN IMMEDIATE, as s.begin()
            with db.sessions(bind=conn) as s, s.begin():
                yield s
        finally:
            if pause:
                _checks_back_on(conn, raw)


def _checks_back_on(conn: Connection, raw: Any) -> None:
    try:
        raw.execute("PRAGMA foreign_keys = ON")
        on = raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    except Exception:  # a broken connection: never back to the pool without its checks
        conn.invalidate()
        raise
    if not on:  # still inside a transaction (the pragma is then ignored)
        conn.invalidate()


def checks_paused(conn: Connection) -> bool:
    """Whether this SQLite connection runs without per-row foreign-key checks."""
    if conn.dialect.name != "sqlite":
        return False
    return not conn.exec_driver_sql("PRAGMA foreign_keys").scalar()


def check_parents(conn: Connection, table: str, values: dict[str, Iterable[Any]]) -> None:
    """When the per-row checks are paused: every non-NULL value of each foreign-key column
    of ``table`` (``values``: column name -> the values written) exists in its parent;
    raises IntegrityError naming the first that does not, as the per-row check would."""
    if not checks_paused(conn):
        return
    for key in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all():
        parent, column, target = key[2], key[3], key[4] or "rowid"
        wanted = set(values[column]) - {None}
        if not wanted:
            continue
        found = {row[0] for row in conn.exec_driver_sql(
            f'SELECT "{target}" FROM "{parent}" WHERE "{target}" IN '
            f'(SELECT value FROM json_each(?))', (json.dumps(sorted(wanted, key=repr)),))}
        missing = wanted - found
        if missing:
            raise IntegrityError(
                f"{table}.{column} -> {parent}.{target}", [sorted(missing, key=repr)[:5]],
                Exception(f"FOREIGN KEY constraint failed ({table}.{column} = "
                          f"{sorted(missing, key=repr)[0]!r} not in {parent})"))

