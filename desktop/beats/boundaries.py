"""Import of beat boundaries: GeoJSON, KML and zipped Shapefile, EPSG:4326 / 2180 / 2176–2179.

``read_boundaries`` parses and checks a file into a preview (nothing is written);
``save_boundaries`` writes a preview without errors in one transaction. Invalid polygons are
repaired (``shapely.make_valid``) when the repair keeps an area, otherwise refused. Each
feature is matched to a beat by its number (and unit, when numbers repeat across units).
Vertex counts and self-intersections are limited (``desktop.common.limits``) so that no file
keeps a worker busy for minutes; cancelling is checked between every step.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
import shapely.errors
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from db.engine import Database
from db.models import Beat, Unit
from desktop.beats.boundary_formats import (
    MAX_FILE_BYTES,
    BoundaryError,
    read_geojson,
    read_kml,
    read_shapefile_zip,
)
from desktop.common import limits
from desktop.common.geo import (
    PL2000_ZONES,
    PUWG1992,
    SUPPORTED_EPSG,
    SUPPORTED_TEXT,
    WGS84,
    CrsError,
    bounds_in_poland,
    detect_crs,
    reproject,
    to_geojson,
)
from desktop.common.logs import timed_info
from desktop.common.text import fold
from desktop.threats.assignment import reassign_reports_in

__all__ = ["BoundaryError", "BoundaryFeature", "BoundaryPreview", "SUPPORTED_EPSG",
           "match_beats", "read_boundaries", "save_boundaries"]

log = logging.getLogger("razem.beats")
MIN_OVERLAP_KM2 = 0.0001  # 100 m²: shared edges digitised twice are not overlaps
NUMBER_KEYS = ("nr", "numer", "rejon", "nr_rejonu", "numer_rejonu", "number", "beat")
UNIT_KEYS = ("jednostka", "unit", "komisariat")
NAME_KEYS = ("nazwa", "name", "nazwa_rejonu")

Progress = Callable[[int], None]  # percent
Cancelled = Callable[[], bool]
MAX_SELF_INTERSECTIONS = 1_000  # beyond this a repair takes minutes: refuse instead
_CROSSING_WORK = 100_000  # candidate segment pairs tested between two looks at the cancel flag

# GEOS's reasons for an invalid polygon, in Polish (the coordinates after them are kept).
_REASONS = {
    "ring self-intersection": "samoprzecięcie pierścienia",
    "self-intersection": "samoprzecięcie",
    "too few points": "za mało punktów",
    "hole lies outside shell": "otwór poza obrysem",
    "holes are nested": "otwory zagnieżdżone",
    "interior is disconnected": "wnętrze rozdzielone",
    "nested shells": "zagnieżdżone obrysy",
    "duplicate rings": "powtórzone pierścienie",
    "invalid coordinate": "niepoprawna współrzędna",
    "ring is not closed": "pierścień niezamknięty",
}


@dataclass
class BoundaryFeature:
    index: int
    number: str
    unit: str
    name: str
    geometry: BaseGeometry | None  # WGS84 polygon or multipolygon, repaired if needed
    area_km2: float = 0.0
    beat_id: int | None = None
    beat_label: str = ""
    repaired: str = ""  # why it had to be repaired ("" = valid as read)
    error: str = ""  # refused: the reason


@dataclass
class BoundaryPreview:
    path: str
    source_format: str
    epsg: int
    epsg_detected: bool
    features: list[BoundaryFeature]
    overlaps: list[tuple[int, int, float]] = field(default_factory=list)  # i, j, km²
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f"Obiekt {f.index + 1} ({f.number or 'bez numeru'}): {f.error}"
                for f in self.features if f.error]

    @property
    def can_save(self) -> bool:
        return bool(self.features) and not self.errors


def _prop(props: dict, keys: tuple[str, ...]) -> str:
    folded = {fold(str(k)): v for k, v in props.items()}
    for k in keys:
        v = folded.get(k)
        if v not in (None, ""):
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            return str(v).strip()
    return ""


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    if not polys:
        return None
    parts = [p for g in polys for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def read_boundaries(path: str | Path, epsg: int | None = None,
                    progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> BoundaryPreview:
    """Parse, reproject, check and repair; match to beats later with ``match_beats``."""
    path = Path(path)
    progress = progress or (lambda _p: None)
    cancelled = cancelled or (lambda: False)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BoundaryError(f"Plik jest za duży (ponad {limits.mb(MAX_FILE_BYTES)}).")
        data = path.read_bytes()
    except OSError as exc:
        raise BoundaryError(f"Nie można otworzyć pliku {path.name}: {exc.strerror or exc}") \
            from None
    suffix = path.suffix.lower()
    file_epsg = None
    if suffix in (".geojson", ".json"):
        fmt, (raw, file_epsg) = "GeoJSON", read_geojson(data)
    elif suffix == ".kml":
        fmt, raw, file_epsg = "KML", read_kml(data), WGS84
    elif suffix == ".zip":
        fmt, (raw, file_epsg) = "Shapefile (ZIP)", read_shapefile_zip(data)
    else:
        raise BoundaryError("Nieobsługiwany format pliku – wybierz GeoJSON (.geojson, .json), "
                            "KML (.kml) albo spakowany Shapefile (.zip).")
    if not raw:
        raise BoundaryError("Plik nie zawiera żadnych obiektów.")
    if len(raw) > limits.MAX_FEATURES:
        raise BoundaryError(f"Plik zawiera {len(raw)} obiektów – dopuszczalne "
                            f"{limits.MAX_FEATURES}.")
    progress(20)
    try:
        return _check(path, fmt, raw, epsg, file_epsg, progress, cancelled)
    except (BoundaryError, MemoryError):
        raise
    except CrsError as exc:
        raise BoundaryError(str(exc)) from None
    except Exception as exc:  # geometry and projection libraries: their text is English
        log.warning("boundary file %s: %s: %s", path.name, type(exc).__name__, exc)
        raise BoundaryError("Nie można odczytać geometrii z pliku – plik uszkodzony albo "
                            "w nieobsługiwanej postaci.") from exc


def _check(path: Path, fmt: str, raw: list[tuple[dict, dict | None]], epsg: int | None,
           file_epsg: int | None, progress: Progress, cancelled: Cancelled) -> BoundaryPreview:
    """Shapes, coordinate system, reprojection, repair and areas of the features read."""
    vertices = 0
    features: list[BoundaryFeature] = []
    geoms: list[BaseGeometry | None] = []
    for i, (props, geo) in enumerate(raw):
        f = BoundaryFeature(i, _prop(props, NUMBER_KEYS), _prop(props, UNIT_KEYS),
                            _prop(props, NAME_KEYS), None)
        g = None
        if geo is None:
            f.error = "brak geometrii."
        elif "error" in geo:
            f.error = geo["error"]
        else:
            try:
                g = shape(geo)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError,
                    shapely.errors.GEOSException, RecursionError):
                f.error = "niepoprawna geometria (nie da się jej odczytać)."
            else:
                if g.is_empty:
                    f.error, g = "pusta geometria.", None
                elif g.geom_type not in ("Polygon", "MultiPolygon"):
                    f.error, g = f"to nie wielokąt, tylko {g.geom_type}.", None
        if g is not None:
            n = int(shapely.get_num_coordinates(g))
            vertices += n
            if n > limits.MAX_VERTICES_PER_FEATURE:
                f.error, g = (f"{n} wierzchołków – dopuszczalne "
                              f"{limits.MAX_VERTICES_PER_FEATURE}; uprość granicę w programie "
                              "GIS."), None
        if vertices > limits.MAX_VERTICES:
            raise BoundaryError(f"Plik ma ponad {limits.MAX_VERTICES} wierzchołków – uprość "
                                "granice w programie GIS.")
        features.append(f)
        geoms.append(g)
    if cancelled():
        raise BoundaryError("Przerwano.")
    coords = [shapely.get_coordinates(g) for g in geoms if g is not None]
    xs = np.concatenate([c[:, 0] for c in coords]) if coords else np.empty(0)
    ys = np.concatenate([c[:, 1] for c in coords]) if coords else np.empty(0)
    found = detect_crs(xs, ys)
    swapped = bool(found and found.swapped and found.epsg in PL2000_ZONES
                   and epsg in (None, found.epsg))
    if swapped:
        geoms = [None if g is None else shapely.transform(g, lambda xy: xy[:, ::-1])
                 for g in geoms]
    detected = found.epsg if found else None
    chosen = epsg or file_epsg or detected
    if chosen is None:
        raise BoundaryError("Nie rozpoznano układu współrzędnych – wybierz go ręcznie "
                            f"({SUPPORTED_TEXT}).")
    if chosen not in SUPPORTED_EPSG:
        raise BoundaryError(f"Układ EPSG:{chosen} nie jest obsługiwany – przelicz dane do "
                            f"{SUPPORTED_TEXT}.")
    warnings = []
    if swapped:
        warnings.append("Współrzędne PL-2000 zapisano w kolejności północ, wschód – "
                        "zamieniono osie.")
    if epsg and detected and detected != epsg:
        warnings.append(f"Wybrano {SUPPORTED_EPSG[epsg]}, ale współrzędne wyglądają na "
                        f"{SUPPORTED_EPSG[detected]}.")
    for n, (f, g) in enumerate(zip(features, geoms)):
        if cancelled():
            raise BoundaryError("Przerwano.")
        progress(20 + int(60 * n / max(1, len(features))))
        if g is None:
            continue
        g = reproject(g, chosen, WGS84)
        if not bounds_in_poland(g.bounds):
            f.error = (f"współrzędne poza Polską w układzie {SUPPORTED_EPSG[chosen]} – "
                       "sprawdź układ współrzędnych.")
            continue
        if not g.is_valid:
            reason = polish_reason(shapely.is_valid_reason(g))
            crossings = count_crossings(g, MAX_SELF_INTERSECTIONS, cancelled)
            if crossings > MAX_SELF_INTERSECTIONS:
                f.error = (f"niepoprawny wielokąt: ponad {MAX_SELF_INTERSECTIONS} "
                           "samoprzecięć – popraw granicę w programie GIS.")
                continue
            if cancelled():
                raise BoundaryError("Przerwano.")
            fixed = _polygonal(shapely.make_valid(g))
            if fixed is None or fixed.is_empty or fixed.area <= 0:
                f.error = f"niepoprawny wielokąt, którego nie da się naprawić ({reason})."
                continue
            f.repaired, g = reason, fixed
        f.geometry = g
        f.area_km2 = _area_km2(g)
        if f.area_km2 <= 0:
            f.error, f.geometry = "wielokąt o zerowej powierzchni.", None
    preview = BoundaryPreview(str(path), fmt, chosen, epsg is None, features,
                              warnings=warnings)
    preview.overlaps = find_overlaps(features)
    progress(90)
    return preview


def polish_reason(reason: str) -> str:
    """GEOS's reason for an invalid geometry in Polish ("Self-intersection[18.2 52.2]" ->
    "samoprzecięcie w punkcie 18.2 52.2")."""
    text, _, where = reason.partition("[")
    polish = _REASONS.get(text.strip().lower(), "niepoprawna geometria")
    where = where.rstrip("]").strip()
    return f"{polish} w punkcie {where}" if where else polish


def count_crossings(geom: BaseGeometry, limit: int, cancelled: Cancelled) -> int:
    """Pairs of boundary segments that cross, counted up to just over ``limit`` (a polygon
    drawn at random crosses itself millions of times and its repair never ends). Checks the
    cancel flag between chunks and raises BoundaryError("Przerwano.")."""
    rings = shapely.get_rings(shapely.get_parts(geom))
    starts, ends = [], []
    for ring in rings:
        xy = shapely.get_coordinates(ring)
        starts.append(xy[:-1])
        ends.append(xy[1:])
    a, b = np.concatenate(starts), np.concatenate(ends)
    segments = shapely.linestrings(np.stack([a, b], axis=1))
    tree = shapely.STRtree(segments)
    # Chunks small enough that one query tests at most about _CROSSING_WORK pairs even when
    # every segment spans the whole polygon (each then meets every other one).
    chunk = max(1, _CROSSING_WORK // len(segments))
    found = 0
    for start in range(0, len(segments), chunk):
        if cancelled():
            raise BoundaryError("Przerwano.")
        left, right = tree.query(segments[start:start + chunk], predicate="crosses")
        found += int(np.count_nonzero(left + start < right))
        if found > limit:
            break
    return found


def _area_km2(geom: BaseGeometry) -> float:
    return float(reproject(geom, WGS84, PUWG1992).area) / 1_000_000.0


def find_overlaps(features: list[BoundaryFeature]) -> list[tuple[int, int, float]]:
    valid = [f for f in features if f.geometry is not None]
    if len(valid) < 2:
        return []
    tree = shapely.STRtree([f.geometry for f in valid])
    left, right = tree.query([f.geometry for f in valid], predicate="intersects")
    out = []
    for a, b in zip(left, right):
        if a >= b:
            continue
        inter = valid[a].geometry.intersection(valid[b].geometry)
        if inter.is_empty or inter.area == 0:
            continue
        km2 = _area_km2(inter)
        if km2 >= MIN_OVERLAP_KM2:
            out.append((valid[a].index, valid[b].index, km2))
    return out


def match_beats(db: Database, preview: BoundaryPreview) -> BoundaryPreview:
    """Find the beat of each feature by number (and unit); unmatched features get an error."""
    from sqlalchemy import select

    with db.session() as s:
        beats = [(bid, num, fold(short or ""), fold(uname), f"{short} {num}. {name}")
                 for bid, num, name, short, uname in s.execute(
                     select(Beat.id, Beat.number, Beat.name, Unit.short_name, Unit.name)
                     .join(Unit))]
    seen: dict[int, int] = {}
    for f in preview.features:
        if f.error:
            continue
        if not f.number:
            f.error = "brak numeru rejonu (atrybut nr / numer / rejon)."
            continue
        unit = fold(f.unit)
        found = [b for b in beats if b[1] == f.number and (not unit or unit in (b[2], b[3]))]
        if not found:
            f.error = f"nie ma rejonu nr {f.number}" + (f" w jednostce {f.unit}." if f.unit
                                                       else ".")
        elif len(found) > 1:
            f.error = (f"rejon nr {f.number} jest w kilku jednostkach – dodaj atrybut "
                       "„jednostka”.")
        elif found[0][0] in seen:
            f.error = f"rejon nr {f.number} występuje w pliku drugi raz (obiekt " \
                      f"{seen[found[0][0]] + 1})."
        else:
            f.beat_id, f.beat_label = found[0][0], found[0][4]
            seen[f.beat_id] = f.index
    _overlaps_with_stored(db, preview, {b[0]: b[4] for b in beats})
    return preview


def _overlaps_with_stored(db: Database, preview: BoundaryPreview,
                          labels: dict[int, str]) -> None:
    """Warn about imported shapes overlapping beats that keep their stored boundary."""
    from sqlalchemy import select

    replaced = {f.beat_id for f in preview.features if f.beat_id is not None}
    with db.session() as s:
        stored = [(bid, b) for bid, b in s.execute(select(Beat.id, Beat.boundary))
                  if b and bid not in replaced]
    imported = [f for f in preview.features if f.geometry is not None and f.beat_id]
    if not stored or not imported:
        return
    from desktop.common.geo import from_geojson

    geoms = [from_geojson(b) for _, b in stored]
    tree = shapely.STRtree(geoms)
    for f in imported:
        assert f.geometry is not None  # imported holds features with a geometry only
        for k in tree.query(f.geometry, predicate="intersects"):
            inter = f.geometry.intersection(geoms[k])
            if inter.is_empty or inter.area == 0:
                continue
            km2 = _area_km2(inter)
            if km2 >= MIN_OVERLAP_KM2:
                area = f"{km2:.3f}".replace(".", ",")
                preview.warnings.append(
                    f"Rejon {f.beat_label} nakłada się na rejon {labels[stored[k][0]]} "
                    f"(granica w bazie) na {area} km².")


def save_boundaries(db: Database, preview: BoundaryPreview) -> int:
    """Write the boundaries and areas of every matched feature in one transaction."""
    if not preview.can_save:
        raise BoundaryError("Nie zapisano: " + ("; ".join(preview.errors[:5])
                                                or "brak obiektów."))
    started = time.monotonic()
    with db.session() as s, s.begin():
        for f in preview.features:
            beat = s.get(Beat, f.beat_id)
            if beat is None:
                raise BoundaryError(f"Rejon {f.beat_label} został w międzyczasie usunięty.")
            beat.boundary = to_geojson(f.geometry)
            beat.area_km2 = round(f.area_km2, 3)
        # Reports follow the new boundaries in the same transaction: no stale beat counts.
        reassign_reports_in(s)
    timed_info(logging.getLogger("razem.beats"), "Import granic rejonów: %d zapisanych", started,
               len(preview.features))
    return len(preview.features)
