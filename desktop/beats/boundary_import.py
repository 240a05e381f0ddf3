"""Beat boundaries into the database: match the features of a file read by
``desktop.beats.boundaries.read_boundaries`` to beats, create the missing ones when asked, and
save everything in one transaction.

Each feature's number comes from the attribute the user chose (or the guessed one; a number
inside a text such as "Rejon 101 Starówka" is found). A feature updates the current beat of
that number in its unit (the file's ``jednostka`` attribute, else the unit chosen); with
``create`` a number with no current beat becomes a new beat in that unit, named from the name
attribute, else "Rejon N". Every other feature is refused with a Polish reason; the rest is
still saved. Saving checks that nothing changed in between (row versions, a beat of the same
number added elsewhere) and is all or nothing; ``cancelled`` is checked between features.
Writes go through the ORM, so the audit log and row versions see them like any edit.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import shapely
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from db.engine import Database
from db.models import Beat, Unit
from desktop.beats import boundary_fields as fields
from desktop.beats.boundaries import (
    CREATE,
    MIN_OVERLAP_KM2,
    UPDATE,
    BoundaryError,
    BoundaryFeature,
    BoundaryPreview,
    apply_fields,
    area_km2,
)
from desktop.common.columns import length
from desktop.common.geo import from_geojson, to_geojson
from desktop.common.logs import timed_info
from desktop.common.text import fold
from desktop.threats.assignment import reassign_reports_in

log = logging.getLogger("razem.beats")
Cancelled = Callable[[], bool]
NO_FIELD = ""  # ImportOptions.name_field: take no name from the file


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose: the number and name attributes (None = the guess; NO_FIELD for
    the name = none), the unit of the file's beats, and whether to create missing beats."""

    number_field: str | None = None
    name_field: str | None = None
    unit_id: int | None = None
    create: bool = False


@dataclass(frozen=True)
class ImportSummary:
    """Labels of the beats created and updated, and one line per refused feature."""

    created: list[str]
    updated: list[str]
    refused: list[str]
    warnings: list[str]

    @property
    def saved(self) -> int:
        return len(self.created) + len(self.updated)


@dataclass(frozen=True)
class _Beat:
    id: int
    unit_id: int
    number: str
    name: str
    retired_on: dt.date | None
    version: int
    boundary: str | None


@dataclass(frozen=True)
class _Unit:
    id: int
    label: str  # short name, else the full name
    keys: tuple[str, str]  # folded short and full name


def _label(unit: _Unit, number: str, name: str) -> str:
    return f"{unit.label} {number}. {name}"


def _resolve_fields(preview: BoundaryPreview, options: ImportOptions
                    ) -> tuple[str | None, str | None]:
    number_field, name_field = preview.number_field, preview.name_field
    if options.number_field:
        number_field = fields.find_field(preview.fields, options.number_field)
        if number_field is None:
            raise BoundaryError(f"W pliku nie ma atrybutu „{options.number_field}” – są: "
                                f"{', '.join(preview.fields) or 'brak atrybutów'}.")
    if options.name_field == NO_FIELD:
        name_field = None
    elif options.name_field:
        name_field = fields.find_field(preview.fields, options.name_field)
        if name_field is None:
            raise BoundaryError(f"W pliku nie ma atrybutu „{options.name_field}” – są: "
                                f"{', '.join(preview.fields) or 'brak atrybutów'}.")
    return number_field, name_field


def match_beats(db: Database, preview: BoundaryPreview,
                options: ImportOptions | None = None) -> BoundaryPreview:
    """A copy of ``preview`` with each feature's number, name, beat and action (or the
    reason it is refused), and the warnings to show. Nothing is written."""
    options = options or ImportOptions()
    number_field, name_field = _resolve_fields(preview, options)
    with db.session() as s:
        units = {u.id: _Unit(u.id, u.short_name or u.name, (fold(u.short_name or ""),
                                                             fold(u.name)))
                 for u in s.scalars(select(Unit))}
        beats = [_Beat(b.id, b.unit_id, b.number, b.name, b.retired_on, b.version, b.boundary)
                 for b in s.scalars(select(Beat))]
    if options.unit_id is not None and options.unit_id not in units:
        raise BoundaryError("Wybrana jednostka nie istnieje (usunięta w międzyczasie?).")
    features = [dataclasses.replace(f, error=f.read_error, beat_id=None, beat_label="",
                                    action="", unit_id=None, beat_version=None)
                for f in preview.features]
    apply_fields(features, number_field, name_field)
    taken: dict[tuple[int, str], int] = {}  # (unit, number key) -> feature index
    for f in features:
        if f.error:
            continue
        f.error = _match(f, options, units, beats, number_field, taken)
    out = dataclasses.replace(preview, features=features, number_field=number_field,
                              name_field=name_field, warnings=list(preview.read_warnings))
    for f in features:
        if f.action and f.repaired:
            kind, _, where = f.repaired.partition(" w punkcie ")
            out.warnings.append(f"Rejon {f.number}: granica poprawiona ({kind})"
                                + (f" w punkcie {where}." if where else "."))
    _overlaps_with_stored(out, beats, units)
    return out


def _match(f: BoundaryFeature, options: ImportOptions, units: dict[int, _Unit],
           beats: list[_Beat], number_field: str | None,
           taken: dict[tuple[int, str], int]) -> str:
    """Set the feature's beat and action; return the reason it is refused ("" = none)."""
    if not f.number:
        if not number_field:
            return "brak numeru rejonu – wybierz atrybut z numerem rejonu."
        raw = fields.value(f.props, number_field)
        return (f"brak numeru rejonu w atrybucie „{number_field}”"
                + (f" („{raw[:60]}”)." if raw else "."))
    unit_id = options.unit_id
    if f.unit:
        key = fold(f.unit)
        found_units = [u.id for u in units.values() if key in u.keys]
        if not found_units:
            return f"nie ma jednostki „{f.unit}”."
        unit_id = found_units[0]
    where = f" w jednostce {units[unit_id].label}" if unit_id is not None else ""
    key = fields.number_key(f.number)
    same = [b for b in beats if fields.number_key(b.number) == key
            and (unit_id is None or b.unit_id == unit_id)]
    current = [b for b in same if b.retired_on is None]
    if len(current) > 1:
        return (f"rejon nr {f.number} jest w kilku jednostkach – wybierz jednostkę (--unit) "
                "albo dodaj atrybut „jednostka”.")
    if current:
        beat = current[0]
        unit_id = beat.unit_id
        f.beat_id, f.beat_version, f.action = beat.id, beat.version, UPDATE
        f.beat_label = _label(units[unit_id], beat.number, beat.name)
    elif options.create:
        if unit_id is None:
            if len(units) != 1:
                return (f"nie ma rejonu nr {f.number}, a nie wybrano jednostki, w której go "
                        "utworzyć (--unit).")
            unit_id = next(iter(units))
        if len(f.number) > length(Beat.number):
            return f"numer „{f.number}” ma ponad {length(Beat.number)} znaków."
        f.name = f.name or f"Rejon {f.number}"
        if len(f.name) > length(Beat.name):
            return f"nazwa ma ponad {length(Beat.name)} znaków."
        f.action = CREATE
        f.beat_label = _label(units[unit_id], f.number, f.name)
    else:
        retired = next((b for b in same if b.retired_on is not None), None)
        note = (f" (rejon nr {retired.number} wycofano z dniem "
                f"{retired.retired_on:%d.%m.%Y})" if retired and retired.retired_on else "")
        return (f"nie ma rejonu nr {f.number}{where}{note} – zaznacz „Utwórz brakujące "
                "rejony” (--create), aby go utworzyć.")
    f.unit_id = unit_id
    first = taken.setdefault((unit_id, key), f.index)
    if first != f.index:
        f.action, f.beat_id, f.beat_label = "", None, ""
        return f"rejon nr {f.number} występuje w pliku drugi raz (obiekt {first + 1})."
    return ""


def _overlaps_with_stored(preview: BoundaryPreview, beats: list[_Beat],
                          units: dict[int, _Unit]) -> None:
    """Warn about imported shapes overlapping current beats that keep their stored boundary."""
    replaced = {f.beat_id for f in preview.features if f.action == UPDATE}
    keep = [b for b in beats if b.boundary and b.retired_on is None and b.id not in replaced]
    imported = [f for f in preview.features if f.geometry is not None and f.action]
    if not keep or not imported:
        return
    geoms = [from_geojson(b.boundary) for b in keep if b.boundary]
    tree = shapely.STRtree(geoms)
    for f in imported:
        assert f.geometry is not None  # imported holds features with a geometry only
        for k in tree.query(f.geometry, predicate="intersects"):
            inter = f.geometry.intersection(geoms[k])
            if inter.is_empty or inter.area == 0:
                continue
            km2 = area_km2(inter)
            if km2 >= MIN_OVERLAP_KM2:
                other = keep[k]
                area = f"{km2:.3f}".replace(".", ",")
                preview.warnings.append(
                    f"Rejon {f.beat_label} nakłada się na rejon "
                    f"{_label(units[other.unit_id], other.number, other.name)} (granica w bazie) "
                    f"na {area} km².")


def save_boundaries(db: Database, preview: BoundaryPreview,
                    cancelled: Cancelled | None = None) -> ImportSummary:
    """Create and update the beats of a matched preview in one transaction (refused features
    are left out and listed). BoundaryError (Polish) when nothing can be saved, when a beat
    changed elsewhere since the match, or when cancelled; the database is then unchanged."""
    cancelled = cancelled or (lambda: False)
    todo = [f for f in preview.features if f.action and not f.error]
    if not todo:
        raise BoundaryError("Nie zapisano: " + ("; ".join(preview.errors[:5])
                                                or "brak obiektów do zapisania."))
    started = time.monotonic()
    created: list[str] = []
    updated: list[str] = []
    try:
        with db.session() as s, s.begin():
            for f in todo:
                if cancelled():
                    raise BoundaryError("Przerwano – nic nie zapisano.")
                assert f.geometry is not None and f.unit_id is not None  # matched features
                if f.action == UPDATE:
                    _update(s, f)
                    updated.append(f.beat_label)
                else:
                    _create(s, f)
                    created.append(f.beat_label)
            s.flush()
            if cancelled():
                raise BoundaryError("Przerwano – nic nie zapisano.")
            # Reports follow the new boundaries in the same transaction: no stale counts.
            reassign_reports_in(s)
            if cancelled():
                raise BoundaryError("Przerwano – nic nie zapisano.")
    except (IntegrityError, StaleDataError) as exc:
        raise BoundaryError("Nie zapisano: rejony zmieniono w międzyczasie na innym "
                            "stanowisku – wczytaj podgląd ponownie.") from exc
    timed_info(log, "Import granic rejonów: %d utworzonych, %d zaktualizowanych, "
               "%d odrzuconych", started, len(created), len(updated), len(preview.errors))
    return ImportSummary(created, updated, preview.errors, list(preview.warnings))


def _changed(f: BoundaryFeature, why: str) -> BoundaryError:
    return BoundaryError(f"Nie zapisano: rejon {f.beat_label} {why} – wczytaj podgląd "
                         "ponownie.")


def _update(s, f: BoundaryFeature) -> None:
    beat = s.get(Beat, f.beat_id)
    if beat is None:
        raise _changed(f, "usunięto w międzyczasie")
    if beat.retired_on is not None:
        raise _changed(f, "wycofano w międzyczasie")
    if beat.version != f.beat_version:
        raise _changed(f, "zmieniono w międzyczasie na innym stanowisku")
    beat.boundary = to_geojson(f.geometry)
    beat.area_km2 = round(f.area_km2, 3)


def _create(s, f: BoundaryFeature) -> None:
    if s.get(Unit, f.unit_id) is None:
        raise BoundaryError(f"Nie zapisano: jednostkę rejonu {f.beat_label} usunięto "
                            "w międzyczasie – wczytaj podgląd ponownie.")
    key = fields.number_key(f.number)
    for other in s.scalars(select(Beat).where(Beat.unit_id == f.unit_id,
                                              Beat.retired_on.is_(None))):
        if fields.number_key(other.number) == key:
            raise _changed(f, "dodano w międzyczasie na innym stanowisku")
    s.add(Beat(unit_id=f.unit_id, number=f.number, name=f.name, description="",
               boundary=to_geojson(f.geometry), area_km2=round(f.area_km2, 3)))
