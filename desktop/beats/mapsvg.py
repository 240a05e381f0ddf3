"""A vector map of a beat and its neighbours as SVG text (Qt-free; no tiles, no network).

Geometry is drawn in PUWG 1992 (EPSG:2180) metres so that the shape is not distorted; the map
has a scale bar and a north arrow. Text from data is XML-escaped.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from desktop.common.geo import PUWG1992, WGS84, from_geojson, reproject

WIDTH, HEIGHT = 1600, 1100
RASTER_SCALE = 0.75
MARGIN = 40


@dataclass(frozen=True)
class MapShape:
    label: str  # the beat number
    boundary: str | None  # GeoJSON, WGS84


class _Projector:
    """WGS84 -> PUWG 1992 (``desktop.common.geo`` keeps one transformer per thread, so
    summaries may be prepared in a worker thread)."""

    def __call__(self, geom: BaseGeometry) -> BaseGeometry:
        return reproject(geom, WGS84, PUWG1992)


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in _polygons(part)]


def _nice_length(metres: float) -> float:
    for step in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if step >= metres:
            return step
    return 100000


def _projected(boundary: str | None, memo: dict[str, BaseGeometry | None]) -> BaseGeometry | None:
    """The outline in PUWG 1992, or None when missing or empty; read and projected once per
    ``memo`` (a unit's summaries share one, so each outline is projected once, not per beat)."""
    if boundary is None:
        return None
    if boundary not in memo:
        geom = from_geojson(boundary)
        memo[boundary] = None if geom is None or geom.is_empty else _Projector()(geom)
    return memo[boundary]


def beat_map_svg(beat: MapShape, neighbours: list[MapShape], width: int = WIDTH,
                 height: int = HEIGHT,
                 projected: dict[str, BaseGeometry | None] | None = None) -> str:
    """SVG of the beat (highlighted) with the neighbouring beats around it. ``projected``
    keeps outlines already projected (pass the same dict for the maps of many beats)."""
    memo: dict[str, BaseGeometry | None] = {} if projected is None else projected
    main_or_none = _projected(beat.boundary, memo)
    if main_or_none is None:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height // 4}">'
                f'<rect width="100%" height="100%" fill="#f4f4f4" stroke="#999"/>'
                f'<text x="{width // 2}" y="{height // 8}" font-family="DejaVu Sans" '
                f'font-size="36" text-anchor="middle" fill="#555">Brak granic rejonu</text></svg>')
    main = main_or_none
    minx, miny, maxx, maxy = main.bounds
    pad = max(maxx - minx, maxy - miny) * 0.25 + 100
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    scale = min((width - 2 * MARGIN) / (maxx - minx), (height - 2 * MARGIN) / (maxy - miny))
    ox = (width - (maxx - minx) * scale) / 2
    oy = (height - (maxy - miny) * scale) / 2

    def xy(x: float, y: float) -> str:
        return f"{ox + (x - minx) * scale:.1f},{oy + (maxy - y) * scale:.1f}"

    def path(g: BaseGeometry) -> str:
        parts = []
        for poly in _polygons(g):
            for ring in [poly.exterior, *poly.interiors]:
                coords = list(ring.coords)
                parts.append("M" + " L".join(xy(x, y) for x, y in coords) + " Z")
        return " ".join(parts)

    view = box(minx, miny, maxx, maxy)
    # Drawn in a 1600-wide coordinate space, rasterised at RASTER_SCALE of it: enough for
    # about 200 dpi on paper, and a unit's summaries stay quick to print and small.
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{int(width * RASTER_SCALE)}" '
           f'height="{int(height * RASTER_SCALE)}" viewBox="0 0 {width} {height}">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
           '<g font-family="DejaVu Sans" text-anchor="middle">']
    labels = []
    for n in neighbours:
        g = _projected(n.boundary, memo)
        if g is None:
            continue
        gx0, gy0, gx1, gy1 = g.bounds
        if gx1 < minx or gx0 > maxx or gy1 < miny or gy0 > maxy:
            continue  # far away: no need to ask GEOS
        if not g.intersects(view):
            continue
        g = g.intersection(view)
        if g.is_empty or not _polygons(g):
            continue
        out.append(f'<path d="{path(g)}" fill="#ececec" stroke="#7a7a7a" stroke-width="2" '
                   'fill-rule="evenodd"/>')
        p = g.representative_point()
        labels.append(f'<text x="{xy(p.x, p.y).split(",")[0]}" y="{xy(p.x, p.y).split(",")[1]}"'
                      f' font-size="{30 if len(n.label) < 4 else 22}" fill="#444">{escape(n.label)}</text>')
    out.append(f'<path d="{path(main)}" fill="#ffd59e" stroke="#b03a2e" stroke-width="6" '
               'fill-rule="evenodd"/>')
    out.extend(labels)
    p = main.representative_point()
    px, py = xy(p.x, p.y).split(",")
    out.append(f'<text x="{px}" y="{py}" font-size="48" font-weight="bold" fill="#7b1f16">'
               f'{escape(beat.label)}</text>')
    out.append("</g>")
    # scale bar (bottom left) and north arrow (top right)
    bar_m = _nice_length((maxx - minx) / 5)
    bar_px = bar_m * scale
    label = f"{bar_m / 1000:g} km" if bar_m >= 1000 else f"{bar_m:g} m"
    y0 = height - MARGIN
    out.append(f'<rect x="{MARGIN}" y="{y0 - 14}" width="{bar_px:.1f}" height="14" '
               'fill="#000"/>')
    out.append(f'<rect x="{MARGIN + bar_px / 2:.1f}" y="{y0 - 14}" width="{bar_px / 2:.1f}" '
               'height="14" fill="#fff" stroke="#000" stroke-width="2"/>')
    out.append(f'<text x="{MARGIN}" y="{y0 - 24}" font-family="DejaVu Sans" font-size="28">'
               f'{label}</text>')
    ax = width - MARGIN - 30
    out.append(f'<path d="M{ax},{MARGIN} L{ax + 22},{MARGIN + 70} L{ax},{MARGIN + 55} '
               f'L{ax - 22},{MARGIN + 70} Z" fill="#000"/>')
    out.append(f'<text x="{ax}" y="{MARGIN + 105}" font-family="DejaVu Sans" font-size="32" '
               'text-anchor="middle">N</text>')
    out.append(f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" fill="none" '
               'stroke="#555" stroke-width="2"/>')
    out.append("</svg>")
    return "\n".join(out)


def overview_svg(shapes: list[MapShape], marked: frozenset[int] | set[int] = frozenset(), width: int = 900,
                 height: int = 620) -> str:
    """All shapes fitted into the picture (import preview); indexes in ``marked`` are drawn
    in red (overlapping or repaired)."""
    projected = []
    project = _Projector()
    for i, s in enumerate(shapes):
        g = from_geojson(s.boundary)
        if g is not None and not g.is_empty:
            projected.append((i, s.label, project(g)))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">',
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff" stroke="#555"/>']
    if not projected:
        out.append("</svg>")
        return "\n".join(out)
    xs = [v for _, _, g in projected for v in (g.bounds[0], g.bounds[2])]
    ys = [v for _, _, g in projected for v in (g.bounds[1], g.bounds[3])]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    span = max(maxx - minx, maxy - miny, 1.0)
    scale = min((width - 2 * MARGIN) / max(maxx - minx, span * 0.01),
                (height - 2 * MARGIN) / max(maxy - miny, span * 0.01))
    ox = (width - (maxx - minx) * scale) / 2
    oy = (height - (maxy - miny) * scale) / 2

    def xy(x: float, y: float) -> tuple[float, float]:
        return ox + (x - minx) * scale, oy + (maxy - y) * scale

    labels = []
    for i, label, g in projected:
        d = " ".join("M" + " L".join("{:.1f},{:.1f}".format(*xy(x, y)) for x, y in ring.coords) + " Z"
                     for poly in _polygons(g) for ring in [poly.exterior, *poly.interiors])
        fill, stroke = ("#f5b7b1", "#c0392b") if i in marked else ("#d6eaf8", "#1f618d")
        out.append(f'<path d="{d}" fill="{fill}" fill-opacity="0.7" stroke="{stroke}" '
                   'stroke-width="2" fill-rule="evenodd"/>')
        p = g.representative_point()
        x, y = xy(p.x, p.y)
        labels.append(f'<text x="{x:.1f}" y="{y:.1f}" font-family="DejaVu Sans" font-size="18" '
                      f'text-anchor="middle">{escape(label)}</text>')
    out.extend(labels)
    out.append("</svg>")
    return "\n".join(out)
