"""KMZB dictionaries (threat categories and statuses): data in the database, kept in step with
the kmzb.json shipped with the program.

Each row knows the shipped entry it stands for (``shipped_name``; None for a user's own
entry) and whether a user changed it (``user_edited``). ``sync_dictionaries`` runs at every
start-up of any database (``desktop.startup.open_database``, under the start-up lock, in the
caller's transaction) and is idempotent:

* a shipped entry missing from the database is added (a user's own entry of the same name,
  ignoring case and spaces, is linked to it instead, and keeps what the user gave it);
* entries no user changed follow the file (road mark, description rule, order; an entry the
  file no longer lists is retired, one it lists again comes back);
* entries a user changed (renamed, road mark, retired, restored) and the user's own entries
  are never touched.

A malformed file (an entry that is not text, empty, too long or repeated) is refused whole
with a Polish line per bad entry (``DictionaryFileError``) before anything is written.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

import resources
from db.dictionary_names import name_key as name_key  # the one rule, kept by the database
from db.models import DatabaseInfo, ThreatCategory, ThreatStatus

log = logging.getLogger("razem.dictionaries")

# database_info key: the "version" of the kmzb.json last applied (for the log and support).
VERSION_KEY = "kmzb_dictionary_version"


class DictionaryFileError(ValueError):
    """A dictionary file that cannot be applied; the message is Polish, a line per bad entry.
    Raised before anything is written."""


def kmzb_source() -> dict:
    path = Path(resources.path("data", "kmzb.json"))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DictionaryFileError(f"Nie można odczytać pliku słowników KMZB {path}: {exc}") \
            from exc


def check_source(data: object) -> list[str]:
    """What is wrong with a kmzb.json document, one Polish line per bad entry ([] = fine)."""
    if not isinstance(data, dict):
        return ["plik nie jest obiektem JSON z listami „statuses” i „categories”."]
    problems: list[str] = []
    length = getattr(ThreatCategory.__table__.c.name.type, "length", None) or 200
    for key, label in (("statuses", "status"), ("categories", "kategoria"),
                       ("road_categories", "kategoria drogowa")):
        items = data.get(key, [])
        if not isinstance(items, list):
            problems.append(f"„{key}” nie jest listą.")
            continue
        seen: dict[str, int] = {}
        for i, name in enumerate(items, 1):
            where = f"{label} nr {i}"
            if not isinstance(name, str):
                problems.append(f"{where}: nazwa nie jest tekstem ({str(name)[:40]}).")
            elif not name.strip():
                problems.append(f"{where}: pusta nazwa.")
            elif len(name) > length:
                problems.append(f"{where}: nazwa ma ponad {length} znaków.")
            elif name_key(name) in seen:
                problems.append(f"{where}: „{name}” powtarza pozycję nr {seen[name_key(name)]}.")
            else:
                seen[name_key(name)] = i
    return problems


@dataclass(frozen=True)
class ShippedEntry:
    name: str
    sort_order: int
    attributes: dict[str, Any]  # is_road / description_required for categories


def shipped_entries(data: dict) -> tuple[list[ShippedEntry], list[ShippedEntry]]:
    """(statuses, categories) of a kmzb.json document."""
    road = set(data.get("road_categories", []))
    needs_description = set(data.get("notes", {}).get("description_required_for", []))
    statuses = [ShippedEntry(n, i, {}) for i, n in enumerate(data.get("statuses", []))]
    categories = [ShippedEntry(n, i, {"is_road": n in road,
                                      "description_required": n in needs_description})
                  for i, n in enumerate(data.get("categories", []))]
    return statuses, categories


@dataclass
class SyncResult:
    added: list[str] = field(default_factory=list)  # "kategoria: X" / "status: X"
    linked: list[str] = field(default_factory=list)  # user entries linked to a shipped one
    updated: int = 0  # unchanged-by-user rows that followed the file
    retired: int = 0  # rows the file no longer lists
    restored: int = 0  # rows the file lists again
    skipped: list[str] = field(default_factory=list)  # name taken by another shipped entry

    @property
    def changed(self) -> bool:
        return bool(self.added or self.linked or self.updated or self.retired or self.restored)


def _sync_table(session: Session, model: type[ThreatCategory] | type[ThreatStatus],
                entries: list[ShippedEntry], label: str, result: SyncResult) -> None:
    rows = cast(list[ThreatCategory | ThreatStatus],
                list(session.scalars(select(model).order_by(model.id))))
    by_shipped = {r.shipped_name: r for r in rows if r.shipped_name is not None}
    by_name = {name_key(r.name): r for r in rows}
    listed = {e.name for e in entries}
    for entry in entries:
        row = by_shipped.get(entry.name)
        if row is None:
            same = by_name.get(name_key(entry.name))
            if same is not None and same.shipped_name is None:
                same.shipped_name = entry.name  # the user's own entry of that name: link it
                same.user_edited = True  # ... and keep what the user gave it
                result.linked.append(f"{label}: {same.name}")
                continue
            if same is not None:  # a renamed shipped entry already carries this name
                result.skipped.append(f"{label}: {entry.name}")
                continue
            row = model(name=entry.name, shipped_name=entry.name, active=True,
                        sort_order=entry.sort_order, user_edited=False, **entry.attributes)
            session.add(row)
            by_name[name_key(entry.name)] = row
            result.added.append(f"{label}: {entry.name}")
            continue
        if row.user_edited:
            continue
        wanted = {"sort_order": entry.sort_order, **entry.attributes}
        if any(getattr(row, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(row, k, v)
            result.updated += 1
        if not row.active:
            row.active = True
            result.restored += 1
    for row in rows:
        if (row.shipped_name is not None and row.shipped_name not in listed
                and not row.user_edited and row.active):
            row.active = False
            result.retired += 1


def sync_dictionaries(session: Session, data: dict | None = None) -> SyncResult:
    """Bring the dictionaries in ``session`` in step with the shipped file (or ``data``, a
    kmzb.json document). Writes nothing when they already are; the caller commits."""
    started = time.monotonic()
    data = kmzb_source() if data is None else data
    problems = check_source(data)
    if problems:
        raise DictionaryFileError("Plik słowników KMZB jest błędny – słowników nie zmieniono:\n"
                                  + "\n".join(problems))
    statuses, categories = shipped_entries(data)
    result = SyncResult()
    _sync_table(session, ThreatStatus, statuses, "status", result)
    _sync_table(session, ThreatCategory, categories, "kategoria", result)
    version = str(data.get("version", ""))
    stored = session.get(DatabaseInfo, VERSION_KEY)
    if version and (stored is None or stored.value != version):
        session.merge(DatabaseInfo(key=VERSION_KEY, value=version))
    session.flush()
    if result.changed or result.skipped:
        log.info("Słowniki KMZB (wersja %s): dodano %d (%s), powiązano %d, zaktualizowano %d, "
                 "wycofano %d, przywrócono %d, pominięto %d (%s) w %.2f s", version or "?",
                 len(result.added), "; ".join(result.added) or "–", len(result.linked),
                 result.updated, result.retired, result.restored, len(result.skipped),
                 "; ".join(result.skipped) or "–", time.monotonic() - started)
    else:
        log.info("Słowniki KMZB (wersja %s) aktualne (%.2f s)", version or "?",
                 time.monotonic() - started)
    return result


def seed_dictionaries(session: Session) -> bool:
    """Fill or update the dictionaries from the shipped kmzb.json (``sync_dictionaries``).
    Returns True when anything changed."""
    return sync_dictionaries(session).changed
