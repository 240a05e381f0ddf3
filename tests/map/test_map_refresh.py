"""The map's clustering and refresh after an import: counts equal the database's (also after
new reports were appended to the page), the clusters of a zoomed-in view hold exactly the
filter's reports in the drawn area, and the check of older reports that follows a delta."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from map_helpers import QT_NOISE, page_state, run_js, show_heat_layer, wait_until
from sqlalchemy import Numeric, cast, delete, func, select

from db.models import ThreatCategory, ThreatReport, ThreatStatus
from desktop.map.data import ReportFilter, count_reports, load_map_data
from desktop.map.reports import read_all, read_delta, read_new, unchanged

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)


def _add_reports(db, n: int, day: int = 30) -> None:
    with db.session() as s, s.begin():
        model = s.scalars(select(ThreatReport).order_by(ThreatReport.id).limit(1)).one()
        s.add_all([ThreatReport(category_id=model.category_id, status_id=model.status_id,
                                reported_at=dt.datetime(2018, 12, day, 12, 0),
                                lat=model.lat + i * 1e-3, lon=model.lon + i * 1e-3,
                                beat_id=model.beat_id, source_id=f"odswiez-{day}-{i}")
                   for i in range(n)])


def _filters(db) -> list[ReportFilter]:
    with db.session() as s:
        cats = s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id)).all()
        sts = s.scalars(select(ThreatStatus.id).order_by(ThreatStatus.id)).all()
    return [ReportFilter(), ReportFilter(categories=tuple(cats[:1])),
            ReportFilter(categories=tuple(cats[:4]), statuses=tuple(sts[:2])),
            ReportFilter(unit_id=2), ReportFilter(date_from=dt.date(2018, 12, 1)),
            ReportFilter(statuses=tuple(sts[:1]), date_to=dt.date(2018, 6, 30))]


def test_checksum_in_ranges_equals_the_whole_and_sees_edits(sample_db):
    data = load_map_data(sample_db)
    assert data.mark is not None and data.indexes is not None
    with sample_db.session() as s:
        for step in (1, 7, 500, 200_000):
            assert unchanged(s, data.mark, step=step)
        assert read_new(s, data.indexes, data.mark)[1] == data.mark  # nothing new
    _add_reports(sample_db, 5)
    with sample_db.session() as s:
        assert unchanged(s, data.mark, step=333)  # new reports are not "changed" ones
        columns, mark = read_new(s, data.indexes, data.mark)
        fresh, fresh_mark = read_all(s, data.indexes)
    assert len(columns) == 5 and mark == fresh_mark
    for name in ("lat", "lon", "day", "beat", "cat", "st"):  # old + new == a fresh read
        assert np.array_equal(np.concatenate([getattr(data.reports, name),
                                              getattr(columns, name)]), getattr(fresh, name))
    with sample_db.session() as s, s.begin():
        first = s.scalars(select(ThreatReport).order_by(ThreatReport.id).offset(3).limit(1)).one()
        first.beat_id = None
    with sample_db.session() as s:
        assert not unchanged(s, mark, step=333) and read_delta(s, data.indexes, mark) is None
        _fresh, mark = read_all(s, data.indexes)
    with sample_db.session() as s, s.begin():
        s.execute(delete(ThreatReport).where(ThreatReport.id == mark.max_id))
    with sample_db.session() as s:
        assert not unchanged(s, mark)


def _apply(view, flt: ReportFilter) -> dict:
    seq = page_state(view.page)["filterSeq"]
    view.bridge.send_filter(flt.to_json())
    wait_until(lambda: page_state(view.page)["filterSeq"] > seq, 20, "a filter result")
    return page_state(view.page)


def _on_map(view, code: str) -> None:
    """Run ``code`` with ``M`` the page's Leaflet map (folium names it at random)."""
    run_js(view.page, "(function(){var M = null; for (var k in window) { if (k.indexOf('map_')"
                      " === 0 && window[k] instanceof L.Map) { M = window[k]; } } " + code
           + "; return 1;})()")


def _in_drawn_area(db, flt: ReportFilter, bounds: list[float]) -> int:
    """The filter's reports inside the drawn (padded) bounds, at the page's 1e-5 degrees."""
    from desktop.map.data import filter_reports

    west, south, east, north = bounds
    lat5 = func.round(cast(ThreatReport.lat, Numeric), 5)
    lon5 = func.round(cast(ThreatReport.lon, Numeric), 5)
    q = filter_reports(select(func.count()).select_from(ThreatReport), flt).where(
        lat5 >= south, lat5 <= north, lon5 >= west, lon5 <= east)
    with db.session() as s:
        return s.scalar(q) or 0


def test_clusters_hold_the_filters_reports_after_zoom_and_after_new_reports(loaded_map):
    view, db = loaded_map.view, loaded_map.db
    filters = _filters(db)
    show_heat_layer(view.page)  # hidden, it holds no points (test_map_view)
    for flt in filters:  # the whole area in view: every chosen report is drawn once
        state = _apply(view, flt)
        assert state["shown"] == state["rendered"] == state["heatPoints"] == count_reports(db, flt)
    # Zoomed in: the clusters and single markers hold exactly the reports in the drawn area.
    _on_map(view, "M.setView(razem.state().centre, 13, {animate: false})")
    wait_until(lambda: page_state(view.page)["renderedBounds"] is not None
               and page_state(view.page)["zoom"] == 13, 10, "the zoomed view")
    for flt in filters[:3]:
        state = _apply(view, flt)
        assert 0 < state["rendered"] == _in_drawn_area(db, flt, state["renderedBounds"])
        assert state["rendered"] < state["shown"]
    # A click on a cluster zooms in.
    _apply(view, ReportFilter())
    zoom, drawn = page_state(view.page)["zoom"], page_state(view.page)["renderedBounds"]
    assert run_js(view.page, "(function(){var c = document.querySelector('.razem-cluster');"
                             " if (!c) { return false; } c.click(); return true;})()")
    wait_until(lambda: page_state(view.page)["zoom"] > zoom
               and page_state(view.page)["renderedBounds"] != drawn, 10, "the zoom after the click")

    # New reports reach the page as a delta; every filter then counts what a fresh read does.
    before = view.delta_sizes[:]
    rebuilds: list[bool] = []
    _add_reports(db, 40, day=29)
    view.update_reports(lambda: rebuilds.append(True))
    wait_until(lambda: len(view.delta_sizes) > len(before) or rebuilds, 20, "the new reports")
    assert rebuilds == [] and view.delta_sizes[-1] == 40
    _on_map(view, "M.setZoom(7, {animate: false})")  # the whole area in view again
    for flt in filters:
        state = _apply(view, flt)
        assert state["shown"] == state["rendered"] == state["heatPoints"] == count_reports(db, flt)
    assert show_heat_layer(view.page, False)["heatPoints"] == 0

    # New reports and an older one edited: the new ones are drawn, then the page is rebuilt.
    _add_reports(db, 3, day=28)
    with db.session() as s, s.begin():
        first = s.scalars(select(ThreatReport).order_by(ThreatReport.id).limit(1)).one()
        first.lat += 0.01
    count = len(view.delta_sizes)
    view.update_reports(lambda: rebuilds.append(True))
    wait_until(lambda: rebuilds, 30, "the rebuild request")
    assert view.delta_sizes[count:] == [3]
