"""The report's SVG charts: escaped labels, axis tops, and their place in the document."""
from __future__ import annotations

import base64
import datetime as dt
import re
import xml.etree.ElementTree as ET

from desktop.yearreport.charts import Series, _nice_top, bar_chart, column_chart, image_html


def test_axis_top_is_round_and_not_below_the_peak():
    for peak in (0, 1, 4, 7, 9, 18, 75, 99, 101, 1234):
        top, step = _nice_top(peak)
        assert top >= peak and top % step == 0 and 1 <= top // step <= 10, peak


def test_labels_are_escaped_and_the_svg_parses():
    svg = column_chart("Tytuł <b>", ["sty", "<script>"], [Series("a&b", (3, 5))])
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "<script>" in texts and "Tytuł <b>" in texts and "5" in texts
    svg = bar_chart("Rodzaje", [("x" * 80, 2), ("ż", 0)])
    texts = [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert "x" * 51 + "…" in texts and "ż" in texts


def test_image_keeps_the_proportions():
    html = image_html(column_chart("T", ["a"], [Series("s", (1,))], width=1000, height=420),
                      640)
    assert "width='640' height='269'" in html
    data = re.search(r"base64,([^']+)'", html).group(1)
    assert base64.b64decode(data).decode().startswith("<svg")


def test_report_document_has_three_charts(sample_db):
    from desktop.yearreport.content import collect
    from desktop.yearreport.document import document

    doc = document(collect(sample_db, dt.date(2018, 1, 1), dt.date(2018, 12, 31)))
    assert doc.html.count("data:image/svg+xml;base64,") == 3
