"""Keep table rows whole on paper.

Qt's text layout ignores ``page-break-inside: avoid`` and moves each line of a cell to the
next page on its own, so a row can start at the bottom of one page and end on the next. After
the layout, a row that crosses a page boundary (and fits on one page) is moved: the table is
cut before it, and the rest goes into a new table that starts on the next page with the same
header rows (``<thead>``), column widths and cell formats."""
from __future__ import annotations

from PySide6.QtGui import (
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
    QTextTable,
    QTextTableCell,
)

MAX_MOVES = 2000  # a safety net: one move per page is the usual need


def _row_pages(doc: QTextDocument, table: QTextTable, row: int) -> tuple[int, int]:
    """First and last page on which the row's text lies."""
    height = doc.pageSize().height()
    layout = doc.documentLayout()
    first, last = 1 << 30, -1
    for column in range(table.columns()):
        cell = table.cellAt(row, column)
        block = cell.firstCursorPosition().block()
        end = cell.lastCursorPosition().block()
        while block.isValid():
            top = layout.blockBoundingRect(block).top()
            lines = block.layout()
            for i in range(lines.lineCount()):
                line = lines.lineAt(i)
                first = min(first, int((top + line.y() + 0.5) // height))
                last = max(last, int((top + line.y() + line.height() - 0.5) // height))
            if block == end:
                break
            block = block.next()
    return first, last


def _row_top(doc: QTextDocument, table: QTextTable, row: int) -> float:
    """Where the row's text begins: the highest first line of its cells."""
    layout = doc.documentLayout()
    top = float("inf")
    for column in range(table.columns()):
        block = table.cellAt(row, column).firstCursorPosition().block()
        lines = block.layout()
        y = lines.lineAt(0).y() if lines.lineCount() else 0.0
        top = min(top, layout.blockBoundingRect(block).top() + y)
    return top


def _first_crossing(doc: QTextDocument, table: QTextTable, head: int) -> int | None:
    """The first body row whose text crosses one page boundary (a row taller than a page
    cannot be helped and is passed over). Rows lie one below another, so only the last row
    that begins above each page boundary is looked at (found by bisection), not every row."""
    height = doc.pageSize().height()
    rows = table.rows()
    low = head
    while low < rows:
        boundary = (int((_row_top(doc, table, low) + 0.5) // height) + 1) * height
        a, b = low, rows - 1  # the last row beginning above the boundary
        while a < b:
            mid = (a + b + 1) // 2
            if _row_top(doc, table, mid) + 0.5 < boundary:
                a = mid
            else:
                b = mid - 1
        first, last = _row_pages(doc, table, a)
        if last - first == 1:
            return a
        low = a + 1
    return None


def _copy_cell(source: QTextTableCell, target: QTextTableCell) -> None:
    cursor = source.firstCursorPosition()
    cursor.setPosition(source.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
    target.setFormat(source.format())
    target.firstCursorPosition().insertFragment(cursor.selection())


def _pinned_widths(doc: QTextDocument, table: QTextTable) -> list[QTextLength]:
    """The columns as wide as laid out now (percentages). Qt sizes columns by their longest word, so
    without this removing the moved rows could narrow a column, make a row left behind
    taller and push its last line onto the next page alone."""
    layout = doc.documentLayout()
    lefts = [layout.blockBoundingRect(table.cellAt(0, c).firstCursorPosition().block()).left()
             for c in range(table.columns())]
    frame = layout.frameBoundingRect(table)
    lefts.append(frame.right() - (lefts[0] - frame.left()))
    widths = [b - a for a, b in zip(lefts, lefts[1:], strict=False)]
    total = sum(widths)
    if total <= 0 or any(w <= 0 for w in widths):
        return table.format().columnWidthConstraints()
    return [QTextLength(QTextLength.Type.PercentageLength, 100 * w / total) for w in widths]


def _split(doc: QTextDocument, table: QTextTable, row: int) -> QTextTable:
    """Move rows ``row``… into a new table on the next page (header rows repeated)."""
    head = table.format().headerRowCount()
    widths = _pinned_widths(doc, table)  # measured before anything changes
    fmt = table.format()
    fmt.setColumnWidthConstraints(widths)
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    moved = list(range(head)) + list(range(row, table.rows()))
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()  # one relayout for the whole move, not one per cell
    cursor.setPosition(table.lastPosition() + 1)  # the block after the table
    cursor.insertBlock()
    cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
    new = cursor.insertTable(len(moved), table.columns(), fmt)
    for i, source_row in enumerate(moved):
        for column in range(table.columns()):
            _copy_cell(table.cellAt(source_row, column), new.cellAt(i, column))
    table.removeRows(row, table.rows() - row)
    kept = table.format()
    kept.setColumnWidthConstraints(widths)
    table.setFormat(kept)
    cursor.endEditBlock()
    return new


def keep_rows_together(doc: QTextDocument) -> int:
    """Move every row that crosses a page boundary to the next page; returns the number of
    moves. Needs ``doc.pageSize()`` set (the page body)."""
    if doc.pageSize().height() <= 0:
        return 0
    moves = 0
    index = 0
    # Qt lays long documents out lazily; a change in a half-laid-out document leaves later
    # blocks unpainted. pageCount() finishes the layout, before and after every change.
    doc.pageCount()
    while moves < MAX_MOVES:
        tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
        if index >= len(tables):
            doc.pageCount()
            return moves
        table = tables[index]
        frame = doc.documentLayout().frameBoundingRect(table)
        if int(frame.top() // doc.pageSize().height()) == int(
                (frame.bottom() - 0.5) // doc.pageSize().height()):
            index += 1  # the whole table on one page: no row of it crosses
            continue
        head = table.format().headerRowCount()
        crossing = _first_crossing(doc, table, head)
        if crossing is None:
            index += 1
            continue
        moves += 1
        if crossing == head:  # the first row: start the whole table on the next page
            before = table.format()
            fmt = table.format()
            fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            table.setFormat(fmt)
            doc.pageCount()
            first, last = _row_pages(doc, table, crossing)
            if last != first:  # did not help (the table already began a page): undo
                table.setFormat(before)
                index += 1
            continue
        _split(doc, table, crossing)
        index += 1  # go on with the new table
    return moves
