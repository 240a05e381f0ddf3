"""Reading the audit log with filters, and exporting it to CSV.

The entries are written by ``db.audit`` (session events) in the transaction of the change.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select

from db.engine import Database
from db.models import AuditEntry
from desktop.common import csvsafe

# Polish names of the audited tables (the "what" of an entry).
TABLE_LABELS = {
    "units": "jednostka", "gminas": "gmina", "beats": "rejon", "officers": "policjant",
    "assignments": "przydział", "street_ranges": "ulica w rejonie", "partners": "partner",
    "agreements": "porozumienie", "signatures": "podpis porozumienia",
    "threat_categories": "kategoria KMZB", "threat_statuses": "status KMZB",
    "threat_reports": "zgłoszenie KMZB", "priority_plans": "plan priorytetowy",
    "plan_actions": "działanie planu", "plan_partners": "partner planu",
    "database_info": "informacja o bazie",
}
ACTION_LABELS = {"insert": "dodanie", "update": "zmiana", "delete": "usunięcie"}
CSV_HEADER = ["Czas (UTC)", "Użytkownik", "Stanowisko", "Operacja", "Rodzaj", "Tabela",
              "Id rekordu", "Rekord", "Liczba rekordów", "Zmiany"]


@dataclass(frozen=True)
class AuditFilter:
    """Empty fields do not filter. ``date_to`` is inclusive (local calendar day in UTC)."""

    who: str = ""  # part of the user name or workstation
    table: str = ""  # table name ("" = all)
    action: str = ""  # insert | update | delete ("" = all)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    record: str = ""  # record id, or part of its label
    limit: int | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    os_user: str
    workstation: str
    action: str
    table_name: str
    record_id: str
    label: str
    row_count: int
    changes: dict

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def table_label(self) -> str:
        return TABLE_LABELS.get(self.table_name, self.table_name)

    def changes_text(self) -> str:
        """``field: old → new`` pairs, or the columns of a bulk statement."""
        if "columns" in self.changes and isinstance(self.changes["columns"], list):
            return "kolumny: " + ", ".join(str(c) for c in self.changes["columns"])
        parts = []
        for field, pair in self.changes.items():
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            if self.action == "insert":
                parts.append(f"{field}: {_show(new)}")
            elif self.action == "delete":
                parts.append(f"{field}: {_show(old)}")
            else:
                parts.append(f"{field}: {_show(old)} → {_show(new)}")
        return "; ".join(parts)


def _show(value: object) -> str:
    if value is None:
        return "—"
    if value is True:
        return "tak"
    if value is False:
        return "nie"
    return str(value)


def _row(e: AuditEntry) -> AuditRow:
    try:
        changes = json.loads(e.changes or "{}")
    except ValueError:
        changes = {"?": [None, e.changes]}
    if not isinstance(changes, dict):
        changes = {}
    return AuditRow(e.id, e.at, e.os_user, e.workstation, e.action, e.table_name, e.record_id,
                    e.label, e.row_count, changes)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_entries(db: Database, f: AuditFilter = AuditFilter()) -> list[AuditRow]:
    """Entries matching the filter, newest first."""
    q = select(AuditEntry).order_by(AuditEntry.id.desc())
    if f.who.strip():
        pattern = _like(f.who.strip())
        q = q.where(or_(AuditEntry.os_user.ilike(pattern, escape="\\"),
                        AuditEntry.workstation.ilike(pattern, escape="\\")))
    if f.table:
        q = q.where(AuditEntry.table_name == f.table)
    if f.action:
        q = q.where(AuditEntry.action == f.action)
    if f.date_from:
        q = q.where(AuditEntry.at >= dt.datetime.combine(f.date_from, dt.time()))
    if f.date_to:
        q = q.where(AuditEntry.at < dt.datetime.combine(f.date_to + dt.timedelta(days=1),
                                                        dt.time()))
    if f.record.strip():
        rec = f.record.strip()
        q = q.where(or_(AuditEntry.record_id == rec,
                        AuditEntry.label.ilike(_like(rec), escape="\\")))
    if f.limit:
        q = q.limit(f.limit)
    with db.session() as s:
        return [_row(e) for e in s.scalars(q)]


def csv_values(r: AuditRow) -> list[object]:
    return [r.at.strftime("%Y-%m-%d %H:%M:%S"), r.os_user, r.workstation, r.action_label,
            r.table_label, r.table_name, r.record_id, r.label, r.row_count, r.changes_text()]


def write_csv(path: str | Path, rows: Sequence[AuditRow]) -> None:
    """UTF-8 with BOM and ';' (opens correctly in Polish Excel)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csvsafe.writer(f, delimiter=";")  # no cell is run as a formula
        writer.writerow(CSV_HEADER)
        for r in rows:
            writer.writerow(csv_values(r))
