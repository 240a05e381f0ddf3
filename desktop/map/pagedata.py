"""What the map page gets, assembled from plain rows: no SQLAlchemy, numpy or Qt here.

Both readers build the page's data with :func:`assemble` from the same rows — the ORM
(:func:`desktop.map.data.load_map_data`) and, at start-up on SQLite with a valid disk cache of
the reports, the plain ``sqlite3`` module (:mod:`desktop.map.fastread`, while SQLAlchemy is
still being imported) — so the two can only differ in what they read, never in how the page's
data is made of it (a test compares the two on real files).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy and SQLAlchemy stay out of this module
    from desktop.map.reports import ReportColumns

COORD_SCALE = 100_000  # 1e-5 degree is about 1 m (desktop.map.reports.COORD_SCALE)
REPORTS_FILE = "reports.bin"  # next to data.js: the block of typed columns, fetched as binary
BEAT_OFFICER_ROLE = "dzielnicowy"  # AssignmentRole.BEAT_OFFICER.value, as stored
TRAFFIC_ROLE = "traffic"  # AssignmentRole.TRAFFIC.value


@dataclass(frozen=True)
class ReportsMark:
    """What the page holds: reports up to ``max_id`` and a checksum of them; ``key``: the
    reports' change marker (:func:`db.report_marker.report_key`) read in the same snapshot
    before them, if known (see :func:`unchanged`)."""

    max_id: int
    checksum: tuple[int, ...]
    key: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Indexes:
    """Database ids -> positions in the page's dictionaries."""

    categories: dict[int, int]
    statuses: dict[int, int]
    beats: dict[int, int]


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    active: bool = True  # a retired dictionary entry: listed, but not ticked by default


@dataclass(frozen=True)
class BeatChoice:
    id: int
    unit_id: int
    label: str


@dataclass
class MapData:
    """Everything the page needs, as plain JSON-ready structures."""

    units: list[Choice]
    gminas: list[Choice]
    categories: list[Choice]
    statuses: list[Choice]
    beats: list[BeatChoice]
    payload: dict = field(repr=False)
    report_count: int = 0
    beat_polygons: int = 0
    bounds: tuple[float, float, float, float] | None = None  # south, west, north, east
    reports: ReportColumns | None = field(default=None, repr=False)
    mark: ReportsMark | None = None  # what the page holds (incremental updates)
    indexes: Indexes | None = None
    cached: bool = False  # the reports came from the disk cache (desktop.map.blockcache)
    # The encoded block itself when ``reports`` was not made (the start-up read without numpy)
    block: bytes | None = field(default=None, repr=False)


def _officer(row: Sequence[Any]) -> dict:
    rank, first, last, phone, mobile, email = row
    return {"name": f"{rank} {first} {last}".strip(), "phone": phone or "",
            "mobile": mobile or "", "email": email or ""}


def people_by_beat(rows: Iterable[Sequence[Any]]) -> dict[tuple[int, str], dict]:
    """(beat id, role's stored value) -> the officer, from rows (beat_id, role value, rank,
    first name, last name, phone, mobile, e-mail) in the order of their start (a later
    assignment wins)."""
    people = {}
    for beat_id, role, *officer in rows:
        people[(beat_id, role)] = _officer(officer)
    return people


def _feature(geometry: dict, props: dict) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def geometry_bounds(geometry: dict | None) -> tuple[float, float, float, float] | None:
    """(minx, miny, maxx, maxy) of a GeoJSON geometry's positions, None when it has none
    (what shapely's ``bounds`` gives, without importing shapely in the map's worker)."""
    if not geometry:
        return None
    xs: list[float] = []
    ys: list[float] = []

    def walk(value) -> None:
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], (int, float)):
            xs.append(float(value[0]))
            ys.append(float(value[1]))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries") or []:
            walk(part.get("coordinates"))
    else:
        walk(geometry.get("coordinates"))
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def assemble(units: list[Choice], gmina_rows: Sequence[Sequence[Any]],
             categories: list[Choice], statuses: list[Choice],
             people: dict[tuple[int, str], dict], beat_rows: Sequence[Sequence[Any]],
             report_count: int) -> MapData:
    """The page's data from the rows read: ``gmina_rows`` (id, name, boundary) and
    ``beat_rows`` (id, number, name, unit_id, gmina_id, boundary) in the page's order; the
    reports, mark and indexes are set by the caller."""
    unit_index = {u.id: i for i, u in enumerate(units)}
    gmina_index = {g[0]: i for i, g in enumerate(gmina_rows)}
    unit_name = {u.id: u.name for u in units}

    features, beat_choices = [], []
    bounds = None
    for i, (bid, number, name, unit_id, gmina_id, boundary) in enumerate(beat_rows):
        beat_choices.append(BeatChoice(bid, unit_id, f"{number} {name}".strip()))
        geometry = json.loads(boundary) if boundary else None
        b = geometry_bounds(geometry)
        if geometry is None or b is None:
            continue
        bounds = b if bounds is None else (min(bounds[0], b[0]), min(bounds[1], b[1]),
                                           max(bounds[2], b[2]), max(bounds[3], b[3]))
        features.append(_feature(geometry, {
            "id": bid, "idx": i, "number": number, "name": name,
            "unit": unit_index.get(unit_id, -1), "unitName": unit_name.get(unit_id, ""),
            "gmina": gmina_index.get(gmina_id, -1),
            "officer": people.get((bid, BEAT_OFFICER_ROLE)),
            "traffic": people.get((bid, TRAFFIC_ROLE)),
        }))
    gmina_geometries = [(name, json.loads(boundary)) for _i, name, boundary in gmina_rows
                        if boundary]
    gmina_features = [_feature(geometry, {"name": name}) for name, geometry in gmina_geometries]
    if bounds is None:
        for _n, geometry in gmina_geometries:
            b = geometry_bounds(geometry)
            if b is not None:
                bounds = b if bounds is None else (min(bounds[0], b[0]), min(bounds[1], b[1]),
                                                   max(bounds[2], b[2]), max(bounds[3], b[3]))

    payload = {
        "scale": COORD_SCALE,
        "units": [{"id": u.id, "name": u.name} for u in units],
        "gminas": [{"id": g[0], "name": g[1]} for g in gmina_rows],
        "categories": [{"id": c.id, "name": c.name} for c in categories],
        "statuses": [{"id": c.id, "name": c.name} for c in statuses],
        "beatUnits": [unit_index.get(r[3], -1) for r in beat_rows],
        "beatIds": [r[0] for r in beat_rows],
        "beats": {"type": "FeatureCollection", "features": features},
        "gminaOutlines": {"type": "FeatureCollection", "features": gmina_features},
        # [[south, west], [north, east]]: what the page fits in view (not part of the page)
        "bounds": None if bounds is None else [[bounds[1], bounds[0]], [bounds[3], bounds[2]]],
    }
    return MapData(units, [Choice(g[0], g[1]) for g in gmina_rows], categories, statuses,
                   beat_choices, payload, report_count, len(features),
                   None if bounds is None else (bounds[1], bounds[0], bounds[3], bounds[2]))


def data_script(data: MapData) -> bytes:
    """The page's data: dictionaries, beats and outlines as JSON, and a fetch of the reports'
    block (:func:`reports_block`, ``reports.bin`` beside this script) as an ArrayBuffer:
    16 bytes a report straight into typed arrays, no base64 text to parse and decode
    (21 MB of script at a million reports)."""
    # ensure_ascii keeps U+2028 and friends from breaking the script; no HTML involved.
    return ("window.RAZEM_DATA=" + json.dumps(data.payload, separators=(",", ":"))
            + ";\nwindow.RAZEM_REPORTS=fetch(" + json.dumps(REPORTS_FILE)
            + ").then(function (r) { if (!r.ok) { throw new Error(\"reports: \" + r.status); }"
            " return r.arrayBuffer(); });\n").encode("ascii")


def reports_block(data: MapData) -> bytes:
    """The reports as the page fetches them (see ``decodeReports`` in map.js)."""
    if data.reports is not None:
        return data.reports.raw()
    return data.block or b""
