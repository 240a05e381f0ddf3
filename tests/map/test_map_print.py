"""Printing the map: the view's extent and filter, legend, scale bar, north arrow, title, date
and sources; A4/A3, both orientations; the PDF read back. Real map tab, real PDF."""
from __future__ import annotations

import datetime as dt

import pytest
import shiboken6
from map_helpers import QT_NOISE, page_state
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from db.models import ThreatCategory, ThreatReport, Unit
from desktop.app.selfcheck import pdf_font_problems
from desktop.common.document import mark_sample_data
from desktop.map.data import ReportFilter, filter_reports
from desktop.map.printmap import (
    MapPrintOptions,
    collect,
    fit_extent,
    scale_bar,
    scale_ratio,
)
from desktop.map.ui.print_map import write_pdf

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)
TITLE = "Mapa zagrożeń – Żółkiewskiego (zażółć gęślą jaźń)"


def test_scale_bar_picks_a_round_length():
    assert scale_bar(100.0, 40.0) == (2000, 20.0, "2 km")  # 100 m per mm, 40 mm at most
    assert scale_bar(3.0, 40.0) == (100, pytest.approx(33.33, 0.01), "100 m")
    assert scale_bar(1000.0, 40.0)[2] == "20 km"
    assert scale_ratio(25.0) == "1 : 25 000"


def test_extent_is_widened_to_the_frame_keeping_its_centre():
    minx, miny, maxx, maxy = fit_extent((0, 0, 100, 100), 200, 100)
    assert (maxx - minx) / (maxy - miny) == pytest.approx(2.0)
    assert (minx + maxx) / 2 == 50 and (miny + maxy) / 2 == 50
    assert maxy - miny == 100  # never cut, only widened


def _expected_in_view(db, flt: ReportFilter, bounds) -> int:
    west, south, east, north = bounds
    with db.session() as s:
        return s.scalar(filter_reports(select(func.count(ThreatReport.id)), flt).where(
            ThreatReport.lon >= west, ThreatReport.lon <= east,
            ThreatReport.lat >= south, ThreatReport.lat <= north))


def test_the_print_holds_the_views_reports_and_filter(sample_db):
    with sample_db.session() as s:
        cat_id, cat_name = s.execute(select(ThreatCategory.id, ThreatCategory.name)
                                     .order_by(ThreatCategory.id).limit(1)).one()
        units = s.scalars(select(Unit.name)).all()
    everything = collect(sample_db, MapPrintOptions(TITLE))
    with sample_db.session() as s:
        assert everything.reports_in_view == s.scalar(select(func.count(ThreatReport.id)))
    assert sorted(name for _, name in everything.legend) == sorted(units)
    bounds = (18.2, 52.18, 18.3, 52.25)  # the city centre
    flt = ReportFilter(categories=(cat_id,))
    data = collect(sample_db, MapPrintOptions(TITLE, bounds=bounds, flt=flt))
    expected = _expected_in_view(sample_db, flt, bounds)
    assert 0 < data.reports_in_view == expected == len(data.report_x)
    assert data.reports_in_view < everything.reports_in_view
    assert f"Kategorie: {cat_name}" in data.filter_lines
    period = collect(sample_db, MapPrintOptions(TITLE, flt=ReportFilter(
        date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 3, 31))))
    assert "Okres: 01.03.2018 – 31.03.2018" in period.filter_lines


@pytest.mark.parametrize("paper, landscape, size_mm", [("A4", True, (297, 210)),
                                                       ("A3", False, (297, 420))])
def test_pdf_read_back(sample_db, tmp_path, qapp, paper, landscape, size_mm):
    mark_sample_data(True)
    try:
        data = collect(sample_db, MapPrintOptions(TITLE, paper=paper, landscape=landscape,
                                                  basemap_note="© Serwer map KWP"))
        pdf = tmp_path / "mapa.pdf"
        write_pdf(data, pdf)
    finally:
        mark_sample_data(False)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == size_mm
    text = _text(reader)
    for expected in (TITLE, "Legenda – rejony według jednostek", "Źródła danych:",
                     "Krajowa Mapa Zagrożeń Bezpieczeństwa (KMZB)", "Podkład: © Serwer map KWP",
                     "Kategorie: wszystkie", "Skala ok. 1 :", "DANE PRZYKŁADOWE (fikcyjne)",
                     "Komisariat Policji w Golinie", "Stan na", " km", "N"):
        assert expected in text, expected
    assert f"Zgłoszenia KMZB w widoku: {data.reports_in_view:,}".replace(",", " ") in text
    assert pdf_font_problems(pdf.read_bytes(), letters="ąćęłńóśźżŻŹŁ") == []


def test_real_data_is_not_marked_as_sample(sample_db, tmp_path, qapp):
    mark_sample_data(False)
    pdf = tmp_path / "real.pdf"
    write_pdf(collect(sample_db, MapPrintOptions("Mapa")), pdf)
    assert "DANE PRZYKŁADOWE" not in _text(PdfReader(str(pdf)))


def test_print_button_uses_the_current_view(qtbot, sample_db, tmp_path):
    from desktop.app.context import AppContext
    from desktop.map.ui.tab import MapTab

    ctx = AppContext(sample_db)
    tab = MapTab(ctx)
    tab.resize(1200, 800)
    tab.show()
    try:
        with qtbot.waitSignal(tab.map.mapReady, timeout=60000):
            pass
        tab.map.bridge.centre_on(_first_beat(sample_db))
        qtbot.waitUntil(lambda: page_state(tab.map.page)["selected"] is not None, timeout=10000)
        state = page_state(tab.map.page)
        tab.print_button.click()
        qtbot.waitUntil(lambda: getattr(tab, "print_dialog", None) is not None
                        and tab.print_dialog.isVisible(), timeout=10000)
        dialog = tab.print_dialog
        options = dialog.options()
        assert options.bounds == pytest.approx(tuple(state["bounds"]))
        assert options.title == "Mapa zagrożeń"
        dialog.paper.setCurrentIndex(dialog.paper.findData("A3"))
        dialog.orientation.setCurrentIndex(1)
        dialog.title.setText(TITLE)
        path = tmp_path / "widok.pdf"
        dialog.save_pdf(str(path))
        qtbot.waitUntil(lambda: dialog.last_pdf == str(path), timeout=30000)
        assert dialog.status.text() == f"Zapisano {path}."
        text = _text(PdfReader(str(path)))
        assert TITLE in text
        expected = _expected_in_view(sample_db, ReportFilter(), state["bounds"])
        assert f"Zgłoszenia KMZB w widoku: {expected:,}".replace(",", " ") in text
        box = PdfReader(str(path)).pages[0].mediabox
        assert round(float(box.height) / 72 * 25.4) == 420  # A3 portrait
        dialog.close()
    finally:
        tab.shutdown()
        tab.close()
        shiboken6.delete(tab)  # the page goes before the web profile, as it must
        QApplication.processEvents()


def _text(reader: PdfReader) -> str:
    """The page's text with the words' tabs as spaces (pypdf's reading of drawn text)."""
    return reader.pages[0].extract_text().replace("\t", " ")


def _first_beat(db) -> int:
    from db.models import Beat

    with db.session() as s:
        return s.scalars(select(Beat.id).order_by(Beat.id).limit(1)).one()
