"""Audit log written by session events, so every service is covered without changes.

``attach(sessionmaker)`` (done by ``Database.open``) listens to:

- ``before_flush``: old values of updated and deleted objects are read while still loaded;
- ``after_flush``: one ``audit_log`` row per inserted, updated or deleted object, written on
  the session's own connection, i.e. in the same transaction as the change;
- ``do_orm_execute``: bulk statements run through ``Session.execute`` (imports of KMZB reports,
  bulk reassignments, ``delete(...).where(...)``): one entry per statement with its row count;
  a bulk delete first reads the rows it removes and logs each one with its old values.

On PostgreSQL the same events send ``NOTIFY razem_changes`` with the tables touched; the
notification is delivered only when the transaction commits, which lets other workstations
follow changes (see ``desktop.app.watcher``). On SQLite the watcher reads new audit rows.

Who: the operating-system user (``getpass.getuser()``, the Windows user name on Windows) and
the workstation (``socket.gethostname()``). Timestamps are UTC.
"""
from __future__ import annotations

import datetime as dt
import enum
import getpass
import json
import os
import socket
import uuid
import weakref
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from db.models import AuditEntry

AUDIT_TABLE: Table = AuditEntry.__table__  # type: ignore[assignment]
SKIP_TABLES = frozenset({"audit_log", "alembic_version"})
# name_key: the dictionary name folded for its unique index (db/dictionary_names.py), derived
IGNORED_FIELDS = frozenset({"created_at", "updated_at", "name_key"})
NOTIFY_CHANNEL = "razem_changes"
MAX_VALUE_CHARS = 300  # boundaries are long GeoJSON: the log keeps the start and the length
REDACTED = "[usunięte]"
LABEL_FIELDS = ("name", "title", "number", "source_id", "key", "locality")

_PENDING = "razem_audit_pending"
REDACT = "razem_audit_redact"  # session.info flag: log field names, never values (RODO erasure)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (rare service accounts)
        return os.environ.get("USERNAME") or "?"


@dataclass(frozen=True)
class Actor:
    os_user: str
    workstation: str
    origin: str  # this running program: other processes' watchers skip their own changes


ACTOR = Actor(_os_user(), socket.gethostname(),
              f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}")


def plain(value: Any) -> Any:
    """A JSON-ready form of a column value (long text shortened)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bajtów>"
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return value[:MAX_VALUE_CHARS] + f"… ({len(value)} znaków)"
    return value


def _label(values: dict[str, Any]) -> str:
    if values.get("first_name") or values.get("last_name"):
        return f"{values.get('first_name') or ''} {values.get('last_name') or ''}".strip()[:200]
    for key in LABEL_FIELDS:
        value = values.get(key)
        if value:
            return str(value)[:200]
    return ""


_ready: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def audit_ready(conn: Connection) -> bool:
    """True once the database has the audit table (older schemas are not audited)."""
    engine = conn.engine
    if _ready.get(engine):
        return True
    ok = inspect(conn).has_table(AUDIT_TABLE.name)
    if ok:
        _ready[engine] = True
    return ok


def _pk(state) -> str:
    mapper = state.mapper
    values = [state.dict.get(mapper.get_property_by_column(c).key) for c in mapper.primary_key]
    return "" if any(v is None for v in values) else ",".join(str(v) for v in values)


def _columns(state) -> list[str]:
    return [attr.key for attr in state.mapper.column_attrs]


def audit_entry(action: str, table: str, record_id: str, label: str, changes: dict,
           rows: int = 1) -> dict[str, Any]:
    return {"at": dt.datetime.now(dt.UTC).replace(tzinfo=None), "os_user": ACTOR.os_user,
            "workstation": ACTOR.workstation, "origin": ACTOR.origin, "action": action,
            "table_name": table, "record_id": record_id, "label": label, "row_count": rows,
            "changes": json.dumps(changes, ensure_ascii=False, default=str)}


def _redact(changes: dict[str, list]) -> dict[str, list]:
    return {k: [None if o is None else REDACTED, None if n is None else REDACTED]
            for k, (o, n) in changes.items()}


def _before_flush(session: Session, _ctx, _instances) -> None:
    pending: list[tuple[str, Any, dict]] = session.info.setdefault(_PENDING, [])
    for obj in session.new:
        pending.append(("insert", obj, {}))
    for obj in session.dirty:
        state = inspect(obj)
        if not session.is_modified(obj, include_collections=False):
            continue
        changes: dict[str, list] = {}
        for key in _columns(state):
            if key in IGNORED_FIELDS:
                continue
            hist = state.attrs[key].history
            if hist.added or hist.deleted:
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if old != new:
                    changes[key] = [plain(old), plain(new)]
        if changes:
            label = _label({k: state.dict.get(k) for k in ("first_name", "last_name",
                                                           *LABEL_FIELDS)})
            pending.append(("update", obj, {"changes": changes, "label": label,
                                            "id": _pk(state)}))
    for obj in session.deleted:
        state = inspect(obj)
        values = {k: getattr(obj, k) for k in _columns(state)}  # loads what is expired
        changes = {k: [plain(v), None] for k, v in values.items()
                   if k not in IGNORED_FIELDS and v is not None}
        pending.append(("delete", obj, {"changes": changes, "label": _label(values),
                                        "id": _pk(state)}))


def _after_flush(session: Session, _ctx: UOWTransaction) -> None:
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    conn = session.connection()
    if not audit_ready(conn):
        return
    redact = bool(session.info.get(REDACT))
    rows = []
    for action, obj, info in pending:
        state = inspect(obj)
        table = state.mapper.persist_selectable.name
        if table in SKIP_TABLES:
            continue
        if action == "insert":
            values = {k: state.dict.get(k) for k in _columns(state)}
            changes = {k: [None, plain(v)] for k, v in values.items()
                       if k not in IGNORED_FIELDS and v is not None}
            record_id, label = _pk(state), _label(values)
        else:
            changes, record_id, label = info["changes"], info["id"], info["label"]
        if redact:
            changes, label = _redact(changes), REDACTED if label else ""
        rows.append(audit_entry(action, table, record_id, label, changes))
    write_entries(conn, rows)


def write_entries(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert audit rows on ``conn`` and, on PostgreSQL, tell the other workstations."""
    if not rows:
        return
    conn.execute(insert(AUDIT_TABLE), rows)
    if conn.dialect.name == "postgresql":
        tables = sorted({r["table_name"] for r in rows})
        payload = json.dumps({"origin": ACTOR.origin, "tables": tables})
        conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                     {"channel": NOTIFY_CHANNEL, "payload": payload})


def _bulk_table(state: ORMExecuteState) -> str | None:
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    return name if isinstance(name, str) else None


def _do_orm_execute(state: ORMExecuteState):
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    table_name = _bulk_table(state)
    if table_name is None or table_name in SKIP_TABLES:
        return None
    conn = state.session.connection()
    if not audit_ready(conn):
        return None
    action = "insert" if state.is_insert else "update" if state.is_update else "delete"
    stmt: Any = state.statement
    removed = []
    if state.is_delete and stmt.whereclause is not None:
        removed = [dict(r._mapping) for r in
                   conn.execute(select(stmt.table).where(stmt.whereclause))]
    result = state.invoke_statement()
    params = state.parameters
    redact = bool(state.session.info.get(REDACT))
    if removed:
        pk = [c.name for c in stmt.table.primary_key]
        rows = []
        for values in removed:
            changes = {k: [plain(v), None] for k, v in values.items()
                       if k not in IGNORED_FIELDS and v is not None}
            label = _label(values)
            if redact:
                changes, label = _redact(changes), REDACTED if label else ""
            rows.append(audit_entry("delete", table_name, ",".join(str(values[c]) for c in pk),
                               label, changes))
        write_entries(conn, rows)
        return result
    if isinstance(params, (list, tuple)):
        count = len(params)
        # executemany: every parameter set has the keys of the first
        columns = sorted(str(k) for k in (params[0] if params else {})
                         if not str(k).startswith("_"))
    else:
        count = max(0, getattr(result, "rowcount", 0) or 0)
        columns = sorted(str(k) for k in (params or {}) if not str(k).startswith("_"))
        values = getattr(stmt, "_values", None) or {}
        columns += sorted(str(getattr(k, "key", k)) for k in values)
    if count:
        write_entries(conn, [audit_entry(action, table_name, "", f"{count} rekordów",
                             {"columns": [c for c in columns if c not in IGNORED_FIELDS]},
                             rows=count)])
    return result


_attached: weakref.WeakSet = weakref.WeakSet()


def attach(factory: sessionmaker) -> None:
    """Audit every session made by ``factory`` (idempotent)."""
    from sqlalchemy import event

    if factory in _attached:
        return
    _attached.add(factory)
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _do_orm_execute)
    event.listen(factory, "after_rollback", lambda s: s.info.pop(_PENDING, None))
