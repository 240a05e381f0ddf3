"""The Mapa tab: filters beside the map, settings file, link to other tabs via the context."""
from __future__ import annotations

import pytest
import shiboken6
from map_helpers import QT_NOISE, page_state, run_js, wait_until
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from db.models import Beat, ThreatCategory
from desktop.app.context import AppContext, Change
from desktop.map.data import ReportFilter, count_reports
from desktop.map.settings import MapSettings, load_settings, save_settings

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)


def test_map_tab_filters_settings_and_beat_link(qtbot, sample_db, tmp_path):
    from desktop.map.ui.tab import MapTab

    junk = tmp_path / "old.mbtiles"
    junk.write_bytes(b"not tiles" * 20)
    save_settings(MapSettings(colour_by="gmina", mbtiles_path=str(junk)))
    ctx = AppContext(sample_db)
    tab = MapTab(ctx)
    tab.resize(1300, 800)
    tab.show()
    try:
        with qtbot.waitSignal(tab.map.mapReady, timeout=60000):
            pass
        page = tab.map.page
        state = page_state(page)
        assert state["colourBy"] == "gmina" and state["total"] == 2000
        status = tab.status.text()
        assert "Rejony: 24, zgłoszenia: 2000." in status and "nie jest plikiem MBTiles" in status
        assert tab.map.interceptor.blocked == []
        with sample_db.session() as s:
            n_categories = s.scalar(select(func.count()).select_from(ThreatCategory))
            first_cat = s.scalars(select(ThreatCategory.id).order_by(
                ThreatCategory.sort_order, ThreatCategory.id).limit(1)).one()
            beat_ids = s.scalars(select(Beat.id).order_by(Beat.id)).all()
        assert tab.filters.categories.list.count() == n_categories
        assert tab.filters.beat.count() == len(beat_ids) + 1
        assert not hasattr(tab, "menu_actions")  # map settings: a page of Plik › Ustawienia…

        # Untick one category in the real list widget: the page refilters, no reload.
        reloads = []
        tab.map.view.loadStarted.connect(lambda: reloads.append(1))
        with qtbot.waitSignal(tab.map.bridge.filterResult, timeout=10000) as blocker:
            tab.filters.categories.list.item(0).setCheckState(Qt.CheckState.Unchecked)
        all_but_first = tuple(i for i in _category_ids(sample_db) if i != first_cat)
        expected = count_reports(sample_db, ReportFilter(categories=all_but_first))
        assert blocker.args[0]["shown"] == expected < 2000
        assert f"{expected} z 2000" in tab.filters.summary.text()
        # The line under the map follows the filter, not the unfiltered total.
        assert f"Rejony: 24, zgłoszenia na mapie: {expected} z 2000." in tab.status.text()
        assert reloads == []

        # Map -> other tabs
        with qtbot.waitSignal(ctx.beatSelected, timeout=5000) as chosen:
            run_js(page, f"razem.clickBeat({beat_ids[3]})")
        assert chosen.args == [beat_ids[3]]
        # Other tabs -> map
        ctx.beatSelected.emit(beat_ids[5])
        wait_until(lambda: page_state(page)["selected"] == beat_ids[5], 10, "centring")

        # Colour mode from the panel is saved to the settings file.
        tab.filters.colour.setCurrentIndex(tab.filters.colour.findData("unit"))
        wait_until(lambda: page_state(page)["colourBy"] == "unit", 10, "colour mode")
        assert load_settings().colour_by == "unit"

        # Beats changed elsewhere: the page is rebuilt and keeps the user's filter.
        with qtbot.waitSignal(tab.map.mapReady, timeout=60000):
            ctx.notify(Change.BEATS)
        wait_until(lambda: page_state(tab.map.page)["shown"] == expected, 10, "filter replay")
    finally:
        tab.shutdown()
        tab.close()
        shiboken6.delete(tab)


def _category_ids(db):
    with db.session() as s:
        return s.scalars(select(ThreatCategory.id)).all()
