"""An exact change marker of ``threat_reports``: a key that changes whenever the reports do.

``report_marker`` holds one row with a random ``token``, replaced by triggers in the same
transaction as the writes to ``threat_reports``. :func:`report_key` reads the key; two equal
keys of one database mean the reports are the same (the map's cache of its encoded reports,
``desktop/map/blockcache.py``, relies on it instead of reading a million rows).

* PostgreSQL: statement triggers on INSERT, UPDATE, DELETE and TRUNCATE replace the token once
  per transaction (``xact`` remembers which transaction did it, so a transaction of 100,000
  single-row statements changes the row once, not 100,000 times). The key is the token.
* SQLite has only row triggers, and one on INSERT would cost the importer ~5 µs a row
  (measured: 0.4–0.8 s per 100,000 rows). So only UPDATE (of a column the map reads: id, lat,
  lon, reported_at, category_id, status_id, beat_id, and only when its value changes) and
  DELETE replace the token, and the key is (token, row count, highest id). Why that is exact:
  between two states with the same key no UPDATE or DELETE was committed (each would have put
  a new random token), so only INSERTs were, and each raises the count: with an equal count
  there were none. Beat re-assignment after a boundary change, a beat deleted (``ON DELETE
  SET NULL``), edits and re-imports are UPDATEs; an import of new reports raises the count.
  What the key does not cover, by design: the dictionaries and the list of beats (the map keys
  its cache with those itself), and a file replaced by an older copy of itself that then gets
  different new reports (two histories); a restore therefore calls :func:`touch`.

A migration that rebuilds ``threat_reports`` on SQLite (``batch_alter_table``) drops its
triggers: call :func:`install_triggers` again after it (a test checks they exist at head).
"""
from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Connection, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

TABLE = "report_marker"
# The columns the map reads (desktop/map/reports.py); other columns (descriptions, times of
# the day, modification dates) do not change the token on SQLite.
MAP_COLUMNS = ("id", "lat", "lon", "reported_at", "category_id", "status_id", "beat_id")


class ReportMarker(Base):
    """One row: a token replaced in the same transaction as every change of the reports."""

    __tablename__ = TABLE

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), nullable=False)
    xact: Mapped[int | None] = mapped_column(BigInteger)  # PostgreSQL: who set the token


def new_token() -> str:
    return uuid.uuid4().hex


# -- SQLite --------------------------------------------------------------------------------

_SQLITE_NEW = f"UPDATE {TABLE} SET token = lower(hex(randomblob(16)));"
_SQLITE_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in MAP_COLUMNS)
_SQLITE_TRIGGERS = (
    f"CREATE TRIGGER trg_report_marker_update AFTER UPDATE OF {', '.join(MAP_COLUMNS)} "
    f"ON threat_reports WHEN {_SQLITE_CHANGED} BEGIN {_SQLITE_NEW} END",
    f"CREATE TRIGGER trg_report_marker_delete AFTER DELETE ON threat_reports "
    f"BEGIN {_SQLITE_NEW} END",
)
_SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS trg_report_marker_{op}"
                     for op in ("update", "delete"))

# -- PostgreSQL ----------------------------------------------------------------------------

_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION report_marker_touch() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN UPDATE {TABLE} SET token = replace(gen_random_uuid()::text, '-', ''), "
    "xact = txid_current() WHERE xact IS DISTINCT FROM txid_current(); RETURN NULL; END $$"
)
_PG_TRIGGERS = (
    "CREATE TRIGGER trg_report_marker AFTER INSERT OR UPDATE OR DELETE ON threat_reports "
    "FOR EACH STATEMENT EXECUTE FUNCTION report_marker_touch()",
    "CREATE TRIGGER trg_report_marker_truncate AFTER TRUNCATE ON threat_reports "
    "FOR EACH STATEMENT EXECUTE FUNCTION report_marker_touch()",
)
_PG_DROP = ("DROP TRIGGER IF EXISTS trg_report_marker ON threat_reports",
            "DROP TRIGGER IF EXISTS trg_report_marker_truncate ON threat_reports",
            "DROP FUNCTION IF EXISTS report_marker_touch()")


def install_triggers(conn: Connection) -> None:
    """Create the triggers (replacing any present) and make sure the one row exists."""
    drop_triggers(conn)
    if conn.dialect.name == "sqlite":
        statements: tuple[str, ...] = _SQLITE_TRIGGERS
    elif conn.dialect.name == "postgresql":
        statements = (_PG_FUNCTION, *_PG_TRIGGERS)
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(conn.dialect.name)
    for sql in statements:
        conn.exec_driver_sql(sql)
    if conn.execute(text(f"SELECT count(*) FROM {TABLE}")).scalar() == 0:
        conn.execute(text(f"INSERT INTO {TABLE} (id, token) VALUES (1, :t)"),
                     {"t": new_token()})


def drop_triggers(conn: Connection) -> None:
    for sql in _SQLITE_DROP if conn.dialect.name == "sqlite" else _PG_DROP:
        conn.exec_driver_sql(sql)


def touch(conn: Connection) -> None:
    """A new token (whatever changed: e.g. the database was replaced by a restored copy, or a
    bulk write paused the triggers)."""
    conn.execute(text(f"UPDATE {TABLE} SET token = :t, xact = NULL"), {"t": new_token()})


def triggers_present(conn: Connection) -> bool:
    """Whether the triggers are installed (a migration rebuilding the table would drop them)."""
    if conn.dialect.name == "sqlite":
        names = set(conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = "
            "'threat_reports'").scalars())
        return {"trg_report_marker_update", "trg_report_marker_delete"} <= names
    names = set(conn.exec_driver_sql(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'threat_reports'::regclass").scalars())
    return {"trg_report_marker", "trg_report_marker_truncate"} <= names


def report_key(conn: Connection) -> str | None:
    """The key of the reports' current state (see the module's docstring), or None when the
    database has no marker (an older schema): then nothing may be cached."""
    if conn.dialect.name == "sqlite":
        present = conn.exec_driver_sql(
            f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'").first()
    else:  # asked without an error, which would end PostgreSQL's transaction
        present = conn.exec_driver_sql(f"SELECT to_regclass('{TABLE}')").scalar()
    if not present:
        return None
    token = conn.execute(text(f"SELECT token FROM {TABLE} WHERE id = 1")).scalar()
    if token is None:
        return None
    if conn.dialect.name == "postgresql":
        return f"pg:{token}"
    count, highest = conn.execute(text(
        "SELECT count(*), coalesce(max(id), 0) FROM threat_reports")).one()
    return f"sqlite:{token}:{count}:{highest}"
