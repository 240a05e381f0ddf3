"""Paper: whole words in narrow columns, a sign-off block, signature rows tall enough."""
from __future__ import annotations

import re

from pypdf import PdfReader


def _lines(path) -> list[str]:
    return [line for p in PdfReader(str(path)).pages
            for line in (p.extract_text() or "").splitlines()]


def test_beat_summary_keeps_words_whole_and_has_a_sign_off_block(sample_db, tmp_path, qapp):
    from desktop.beats.summary import write_beats_pdf

    path = tmp_path / "karty.pdf"
    write_beats_pdf(sample_db, [1], path)  # Konin rejon 1: its partners include companies
    lines = _lines(path)
    text = " ".join(" ".join(lines).split())
    assert "przedsiębiorstwo" in text
    # No word cut at a line end ("przedsiębiorst" / "wo"): every line ends at a word end.
    assert not any(re.search(r"przedsiębiorst$", line.strip()) for line in lines)
    assert "Sporządził:" in text and "Zatwierdził:" in text


def test_plan_print_has_a_sign_off_block():
    import datetime as dt

    from desktop.threats.plans import PlanData, PlanMeasure
    from desktop.threats.report_html import plan_section_html

    plan = PlanData(beat_id=1, period_from=dt.date(2018, 2, 1), period_to=dt.date(2018, 7, 31))
    html = plan_section_html(plan, "rejon 1", "", "", PlanMeasure(0, 0, True))
    assert html.index("Sporządził:") > html.index("5. Ewaluacja")
    assert "Zatwierdził:" in html


def test_signature_rows_leave_room_to_sign(sample_db, qapp):
    """Each row of the signatories' list is at least 15 mm tall (measured in the layout)."""
    from desktop.partners.report import build_report
    from desktop.printing.paged import build_document

    document = build_report(sample_db).document
    doc = build_document(document.html, document.css)
    layout = doc.documentLayout()
    dpi = doc.documentLayout().paintDevice().logicalDpiY() if layout.paintDevice() else 96
    tables = [f for f in doc.rootFrame().childFrames() if hasattr(f, "cellAt")]
    assert tables
    heights = []
    for table in tables:
        tops = [layout.blockBoundingRect(table.cellAt(r, 0).firstCursorPosition().block()).top()
                for r in range(table.rows())]
        heights += [b - a for a, b in zip(tops[2:], tops[3:], strict=False)]  # body rows
    assert heights and min(heights) / dpi * 25.4 >= 15, min(heights) / dpi * 25.4


def _crossing_rows(doc) -> list[tuple[int, int]]:
    from PySide6.QtGui import QTextTable

    from desktop.printing.rows import _row_pages

    out = []
    tables = [f for f in doc.rootFrame().childFrames() if isinstance(f, QTextTable)]
    for i, table in enumerate(tables):
        for row in range(table.format().headerRowCount(), table.rows()):
            first, last = _row_pages(doc, table, row)
            if last - first == 1:
                out.append((i, row))
    return out


def test_table_rows_are_not_split_across_pages(sample_db, qapp, tmp_path):
    from PySide6.QtCore import QSizeF

    from desktop.beats.queries import beat_ids_of_unit
    from desktop.beats.summary import beat_document, write_beats_pdf
    from desktop.printing.paged import build_document
    from desktop.printing.rows import keep_rows_together

    document = beat_document(sample_db, beat_ids_of_unit(sample_db, 1))
    doc = build_document(document.html, document.css, page_size=QSizeF(700, 900))
    before = _crossing_rows(doc)
    assert before  # the layout alone splits rows (Qt ignores page-break-inside)
    text_before = " ".join(doc.toPlainText().split())
    assert keep_rows_together(doc) >= len(before) > 0
    assert _crossing_rows(doc) == []
    text_after = " ".join(doc.toPlainText().split())
    for word in set(text_before.split()):  # nothing lost (header rows are repeated)
        assert word in text_after
    # And in the real PDF: every beat's card still there, every partner name once per card.
    path = tmp_path / "karty.pdf"
    pages = write_beats_pdf(sample_db, beat_ids_of_unit(sample_db, 1), path)
    text = " ".join(" ".join(_lines(path)).split())
    assert pages >= 12 and text.count("Karta rejonu nr") == 12
