"""Table cell borders drawn once per page as filled strips instead of by Qt, edge by edge.

Qt paints every collapsed cell border on its own and, for each edge, reads the formats of
the cell, its neighbours and the table again: for the 48 beat summaries that was more than a
third of the painting. A top-level table whose cells all have the same solid, opaque border
(the ``td, th`` rule of the printed documents) is taken over before its first layout: the
cells keep the border's width, which the layout reserves as before (the same lines, rows
and pages), but get the border style "none", so that Qt paints nothing there. After the
layout (and after rows were moved to keep them whole), :func:`grid_rects` gives the border
strips of every page, where Qt drew them, and the renderer fills them, one call per colour
and page; the header rows Qt repeats on a page a table continues on get theirs too.

Other tables (borders that differ between cells, spaced cells, a border on the table itself,
cells spanning rows, nested tables) are left to Qt.
"""
from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QRectF
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextTable,
    QTextTableCell,
    QTextTableCellFormat,
)

DEFAULT_DPI = 96  # the document's pixel, as for images and CSS lengths in Qt
# the border a taken-over table had, kept in its format (copied with it when a table is split)
BORDER_WIDTH = QTextFormat.Property.UserProperty + 41
BORDER_COLOR = QTextFormat.Property.UserProperty + 42

_WIDTHS = (QTextFormat.Property.TableCellTopBorder, QTextFormat.Property.TableCellBottomBorder,
           QTextFormat.Property.TableCellLeftBorder, QTextFormat.Property.TableCellRightBorder)
_STYLES = (QTextFormat.Property.TableCellTopBorderStyle,
           QTextFormat.Property.TableCellBottomBorderStyle,
           QTextFormat.Property.TableCellLeftBorderStyle,
           QTextFormat.Property.TableCellRightBorderStyle)
_BRUSHES = (QTextFormat.Property.TableCellTopBorderBrush,
            QTextFormat.Property.TableCellBottomBorderBrush,
            QTextFormat.Property.TableCellLeftBorderBrush,
            QTextFormat.Property.TableCellRightBorderBrush)
_PADDINGS = (QTextFormat.Property.TableCellTopPadding,
             QTextFormat.Property.TableCellBottomPadding,
             QTextFormat.Property.TableCellLeftPadding,
             QTextFormat.Property.TableCellRightPadding)
_SOLID = int(QTextFrameFormat.BorderStyle.BorderStyle_Solid.value)
_NONE = QTextFrameFormat.BorderStyle.BorderStyle_None


def _rows(table: QTextTable) -> list[list[QTextTableCell]] | None:
    """The cells of each row, left to right (a spanning cell once); None when a cell spans
    rows (left to Qt)."""
    out = []
    columns = table.columns()
    for row in range(table.rows()):
        cells = []
        column = 0
        while column < columns:
            cell = table.cellAt(row, column)
            if cell.rowSpan() != 1:
                return None
            cells.append(cell)
            column += max(1, cell.columnSpan())
        out.append(cells)
    return out


def _edge(fmt: QTextFormat) -> tuple[float, int] | None:
    """(width, ARGB colour) when the four edges of a cell format have the same solid,
    opaque border."""
    found: tuple[float, int] | None = None
    for width_p, style_p, brush_p in zip(_WIDTHS, _STYLES, _BRUSHES, strict=True):
        if fmt.intProperty(style_p) != _SOLID or not fmt.hasProperty(brush_p):
            return None
        edge = (fmt.doubleProperty(width_p), fmt.brushProperty(brush_p).color().rgba())
        if edge[0] <= 0 or edge[1] >> 24 != 255 or (found is not None and edge != found):
            return None
        found = edge
    return found


class _Formats:
    """Per cell format (cells of the same look share one in the document): its border and
    the same format without it, each worked out once."""

    def __init__(self) -> None:
        self.edges: dict[int, tuple[float, int] | None] = {}
        self.stripped: dict[int, QTextTableCellFormat] = {}

    def edge(self, cell: QTextTableCell) -> tuple[float, int] | None:
        index = cell.tableCellFormatIndex()
        if index not in self.edges:
            fmt = cell.format()
            self.edges[index] = _edge(fmt)
            stripped = fmt.toTableCellFormat()
            # no border drawn, the same width kept: the layout does not change
            stripped.setBorderStyle(_NONE)
            self.stripped[index] = stripped
        return self.edges[index]


def _uniform_border(table: QTextTable, rows: list[list[QTextTableCell]],
                    formats: _Formats) -> tuple[float, int] | None:
    """(width, ARGB colour) when every edge of every cell has the same solid border."""
    tf = table.format()
    if not tf.borderCollapse() or tf.border() > 0 or tf.cellSpacing() > 0:
        return None
    edges = {formats.edge(cell) for cells in rows for cell in cells}
    found = edges.pop() if len(edges) == 1 else None
    return found


def take_over_borders(doc: QTextDocument) -> int:
    """Take the uniform cell borders of the document's top-level tables over (Qt no longer
    draws them; the layout stays as it was); returns the number of tables taken over. Meant
    for a document that is not laid out yet (each change would lay it out again)."""
    taken = 0
    formats = _Formats()
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    try:
        for frame in doc.rootFrame().childFrames():
            if isinstance(frame, QTextTable) and not frame.childFrames():
                taken += _take_over(frame, formats)
    finally:
        cursor.endEditBlock()
    return taken


def _take_over(table: QTextTable, formats: _Formats) -> int:
    rows = _rows(table)
    border = _uniform_border(table, rows, formats) if rows else None
    if rows is None or border is None:
        return 0
    width, color = border
    for cells in rows:
        for cell in cells:
            cell.setFormat(formats.stripped[cell.tableCellFormatIndex()])
    tf = table.format()
    tf.setProperty(BORDER_WIDTH, width)
    tf.setProperty(BORDER_COLOR, QColor.fromRgba(color).name(QColor.NameFormat.HexArgb))
    table.setFormat(tf)
    return 1


def grid_rects(doc: QTextDocument) -> dict[int, dict[int, list[QRectF]]]:
    """After the layout: page -> ARGB colour -> the border strips to fill on that page
    (document coordinates; a page's body starts at ``page × page height``)."""
    height = doc.pageSize().height()
    layout = doc.documentLayout()
    device = layout.paintDevice()
    scale = device.logicalDpiY() / DEFAULT_DPI if device is not None else 1.0
    out: dict[int, dict[int, list[QRectF]]] = defaultdict(lambda: defaultdict(list))
    for frame in doc.rootFrame().childFrames():
        if isinstance(frame, QTextTable) and frame.format().hasProperty(BORDER_WIDTH):
            _table_strips(frame, layout, height, scale, out)
    return out


def _page(y: float, height: float) -> int:
    return int((y + 0.5) // height) if height > 0 else 0


def _table_strips(table: QTextTable, layout: QAbstractTextDocumentLayout, height: float,
                  scale: float, out: dict[int, dict[int, list[QRectF]]]) -> None:
    tf = table.format()
    width = tf.doubleProperty(BORDER_WIDTH) * scale
    color = QColor(tf.stringProperty(BORDER_COLOR)).rgba()
    rows = _rows(table)
    assert rows is not None  # taken over: no row spans
    columns = table.columns()

    def top_left(cell: QTextTableCell) -> tuple[float, float]:
        """Where the cell's padding begins (its first block's place less the padding)."""
        fmt = cell.format().toTableCellFormat()
        rect = layout.blockBoundingRect(cell.firstCursorPosition().block())
        return rect.top() - fmt.topPadding() * scale, rect.left() - fmt.leftPadding() * scale

    def bottom(cells: list[QTextTableCell]) -> float:
        return max(layout.blockBoundingRect(c.lastCursorPosition().block()).bottom()
                   + c.format().toTableCellFormat().bottomPadding() * scale for c in cells)

    lefts = [0.0] * columns
    known = [False] * columns
    tops = []
    for cells in rows:
        for i, cell in enumerate(cells):
            if i == 0 or not known[cell.column()]:
                top, left = top_left(cell)
                if i == 0:
                    tops.append(top)
                lefts[cell.column()], known[cell.column()] = left, True
        if all(known):
            break
    for cells in rows[len(tops):]:
        tops.append(top_left(cells[0])[0])
    # Qt keeps each collapsed border before the cell's padding (above it, left of it); the
    # table's right and bottom edges after the last column and row
    frame = layout.frameBoundingRect(table)
    xs = [x - width for x in lefts[:columns]] + [frame.right() - 2 * width]
    pages = [_page(t, height) for t in tops]
    # a row's bottom: the next row's top on the same page, else its own cells' bottom
    bottoms = [tops[r + 1] - width if r + 1 < len(rows) and pages[r + 1] == pages[r]
               else bottom(cells) for r, cells in enumerate(rows)]
    last = len(rows) - 1
    full = xs[columns] + width - xs[0]

    def strips(page: int, r: int, shift: float, closing: bool) -> None:
        into = out[page][color]
        top, end = tops[r] + shift - width, bottoms[r] + shift
        into.append(QRectF(xs[0], top, full, width))
        for cell in rows[r]:
            into.append(QRectF(xs[cell.column()], top, width, end + width - top))
        into.append(QRectF(xs[columns], top, width, end + width - top))
        if r == last or closing:  # the table's end, or the last row before a page break
            into.append(QRectF(xs[0], end, full, width))

    for r in range(len(rows)):
        strips(pages[r], r, 0.0, r < last and pages[r + 1] != pages[r])
    # the header rows Qt repeats on each page the table continues on
    head = min(tf.headerRowCount(), len(rows) - 1)
    seen = {pages[0]}
    for r in range(head, len(rows)):
        if pages[r] not in seen:
            seen.add(pages[r])
            shift = tops[r] - (bottoms[head - 1] + width - tops[0]) - tops[0]
            for h in range(head):
                strips(pages[r], h, shift, False)
