"""What the map shows, read from the database in one short session.

Reports travel to the page as columns of small integers in one binary block (coordinates in
1e-5 degrees, indices into the dictionaries, days since 1970-01-01; see
:mod:`desktop.map.reports`): about 21 bytes a report instead of the ~780 a folium Marker with
a popup costs. Filters then run in the page.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select

from db.engine import Database
from db.models import (
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Beat,
    Gmina,
    Officer,
    ThreatCategory,
    ThreatReport,
    ThreatStatus,
    Unit,
)
from desktop.map.blockcache import read_reports
from desktop.map.reports import COORD_SCALE as COORD_SCALE  # re-exported
from desktop.map.reports import (
    Indexes,
    ReportColumns,
    ReportsMark,
)

EPOCH = dt.date(1970, 1, 1)


def day_number(value: dt.date | dt.datetime) -> int:
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - EPOCH).days


@dataclass(frozen=True)
class ReportFilter:
    """What the user picked beside the map. ``None`` in a list field means "all"."""

    categories: tuple[int, ...] | None = None
    statuses: tuple[int, ...] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit_id: int | None = None
    beat_id: int | None = None

    def to_json(self) -> str:
        return json.dumps({
            "categories": list(self.categories) if self.categories is not None else None,
            "statuses": list(self.statuses) if self.statuses is not None else None,
            "dayFrom": day_number(self.date_from) if self.date_from else None,
            "dayTo": day_number(self.date_to) if self.date_to else None,
            "unit": self.unit_id,
            "beat": self.beat_id,
        })


def filter_reports(q: Select, flt: ReportFilter) -> Select:
    """``q`` (a select from ThreatReport) restricted as the map's filter says; shared by the
    page count and the reports browser, so both apply the same filter."""
    if flt.categories is not None:
        q = q.where(ThreatReport.category_id.in_(flt.categories))
    if flt.statuses is not None:
        q = q.where(ThreatReport.status_id.in_(flt.statuses))
    if flt.date_from is not None:
        q = q.where(ThreatReport.reported_at >= dt.datetime.combine(flt.date_from, dt.time()))
    if flt.date_to is not None:
        end = dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time())
        q = q.where(ThreatReport.reported_at < end)
    if flt.beat_id is not None:
        q = q.where(ThreatReport.beat_id == flt.beat_id)
    elif flt.unit_id is not None:
        q = q.where(ThreatReport.beat_id.in_(select(Beat.id).where(Beat.unit_id == flt.unit_id)))
    return q


def count_reports(db: Database, flt: ReportFilter) -> int:
    """How many reports a filter lets through (the page must show the same number)."""
    q = filter_reports(select(func.count()).select_from(ThreatReport), flt)
    with db.session() as s:
        return s.scalar(q) or 0


def report_point(db: Database, report_id: int) -> dict | None:
    """Where a report is and what the page shows beside it (None when it is gone)."""
    with db.session() as s:
        row = s.execute(select(ThreatReport.lat, ThreatReport.lon, ThreatCategory.name,
                               ThreatReport.reported_at)
                        .join(ThreatCategory, ThreatReport.category_id == ThreatCategory.id)
                        .where(ThreatReport.id == report_id)).first()
    if row is None:
        return None
    lat, lon, category, at = row
    return {"id": report_id, "lat": lat, "lon": lon,
            "label": f"{category} ({at:%d.%m.%Y})"}


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


def _officer(row) -> dict:
    rank, first, last, phone, mobile, email = row
    return {"name": f"{rank} {first} {last}".strip(), "phone": phone or "",
            "mobile": mobile or "", "email": email or ""}


def _people(s, on: dt.date) -> dict[tuple[int, AssignmentRole], dict]:
    people = {}
    q = (select(Assignment.beat_id, Assignment.role, Officer.rank, Officer.first_name,
                Officer.last_name, Officer.phone, Officer.mobile, Officer.email)
         .join(Officer)
         .where(Assignment.kind == AssignmentKind.REGULAR, Assignment.valid_from <= on,
                or_(Assignment.valid_to.is_(None), Assignment.valid_to >= on))
         .order_by(Assignment.valid_from))
    for beat_id, role, *officer in s.execute(q):
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


def load_map_data(db: Database, on: dt.date | None = None) -> MapData:
    """Read beats, outlines, dictionaries and all reports (short session, plain data out)."""
    on = on or dt.date.today()
    with db.session() as s:
        units = [Choice(i, n) for i, n in s.execute(select(Unit.id, Unit.name).order_by(Unit.id))]
        gmina_rows = s.execute(select(Gmina.id, Gmina.name, Gmina.boundary)
                               .order_by(Gmina.id)).all()
        categories = [Choice(i, n, a) for i, n, a in s.execute(
            select(ThreatCategory.id, ThreatCategory.name, ThreatCategory.active)
            .order_by(ThreatCategory.sort_order, ThreatCategory.id))]
        statuses = [Choice(i, n, a) for i, n, a in s.execute(
            select(ThreatStatus.id, ThreatStatus.name, ThreatStatus.active)
            .order_by(ThreatStatus.sort_order, ThreatStatus.id))]
        people = _people(s, on)
        beat_rows = s.execute(select(Beat.id, Beat.number, Beat.name, Beat.unit_id,
                                     Beat.gmina_id, Beat.boundary)
                              .where(Beat.retired_on.is_(None) | (Beat.retired_on > on))
                              .order_by(Beat.unit_id, Beat.id)).all()
        indexes = Indexes({c.id: i for i, c in enumerate(categories)},
                          {c.id: i for i, c in enumerate(statuses)},
                          {row.id: i for i, row in enumerate(beat_rows)})
        # From the disk cache when the reports are unchanged (desktop.map.blockcache).
        reports, mark, cached = read_reports(s, db.url, indexes)
    unit_index = {u.id: i for i, u in enumerate(units)}
    gmina_index = {g.id: i for i, g in enumerate(gmina_rows)}
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
            "officer": people.get((bid, AssignmentRole.BEAT_OFFICER)),
            "traffic": people.get((bid, AssignmentRole.TRAFFIC)),
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
        "gminas": [{"id": g.id, "name": g.name} for g in gmina_rows],
        "categories": [{"id": c.id, "name": c.name} for c in categories],
        "statuses": [{"id": c.id, "name": c.name} for c in statuses],
        "beatUnits": [unit_index.get(r.unit_id, -1) for r in beat_rows],
        "beatIds": [r.id for r in beat_rows],
        "beats": {"type": "FeatureCollection", "features": features},
        "gminaOutlines": {"type": "FeatureCollection", "features": gmina_features},
        # [[south, west], [north, east]]: what the page fits in view (not part of the page)
        "bounds": None if bounds is None else [[bounds[1], bounds[0]], [bounds[3], bounds[2]]],
    }
    return MapData(units, [Choice(g.id, g.name) for g in gmina_rows], categories, statuses,
                   beat_choices, payload, len(reports), len(features),
                   None if bounds is None else (bounds[1], bounds[0], bounds[3], bounds[2]),
                   reports, mark, indexes, cached)


def county_outlines() -> list[dict]:
    """Outlines of the city of Konin and powiat koniński (shipped, public PRG data)."""
    import resources

    raw = json.loads(resources.path("data", "konin_area.geojson").read_text(encoding="utf-8"))
    return [f for f in raw["features"]
            if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]


def filter_choices(db: Database) -> MapData:
    """Only the dictionaries the filter panel lists (units, categories, statuses, beats):
    for panels that filter reports without drawing them (the reports browser)."""
    with db.session() as s:
        units = [Choice(i, n) for i, n in s.execute(select(Unit.id, Unit.name).order_by(Unit.id))]
        categories = [Choice(i, n, a) for i, n, a in s.execute(
            select(ThreatCategory.id, ThreatCategory.name, ThreatCategory.active)
            .order_by(ThreatCategory.sort_order, ThreatCategory.id))]
        statuses = [Choice(i, n, a) for i, n, a in s.execute(
            select(ThreatStatus.id, ThreatStatus.name, ThreatStatus.active)
            .order_by(ThreatStatus.sort_order, ThreatStatus.id))]
        beats = [BeatChoice(i, u, f"{number} {name}".strip()) for i, number, name, u in s.execute(
            select(Beat.id, Beat.number, Beat.name, Beat.unit_id).order_by(Beat.unit_id, Beat.id))]
    return MapData(units, [], categories, statuses, beats, {})


REPORTS_FILE = "reports.bin"  # next to data.js: the block of typed columns, fetched as binary


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
    return data.reports.raw() if data.reports is not None else b""
