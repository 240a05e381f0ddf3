"""Geometry helpers (shapely 2 + pyproj): GeoJSON in and out, areas, coordinate systems."""
from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

WGS84 = 4326
PUWG1992 = 2180
PL2000_ZONE6 = 2177


@lru_cache(maxsize=8)
def transformer(src_epsg: int, dst_epsg: int) -> Transformer:
    return Transformer.from_crs(src_epsg, dst_epsg, always_xy=True)


def reproject(geom: BaseGeometry, src_epsg: int, dst_epsg: int) -> BaseGeometry:
    """Reproject a geometry; x/y are easting/northing or lon/lat (always_xy)."""
    if src_epsg == dst_epsg:
        return geom
    t = transformer(src_epsg, dst_epsg)
    return shapely.transform(geom, lambda xy: _apply(t, xy))


def _apply(t: Transformer, xy):
    x, y = t.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def area_km2(geom_wgs84: BaseGeometry) -> float:
    """Area in km² measured in PUWG 1992 (EPSG:2180), the national projection."""
    return reproject(geom_wgs84, WGS84, PUWG1992).area / 1_000_000.0


def from_geojson(text: str | None) -> BaseGeometry | None:
    if not text:
        return None
    return shape(json.loads(text))


def to_geojson(geom: BaseGeometry, precision: int = 9) -> str:
    """GeoJSON text of a geometry, coordinates rounded (9 decimals: 0.1 mm, so shared edges
    of neighbouring beats stay shared)."""
    def rnd(obj):
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
