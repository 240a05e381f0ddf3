"""A report chosen in the reports browser (``ctx.reportSelected``) is shown on the map."""
from __future__ import annotations

import pytest
import shiboken6
from map_helpers import QT_NOISE, page_state, wait_until

from db.models import ThreatReport
from desktop.app.context import AppContext

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)


def test_selected_report_centres_the_map_on_it(qtbot, sample_db):
    from desktop.activities.ui.reports_tab import ReportsTab
    from desktop.map.ui.tab import MapTab

    ctx = AppContext(sample_db)
    tab = MapTab(ctx)
    browser = ReportsTab(ctx)
    qtbot.addWidget(browser)
    tab.resize(1200, 800)
    tab.show()
    try:
        with qtbot.waitSignal(tab.map.mapReady, timeout=60000):
            pass
        page = tab.map.page
        # selecting a row in the browser (the real view) reaches the page
        browser.view.selectRow(7)
        chosen = browser.model.row_object(7).id
        with sample_db.session() as s:
            report = s.get(ThreatReport, chosen)
            assert report is not None
            lat, lon = report.lat, report.lon
        wait_until(lambda: page_state(page)["markedReport"] == chosen, 10, "report marked")
        state = page_state(page)
        assert abs(state["centre"][0] - lat) < 1e-4 and abs(state["centre"][1] - lon) < 1e-4
        assert state["zoom"] >= 16
        # an unknown id is ignored
        ctx.reportSelected.emit(10**9)
        assert page_state(page)["markedReport"] == chosen
    finally:
        tab.shutdown()
        tab.close()
        shiboken6.delete(tab)
