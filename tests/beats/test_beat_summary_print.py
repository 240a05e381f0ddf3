"""A unit's beat summaries in one PDF: each beat laid out on its own (as its single print),
rows kept whole, the map drawn as vectors (issue #14: 48 summaries quickly)."""
from __future__ import annotations

from pypdf import PdfReader

from desktop.beats.queries import beat_ids_of_unit
from desktop.beats.summary import beat_document, write_beats_pdf


def _text(page) -> str:
    return " ".join((page.extract_text() or "").split())


def _starts(path) -> list[int]:
    """Pages (0-based) on which a beat's card begins."""
    return [i for i, page in enumerate(PdfReader(str(path)).pages)
            if "Karta rejonu nr" in _text(page) and "Dzielnicowy" in _text(page)]


def test_unit_pdf_pages_are_the_single_beat_prints_one_after_another(sample_db, tmp_path,
                                                                       qapp):
    ids = beat_ids_of_unit(sample_db, 1)
    document = beat_document(sample_db, ids)
    assert len(document.sections) == len(ids)  # laid out one beat at a time
    path = tmp_path / "karty.pdf"
    pages = write_beats_pdf(sample_db, ids, path)
    singles = [write_beats_pdf(sample_db, [bid], tmp_path / f"k{bid}.pdf") for bid in ids]
    assert pages == sum(singles)
    expected, at = [], 0
    for n in singles:
        expected.append(at)
        at += n
    assert _starts(path) == expected


def test_no_row_is_left_crossing_a_page_after_a_split(sample_db, tmp_path, qapp):
    """Moving rows to the next page must not narrow a column of the rows left behind (Qt
    sizes columns by content): a row left behind would grow and cross the page again."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextTable

    from desktop.printing.paged import build_document
    from desktop.printing.rows import _row_pages, keep_rows_together

    writer = QPdfWriter(str(tmp_path / "unused.pdf"))
    writer.setResolution(300)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 12, 15, 12), QPageLayout.Unit.Millimeter))
    line = int(writer.logicalDpiY() * 0.2)
    size = QSizeF(writer.width(), writer.height() - line * 3.2)
    moved = 0
    for bid in beat_ids_of_unit(sample_db, 1):
        document = beat_document(sample_db, [bid])
        doc = build_document(document.html, document.css, writer, size)
        moved += keep_rows_together(doc)
        for table in [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]:
            for row in range(table.format().headerRowCount(), table.rows()):
                first, last = _row_pages(doc, table, row)
                assert last - first != 1, (bid, row)
    assert moved > 0  # the check saw splits


def test_the_map_is_drawn_as_vectors_not_a_bitmap(sample_db, tmp_path, qapp):
    path = tmp_path / "karta.pdf"
    write_beats_pdf(sample_db, beat_ids_of_unit(sample_db, 1)[:1], path)
    first = PdfReader(str(path)).pages[0]
    objects = first.get("/Resources", {}).get("/XObject", {})
    assert [k for k, o in objects.items() if o.get_object().get("/Subtype") == "/Image"] == []
    text = _text(first)
    assert "Rejon (kolor)" in text
    assert " m " in text or " km " in text  # the map's scale bar is text in the PDF
