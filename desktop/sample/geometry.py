"""Sample beat geometry cut from the real outlines of Konin and powiat koniński.

Beats are Voronoi cells clipped to the area, so they never overlap and leave no gaps.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, shape
from shapely.geometry.base import BaseGeometry

import resources


@dataclass(frozen=True)
class Seat:
    name: str
    kind: str  # gmina_type: miejsko-wiejska / wiejska
    point: Point
    approximate: bool


@dataclass(frozen=True)
class KoninArea:
    """The city polygon, the county polygon (the city is its hole) and the gmina seats."""

    city: BaseGeometry
    county: BaseGeometry
    city_centre: Point
    seats: tuple[Seat, ...]

    @property
    def whole(self) -> BaseGeometry:
        return shapely.union(self.city, self.county)


def load_area(path: Path | None = None) -> KoninArea:
    data = json.loads((path or resources.path("data", "konin_area.geojson")).read_text("utf-8"))
    city = county = centre = None
    seats = []
    for feature in data["features"]:
        props, geom = feature["properties"], shape(feature["geometry"])
        if props["kind"] == "powiat" and props["teryt"] == "3062":
            city = shapely.make_valid(geom)
        elif props["kind"] == "powiat" and props["teryt"] == "3010":
            county = shapely.make_valid(geom)
        elif props["kind"] == "city_seat":
            centre = geom
        elif props["kind"] == "gmina_seat":
            seats.append(Seat(props["name"], props["gmina_type"], geom,
                              bool(props.get("approximate"))))
    if city is None or county is None or centre is None or not seats:
        raise ValueError("Plik konturów Konina jest niekompletny.")
    return KoninArea(city, county, centre, tuple(seats))


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Drop points/lines a clip may leave; keep Polygon or MultiPolygon."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def voronoi_partition(area: BaseGeometry, seeds: list[Point]) -> list[BaseGeometry]:
    """Cells of the seeds clipped to the area, in the seeds' order."""
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=area, ordered=True)
    return [_polygonal(shapely.intersection(cell, area)) for cell in cells.geoms]


def random_points_in(area: BaseGeometry, n: int, rng: np.random.Generator) -> list[Point]:
    minx, miny, maxx, maxy = area.bounds
    out: list[Point] = []
    while len(out) < n:
        x = rng.uniform(minx, maxx, 4 * n)
        y = rng.uniform(miny, maxy, 4 * n)
        inside = shapely.contains_xy(area, x, y)
        out.extend(Point(a, b) for a, b in zip(x[inside], y[inside]))
    return out[:n]


def city_beat_cells(city: BaseGeometry, k: int, rng: np.random.Generator) -> list[BaseGeometry]:
    """k compact cells covering the city: random seeds smoothed by a few Lloyd steps."""
    seeds = random_points_in(city, k, rng)
    for _ in range(4):
        cells = voronoi_partition(city, seeds)
        seeds = [c.centroid if c.contains(c.centroid) else c.representative_point()
                 for c in cells]
    cells = voronoi_partition(city, seeds)
    # Number from north-west to south-east, like a reader scans a map.
    order = sorted(range(k), key=lambda i: (-round(cells[i].centroid.y, 2), cells[i].centroid.x))
    return [cells[i] for i in order]
