"""Geometry helpers (shapely 2 + pyproj): GeoJSON in and out, areas, and the one home of
coordinate systems: transformers, the recognition of a coordinate system from coordinate
values, and Poland's bounds.

Every call into pyproj runs on one long-lived Python thread of its own ("razem-proj"), where
the transformers are built and cached; callers on any thread (the UI, job threads, Qt's pooled
threads) hand it arrays and get arrays back. A pyproj ``Transformer`` belongs to the PROJ
context of the thread that built it: a transformer cached in one thread and used from a pool
thread crashed the process (a segfault on the second report import while the window stayed
open), and so did building transformers in Qt-pooled threads, whose Python thread state comes
and goes between jobs. No transformer ever leaves the projection thread.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

WGS84 = 4326
PUWG1992 = 2180
PL2000_ZONE5 = 2176
PL2000_ZONE6 = 2177
PL2000_ZONE7 = 2178
PL2000_ZONE8 = 2179
PL2000_ZONES = (PL2000_ZONE5, PL2000_ZONE6, PL2000_ZONE7, PL2000_ZONE8)

# Coordinate systems the app reads, with the Polish names shown to users.
SUPPORTED_EPSG: dict[int, str] = {
    WGS84: "EPSG:4326 (WGS 84)",
    PUWG1992: "EPSG:2180 (PUWG 1992)",
    PL2000_ZONE5: "EPSG:2176 (PL-2000 strefa 5)",
    PL2000_ZONE6: "EPSG:2177 (PL-2000 strefa 6)",
    PL2000_ZONE7: "EPSG:2178 (PL-2000 strefa 7)",
    PL2000_ZONE8: "EPSG:2179 (PL-2000 strefa 8)",
}
SUPPORTED_TEXT = "EPSG:4326, EPSG:2180 lub EPSG:2176–2179"

# Poland in WGS84 (min lon, min lat, max lon, max lat) with a margin of a few kilometres:
# coordinates outside are wrong coordinates (or a wrong coordinate system), not data.
POLAND_WGS84 = (13.9, 48.8, 24.4, 55.1)
# The same in projected metres (easting, northing), generous: used to recognise the system.
_PUWG1992_BOX = (100_000.0, 100_000.0, 900_000.0, 850_000.0)
_PL2000_NORTHING = (5_400_000.0, 6_200_000.0)
_PL2000_EASTING_HALF_WIDTH = 400_000.0  # each zone's false easting is 500 000 + zone × 10⁶


class CrsError(ValueError):
    """A coordinate system that cannot be used; the message is Polish."""


_local = threading.local()  # on the projection thread: its transformers
_executor_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def on_projection_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(*args)`` on the projection thread and return its result (or raise its
    exception); called there already, it runs directly."""
    global _executor
    if getattr(_local, "is_projection_thread", False):
        return fn(*args)
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="razem-proj",
                                           initializer=_mark_projection_thread)
        executor = _executor
    return executor.submit(fn, *args).result()


def _mark_projection_thread() -> None:
    _local.is_projection_thread = True


def _transformer(src_epsg: int, dst_epsg: int) -> Transformer:
    """A transformer (always_xy) of the projection thread, built once."""
    assert getattr(_local, "is_projection_thread", False), "pyproj outside its thread"
    cache: dict[tuple[int, int], Transformer] | None = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    key = (src_epsg, dst_epsg)
    t = cache.get(key)
    if t is None:
        for code in key:
            check_supported(code)
        t = cache[key] = Transformer.from_crs(src_epsg, dst_epsg, always_xy=True)
    return t


def _project_here(ax: np.ndarray, ay: np.ndarray, src_epsg: int,
                  dst_epsg: int) -> tuple[np.ndarray, np.ndarray]:
    x, y = _transformer(src_epsg, dst_epsg).transform(ax, ay)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def project(xs: Any, ys: Any, src_epsg: int, dst_epsg: int) -> tuple[np.ndarray, np.ndarray]:
    """Arrays of x/y (easting/northing or lon/lat) in another system; safe from any thread.
    An unsupported system raises :class:`CrsError`."""
    ax, ay = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    if src_epsg == dst_epsg or not len(ax):
        return ax, ay
    result: tuple[np.ndarray, np.ndarray] = on_projection_thread(_project_here, ax, ay,
                                                                 src_epsg, dst_epsg)
    return result


def epsg_from_wkt(wkt: str) -> int | None:
    """The EPSG code of a WKT definition (a Shapefile's .prj), None when pyproj cannot tell."""
    def identify() -> int | None:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            code = CRS.from_wkt(wkt).to_epsg(min_confidence=60)
        except CRSError:
            return None
        return None if code is None else int(code)

    result: int | None = on_projection_thread(identify)
    return result


def reproject(geom: BaseGeometry, src_epsg: int, dst_epsg: int) -> BaseGeometry:
    """Reproject a geometry; x/y are easting/northing or lon/lat (always_xy)."""
    if src_epsg == dst_epsg:
        return geom

    def apply(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(project(xy[:, 0], xy[:, 1], src_epsg, dst_epsg))

    return shapely.transform(geom, apply)


def area_km2(geom_wgs84: BaseGeometry) -> float:
    """Area in km² measured in PUWG 1992 (EPSG:2180), the national projection."""
    return float(reproject(geom_wgs84, WGS84, PUWG1992).area) / 1_000_000.0


# -- recognising the coordinate system -------------------------------------------------------

def in_poland(lon: Any, lat: Any) -> np.ndarray:
    """Which WGS84 points lie in Poland (with the margin of ``POLAND_WGS84``)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x0, y0, x1, y1 = POLAND_WGS84
    with np.errstate(invalid="ignore"):
        return np.isfinite(lon) & np.isfinite(lat) & (lon >= x0) & (lon <= x1) & \
            (lat >= y0) & (lat <= y1)


def bounds_in_poland(bounds: Sequence[float]) -> bool:
    """Whether WGS84 bounds (minx, miny, maxx, maxy) lie inside Poland."""
    x0, y0, x1, y1 = POLAND_WGS84
    return x0 <= bounds[0] and bounds[2] <= x1 and y0 <= bounds[1] and bounds[3] <= y1


def _classify(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per point: the EPSG code whose Polish range holds it, 0 when none."""
    out = np.zeros(len(x), dtype=np.int64)
    with np.errstate(invalid="ignore"):
        out[(np.abs(x) <= 180) & (np.abs(y) <= 90)] = WGS84
        bx0, by0, bx1, by1 = _PUWG1992_BOX
        out[(x >= bx0) & (x <= bx1) & (y >= by0) & (y <= by1)] = PUWG1992
        north = (y >= _PL2000_NORTHING[0]) & (y <= _PL2000_NORTHING[1])
        for zone, code in zip((5, 6, 7, 8), PL2000_ZONES):
            centre = zone * 1_000_000 + 500_000
            out[north & (np.abs(x - centre) <= _PL2000_EASTING_HALF_WIDTH)] = code
    return out


@dataclass(frozen=True)
class Detected:
    """A recognised coordinate system; ``swapped``: the file gives northing/latitude first."""

    epsg: int
    swapped: bool = False


def detect_crs(xs: Any, ys: Any) -> Detected | None:
    """The one rule for recognising a coordinate system from coordinate values.

    Each finite point is classified by the Polish range it falls in (degrees; PUWG 1992;
    PL-2000 zone 5–8 by the millions of its easting); the system holding most points wins if
    it holds at least half of them, so a few wrong rows do not change the answer (they are
    refused later as lying outside Poland). PL-2000 written northing first, as the EPSG
    definition orders its axes, is recognised as swapped. None when nothing fits.
    """
    x, y = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if not len(x):
        return None
    best: Detected | None = None
    best_count = 0
    for swapped, (a, b) in ((False, (x, y)), (True, (y, x))):
        kinds = _classify(a, b)
        codes, counts = np.unique(kinds[kinds != 0], return_counts=True)
        for code, count in zip(codes, counts):
            if swapped and code not in PL2000_ZONES:
                continue  # lat/lon order and PUWG northing first are handled by the callers
            if count > best_count:
                best, best_count = Detected(int(code), swapped), int(count)
    if best is None or best_count * 2 < len(x):
        return None
    return best


_EPSG_IN_NAME = re.compile(r"EPSG:{1,2}(\d+)", re.IGNORECASE)


def crs_from_geojson(doc: Any) -> int | None:
    """The EPSG code named by an old-style GeoJSON ``crs`` member (Polish GIS still writes
    it), or None when there is none. A ``crs`` that is not an object, or names a system the
    app does not read, raises :class:`CrsError` with a Polish message."""
    if not isinstance(doc, dict) or doc.get("crs") is None:
        return None
    crs = doc["crs"]
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    if not isinstance(name, str):
        raise CrsError("Niepoprawny opis układu współrzędnych („crs”) w pliku GeoJSON – "
                       "oczekiwano obiektu z nazwą układu, np. EPSG:2180.")
    if "CRS84" in name.upper():
        return WGS84
    m = _EPSG_IN_NAME.search(name)
    if not m:
        raise CrsError(f"Nieznany układ współrzędnych „{name[:60]}” w pliku GeoJSON – "
                       f"obsługiwane są {SUPPORTED_TEXT}.")
    return check_supported(int(m.group(1)))


def check_supported(epsg: int) -> int:
    if epsg not in SUPPORTED_EPSG:
        raise CrsError(f"Układ EPSG:{epsg} nie jest obsługiwany – przelicz dane do "
                       f"{SUPPORTED_TEXT}.")
    return epsg


# -- GeoJSON ---------------------------------------------------------------------------------

def from_geojson(text: str | None) -> BaseGeometry | None:
    if not text:
        return None
    return shape(json.loads(text))


def to_geojson(geom: BaseGeometry, precision: int = 9) -> str:
    """GeoJSON text of a geometry, coordinates rounded (9 decimals: 0.1 mm, so shared edges
    of neighbouring beats stay shared)."""
    def rnd(obj: Any) -> Any:
        if isinstance(obj, (list, tuple)):
            return [rnd(o) for o in obj]
        if isinstance(obj, float):
            return round(obj, precision)
        return obj

    m = mapping(geom)
    return json.dumps({"type": m["type"], "coordinates": rnd(m["coordinates"])},
                      separators=(",", ":"))


def assign_points_to_beats(lon: np.ndarray, lat: np.ndarray, boundaries: list[str | None],
                           beat_ids: list[int]) -> np.ndarray:
    """Beat id for each point (-1 outside every beat), vectorised with an STRtree.

    A point on a shared edge goes to the beat with the lowest index among those touching it.
    """
    geoms = [from_geojson(b) for b in boundaries]
    keep = [i for i, g in enumerate(geoms) if g is not None]
    result = np.full(len(lon), -1, dtype=np.int64)
    if not keep or len(lon) == 0:
        return result
    if len(lon) >= BY_BOUNDS_MIN_POINTS:
        return _assign_by_bounds(lon, lat, geoms, beat_ids, result)
    tree = shapely.STRtree([geoms[i] for i in keep])
    points = shapely.points(lon, lat)
    pt_idx, tree_idx = tree.query(points, predicate="intersects")
    ids = np.array([beat_ids[i] for i in keep], dtype=np.int64)
    # A point on a shared edge touches two beats: the one listed first wins.
    order = np.lexsort((tree_idx, pt_idx))
    pt_sorted, tree_sorted = pt_idx[order], tree_idx[order]
    first = np.unique(pt_sorted, return_index=True)[1]
    result[pt_sorted[first]] = ids[tree_sorted[first]]
    return result


BY_BOUNDS_MIN_POINTS = 2000  # from here on no point geometries (making 100,000 costs 0.2 s)


def _assign_by_bounds(lon: np.ndarray, lat: np.ndarray, geoms: list[BaseGeometry | None],
                      beat_ids: list[int], result: np.ndarray) -> np.ndarray:
    """``assign_points_to_beats`` without point objects: beat by beat in list order, the
    points inside its bounding box (a range of the points sorted by longitude, then the
    latitudes) not yet taken are tested with ``intersects_xy`` on the prepared polygon — the
    same predicate as the tree's, and the beat listed first wins an edge point."""
    order = np.argsort(lon, kind="stable")
    xs = lon[order]
    for geom, beat_id in zip(geoms, beat_ids):
        if geom is None or geom.is_empty:
            continue
        x0, y0, x1, y1 = geom.bounds
        found = order[np.searchsorted(xs, x0, side="left"):np.searchsorted(xs, x1, side="right")]
        found = found[(lat[found] >= y0) & (lat[found] <= y1) & (result[found] < 0)]
        if len(found):
            shapely.prepare(geom)
            result[found[shapely.intersects_xy(geom, lon[found], lat[found])]] = beat_id
    return result
