"""Geometry helpers (shapely 2 + pyproj): GeoJSON in and out, areas, coordinate systems."""
from __future__ import annotations

import json
from functools import lru_cache

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
    import numpy as np

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
