"""Following changes made by other workstations (or other programs on the same file).

A ``ChangeWatcher`` runs a small thread with its own database connection:

- PostgreSQL: ``LISTEN razem_changes``; ``db.audit`` sends ``NOTIFY`` with the tables touched
  in the transaction of every change, delivered by the server only after the commit.
- SQLite: ``PRAGMA data_version`` polled on a dedicated connection (it changes when another
  connection commits); then the new ``audit_log`` rows tell which tables changed.

Changes made by this program itself are skipped (their ``origin`` is ours): the tabs were
told already. The rest reaches the UI thread and becomes ``ctx.notify(Change...)``.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading

import shiboken6
from PySide6.QtCore import QObject, Signal

from db.audit import ACTOR, NOTIFY_CHANNEL
from db.engine import sqlite_path
from desktop.app.context import AppContext, Change
from desktop.common.ui import uicall

log = logging.getLogger("razem.watcher")

TABLE_CHANGES = {
    "units": Change.BEATS, "gminas": Change.BEATS, "beats": Change.BEATS,
    "street_ranges": Change.BEATS,
    "officers": Change.OFFICERS, "assignments": Change.OFFICERS,
    "partners": Change.PARTNERS, "agreements": Change.PARTNERS, "signatures": Change.PARTNERS,
    "threat_reports": Change.REPORTS,
    "priority_plans": Change.PLANS, "plan_actions": Change.PLANS, "plan_partners": Change.PLANS,
    "threat_categories": Change.DICTIONARIES, "threat_statuses": Change.DICTIONARIES,
    "database_info": Change(0),
}
RETRY_SECONDS = 5.0


def change_for_tables(tables: set[str]) -> Change:
    """The kinds of data behind these tables (an unknown table: everything)."""
    result = Change(0)
    for name in tables:
        result |= TABLE_CHANGES.get(name, Change.everything())
    return result


class ChangeWatcher(QObject):
    """Polls off the UI thread; ``changesSeen(Change)`` and ``ctx.notify`` on the UI thread."""

    changesSeen = Signal(object)

    def __init__(self, ctx: AppContext, interval: float = 0.5, parent: QObject | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        uicall.install()  # the thread posts what it finds (no Qt call in the thread)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        engine = self._ctx.db.engine
        if engine.dialect.name == "postgresql":
            target = self._run_postgres
        elif sqlite_path(self._ctx.db.url) is not None:
            target = self._run_sqlite
        else:
            return  # in-memory SQLite: nobody else can change it
        self._thread = threading.Thread(target=target, name="razem-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)
            self._thread = None

    def _deliver(self, tables: set[str]) -> None:
        if not shiboken6.isValid(self):  # the watcher was deleted meanwhile
            self._stop.set()
            return
        change = change_for_tables(tables)
        if change:
            log.debug("zmiany z innych stanowisk: %s", sorted(tables))
            self.changesSeen.emit(change)
            self._ctx.notify(change)

    def _emit(self, tables: set[str]) -> None:
        if tables and not self._stop.is_set():
            uicall.post(self._deliver, tables)

    # -- SQLite -------------------------------------------------------------------------
    def _run_sqlite(self) -> None:
        path = sqlite_path(self._ctx.db.url)
        assert path is not None
        while not self._stop.is_set():
            try:
                self._poll_sqlite(str(path))
            except sqlite3.Error as exc:
                log.warning("obserwacja zmian w %s przerwana: %s", path, exc)
                self._stop.wait(RETRY_SECONDS)

    def _poll_sqlite(self, path: str) -> None:
        conn = sqlite3.connect(path, timeout=5)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            last = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
            while not self._stop.wait(self._interval):
                now = conn.execute("PRAGMA data_version").fetchone()[0]
                if now == version:
                    continue
                version = now
                newest = conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]
                if newest < last:  # the log itself was replaced (a restore): reload everything
                    last = newest
                    self._emit({"?"})
                    continue
                rows = conn.execute("SELECT id, table_name, origin FROM audit_log WHERE id > ?",
                                    (last,)).fetchall()
                last = newest
                tables = {r[1] for r in rows if r[2] != ACTOR.origin}
                if not rows:  # written without the audit log: reload everything
                    tables = {"?"}
                self._emit(tables)
        finally:
            conn.close()

    # -- PostgreSQL ---------------------------------------------------------------------
    def _run_postgres(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                self._listen_postgres(missed=not first)
            except Exception as exc:  # server restarted, network gone: try again later
                log.warning("obserwacja zmian na serwerze przerwana: %s", exc)
                self._stop.wait(RETRY_SECONDS)
            first = False

    def _listen_postgres(self, missed: bool) -> None:
        import psycopg

        engine = self._ctx.db.engine
        cargs, cparams = engine.dialect.create_connect_args(engine.url)
        conn = psycopg.connect(*cargs, **cparams, autocommit=True, connect_timeout=5)
        try:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            if missed:  # notifications sent while we were away are lost: reload everything
                self._emit({"?"})
            while not self._stop.is_set():
                tables: set[str] = set()
                for note in conn.notifies(timeout=self._interval):
                    tables |= _tables_from_payload(note.payload)
                self._emit(tables)
        finally:
            conn.close()


def _tables_from_payload(payload: str) -> set[str]:
    try:
        data = json.loads(payload)
    except ValueError:
        return {"?"}
    if not isinstance(data, dict) or data.get("origin") == ACTOR.origin:
        return set()
    tables = data.get("tables")
    return {str(t) for t in tables} if isinstance(tables, list) else {"?"}
