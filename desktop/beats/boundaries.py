"""Reading beat boundaries: GeoJSON, KML, KMZ and zipped Shapefile, EPSG:4326 / 2180 / 2176–2179.

``read_boundaries`` parses and checks a file into a preview (nothing is written); matching to
beats, creating missing ones and saving are in ``desktop.beats.boundary_import``. A polygon
with fewer than 3 distinct points, a zero area or coordinates outside Poland is refused with
its reason; a self-intersecting one is repaired (``shapely.make_valid``) when the repair keeps
an area, and the match names the beat in a warning ("Rejon 101: granica poprawiona …").
Vertex counts and self-intersections are limited (``desktop.common.limits``) so that no file
keeps a worker busy for minutes; cancelling is checked between every step.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
import shapely.errors
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry

from desktop.beats import boundary_fields as fields
from desktop.beats.boundary_formats import (
    MAX_FILE_BYTES,
    BoundaryError,
    read_geojson,
    read_kml,
    read_kmz,
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
)

__all__ = ["BoundaryError", "BoundaryFeature", "BoundaryPreview", "SUPPORTED_EPSG",
           "read_boundaries"]

log = logging.getLogger("razem.beats")
MIN_OVERLAP_KM2 = 0.0001  # 100 m²: shared edges digitised twice are not overlaps
MIN_AREA_KM2 = 0.000001  # 1 m²: less is a line drawn as a polygon, not a beat

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
    props: dict = field(default_factory=dict)  # the file's attributes
    read_error: str = ""  # the part of ``error`` found while reading (geometry, format)
    action: str = ""  # after matching: CREATE, UPDATE or "" (refused / not matched yet)
    unit_id: int | None = None  # the unit of the beat updated or created
    beat_version: int | None = None  # the row version of the beat updated, as matched


@dataclass
class BoundaryPreview:
    path: str
    source_format: str
    epsg: int
    epsg_detected: bool
    features: list[BoundaryFeature]
    overlaps: list[tuple[int, int, float]] = field(default_factory=list)  # i, j, km²
    warnings: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # attribute names, in file order
    number_field: str | None = None  # the attribute the numbers were taken from
    name_field: str | None = None
    read_warnings: list[str] = field(default_factory=list)  # from reading, before matching

    @property
    def errors(self) -> list[str]:
        """One line per refused feature: "Obiekt 3 (nr 77): nie ma rejonu nr 77."."""
        return [f"Obiekt {f.index + 1} ({'nr ' + f.number if f.number else 'bez numeru'}): "
                f"{f.error}" for f in self.features if f.error]

    @property
    def can_save(self) -> bool:
        """Something to write: at least one feature creates or updates a beat."""
        return any(f.action and not f.error for f in self.features)


CREATE, UPDATE = "create", "update"


def apply_fields(features: list[BoundaryFeature], number_field: str | None,
                 name_field: str | None) -> None:
    """Each feature's number, name and unit from its attributes (the fields chosen)."""
    for f in features:
        f.number = fields.number_in(fields.value(f.props, number_field))
        f.name = fields.beat_name(f.props, name_field, number_field)
        f.unit = fields.keyed_value(f.props, fields.UNIT_KEYS)


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
                    cancelled: Cancelled | None = None,
                    encoding: str | None = None) -> BoundaryPreview:
    """Parse, reproject, check and repair; match to beats later with
    ``boundary_import.match_beats``. ``encoding``: a Shapefile DBF's text encoding chosen by
    the user (else its .cpg, else UTF-8 or CP1250 with a warning)."""
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
    file_epsg: int | None = None
    notes: list[str] = []
    if suffix in (".geojson", ".json"):
        fmt, (raw, file_epsg) = "GeoJSON", read_geojson(data)
    elif suffix == ".kml":
        fmt, raw, file_epsg = "KML", read_kml(data), WGS84
    elif suffix == ".kmz":
        fmt, raw, file_epsg = "KMZ", read_kmz(data), WGS84
    elif suffix == ".zip":
        raw, file_epsg, notes = read_shapefile_zip(data, encoding)
        fmt = "KML (ZIP)" if _kml_only(data) else "Shapefile (ZIP)"
    else:
        raise BoundaryError("Nieobsługiwany format pliku – wybierz GeoJSON (.geojson, .json), "
                            "KML (.kml), KMZ (.kmz) albo spakowany Shapefile (.zip).")
    if not raw:
        raise BoundaryError("Plik nie zawiera żadnych obiektów.")
    if len(raw) > limits.MAX_FEATURES:
        raise BoundaryError(f"Plik zawiera {len(raw)} obiektów – dopuszczalne "
                            f"{limits.MAX_FEATURES}.")
    progress(20)
    try:
        return _check(path, fmt, raw, epsg, file_epsg, progress, cancelled, notes)
    except (BoundaryError, MemoryError):
        raise
    except CrsError as exc:
        raise BoundaryError(str(exc)) from None
    except Exception as exc:  # geometry and projection libraries: their text is English
        log.warning("boundary file %s: %s: %s", path.name, type(exc).__name__, exc)
        raise BoundaryError("Nie można odczytać geometrii z pliku – plik uszkodzony albo "
                            "w nieobsługiwanej postaci.") from exc


def _kml_only(data: bytes) -> bool:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return not any(n.lower().endswith(".shp") for n in z.namelist())


def _check(path: Path, fmt: str, raw: list[tuple[dict, dict | None]], epsg: int | None,
           file_epsg: int | None, progress: Progress, cancelled: Cancelled,
           notes: list[str]) -> BoundaryPreview:
    """Shapes, coordinate system, reprojection, repair and areas of the features read."""
    vertices = 0
    features: list[BoundaryFeature] = []
    geoms: list[BaseGeometry | None] = []
    for i, (props, geo) in enumerate(raw):
        f = BoundaryFeature(i, "", "", "", None, props=props)
        g = None
        few = _distinct_points(geo) if isinstance(geo, dict) else None
        if geo is None:
            f.error = "brak geometrii."
        elif "error" in geo:
            f.error = geo["error"]
        elif few is not None and few < 3:
            f.error = (f"za mało punktów: granica ma {_points(few)} (wielokąt potrzebuje co "
                       "najmniej 3).")
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
                elif any(_flat(p) for p in shapely.get_parts(g)):
                    f.error, g = ("wielokąt o zerowej powierzchni (wszystkie punkty granicy "
                                  "leżą na jednej linii)."), None
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
        f.area_km2 = area_km2(g)
        if f.area_km2 < MIN_AREA_KM2:
            f.error, f.geometry = ("wielokąt o zerowej powierzchni (poniżej 1 m²; punkty "
                                   "granicy leżą prawie na jednej linii)."), None
    for f in features:
        f.read_error = f.error
    names = fields.field_names(props for props, _ in raw)
    number_field = fields.guess_number_field(names, [props for props, _ in raw])
    name_field = fields.guess_name_field(names, number_field)
    if name_field is None and number_field and "name" in names:
        name_field = "name"  # KML: "Rejon 12 Zatorze" holds both
    apply_fields(features, number_field, name_field)
    preview = BoundaryPreview(str(path), fmt, chosen, epsg is None, features,
                              warnings=[*notes, *warnings], fields=names,
                              number_field=number_field, name_field=name_field,
                              read_warnings=[*notes, *warnings])
    preview.overlaps = find_overlaps(features)
    progress(90)
    return preview


def _flat(polygon: BaseGeometry) -> bool:
    """A polygon of (almost) no area: its points on one line, or so thin that it is a line
    drawn as a polygon (area against perimeter² far below any real beat's, even a road's)."""
    if polygon.convex_hull.area == 0:
        return True
    return bool(polygon.is_valid and 4 * np.pi * polygon.area < 1e-6 * polygon.length ** 2)


def _distinct_points(geo: dict) -> int | None:
    """The fewest distinct points of any outer ring of a (Multi)Polygon as read (None when it
    is no polygon or its coordinates cannot be read: the shape check then tells)."""
    try:
        kind = geo.get("type")
        polygons = [geo["coordinates"]] if kind == "Polygon" else (
            list(geo["coordinates"]) if kind == "MultiPolygon" else None)
        if not polygons:
            return None
        return min(_distinct(poly[0]) if poly else 0 for poly in polygons)
    except (TypeError, ValueError, KeyError, IndexError):
        return None


def _distinct(ring) -> int:
    """Distinct points of a ring, counted up to 3 (enough to tell)."""
    seen: set[tuple[float, float]] = set()
    for p in ring:
        seen.add((float(p[0]), float(p[1])))
        if len(seen) >= 3:
            break
    return len(seen)


def _points(n: int) -> str:
    if n == 0:
        return "0 punktów"
    return "1 różny punkt" if n == 1 else f"{n} różne punkty"


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


def area_km2(geom: BaseGeometry) -> float:
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
        km2 = area_km2(inter)
        if km2 >= MIN_OVERLAP_KM2:
            out.append((valid[a].index, valid[b].index, km2))
    return out
