"""Table borders drawn by the renderer (desktop.printing.grid) instead of Qt: the same layout,
the same pages and the same picture as Qt's own borders (issue #14: beat summaries quickly)."""
from __future__ import annotations

import pytest
from pypdf import PdfReader


def _writer(tmp_path):
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    writer = QPdfWriter(str(tmp_path / "unused.pdf"))
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter))
    line = int(writer.logicalDpiY() * 0.2)
    return writer, QSizeF(writer.width(), writer.height() - line * 3.2)


def _blocks(doc) -> list[tuple[float, float, float, float]]:
    """Every block's place, cells included (the document's blocks in order)."""
    layout = doc.documentLayout()
    out = []
    block = doc.begin()
    while block.isValid():
        r = layout.blockBoundingRect(block)
        out.append((round(r.x(), 3), round(r.y(), 3), round(r.width(), 3), round(r.height(), 3)))
        block = block.next()
    return out


def _beat_documents(sample_db, count: int):
    from desktop.beats.queries import beat_ids_of_unit
    from desktop.beats.summary import beat_document

    return [beat_document(sample_db, [bid]) for bid in beat_ids_of_unit(sample_db, 1)[:count]]


def test_taking_the_borders_over_keeps_the_layout_and_the_pages(sample_db, tmp_path, qapp):
    from desktop.printing.grid import BORDER_WIDTH
    from desktop.printing.paged import build_document
    from desktop.printing.rows import keep_rows_together

    writer, size = _writer(tmp_path)
    taken = 0
    for document in _beat_documents(sample_db, 6):
        qt = build_document(document.html, document.css, writer, size)
        own = build_document(document.html, document.css, writer, size, own_grid=True)
        taken += sum(1 for f in own.rootFrame().childFrames()
                     if f.frameFormat().hasProperty(BORDER_WIDTH))
        assert own.toPlainText() == qt.toPlainText()
        assert _blocks(own) == _blocks(qt)
        assert keep_rows_together(own) == keep_rows_together(qt)
        assert own.pageCount() == qt.pageCount()
        assert _blocks(own) == _blocks(qt)
    assert taken >= 6 * 4  # the summary's tables with borders (not the sign-off block)


def test_a_table_with_other_borders_is_left_to_qt(qapp, tmp_path):
    from desktop.printing.grid import BORDER_WIDTH
    from desktop.printing.paged import build_document

    writer, size = _writer(tmp_path)
    html = ("<table cellspacing='0'><tr><td>a</td><td style='border: 2px solid #f00;'>b</td>"
            "</tr></table><table cellspacing='0' style='border: none;'><tr>"
            "<td style='border: none;'>c</td></tr></table>"
            "<table cellspacing='0'><tr><td>d</td></tr></table>"
            "<table><tr><td>e</td></tr></table>")
    doc = build_document(html, "", writer, size, own_grid=True)
    tables = doc.rootFrame().childFrames()
    # taken over: only the third (the last one has spaced cells)
    assert [t.frameFormat().hasProperty(BORDER_WIDTH) for t in tables] == [False, False, True,
                                                                             False]


def _picture(doc, page: int, grid, dpi: int = 100):
    """One page body painted onto an image, as the renderer paints it (strips after the
    text when ``grid`` is given)."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    size = doc.pageSize()
    scale = dpi / 300
    image = QImage(int(size.width() * scale) + 1, int(size.height() * scale) + 1,
                   QImage.Format.Format_Grayscale8)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.scale(scale, scale)
    painter.translate(0, -page * size.height())
    clip = QRectF(0, page * size.height(), size.width(), size.height())
    painter.setClipRect(clip)
    doc.drawContents(painter, clip)
    if grid is not None:
        painter.setPen(Qt.PenStyle.NoPen)
        for color, strips in grid.get(page, {}).items():
            painter.setBrush(QColor.fromRgba(color))
            painter.drawRects(strips)
    painter.end()
    return image


def _dark(image) -> set[tuple[int, int]]:
    return {(x, y) for y in range(image.height()) for x in range(image.width())
            if image.pixelColor(x, y).lightness() < 160}


def _unmatched(dark: set[tuple[int, int]], other: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Dark pixels with no dark pixel of ``other`` at or next to them."""
    return {(x, y) for x, y in dark
            if not any((x + dx, y + dy) in other for dx in (-1, 0, 1) for dy in (-1, 0, 1))}


@pytest.mark.parametrize("page", [0, 1])
def test_the_drawn_grid_looks_like_qts_borders(sample_db, tmp_path, qapp, page):
    """The border lines are where Qt drew them: the dark pixels of a page painted with
    the renderer's strips are those of Qt's own painting, and without the strips the
    lines are missing (the check sees them)."""
    from desktop.printing.grid import grid_rects
    from desktop.printing.paged import build_document
    from desktop.printing.rows import keep_rows_together

    writer, size = _writer(tmp_path)
    document = _beat_documents(sample_db, 1)[0]
    qt = build_document(document.html, document.css, writer, size)
    own = build_document(document.html, document.css, writer, size, own_grid=True)
    keep_rows_together(qt)
    keep_rows_together(own)
    grid = grid_rects(own)
    assert grid[page]
    expected = _dark(_picture(qt, page, None))
    got = _dark(_picture(own, page, grid))
    bare = _dark(_picture(own, page, None))
    # a line may fall a third of a pixel aside (anti-aliased): within one pixel counts
    assert len(_unmatched(expected, got)) + len(_unmatched(got, expected)) <= 0.01 * len(expected)
    assert len(_unmatched(expected, bare)) > 0.05 * len(expected)  # the check sees lines


def test_unit_pdf_rows_stay_whole_and_every_beat_has_its_header(sample_db, tmp_path, qapp):
    """With the borders drawn by the renderer: no table row crosses a page, every beat's
    card begins with its header, and the PDF has as many pages as the beats' own layouts."""
    from PySide6.QtGui import QTextTable

    from desktop.beats.queries import beat_ids_of_unit
    from desktop.beats.summary import write_beats_pdf
    from desktop.printing.paged import build_document
    from desktop.printing.rows import _row_pages, keep_rows_together

    ids = beat_ids_of_unit(sample_db, 1)
    path = tmp_path / "karty.pdf"
    pages = write_beats_pdf(sample_db, ids, path)
    writer, size = _writer(tmp_path)
    expected = 0
    for document in _beat_documents(sample_db, len(ids)):
        doc = build_document(document.html, document.css, writer, size, own_grid=True)
        keep_rows_together(doc)
        expected += doc.pageCount()
        for table in [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]:
            for row in range(table.format().headerRowCount(), table.rows()):
                first, last = _row_pages(doc, table, row)
                assert last - first != 1
    assert pages == expected
    texts = [" ".join((p.extract_text() or "").split()) for p in PdfReader(str(path)).pages]
    starts = [t for t in texts if "Karta rejonu nr" in t]
    assert len(starts) == len(ids)
    assert all("Dzielnicowy i policjant ruchu drogowego" in t for t in starts)
