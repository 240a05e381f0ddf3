"""What a printed map holds (Qt-free): the view's extent, beats, the filtered reports, the
legend, the scale bar and the sources. ``desktop.map.ui.print_map`` paints it.

The print is drawn from the database, not photographed from the screen: outlines stay
vector lines in the PDF at any paper size, and it works the same with no display.
Coordinates are Web Mercator metres (EPSG:3857) like the screen map, so the extent on paper
is the extent on screen (widened to the frame's proportions).
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from db.engine import Database
from db.models import Beat, Gmina, ThreatCategory, ThreatReport, ThreatStatus, Unit
from desktop.map.data import ReportFilter, filter_reports

PAPERS_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
EARTH_RADIUS = 6378137.0
MAX_REPORTS = 300_000  # drawn points; more are counted, not drawn
MAX_LEGEND = 14
NICE_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class MapPrintOptions:
    title: str
    paper: str = "A4"
    landscape: bool = True
    bounds: tuple[float, float, float, float] | None = None  # west, south, east, north (°)
    flt: ReportFilter = field(default_factory=ReportFilter)
    colour_by: str = "unit"
    basemap_note: str = ""  # the basemap's attribution, when one is drawn
    mbtiles_path: str = ""

    @property
    def paper_mm(self) -> tuple[float, float]:
        short, long_ = PAPERS_MM[self.paper]
        return (long_, short) if self.landscape else (short, long_)


@dataclass(frozen=True)
class PrintBeat:
    number: str
    rings: list[np.ndarray]  # each an (n, 2) array of Web Mercator metres
    colour: int  # palette index (the screen's unit / gmina colour), -1 = grey
    label_at: tuple[float, float]


@dataclass(frozen=True)
class MapPrintData:
    options: MapPrintOptions
    extent: tuple[float, float, float, float]  # Web Mercator, before fitting to the frame
    beats: list[PrintBeat]
    report_x: np.ndarray
    report_y: np.ndarray
    reports_in_view: int
    legend: list[tuple[int, str]]  # palette index, unit or gmina name
    filter_lines: list[str]
    sources: list[str]
    generated: dt.datetime


def mercator(lon: np.ndarray | float, lat: np.ndarray | float):
    """WGS84 degrees -> Web Mercator metres (the screen map's projection)."""
    x = np.radians(lon) * EARTH_RADIUS
    y = np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85.0511, 85.0511)) / 2)) * EARTH_RADIUS
    return x, y


def inverse_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)


def fit_extent(extent: tuple[float, float, float, float], width: float,
               height: float) -> tuple[float, float, float, float]:
    """Widen ``extent`` (minx, miny, maxx, maxy) to the frame's proportions, same centre."""
    minx, miny, maxx, maxy = extent
    w, h = max(maxx - minx, 1.0), max(maxy - miny, 1.0)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if w / h < width / height:
        w = h * width / height
    else:
        h = w * height / width
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def ground_metres_per_unit(extent: tuple[float, float, float, float]) -> float:
    """Ground metres per Web Mercator metre at the extent's centre latitude."""
    return math.cos(math.radians(inverse_lat((extent[1] + extent[3]) / 2)))


def scale_bar(ground_m_per_mm: float, max_mm: float) -> tuple[float, float, str]:
    """A round length that fits ``max_mm``: (ground metres, millimetres, label)."""
    target = ground_m_per_mm * max_mm
    exp = 10 ** math.floor(math.log10(max(target, 1e-9)))
    length = exp
    for base in NICE_STEPS:
        if base * exp <= target:
            length = base * exp
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    return length, length / ground_m_per_mm, label


def scale_ratio(ground_m_per_mm: float) -> str:
    """"1 : 25 000" for the paper scale."""
    ratio = round(ground_m_per_mm * 1000, -1 if ground_m_per_mm < 10 else -2)
    return "1 : " + f"{int(ratio):,}".replace(",", " ")


def _rings(geometry: dict) -> list[np.ndarray]:
    polys = ([geometry["coordinates"]] if geometry.get("type") == "Polygon"
             else geometry.get("coordinates", []) if geometry.get("type") == "MultiPolygon"
             else [])
    out = []
    for poly in polys:
        for ring in poly:
            arr = np.asarray(ring, dtype=float)
            if arr.ndim == 2 and len(arr) >= 3:
                x, y = mercator(arr[:, 0], arr[:, 1])
                out.append(np.column_stack([x, y]))
    return out


def _names(ids: tuple[int, ...] | None, rows: dict[int, str], everything: str) -> str:
    if ids is None:
        return everything
    names = [rows[i] for i in ids if i in rows]
    return ", ".join(names) if names else "żadne"


def collect(db: Database, options: MapPrintOptions, on: dt.date | None = None) -> MapPrintData:
    """Everything to draw, read in one short session."""
    on = on or dt.date.today()
    flt = options.flt
    with db.session() as s:
        units = list(s.execute(select(Unit.id, Unit.name).order_by(Unit.id)))
        gminas = list(s.execute(select(Gmina.id, Gmina.name).order_by(Gmina.id)))
        cats = {i: n for i, n in s.execute(select(ThreatCategory.id, ThreatCategory.name))}
        stats = {i: n for i, n in s.execute(select(ThreatStatus.id, ThreatStatus.name))}
        q = select(Beat.id, Beat.number, Beat.unit_id, Beat.gmina_id, Beat.boundary).where(
            Beat.boundary.is_not(None), Beat.retired_on.is_(None) | (Beat.retired_on > on))
        if flt.unit_id is not None:
            q = q.where(Beat.unit_id == flt.unit_id)
        if flt.beat_id is not None:
            q = q.where(Beat.id == flt.beat_id)
        beat_rows = list(s.execute(q.order_by(Beat.unit_id, Beat.number)))
        rq = filter_reports(select(ThreatReport.lon, ThreatReport.lat), flt)
        if options.bounds is not None:
            west, south, east, north = options.bounds
            rq = rq.where(ThreatReport.lon.between(west, east),
                          ThreatReport.lat.between(south, north))
        points = s.execute(rq.limit(MAX_REPORTS + 1)).all()
    by_unit = options.colour_by != "gmina"
    index = {row[0]: i for i, row in enumerate(units if by_unit else gminas)}
    names = dict(units if by_unit else gminas)
    beats = []
    used: dict[int, str] = {}
    for _bid, number, unit_id, gmina_id, boundary in beat_rows:
        key = unit_id if by_unit else gmina_id
        rings = _rings(json.loads(boundary or "{}"))
        if not rings:
            continue
        colour = index.get(key, -1) if key is not None else -1
        if colour >= 0 and key is not None:
            used[colour] = names[key]
        outer = rings[0]
        beats.append(PrintBeat(str(number), rings, colour,
                               (float(outer[:, 0].mean()), float(outer[:, 1].mean()))))
    lon = np.fromiter((p[0] for p in points[:MAX_REPORTS]), float)
    lat = np.fromiter((p[1] for p in points[:MAX_REPORTS]), float)
    rx, ry = mercator(lon, lat)
    if options.bounds is not None:
        x0, y0 = mercator(options.bounds[0], options.bounds[1])
        x1, y1 = mercator(options.bounds[2], options.bounds[3])
        extent = (float(x0), float(y0), float(x1), float(y1))
    elif beats:
        allxy = np.vstack([r for b in beats for r in b.rings])
        extent = (float(allxy[:, 0].min()), float(allxy[:, 1].min()),
                  float(allxy[:, 0].max()), float(allxy[:, 1].max()))
    else:
        x0, y0 = mercator(18.1, 52.15)
        x1, y1 = mercator(18.4, 52.3)
        extent = (float(x0), float(y0), float(x1), float(y1))
    period = ("cały okres" if flt.date_from is None and flt.date_to is None else
              f"{flt.date_from:%d.%m.%Y}" if flt.date_from else "…")
    if flt.date_from is not None or flt.date_to is not None:
        period += f" – {flt.date_to:%d.%m.%Y}" if flt.date_to else " – …"
    filter_lines = [
        f"Kategorie: {_names(flt.categories, cats, 'wszystkie')}",
        f"Statusy: {_names(flt.statuses, stats, 'wszystkie')}",
        f"Okres: {period}",
    ]
    sources = ["Granice rejonów i jednostek: baza programu „Razem dla bezpieczeństwa”",
               "Zgłoszenia: Krajowa Mapa Zagrożeń Bezpieczeństwa (KMZB)"]
    if options.basemap_note:
        sources.append(f"Podkład: {options.basemap_note}")
    legend = sorted(used.items(), key=lambda kv: kv[1])[:MAX_LEGEND]
    return MapPrintData(options, extent, beats, rx, ry, len(points), legend, filter_lines,
                        sources, dt.datetime.now().replace(microsecond=0))
