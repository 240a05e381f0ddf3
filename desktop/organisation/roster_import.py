"""Importing the officer roster from CSV/XLSX: rows matched by service number (new officers
are added, known ones updated), every refused row with its Polish reason, saved all or nothing.

Header (diacritics, case, spaces/underscores and the `,`/`;` delimiter do not matter): the
officer's fields' ``synonyms`` or labels (``desktop.beats.officer_fields``), e.g.
``stopien;nazwisko;imie;numer_sluzbowy;rola;jednostka;telefon;telefon_komorkowy;email``.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select

from db.engine import Database
from db.models import Officer, OfficerRole, Unit
from desktop.beats.officer_fields import OFFICER_FIELDS
from desktop.beats.officers import OfficerData, OfficerError, _has_open_assignments, validate
from desktop.common.text import fold
from desktop.common.xlsx_read import cell_text
from desktop.threats.readers import ImportFileError, RawTable, read_table

log = logging.getLogger("razem.organisation")


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(str(text or ""))).strip("_")


# The roster's columns are the officer's fields with file header names (their synonyms).
FIELDS = tuple(f.name for f in OFFICER_FIELDS.editable if f.synonyms)
HEADERS: dict[str, str] = {_key(name): f.name for f in OFFICER_FIELDS.editable
                           for name in (*f.synonyms, f.label)}
EXPECTED_HEADER = ";".join(OFFICER_FIELDS.by_name[f].synonyms[0] for f in FIELDS)
REQUIRED = ("first_name", "last_name", "service_number", "role")
ROLES: dict[str, OfficerRole] = {
    "dzielnicowy": OfficerRole.BEAT_OFFICER,
    "ruch_drogowy": OfficerRole.TRAFFIC, "policjant_ruchu_drogowego": OfficerRole.TRAFFIC,
    "rd": OfficerRole.TRAFFIC, "wrd": OfficerRole.TRAFFIC,
    "kierownik_dzielnicowych": OfficerRole.HEAD_OF_BEAT_OFFICERS,
    "inna": OfficerRole.OTHER, "inny": OfficerRole.OTHER,
}
LABELS = {f: OFFICER_FIELDS.by_name[f].label.lower() for f in FIELDS}  # in messages


@dataclass(frozen=True)
class RosterRow:
    """One line of the file: what it becomes, or why it is refused."""

    line: int
    service_number: str
    name: str
    action: str  # "nowy", "zmiana", "bez zmian" or "odrzucony"
    reason: str = ""
    officer_id: int | None = None
    data: OfficerData | None = None


@dataclass
class RosterPlan:
    rows: list[RosterRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[RosterRow]:
        return [r for r in self.rows if r.action == "odrzucony"]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


def header_map(columns: list[str]) -> dict[str, int]:
    """Field → column index; ImportFileError naming what is missing."""
    found: dict[str, int] = {}
    for i, name in enumerate(columns):
        target = HEADERS.get(_key(name))
        if target and target not in found:
            found[target] = i
    missing = [LABELS[f] for f in REQUIRED if f not in found]
    if missing:
        raise ImportFileError(
            "W nagłówku pliku brakuje kolumn: " + ", ".join(missing) + ". Oczekiwany nagłówek: "
            + EXPECTED_HEADER)
    return found


def read_roster(path: str | Path) -> RawTable:
    table = read_table(path)
    header_map(table.columns)
    return table


def plan_roster(db: Database, table: RawTable,
                check: Callable[[], None] | None = None) -> RosterPlan:
    """What saving the file would do, row by row (nothing is written)."""
    columns = header_map(table.columns)
    plan = RosterPlan(notes=list(table.notes))
    with db.session() as s:
        units: dict[str, int | None] = {}
        for u in s.scalars(select(Unit)):
            units.setdefault(fold(u.name), u.id)
            if u.short_name:
                units.setdefault(fold(u.short_name), u.id)
        known = {o.service_number: o for o in s.scalars(select(Officer))}
        seen: dict[str, int] = {}
        for n, (raw, line) in enumerate(zip(table.rows, table.line_numbers, strict=True)):
            if check is not None and n % 200 == 0:
                check()
            values = {f: cell_text(raw[i]) if i < len(raw) else ""
                      for f, i in columns.items()}
            if not any(values.values()):
                continue
            number = values.get("service_number", "")
            name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()

            def refuse(reason: str, number: str = number, name: str = name,
                       line: int = line) -> None:
                plan.rows.append(RosterRow(line, number, name, "odrzucony", reason))

            role = ROLES.get(_key(values.get("role", "")))
            if role is None:
                refuse(f"nieznana rola „{values.get('role', '')}” (dozwolone: dzielnicowy, "
                       "ruch drogowy, kierownik dzielnicowych, inna)")
                continue
            unit_id = None
            if values.get("unit_id"):
                if fold(values["unit_id"]) not in units:
                    refuse(f"nie ma jednostki „{values['unit_id']}” (podaj nazwę skróconą lub "
                           "pełną)")
                    continue
                unit_id = units[fold(values["unit_id"])]
            if number in seen:
                refuse(f"numer służbowy {number} powtarza się w pliku (wiersz {seen[number]})")
                continue
            seen[number] = line
            existing = known.get(number)
            data = OfficerData(values.get("first_name", ""), values.get("last_name", ""), number,
                               role, values.get("rank", ""), unit_id, values.get("phone", ""),
                               values.get("mobile", ""), values.get("email", ""),
                               existing.active if existing is not None else True)
            try:
                data = validate(data)
            except OfficerError as exc:
                refuse(" ".join(exc.problems.values()))
                continue
            if existing is None:
                plan.rows.append(RosterRow(line, number, name, "nowy", data=data))
                continue
            stored = OfficerData(existing.first_name, existing.last_name,
                                 existing.service_number, existing.role, existing.rank,
                                 existing.unit_id, existing.phone, existing.mobile,
                                 existing.email, existing.active)
            if "unit_id" not in columns:  # a file without the column leaves the unit alone
                data = replace(data, unit_id=existing.unit_id)
            if data == stored:
                plan.rows.append(RosterRow(line, number, name, "bez zmian",
                                           officer_id=existing.id, data=data))
            elif existing.role != role and _has_open_assignments(s, existing.id, existing.role,
                                                                 role):
                refuse("funkcjonariusz ma bieżące przydziały, do których nowa rola nie pasuje "
                       "– najpierw zakończ te przydziały")
            else:
                changed = [LABELS[f] for f in FIELDS
                           if getattr(data, f) != getattr(stored, f)]
                plan.rows.append(RosterRow(line, number, name, "zmiana",
                                           "zmienia: " + ", ".join(changed),
                                           existing.id, data))
    return plan


class RosterRefused(ValueError):
    """The file has refused rows, so nothing is saved; the message is Polish."""


@dataclass(frozen=True)
class RosterResult:
    added: int
    updated: int
    unchanged: int


def save_roster(db: Database, plan: RosterPlan,
                check: Callable[[], None] | None = None) -> RosterResult:
    """Save the plan in one transaction, or nothing (a refused row, a cancel, an error)."""
    if plan.refused:
        raise RosterRefused(f"Plik ma {len(plan.refused)} odrzuconych wierszy – nic nie "
                            "zapisano; popraw plik i wczytaj go ponownie.")
    started = time.perf_counter()
    added = updated = 0
    with db.session() as s, s.begin():
        for n, row in enumerate(plan.rows):
            if check is not None and n % 100 == 0:
                check()
            d = row.data
            assert d is not None
            if row.action == "nowy":
                o = Officer()
                added += 1
            elif row.action == "zmiana":
                found = s.get(Officer, row.officer_id)
                if found is None:
                    raise RosterRefused(f"Wiersz {row.line}: funkcjonariusza {row.service_number} "
                                        "usunięto w międzyczasie – nic nie zapisano.")
                o = found
                updated += 1
            else:
                continue
            o.first_name, o.last_name, o.service_number = d.first_name, d.last_name, \
                d.service_number
            o.role, o.rank, o.unit_id = d.role, d.rank, d.unit_id
            o.phone, o.mobile, o.email, o.active = d.phone, d.mobile, d.email, d.active
            s.add(o)
        if check is not None:
            check()  # a cancel during the last rows still rolls everything back
    result = RosterResult(added, updated, plan.count("bez zmian"))
    log.info("import wykazu funkcjonariuszy: %d nowych, %d zmienionych, %d bez zmian (%.2f s)",
             added, updated, result.unchanged, time.perf_counter() - started)
    return result
