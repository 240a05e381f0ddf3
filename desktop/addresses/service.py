"""PRG address points in the database: import (replace per gmina, one transaction), the
"Znajdź dzielnicowego" lookup by point-in-beat, and the consistency check against the
street register. Qt-free; long steps take ``progress``/``cancelled`` callbacks.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, insert, select, update

from db.engine import Database
from db.models import AddressPoint, Beat
from desktop.addresses.prg import PrgCancelled, PrgError, PrgPoint, Refused, read_prg
from desktop.beats.queries import beat_detail, beat_rows
from desktop.beats.register import LookupResult, RegisterError, register_lines
from desktop.beats.register import find_officer as find_in_register
from desktop.beats.streets import (
    Address,
    StreetIndex,
    locality_key,
    parse_house_number,
    street_key,
)
from desktop.common import csvsafe
from desktop.common.geo import PUWG1992, WGS84, assign_points_to_beats, project
from desktop.common.logs import timed_info

log = logging.getLogger("razem.addresses")

Progress = Callable[[int, str], None]  # percent, Polish stage text
Cancelled = Callable[[], bool]
_BATCH = 2000
_FIELDS = ("namespace", "teryt", "locality", "street", "number", "postal_code", "status",
           "easting", "northing")


class AddressError(ValueError):
    """A Polish message for the user (a bad file, a bad address)."""


@dataclass(frozen=True)
class ImportSummary:
    kind: str  # "GML (model 2021)" …
    added: int
    updated: int
    unchanged: int
    removed: int
    gminas: tuple[str, ...]  # TERYT codes replaced
    refused: tuple[Refused, ...]  # the first reasons (at most prg.MAX_REFUSED_KEPT)
    refused_count: int

    @property
    def imported(self) -> int:
        return self.added + self.updated + self.unchanged


def number_key(text: str) -> str:
    return "".join((text or "").split()).lower()


def _batches(items: Sequence[Any], size: int = _BATCH) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _values(p: PrgPoint, lon: float, lat: float,
            keys: dict[tuple[str, str], tuple[str, str]]) -> dict[str, Any]:
    key = keys.get((p.locality, p.street))
    if key is None:  # a street has hundreds of points: its keys are computed once
        key = keys[(p.locality, p.street)] = (locality_key(p.locality), street_key(p.street))
    return {"prg_id": p.prg_id, "namespace": p.namespace, "teryt": p.teryt,
            "locality": p.locality, "locality_key": key[0],
            "street": p.street, "street_key": key[1], "number": p.number,
            "number_key": number_key(p.number), "postal_code": p.postal_code,
            "status": p.status, "easting": p.easting, "northing": p.northing,
            "lon": lon, "lat": lat}


def import_addresses(db: Database, path: str | Path, progress: Progress | None = None,
                     cancelled: Cancelled | None = None) -> ImportSummary:
    """Import a PRG file: for every gmina (TERYT) in it, points with a known id are updated,
    new ones added and those no longer in the file removed – all in one transaction, so a
    refused file or a cancel leaves the database as it was."""
    started = time.monotonic()

    def step(pct: int, text: str) -> None:
        if cancelled is not None and cancelled():
            raise PrgCancelled
        if progress is not None:
            progress(pct, text)

    step(0, "Odczyt pliku")
    read = read_prg(path, lambda pct: step(pct * 6 // 10, "Odczyt pliku"), cancelled)
    if not read.points:
        raise PrgError("Żaden punkt adresowy z pliku nie nadaje się do importu "
                       f"(odrzucono: {read.refused_count}); nic nie zapisano.\n"
                       + "\n".join(f"{r.where}: {r.reason}" for r in read.refused[:10]))
    step(60, "Przeliczanie współrzędnych")
    lon, lat = project([p.easting for p in read.points], [p.northing for p in read.points],
                       PUWG1992, WGS84)
    gminas = tuple(sorted({p.teryt for p in read.points}))
    refused_ids = {r.prg_id for r in read.refused if r.prg_id}
    added = updated = unchanged = removed = 0
    with db.session() as s, s.begin():
        existing = {row.prg_id: row for row in s.execute(
            select(AddressPoint.id, AddressPoint.prg_id, *[getattr(AddressPoint, f)
                                                          for f in _FIELDS]))}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        keys: dict[tuple[str, str], tuple[str, str]] = {}
        for i, (p, x, y) in enumerate(zip(read.points, lon, lat)):
            if i % _BATCH == 0:
                step(60 + i * 10 // len(read.points), "Porównanie z zapisanymi punktami")
            values = _values(p, float(x), float(y), keys)
            old = existing.get(p.prg_id)
            if old is None:
                inserts.append(values)
            elif any(getattr(old, f) != values[f] for f in _FIELDS):
                updates.append({"id": old.id, **values})
            else:
                unchanged += 1
        in_file = {p.prg_id for p in read.points} | refused_ids
        gone = [row.id for row in existing.values()
                if row.teryt in gminas and row.prg_id not in in_file]
        work = max(1, len(inserts) + len(updates) + len(gone))
        done = 0
        for chunk in _batches(updates):
            s.execute(update(AddressPoint), list(chunk))
            updated += len(chunk)
            done += len(chunk)
            step(70 + done * 30 // work, "Zapis punktów adresowych")
        for chunk in _batches(inserts):
            s.execute(insert(AddressPoint), list(chunk))
            added += len(chunk)
            done += len(chunk)
            step(70 + done * 30 // work, "Zapis punktów adresowych")
        for chunk in _batches(gone):
            s.execute(delete(AddressPoint).where(AddressPoint.id.in_(list(chunk))))
            removed += len(chunk)
            done += len(chunk)
            step(70 + done * 30 // work, "Usuwanie punktów, których nie ma w pliku")
        step(100, "Zatwierdzanie")
    timed_info(log, "Import punktów adresowych PRG (%s): %d nowych, %d zmienionych, "
               "%d bez zmian, %d usuniętych, %d odrzuconych, gminy %s", started, read.kind,
               added, updated, unchanged, removed, read.refused_count, ",".join(gminas))
    return ImportSummary(read.kind, added, updated, unchanged, removed, gminas,
                         tuple(read.refused), read.refused_count)


def address_count(db: Database) -> int:
    from sqlalchemy import func

    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AddressPoint)) or 0)


# -- lookup ----------------------------------------------------------------------------------

def _current_beats(db: Database, on: dt.date) -> tuple[list[int], list[str | None]]:
    with db.session() as s:
        rows = s.execute(select(Beat.id, Beat.boundary)
                         .where(Beat.retired_on.is_(None) | (Beat.retired_on > on))
                         .order_by(Beat.id)).all()
    return [r[0] for r in rows], [r[1] for r in rows]


def _describe(locality: str, street: str, number: str) -> str:
    return f"{locality}, {street} {number}" if street else f"{locality} {number}"


def find_officer(db: Database, locality: str, street: str, number: str,
                 on: dt.date | None = None) -> list[LookupResult]:
    """"Znajdź dzielnicowego": a registered (PRG) address is answered by the beat its point
    lies in; an address that is not registered, or whose point lies in no beat, by the
    street register."""
    house = parse_house_number(number) if number.strip() else None
    if number.strip() and house is None:
        raise RegisterError(f"„{number}” nie jest numerem domu (np. 9, 9a, 15/3).")
    if not locality.strip():
        raise RegisterError("Podaj miejscowość.")
    if house is not None:
        keys = {number_key(number), str(house)}
        with db.session() as s:
            points = s.execute(
                select(AddressPoint.locality, AddressPoint.street, AddressPoint.number,
                       AddressPoint.postal_code, AddressPoint.lon, AddressPoint.lat)
                .where(AddressPoint.locality_key == locality_key(locality),
                       AddressPoint.street_key == street_key(street),
                       AddressPoint.number_key.in_(sorted(keys)))
                .order_by(AddressPoint.id)).all()
        if points:
            day = on or dt.date.today()
            ids, boundaries = _current_beats(db, day)
            beats = assign_points_to_beats(np.array([p.lon for p in points]),
                                           np.array([p.lat for p in points]), boundaries, ids)
            seen: dict[int, str] = {}
            for p, beat in zip(points, beats):
                if beat >= 0:
                    where = _describe(p.locality, p.street, p.number)
                    postal = f", {p.postal_code}" if p.postal_code else ""
                    seen.setdefault(int(beat), f"punkt adresowy PRG: {where}{postal}")
            if seen:
                return [_result(db, bid, matched, on) for bid, matched in seen.items()]
    return find_in_register(db, locality, street, number, on)


def _result(db: Database, beat_id: int, matched: str, on: dt.date | None) -> LookupResult:
    d = beat_detail(db, beat_id, on)
    return LookupResult(d.id, f"{d.number}. {d.name} ({d.unit_short})", d.unit_name,
                        d.unit_address, d.beat_officer, d.traffic, matched)


# -- consistency check -----------------------------------------------------------------------

OUTSIDE = "poza rejonami"
DISAGREES = "niezgodny z rejestrem ulic"


@dataclass(frozen=True)
class CheckRow:
    problem: str  # OUTSIDE or DISAGREES
    address: str  # "Konin, ul. Kolejowa 12"
    postal_code: str
    teryt: str
    geometry_beat: str  # "" when outside every beat
    register_beat: str  # the street register's beat(s), "" when it has none
    lon: float
    lat: float


@dataclass(frozen=True)
class CheckReport:
    checked: int
    rows: tuple[CheckRow, ...]

    @property
    def outside(self) -> int:
        return sum(1 for r in self.rows if r.problem == OUTSIDE)

    @property
    def disagreeing(self) -> int:
        return sum(1 for r in self.rows if r.problem == DISAGREES)


def check_consistency(db: Database, on: dt.date | None = None,
                      progress: Progress | None = None,
                      cancelled: Cancelled | None = None) -> CheckReport:
    """Registered addresses whose point lies in no current beat, and those whose street
    register answer names another beat than the geometry."""
    def step(pct: int, text: str) -> None:
        if cancelled is not None and cancelled():
            raise PrgCancelled
        if progress is not None:
            progress(pct, text)

    day = on or dt.date.today()
    step(0, "Wczytywanie punktów adresowych")
    with db.session() as s:
        points = s.execute(select(AddressPoint.locality, AddressPoint.street,
                                  AddressPoint.number, AddressPoint.postal_code,
                                  AddressPoint.teryt, AddressPoint.lon, AddressPoint.lat)
                           .order_by(AddressPoint.locality_key, AddressPoint.street_key,
                                     AddressPoint.id)).all()
    ids, boundaries = _current_beats(db, day)
    step(20, "Punkty w rejonach")
    geometry = assign_points_to_beats(np.array([p.lon for p in points], dtype=float),
                                      np.array([p.lat for p in points], dtype=float),
                                      boundaries, ids)
    names = {r.id: f"{r.unit} {r.number}" for r in beat_rows(db, day)}
    index = StreetIndex([x for x in register_lines(db) if x.beat_id in names])
    rows: list[CheckRow] = []
    for i, (p, beat) in enumerate(zip(points, geometry)):
        if i % 2000 == 0:
            step(40 + i * 60 // max(1, len(points)), "Porównanie z rejestrem ulic")
        text = _describe(p.locality, p.street, p.number)
        found = index.match(Address(p.locality, p.street, parse_house_number(p.number)))
        street_lines = [x for x in found if not x.whole_locality]
        register = list(dict.fromkeys(x.beat_id for x in (street_lines or found)))
        register_text = ", ".join(names.get(b, "") for b in register)
        if beat < 0:
            rows.append(CheckRow(OUTSIDE, text, p.postal_code, p.teryt, "", register_text,
                                 p.lon, p.lat))
        elif register and int(beat) not in register:
            rows.append(CheckRow(DISAGREES, text, p.postal_code, p.teryt,
                                 names.get(int(beat), ""), register_text, p.lon, p.lat))
    step(100, "Gotowe")
    return CheckReport(len(points), tuple(rows))


CHECK_HEADER = ["problem", "adres", "kod_pocztowy", "teryt_gmina", "rejon_wg_granic",
                "rejon_wg_rejestru_ulic", "dlugosc", "szerokosc"]


def export_check_csv(report: CheckReport, path: str | Path) -> int:
    """The check's rows as CSV (UTF-8 with BOM, ";"; cells never start a formula)."""
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csvsafe.writer(fh, delimiter=";")
            writer.writerow(CHECK_HEADER)
            for r in report.rows:
                writer.writerow([r.problem, r.address, r.postal_code, r.teryt,
                                 r.geometry_beat, r.register_beat, f"{r.lon:.6f}",
                                 f"{r.lat:.6f}"])
    except OSError as exc:
        raise AddressError(f"Nie można zapisać pliku {path}: {exc.strerror or exc}") from exc
    return len(report.rows)
