"""Report counts per month × beat × category × status, kept current by database triggers.

``report_counts`` is derived data: every INSERT, UPDATE (of ``reported_at``, ``beat_id``,
``category_id``, ``status_id``) and DELETE on ``threat_reports`` changes it in the same
transaction, whatever wrote the report (the importer, an edit, a beat boundary change that
reassigns reports, a deleted beat's ``ON DELETE SET NULL``, the sample generator, raw SQL).
Triggers were chosen over a recount in the service layer because they cover code paths this
module does not know; the import cost of both was measured (benchmarks/aggregates_benchmark.py,
docs/threats.md). The report importer on SQLite pauses them inside its own transaction and
recounts the months it touched (:func:`pauses_for_bulk`).

* SQLite: row triggers with an UPSERT (cheap in-process; the UPDATE trigger runs only when a
  counted column really changed).
* PostgreSQL: INSERT and DELETE are statement triggers over transition tables (one GROUP BY
  per statement, so COPY and multi-row inserts cost one aggregate); UPDATE is a row trigger
  whose ``WHEN`` (evaluated without calling PL/pgSQL) skips rows whose counted columns did not
  change, e.g. a re-import that only refreshes descriptions.

``beat_key`` is the beat's id, 0 for reports in no beat (no foreign key: derived data, kept
when a beat is deleted because its reports are moved to 0 by the trigger). Rows whose count
falls to 0 are deleted. ``month`` is the first day of the month of ``reported_at``.

A migration that rebuilds ``threat_reports`` on SQLite (``batch_alter_table`` recreating the
table) drops its triggers: call :func:`install_triggers` again after it.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Date, DateTime, Index, Integer, bindparam, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base

TABLE = "report_counts"
KEY = ("month", "beat_key", "category_id", "status_id")


class ReportCount(Base):
    """How many reports one beat (0: none) had in one month, of one category and status."""

    __tablename__ = TABLE
    # Sums over a range of months read from the index alone (migration 0012).
    __table_args__ = (Index("ix_report_counts_cover", "month", "beat_key", "category_id",
                            "status_id", "count"),)

    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    beat_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False)


# -- SQLite --------------------------------------------------------------------------------

def _sqlite_key(row: str) -> str:
    return (f"substr({row}.reported_at, 1, 7) || '-01', coalesce({row}.beat_id, 0), "
            f"{row}.category_id, {row}.status_id")


def _sqlite_where(row: str) -> str:
    return (f"month = substr({row}.reported_at, 1, 7) || '-01' AND beat_key = "
            f"coalesce({row}.beat_id, 0) AND category_id = {row}.category_id AND "
            f"status_id = {row}.status_id")


def _sqlite_add(row: str) -> str:
    return (f"INSERT INTO report_counts (month, beat_key, category_id, status_id, count) "
            f"VALUES ({_sqlite_key(row)}, 1) ON CONFLICT (month, beat_key, category_id, "
            f"status_id) DO UPDATE SET count = count + 1;")


def _sqlite_remove(row: str) -> str:
    return (f"UPDATE report_counts SET count = count - 1 WHERE {_sqlite_where(row)};"
            f"DELETE FROM report_counts WHERE {_sqlite_where(row)} AND count <= 0;")


_SQLITE_TRIGGERS = (
    f"CREATE TRIGGER trg_report_counts_insert AFTER INSERT ON threat_reports "
    f"BEGIN {_sqlite_add('NEW')} END",
    f"CREATE TRIGGER trg_report_counts_delete AFTER DELETE ON threat_reports "
    f"BEGIN {_sqlite_remove('OLD')} END",
    "CREATE TRIGGER trg_report_counts_update AFTER UPDATE OF reported_at, beat_id, "
    "category_id, status_id ON threat_reports WHEN substr(OLD.reported_at, 1, 7) IS NOT "
    "substr(NEW.reported_at, 1, 7) OR OLD.beat_id IS NOT NEW.beat_id OR OLD.category_id IS "
    "NOT NEW.category_id OR OLD.status_id IS NOT NEW.status_id "
    f"BEGIN {_sqlite_remove('OLD')} {_sqlite_add('NEW')} END",
)
_SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS trg_report_counts_{op}"
                     for op in ("insert", "delete", "update"))


# -- PostgreSQL ----------------------------------------------------------------------------

_PG_KEY = "date_trunc('month', reported_at)::date, coalesce(beat_id, 0), category_id, status_id"
_PG_UPSERT = ("INSERT INTO report_counts AS c (month, beat_key, category_id, status_id, count) "
              "{select} ORDER BY 1, 2, 3, 4 ON CONFLICT (month, beat_key, category_id, "
              "status_id) DO UPDATE SET count = c.count + excluded.count;")
_PG_PRUNE = ("DELETE FROM report_counts c USING (SELECT DISTINCT {key} FROM old_rows) "
             "AS k (month, beat_key, category_id, status_id) WHERE c.month = k.month AND "
             "c.beat_key = k.beat_key AND c.category_id = k.category_id AND "
             "c.status_id = k.status_id AND c.count <= 0;")

_PG_FUNCTIONS = (
    "CREATE OR REPLACE FUNCTION report_counts_after_insert() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    + _PG_UPSERT.format(select=f"SELECT {_PG_KEY}, count(*) FROM new_rows GROUP BY 1, 2, 3, 4")
    + " RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION report_counts_after_delete() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    + _PG_UPSERT.format(select=f"SELECT {_PG_KEY}, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4")
    + _PG_PRUNE.format(key=_PG_KEY) + " RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION report_counts_after_update() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE report_counts SET count = count - 1 WHERE month = "
    "date_trunc('month', OLD.reported_at)::date AND beat_key = coalesce(OLD.beat_id, 0) AND "
    "category_id = OLD.category_id AND status_id = OLD.status_id; "
    "DELETE FROM report_counts WHERE month = date_trunc('month', OLD.reported_at)::date AND "
    "beat_key = coalesce(OLD.beat_id, 0) AND category_id = OLD.category_id AND "
    "status_id = OLD.status_id AND count <= 0; "
    "INSERT INTO report_counts AS c (month, beat_key, category_id, status_id, count) VALUES "
    "(date_trunc('month', NEW.reported_at)::date, coalesce(NEW.beat_id, 0), NEW.category_id, "
    "NEW.status_id, 1) ON CONFLICT (month, beat_key, category_id, status_id) DO UPDATE SET "
    "count = c.count + 1; RETURN NULL; END $$",
)
_PG_TRIGGERS = (
    "CREATE TRIGGER trg_report_counts_insert AFTER INSERT ON threat_reports "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION report_counts_after_insert()",
    "CREATE TRIGGER trg_report_counts_delete AFTER DELETE ON threat_reports "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION report_counts_after_delete()",
    "CREATE TRIGGER trg_report_counts_update AFTER UPDATE OF reported_at, beat_id, "
    "category_id, status_id ON threat_reports FOR EACH ROW WHEN (date_trunc('month', "
    "OLD.reported_at) IS DISTINCT FROM date_trunc('month', NEW.reported_at) OR OLD.beat_id IS "
    "DISTINCT FROM NEW.beat_id OR OLD.category_id IS DISTINCT FROM NEW.category_id OR "
    "OLD.status_id IS DISTINCT FROM NEW.status_id) "
    "EXECUTE FUNCTION report_counts_after_update()",
)
_PG_DROP = tuple(f"DROP TRIGGER IF EXISTS trg_report_counts_{op} ON threat_reports"
                 for op in ("insert", "delete", "update")) + tuple(
    f"DROP FUNCTION IF EXISTS report_counts_after_{op}()"
    for op in ("insert", "delete", "update"))


def install_triggers(conn: Connection) -> None:
    """Create the triggers that keep ``report_counts`` current (replacing any present)."""
    drop_triggers(conn)
    if conn.dialect.name == "sqlite":
        statements: tuple[str, ...] = _SQLITE_TRIGGERS
    elif conn.dialect.name == "postgresql":
        statements = _PG_FUNCTIONS + _PG_TRIGGERS
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(conn.dialect.name)
    for sql in statements:
        conn.exec_driver_sql(sql)


def drop_triggers(conn: Connection) -> None:
    """Remove the triggers (the downgrade, and the benchmark's service-layer variant)."""
    for sql in _SQLITE_DROP if conn.dialect.name == "sqlite" else _PG_DROP:
        conn.exec_driver_sql(sql)


# -- recount -------------------------------------------------------------------------------

def _month_sql(dialect: str) -> str:
    if dialect == "sqlite":
        return "substr(reported_at, 1, 7) || '-01'"
    return "date_trunc('month', reported_at)::date"


def _month_ranges(months: list[dt.date]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Runs of consecutive months as [start, end) datetimes (so the reported_at index works)."""
    ranges: list[list[dt.date]] = []
    for m in sorted({m.replace(day=1) for m in months}):
        if ranges and _next_month(ranges[-1][1]) == m:
            ranges[-1][1] = m
        else:
            ranges.append([m, m])
    return [(dt.datetime.combine(a, dt.time()), dt.datetime.combine(_next_month(b), dt.time()))
            for a, b in ranges]


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def recount(conn: Connection, months: list[dt.date] | None = None) -> None:
    """Rebuild ``report_counts`` from ``threat_reports``: everything, or only the months of
    ``months`` (any day of each). Used by the migration, by bulk writes that pause the
    triggers (:func:`paused`) and as the service-layer alternative in the benchmark."""
    month = _month_sql(conn.dialect.name)
    if months is None:
        conn.execute(text("DELETE FROM report_counts"))
        conn.execute(text(
            f"INSERT INTO report_counts (month, beat_key, category_id, status_id, count) "
            f"SELECT {month}, coalesce(beat_id, 0), category_id, status_id, count(*) "
            f"FROM threat_reports GROUP BY 1, 2, 3, 4"))
        return
    for start, end in _month_ranges(months):
        conn.execute(text("DELETE FROM report_counts WHERE month >= :first AND month < :after")
                     .bindparams(bindparam("first", type_=Date), bindparam("after", type_=Date)),
                     {"first": start.date(), "after": end.date()})
        conn.execute(text(
            f"INSERT INTO report_counts (month, beat_key, category_id, status_id, count) "
            f"SELECT {month}, coalesce(beat_id, 0), category_id, status_id, count(*) "
            f"FROM threat_reports WHERE reported_at >= :start AND reported_at < :end "
            f"GROUP BY 1, 2, 3, 4").bindparams(bindparam("start", type_=DateTime),
                                               bindparam("end", type_=DateTime)),
            {"start": start, "end": end})


def pauses_for_bulk(conn: Connection) -> bool:
    """Whether a bulk write should pause the triggers (:func:`drop_triggers` inside its own
    transaction, then :func:`recount` of the touched months and :func:`install_triggers`
    before commit). On SQLite a row trigger costs about 10 µs a row (1.2 s CPU for 100,000
    inserts) while the recount costs about 0.1 s; DDL is transactional and the write
    transaction already holds the only write lock, so no other writer can miss the triggers
    and a rollback brings them back. On PostgreSQL dropping a trigger would lock readers
    out for the whole import, and its statement triggers cost one GROUP BY per statement."""
    return conn.dialect.name == "sqlite"


def recounted(conn: Connection) -> dict[tuple[dt.date, int, int, int], int]:
    """The counts as a full recount of ``threat_reports`` gives them (for checks and tests)."""
    month = _month_sql(conn.dialect.name)
    rows = conn.execute(text(
        f"SELECT {month}, coalesce(beat_id, 0), category_id, status_id, count(*) "
        "FROM threat_reports GROUP BY 1, 2, 3, 4"))
    return {(_as_date(m), b, c, s): n for m, b, c, s, n in rows}


def stored(conn: Connection) -> dict[tuple[dt.date, int, int, int], int]:
    """The counts as ``report_counts`` holds them."""
    rows = conn.execute(text(
        "SELECT month, beat_key, category_id, status_id, count FROM report_counts"))
    return {(_as_date(m), b, c, s): n for m, b, c, s, n in rows}


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
