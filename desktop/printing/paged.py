"""Render a ``PagedDocument`` onto A4 pages with a header, a footer and "Strona X z Y".

Documents are described by Qt-free modules (:mod:`desktop.common.document`); this module
only lays them out. Tables whose QTextTableFormat has header rows (``<thead>`` in the HTML)
repeat them on every page.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractEventDispatcher, QEventLoop, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextOption,
)

import resources
from desktop.common.document import Orientation, PagedDocument, footer_text
from desktop.common.gcpause import gc_paused
from desktop.common.ui.i18n import translator
from desktop.printing.grid import grid_rects, take_over_borders
from desktop.printing.rows import keep_rows_together
from desktop.printing.svgimages import SVG_PREFIX, draw_svg_as_vectors

FONT_FAMILY = "DejaVu Sans"
_fonts_loaded = False
_cli_app: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """Fonts and QPdfWriter need a QGuiApplication; the command line has none. Without a
    display (Linux server, CI) the offscreen platform is used."""
    global _cli_app
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _cli_app = QGuiApplication(sys.argv[:1])


def ensure_fonts() -> str:
    """Register the shipped fonts once; returns the family name to use."""
    global _fonts_loaded
    if not _fonts_loaded:
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            QFontDatabase.addApplicationFont(str(resources.path("fonts", name)))
        _fonts_loaded = True
    return FONT_FAMILY


_ORIENTATION = {
    Orientation.PORTRAIT: QPageLayout.Orientation.Portrait,
    Orientation.LANDSCAPE: QPageLayout.Orientation.Landscape,
}


BASE_CSS = """
body { font-family: 'DejaVu Sans'; font-size: 9pt; color: #000; }
h1 { font-size: 15pt; margin: 0 0 4pt 0; }
h2 { font-size: 12pt; margin: 10pt 0 4pt 0; }
h3 { font-size: 10pt; margin: 8pt 0 3pt 0; }
table { border-collapse: collapse; }
th { background-color: #e6e6e6; font-weight: bold; text-align: left; }
td, th { padding: 3pt; border: 1px solid #555; vertical-align: top; }
.muted { color: #555; }
.right { text-align: right; }
"""


_tr = translator("printing")


def _blank_document(family: str, css: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(QFont(family, 9))
    # Break lines between words only: a narrow column grows to its longest word instead of
    # cutting it ("przedsiębiorst wo").
    option = doc.defaultTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    doc.setDefaultTextOption(option)
    doc.setDefaultStyleSheet(css)
    return doc


def build_document(html: str, css: str = "", device: QPagedPaintDevice | None = None,
                   page_size: QSizeF | None = None, own_grid: bool = False) -> QTextDocument:
    """The document laid out once: for the device's resolution and page body when given.

    ``own_grid``: uniform table borders are left to the caller, who fills
    :func:`desktop.printing.grid.grid_rects` after drawing each page (the same pages, a
    fraction of Qt's time)."""
    family = ensure_fonts()
    doc = _blank_document(family, BASE_CSS + css)
    if device is not None:
        doc.documentLayout().setPaintDevice(device)
    if SVG_PREFIX in html:
        draw_svg_as_vectors(doc)  # not rasterised and compressed per picture
    if page_size is not None:
        doc.setPageSize(page_size)
    if own_grid:
        # read and changed in a document without a layout (every change to a laid-out
        # document lays it out again), then copied in: laid out once, borders taken over
        scratch = _blank_document(family, BASE_CSS + css)
        scratch.setHtml(html)
        take_over_borders(scratch)
        QTextCursor(doc).insertFragment(QTextDocumentFragment(scratch))
    else:
        doc.setHtml(html)
    return doc


Numbering = Callable[[int], tuple[int, int]]


def paint_document(device: QPagedPaintDevice, document: PagedDocument,
                   step: Callable[[int, int], None] | None = None,
                   numbering: Numbering | None = None) -> int:
    """Lay the document out on the device's pages (PDF writer or printer). Returns page count.

    ``step(done, total)`` is called after each part is laid out and each page is painted (a
    worker reports progress and checks for cancel there; it may raise to stop).
    ``numbering(pages)``, when given, is called once the document is laid out and returns
    (pages before this one, pages in all) for "Strona X z Y": a document printed in pieces."""
    with gc_paused():  # the layout makes many short-lived wrappers (see gcpause)
        return _paint_document(device, document, step, numbering)


def ensure_event_dispatcher() -> None:
    """Give a worker thread (a job's plain Python thread) a Qt event dispatcher. The text
    layout of a long document starts a timer for lazy layout; without a dispatcher Qt prints
    "QBasicTimer::start: current thread's event dispatcher has already been destroyed" for
    every such document. The timer never fires (nothing is lazy here: the page count finishes
    every layout), so an idle dispatcher is all that is needed."""
    if QAbstractEventDispatcher.instance() is None:
        QEventLoop()  # creating a loop creates the thread's dispatcher (kept by the thread)


def _paint_document(device: QPagedPaintDevice, document: PagedDocument,
                    step: Callable[[int, int], None] | None,
                    numbering: Numbering | None = None) -> int:
    started = time.monotonic()
    ensure_event_dispatcher()
    family = ensure_fonts()
    decor = document.decor
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     _ORIENTATION[decor.orientation],
                                     QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter))
    dpi = device.logicalDpiY()
    page_w = device.width()
    page_h = device.height()
    line = int(dpi * 0.2)  # header/footer band
    body = QRectF(0, line * 1.6, page_w, page_h - line * 3.2)
    size = QSizeF(body.width(), body.height())
    parts = ([f"<html><body>{part}</body></html>" for part in document.sections]
             if document.sections else [document.html])
    docs = []
    grids = []
    for part in parts:
        doc = build_document(part, document.css, device, size, own_grid=True)
        keep_rows_together(doc)  # Qt would split table rows across pages
        docs.append(doc)
        grids.append(grid_rects(doc))
        if step is not None:
            step(len(docs), 2 * len(parts))
    # (document, page within it) for every printed page; each part starts a new page
    sheets = [(doc, grid, page) for doc, grid in zip(docs, grids, strict=True)
              for page in range(max(1, doc.pageCount()))]

    pages = len(sheets)
    first, total = numbering(pages) if numbering is not None else (0, pages)
    painter = QPainter()
    if not painter.begin(device):
        raise OSError(_tr("Nie można rozpocząć wydruku (plik zajęty lub drukarka niedostępna)."))
    try:
        small = QFont(family, 7)
        for number, (doc, grid, page) in enumerate(sheets):
            if number:
                device.newPage()
            painter.setFont(small)
            painter.setPen(Qt.GlobalColor.black)
            painter.drawText(QRectF(0, 0, page_w, line), Qt.AlignmentFlag.AlignLeft,
                             decor.header_left)
            painter.drawText(QRectF(0, 0, page_w, line), Qt.AlignmentFlag.AlignRight,
                             decor.header_right)
            painter.drawLine(0, int(line * 1.1), page_w, int(line * 1.1))
            footer = QRectF(0, page_h - line, page_w, line)
            painter.drawLine(0, int(page_h - line * 1.2), page_w, int(page_h - line * 1.2))
            painter.drawText(footer, Qt.AlignmentFlag.AlignLeft, footer_text(decor))
            painter.drawText(footer, Qt.AlignmentFlag.AlignRight,
                             _tr("Strona {0} z {1}").format(first + number + 1, total))
            painter.save()
            painter.translate(body.left(), body.top() - page * body.height())
            clip = QRectF(0, page * body.height(), body.width(), body.height())
            painter.setClipRect(clip)
            doc.drawContents(painter, clip)
            painter.setPen(Qt.PenStyle.NoPen)
            for color, strips in grid.get(page, {}).items():
                painter.setBrush(QColor.fromRgba(color))
                painter.drawRects(strips)
            painter.restore()
            if step is not None:
                step(len(parts) + (number + 1) * len(parts) // pages, 2 * len(parts))
    finally:
        painter.end()
    kind = "PDF" if isinstance(device, QPdfWriter) else "drukarka"
    logging.getLogger("razem.printing").info("Wydruk „%s” (%s): %d stron w %.2f s",
                                             decor.header_left, kind, pages,
                                             time.monotonic() - started)
    return pages


def write_pdf(path: str | Path, document: PagedDocument,
              step: Callable[[int, int], None] | None = None,
              numbering: Numbering | None = None) -> int:
    """Write the document to a PDF file (A4, fonts embedded). Returns the page count.

    Needs a QGuiApplication; code without one calls ``desktop.common.document.render_pdf``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setCreator("Razem")
    if document.title:
        writer.setTitle(document.title)
    return paint_document(writer, document, step, numbering)
