"""In the real main window: a click on the map selects the beat in the Rejony tab, and a
beat chosen there centres the map."""
from __future__ import annotations

import pytest
import shiboken6
from map_helpers import QT_NOISE, page_state, run_js, wait_until
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from db.models import Beat
from desktop.app.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)


def _beat_list(tab: QWidget):
    """The Rejony tab's beat table (the widget that knows the current beat)."""
    found = [w for w in (tab, *tab.findChildren(QWidget)) if hasattr(w, "current_beat_id")]
    assert found, "the Rejony tab has no beat list with current_beat_id()"
    return found[0]


def test_map_and_beats_tab_follow_each_other(qtbot, sample_db):
    window = MainWindow(sample_db)
    window.resize(1300, 850)
    window.show()
    try:
        map_tab = window.tab_by_key["map"]
        beats_tab = _beat_list(window.tab_by_key["beats"])
        with qtbot.waitSignal(map_tab.map.mapReady, timeout=60000):
            pass
        qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
        with sample_db.session() as s:
            ids = s.scalars(select(Beat.id).order_by(Beat.id)).all()
        run_js(map_tab.map.page, f"razem.clickBeat({ids[7]})")
        wait_until(lambda: beats_tab.current_beat_id() == ids[7], 10, "the Rejony tab")
        beats_tab.view.selectRow(0)
        first = beats_tab.current_beat_id()
        assert first is not None and first != ids[7]
        wait_until(lambda: page_state(map_tab.map.page)["selected"] == first, 10, "centring")
        assert map_tab.map.interceptor.blocked == []
    finally:
        map_tab.shutdown()
        window.close()
        shiboken6.delete(window)
