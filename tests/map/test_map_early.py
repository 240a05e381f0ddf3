"""The map drawn before the database layer is loaded (desktop/map/ui/early.py): a real start
(open_main_window) on a SQLite file whose reports are in the disk cache draws the map from a
read without the ORM, the map tab adopts that view and page (no second page), the filters get
their choices; no Qt call is made off the UI thread; data changed by opening the database is
read again the normal way; without a cache nothing is made early."""
from __future__ import annotations

import pytest
from map_helpers import QT_NOISE, page_state, wait_until
from sqlalchemy import text

from desktop.app.launch import open_main_window
from desktop.map.data import data_script, load_map_data
from tests.printing.qtcalls import worker_qt_calls

pytestmark = [pytest.mark.qt_log_ignore(*QT_NOISE), pytest.mark.engines("sqlite")]


def _start(qtbot, db):
    launched = open_main_window(db.url)
    window, opened = launched.window, launched.opened
    qtbot.addWidget(window)
    assert opened is not None and window.is_attached()
    return window, opened


def _indexes(view) -> list[str]:
    assert view.handler is not None
    return [p for p in view.handler.served if p.endswith("index.html")]


def test_the_map_is_drawn_from_the_cache_before_the_tab_and_adopted(qtbot, sample_db):
    load_map_data(sample_db)  # the cache of a previous start
    with worker_qt_calls() as seen:
        window, opened = _start(qtbot, sample_db)
        try:
            tab = window.tab_by_key["map"]
            view = tab.map
            built = view.last_build
            # read without the ORM: the cached block as it is, no numpy columns
            assert built is not None and built.data.reports is None and built.data.block
            assert built.page.data_js == data_script(load_map_data(sample_db))
            wait_until(lambda: view.bridge.is_ready and tab.filters.categories.list.count(),
                       what="the adopted map and its filters")
            qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
            wait_until(lambda: not view._jobs, what="the check after the database opened")
            assert view.first_ready is not None
            state = page_state(view.page)
            assert state["total"] == built.data.report_count > 1000
            assert len(_indexes(view)) == 1  # the page was kept: no second page, no rebuild
            assert view.last_build is built
            assert tab.status.text().startswith("Rejony: ")
            assert not view.console_errors
        finally:
            window.close()
            opened.db.dispose()
    assert "razem-map-early" in seen.threads
    assert seen.calls == []


def test_dictionaries_changed_by_the_opening_are_read_again(qtbot, sample_db):
    """Opening the database puts the shipped order of the categories back (a change the
    start-up read could not see): the adopted page is replaced by a normal read."""
    with sample_db.session() as s, s.begin():
        s.execute(text("UPDATE threat_categories SET sort_order = 1000 - sort_order "
                       "WHERE user_edited = 0"))
    before = load_map_data(sample_db)  # cached with the order the opening will undo
    window, opened = _start(qtbot, sample_db)
    try:
        view = window.tab_by_key["map"].map
        assert view.first_ready is not None or view.last_build is not None
        wait_until(lambda: view.last_build is not None and view.last_build.data.reports
                   is not None and view.bridge.is_ready, what="the page read again")
        now = load_map_data(sample_db)
        assert now.payload["categories"] != before.payload["categories"]
        assert view.last_build.page.data_js == data_script(now)
        # The early page, unless the check was quicker than its page shell (a first start
        # renders the shell), then the page read again; that one is shown and ready.
        pages = _indexes(view)
        assert 1 <= len(pages) <= 2 and view.last_build.page.url.endswith(pages[-1])
        state = page_state(view.page)
        assert state["page"] == pages[-1] and state["total"] == now.report_count
    finally:
        window.close()
        opened.db.dispose()


def test_without_a_cache_the_tab_reads_its_map(qtbot, sample_db):
    window, opened = _start(qtbot, sample_db)
    try:
        view = window.tab_by_key["map"].map
        wait_until(lambda: view.bridge.is_ready, what="the map")
        assert view.last_build is not None and view.last_build.data.reports is not None
        assert not window.findChildren(type(view), "razem-early-map")
    finally:
        window.close()
        opened.db.dispose()


def test_a_window_opening_on_another_tab_makes_no_early_map(qtbot, sample_db):
    from desktop.app.main_window import window_settings
    from desktop.app.tabs import tab_specs

    load_map_data(sample_db)
    keys = [spec.key for spec in tab_specs()]
    store = window_settings()
    store.setValue("window/tab", keys.index("beats"))
    store.sync()
    window, opened = _start(qtbot, sample_db)
    try:
        assert window.tab_by_key.key_at(window.tabs.currentIndex()) == "beats"
        view = window.tab_by_key["map"].map  # built later, the normal way
        wait_until(lambda: view.bridge.is_ready, what="the map")
        assert view.last_build is not None and view.last_build.data.reports is not None
    finally:
        window.close()
        opened.db.dispose()


def test_a_replaced_page_saying_it_is_ready_is_ignored(qapp):
    """Found by CI: the early page's channel connected after the page read again had started
    loading, its "ready" made the bridge send to a page going away (and a test read the new
    page's state before it had any). The bridge now waits for the page it is loading."""
    import json

    from desktop.map.ui.bridge import MapBridge

    bridge = MapBridge()
    sent: list[str] = []
    bridge.filterChanged.connect(sent.append)
    bridge.reset("razem://app/map/p2/index.html")
    bridge.send_filter('{"categories": [1]}')
    bridge.pageReady(json.dumps({"page": "/map/p1/index.html", "total": 5}))
    assert not bridge.is_ready and sent == [] and bridge.state == {}
    bridge.pageReady(json.dumps({"page": "/map/p2/index.html", "total": 7}))
    assert bridge.is_ready and sent == ['{"categories": [1]}'] and bridge.state["total"] == 7
    bridge.reset()  # no page named: any page's ready counts (as before)
    bridge.pageReady(json.dumps({"page": "/map/p9/index.html"}))
    assert bridge.is_ready
