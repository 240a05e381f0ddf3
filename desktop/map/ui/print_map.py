"""Paint a ``MapPrintData`` (desktop.map.printmap) on a page: title, the map in a frame
(basemap tiles from the MBTiles file, beats in the screen's colours, reports), legend, scale
bar, north arrow, the filter, data sources, date and the sample marking. The same function
draws the print preview, the printer and the PDF."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QPolygonF,
)

from desktop.common.document import PageDecor, footer_text
from desktop.common.ui.i18n import translator
from desktop.map import tiles
from desktop.map.basemap import EARTH_HALF, TILE_SIZE, mercator_bounds
from desktop.map.printmap import (
    MapPrintData,
    fit_extent,
    ground_metres_per_unit,
    scale_bar,
    scale_ratio,
)
from desktop.printing.paged import ensure_fonts, ensure_gui_application

_tr = translator("mapprint")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173",
           "#3182bd", "#e6550d")  # the screen map's palette (resources/web/razem/map.js)
REPORT_COLOUR = "#c62828"
MAX_TILES = 400
TILE_DPI = 150


def page_size(data: MapPrintData) -> QPageSize:
    return QPageSize(QPageSize.PageSizeId.A3 if data.options.paper == "A3"
                     else QPageSize.PageSizeId.A4)


def _colour(index: int) -> QColor:
    return QColor("#9e9e9e" if index < 0 else PALETTE[index % len(PALETTE)])


class _Page:
    """Millimetres to device pixels for one painter."""

    def __init__(self, painter: QPainter, width_mm: float, height_mm: float):
        device = painter.device()
        self.painter = painter
        self.k = device.width() / width_mm
        self.width_mm, self.height_mm = width_mm, height_mm

    def r(self, x: float, y: float, w: float, h: float) -> QRectF:
        return QRectF(x * self.k, y * self.k, w * self.k, h * self.k)

    def font(self, points: float, bold: bool = False) -> QFont:
        font = QFont(ensure_fonts())
        # point sizes are physical: 1 pt = 0.3528 mm
        font.setPixelSize(max(1, round(points * 0.3528 * self.k)))
        font.setBold(bold)
        font.setFeature(QFont.Tag("liga"), 0)  # "fi" stays two letters: the PDF is searchable
        return font


def paint_map(painter: QPainter, data: MapPrintData) -> None:
    """Draw the whole page on ``painter`` (whose device is the page, margins zero)."""
    width_mm, height_mm = data.options.paper_mm
    pg = _Page(painter, width_mm, height_mm)
    p = painter
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = 10.0
    title_h = 13.0
    foot_h = 24.0
    frame_mm = (margin, margin + title_h, width_mm - 2 * margin,
                height_mm - 2 * margin - title_h - foot_h)
    frame = pg.r(*frame_mm)
    # title and date
    p.setPen(QColor("#000000"))
    p.setFont(pg.font(15, bold=True))
    p.drawText(pg.r(margin, margin, frame_mm[2] - 60, title_h - 3),
               Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, data.options.title)
    p.setFont(pg.font(9))
    p.drawText(pg.r(width_mm - margin - 60, margin, 60, title_h - 3),
               Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
               _tr("Stan na {0}").format(data.generated.strftime("%d.%m.%Y %H:%M")))
    extent = fit_extent(data.extent, frame_mm[2], frame_mm[3])
    minx, miny, maxx, maxy = extent

    def to_px(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (frame.left() + (x - minx) / (maxx - minx) * frame.width(),
                frame.top() + (maxy - y) / (maxy - miny) * frame.height())

    p.save()
    p.setClipRect(frame)
    p.fillRect(frame, QColor("#f4f4f0"))
    _draw_tiles(p, data, extent, frame, frame_mm[2])
    _draw_beats(p, pg, data, to_px)
    _draw_reports(p, pg, data, to_px)
    p.restore()
    p.setPen(QPen(QColor("#000000"), 0.3 * pg.k))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(frame)
    ground_per_mm = (maxx - minx) * ground_metres_per_unit(extent) / frame_mm[2]
    _draw_north_arrow(p, pg, frame_mm[0] + 6, frame_mm[1] + 5)
    _draw_scale(p, pg, ground_per_mm, frame_mm[0] + 4, frame_mm[1] + frame_mm[3] - 4)
    _draw_legend(p, pg, data, frame_mm)
    _draw_footer(p, pg, data, margin, frame_mm[1] + frame_mm[3] + 2, width_mm - 2 * margin,
                 ground_per_mm)


def _draw_tiles(p: QPainter, data: MapPrintData, extent, frame: QRectF,
                frame_w_mm: float) -> None:
    path = data.options.mbtiles_path
    if not path:
        return
    try:
        info = tiles.read_info(path)
    except tiles.MBTilesError:
        return
    minx, miny, maxx, maxy = extent
    wanted_px = frame_w_mm / 25.4 * TILE_DPI
    z = round(math.log2(max(wanted_px * 2 * EARTH_HALF / (TILE_SIZE * (maxx - minx)), 1)))
    if info.max_zoom is not None:
        z = min(z, info.max_zoom)
    if info.min_zoom is not None:
        z = max(z, info.min_zoom)
    size = 2 * EARTH_HALF / (1 << z)
    while True:
        x0, x1 = int((minx + EARTH_HALF) // size), int((maxx + EARTH_HALF) // size)
        y0, y1 = int((EARTH_HALF - maxy) // size), int((EARTH_HALF - miny) // size)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= MAX_TILES or z == 0:
            break
        z -= 1
        size *= 2
    n = 1 << z
    for x in range(max(x0, 0), min(x1, n - 1) + 1):
        for y in range(max(y0, 0), min(y1, n - 1) + 1):
            blob = tiles.read_tile(path, z, x, y)
            if not blob:
                continue
            image = QImage.fromData(blob)
            if image.isNull():
                continue
            tx0, ty0, tx1, ty1 = mercator_bounds(z, x, y)
            left = frame.left() + (tx0 - minx) / (maxx - minx) * frame.width()
            right = frame.left() + (tx1 - minx) / (maxx - minx) * frame.width()
            top = frame.top() + (maxy - ty1) / (maxy - miny) * frame.height()
            bottom = frame.top() + (maxy - ty0) / (maxy - miny) * frame.height()
            p.drawImage(QRectF(left, top, right - left, bottom - top), image)


def _draw_beats(p: QPainter, pg: _Page, data: MapPrintData, to_px) -> None:
    outline = QPen(QColor("#37474f"), 0.25 * pg.k)
    p.setFont(pg.font(7, bold=True))
    for beat in data.beats:
        path = QPainterPath()
        for ring in beat.rings:
            xs, ys = to_px(ring[:, 0], ring[:, 1])
            path.addPolygon(QPolygonF([QPointF(float(a), float(b)) for a, b in zip(xs, ys)]))
            path.closeSubpath()
        fill = _colour(beat.colour)
        fill.setAlphaF(0.32)
        p.setPen(outline)
        p.setBrush(QBrush(fill))
        p.drawPath(path)
    p.setPen(QColor("#102027"))
    for beat in data.beats:
        lx, ly = to_px(np.array([beat.label_at[0]]), np.array([beat.label_at[1]]))
        p.drawText(QRectF(float(lx[0]) - 6 * pg.k, float(ly[0]) - 2.5 * pg.k, 12 * pg.k, 5 * pg.k),
                   Qt.AlignmentFlag.AlignCenter, beat.number)


def _draw_reports(p: QPainter, pg: _Page, data: MapPrintData, to_px) -> None:
    if not len(data.report_x):
        return
    xs, ys = to_px(data.report_x, data.report_y)
    radius = (0.7 if len(xs) < 5000 else 0.45 if len(xs) < 50000 else 0.3) * pg.k
    p.setPen(QPen(QColor("#ffffff"), 0.12 * pg.k) if len(xs) < 5000 else Qt.PenStyle.NoPen)
    p.setBrush(QColor(REPORT_COLOUR))
    for x, y in zip(xs.tolist(), ys.tolist()):
        p.drawEllipse(QPointF(x, y), radius, radius)


def _draw_north_arrow(p: QPainter, pg: _Page, x: float, y: float) -> None:
    p.setPen(QPen(QColor("#000000"), 0.25 * pg.k))
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(pg.r(x - 5, y - 3, 10, 17), 1 * pg.k, 1 * pg.k)
    arrow = QPolygonF([QPointF(x * pg.k, (y + 4) * pg.k), QPointF((x + 3) * pg.k, (y + 12) * pg.k),
                       QPointF(x * pg.k, (y + 10) * pg.k), QPointF((x - 3) * pg.k, (y + 12) * pg.k)])
    p.setBrush(QColor("#000000"))
    p.drawPolygon(arrow)
    p.setFont(pg.font(8, bold=True))
    p.drawText(pg.r(x - 4, y - 2.5, 8, 6), Qt.AlignmentFlag.AlignCenter, "N")


def _draw_scale(p: QPainter, pg: _Page, ground_per_mm: float, x: float, bottom: float) -> None:
    _, length_mm, label = scale_bar(ground_per_mm, 40.0)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(255, 255, 255, 220))
    p.drawRect(pg.r(x - 1, bottom - 9, length_mm + 18, 10))
    p.setPen(QPen(QColor("#000000"), 0.3 * pg.k))
    half = length_mm / 2
    p.setBrush(QColor("#000000"))
    p.drawRect(pg.r(x, bottom - 3, half, 1.6))
    p.setBrush(QColor("#ffffff"))
    p.drawRect(pg.r(x + half, bottom - 3, half, 1.6))
    p.setFont(pg.font(7))
    p.drawText(pg.r(x - 2, bottom - 8.5, 4, 4), Qt.AlignmentFlag.AlignCenter, "0")
    p.drawText(pg.r(x + length_mm - 10, bottom - 8.5, 20, 4), Qt.AlignmentFlag.AlignCenter, label)


def _draw_legend(p: QPainter, pg: _Page, data: MapPrintData, frame_mm) -> None:
    by_gmina = data.options.colour_by == "gmina"
    lines = [(-2, _tr("Zgłoszenia KMZB w widoku: {0}").format(
        f"{data.reports_in_view:,}".replace(",", " ")))]
    lines += [(colour, name) for colour, name in data.legend]
    width, row = 68.0, 4.6
    height = 9 + row * len(lines)
    x = frame_mm[0] + frame_mm[2] - width - 3
    y = frame_mm[1] + 3
    p.setPen(QPen(QColor("#000000"), 0.2 * pg.k))
    p.setBrush(QColor(255, 255, 255, 235))
    p.drawRect(pg.r(x, y, width, height))
    p.setFont(pg.font(8.5, bold=True))
    p.setPen(QColor("#000000"))
    p.drawText(pg.r(x + 2, y + 1, width - 4, 5), Qt.AlignmentFlag.AlignLeft,
               _tr("Legenda – rejony według gmin") if by_gmina
               else _tr("Legenda – rejony według jednostek"))
    p.setFont(pg.font(7.5))
    for i, (colour, name) in enumerate(lines):
        top = y + 7 + i * row
        if colour == -2:
            p.setPen(QPen(QColor("#ffffff"), 0.12 * pg.k))
            p.setBrush(QColor(REPORT_COLOUR))
            p.drawEllipse(QPointF((x + 4.5) * pg.k, (top + 1.8) * pg.k), 1.1 * pg.k, 1.1 * pg.k)
        else:
            fill = _colour(colour)
            fill.setAlphaF(0.5)
            p.setPen(QPen(QColor("#37474f"), 0.2 * pg.k))
            p.setBrush(fill)
            p.drawRect(pg.r(x + 2.5, top, 4, 3.6))
        p.setPen(QColor("#000000"))
        p.drawText(pg.r(x + 8.5, top - 0.4, width - 10, row), Qt.AlignmentFlag.AlignLeft
                   | Qt.AlignmentFlag.AlignVCenter,
                   p.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight,
                                              int((width - 10) * pg.k)))


def _draw_footer(p: QPainter, pg: _Page, data: MapPrintData, x: float, y: float, width: float,
                 ground_per_mm: float) -> None:
    p.setPen(QColor("#000000"))
    p.setFont(pg.font(7.5))
    left = [*data.filter_lines, _tr("Skala ok. {0} (na papierze {1})").format(
        scale_ratio(ground_per_mm), data.options.paper)]
    for i, line in enumerate(left):
        p.drawText(pg.r(x, y + i * 3.6, width / 2 - 2, 3.6), Qt.AlignmentFlag.AlignLeft, line)
    p.drawText(pg.r(x + width / 2, y, width / 2, 3.6), Qt.AlignmentFlag.AlignLeft,
               _tr("Źródła danych:"))
    for i, line in enumerate(data.sources):
        p.drawText(pg.r(x + width / 2, y + (i + 1) * 3.6, width / 2, 3.6),
                   Qt.AlignmentFlag.AlignLeft,
                   p.fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight,
                                              int(width / 2 * pg.k)))
    p.setFont(pg.font(7.5, bold=True))
    p.drawText(pg.r(x, y + 18, width, 4), Qt.AlignmentFlag.AlignLeft,
               footer_text(PageDecor(footer_left=_tr("Wydrukowano {0}, program Razem").format(
                   data.generated.strftime("%d.%m.%Y %H:%M")))))


def setup_device(device: QPagedPaintDevice, data: MapPrintData) -> None:
    device.setPageSize(page_size(data))
    device.setPageOrientation(QPageLayout.Orientation.Landscape if data.options.landscape
                              else QPageLayout.Orientation.Portrait)
    device.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def write_pdf(data: MapPrintData, path: str | Path) -> None:
    """The map page as a one-page PDF (fonts embedded)."""
    ensure_gui_application()
    ensure_fonts()
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setTitle(data.options.title)
    writer.setCreator("Razem")
    setup_device(writer, data)
    painter = QPainter(writer)
    try:
        paint_map(painter, data)
    finally:
        painter.end()
