"""The full sample map loaded headless through the razem:// scheme (one page for the module)."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from map_helpers import (
    QT_NOISE,
    make_mbtiles,
    page_state,
    run_js,
    show_heat_layer,
    wait_until,
)
from shapely.geometry import Point
from sqlalchemy import func, select

from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus
from desktop.common.geo import from_geojson
from desktop.map.data import ReportFilter, count_reports

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)


def test_sample_map_is_offline_and_complete(loaded_map):
    view = loaded_map.view
    with loaded_map.db.session() as s:
        beats = s.scalar(select(func.count()).select_from(Beat).where(Beat.boundary.is_not(None)))
        reports = s.scalar(select(func.count()).select_from(ThreatReport))
    assert view.interceptor.blocked == []
    assert run_js(view.page, "typeof L") == "object"
    state = page_state(view.page)
    assert state["beats"] == beats == 24
    assert state["beatPaths"] == beats  # SVG polygons really in the DOM
    assert state["total"] == state["shown"] == reports == 2000
    assert state["rendered"] == reports  # every report is in a cluster or a single marker
    assert state["clusterIcons"] + state["singleMarkers"] > 0
    # The heat layer starts hidden and holds no points until it is shown (lazy: 0.2 s and
    # 70 MB at a million reports); shown, it holds every report; hidden again, none.
    assert state["heatShown"] is False and state["heatPoints"] == 0
    assert show_heat_layer(view.page)["heatPoints"] == reports
    assert show_heat_layer(view.page, False)["heatPoints"] == 0
    # shown and hidden again before its first redraw: no error from leaflet-heat (checked below)
    run_js(view.page, "(function () { var l = document.querySelectorAll("
                      "'.leaflet-control-layers-overlays label'); for (var i = 0; i < l.length;"
                      " i++) { if (l[i].textContent.indexOf('Mapa cieplna') >= 0) {"
                      " l[i].querySelector('input').click(); l[i].querySelector('input').click();"
                      " } } return 1; })()")
    later = time.monotonic() + 0.3  # a few frames
    wait_until(lambda: time.monotonic() > later, 5, "a few frames")
    assert page_state(view.page)["heatPoints"] == 0
    assert state["bridge"] is True
    assert "/qwebchannel.js" in view.handler.served
    assert any(p.endswith("/data.js") for p in view.handler.served)
    # the reports as binary (fetch -> ArrayBuffer), not base64 text in the script
    assert any(p.endswith("/reports.bin") for p in view.handler.served)
    assert view.handler.failed == []
    assert view.console_errors == []
    layers = run_js(view.page, "document.querySelector('.leaflet-control-layers').textContent")
    for name in ("Rejony służbowe", "Zgłoszenia (skupiska)", "Mapa cieplna zgłoszeń",
                 "Granice gmin"):
        assert name in layers
    legend = run_js(view.page, "document.querySelector('.razem-legend').textContent")
    assert "Legenda" in legend and "Komenda Miejska Policji w Koninie" in legend


def test_interceptor_blocks_and_records_what_would_leave(loaded_map):
    view = loaded_map.view
    run_js(view.page, "var i = new Image(); i.src = 'https://tile.example.org/1/2/3.png'; 1")
    wait_until(lambda: any("tile.example.org" in u for u in view.interceptor.blocked), 10,
               "the blocked request")
    view.interceptor.blocked.clear()


def test_filter_updates_page_data_without_reload(loaded_map, qtbot):
    view, db = loaded_map.view, loaded_map.db
    run_js(view.page, "window.__survivor = 42; 1")
    reloads = []
    view.view.loadStarted.connect(lambda: reloads.append(1))
    with db.session() as s:
        cats = tuple(s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id).limit(4)))
        statuses = tuple(s.scalars(select(ThreatStatus.id).order_by(ThreatStatus.id).limit(3)))
    flt = ReportFilter(categories=cats, statuses=statuses, date_from=dt.date(2017, 6, 1),
                       date_to=dt.date(2018, 5, 31))
    expected = count_reports(db, flt)
    assert 0 < expected < 2000
    show_heat_layer(view.page)
    try:
        with qtbot.waitSignal(view.bridge.filterResult, timeout=10000) as blocker:
            view.bridge.send_filter(flt.to_json())
        state = page_state(view.page)  # the heat layer shown follows the filter
    finally:
        hidden = show_heat_layer(view.page, False)
    assert blocker.args[0]["shown"] == expected
    assert state["shown"] == state["rendered"] == state["heatPoints"] == expected
    assert hidden["heatPoints"] == 0 and hidden["shown"] == expected
    assert run_js(view.page, "window.__survivor") == 42
    assert reloads == []

    unit_beats = ReportFilter(unit_id=2)
    with qtbot.waitSignal(view.bridge.filterResult, timeout=10000) as blocker:
        view.bridge.send_filter(unit_beats.to_json())
    assert blocker.args[0]["shown"] == count_reports(db, unit_beats) > 0
    with qtbot.waitSignal(view.bridge.filterResult, timeout=10000) as blocker:
        view.bridge.send_filter(ReportFilter().to_json())
    assert blocker.args[0]["shown"] == 2000


def test_clicking_a_beat_tells_python(loaded_map, qtbot):
    view, db = loaded_map.view, loaded_map.db
    with db.session() as s:
        beat_id = s.scalars(select(Beat.id).order_by(Beat.id.desc()).limit(1)).one()
    with qtbot.waitSignal(view.bridge.beatChosen, timeout=5000) as blocker:
        run_js(view.page, f"razem.clickBeat({beat_id})")
    assert blocker.args == [beat_id]
    assert page_state(view.page)["selected"] == beat_id


def test_choosing_a_beat_elsewhere_centres_the_map(loaded_map):
    view, db = loaded_map.view, loaded_map.db
    with db.session() as s:
        beat_id, boundary = s.execute(select(Beat.id, Beat.boundary).order_by(Beat.id)
                                      .limit(1)).one()
    before = page_state(view.page)
    view.bridge.centre_on(beat_id)
    state = wait_until(lambda: (st := page_state(view.page))["selected"] == beat_id and st,
                       10, "centring")
    assert state["zoom"] > before["zoom"]
    lat, lon = state["centre"]
    assert from_geojson(boundary).buffer(0.01).contains(Point(lon, lat))


def test_colour_mode_switch_restyles_beats_and_legend(loaded_map):
    view = loaded_map.view
    view.bridge.set_colour_mode("gmina")
    wait_until(lambda: page_state(view.page)["colourBy"] == "gmina", 10, "colour mode")
    legend = run_js(view.page, "document.querySelector('.razem-legend').textContent")
    assert "Kolor rejonu: gmina" in legend and "Golina" in legend
    view.bridge.set_colour_mode("unit")
    wait_until(lambda: page_state(view.page)["colourBy"] == "unit", 10, "colour mode")


def test_mbtiles_tile_served_through_the_scheme(loaded_map, tmp_path):
    view = loaded_map.view
    view.router.set_mbtiles(str(make_mbtiles(tmp_path / "t.mbtiles")))
    try:
        run_js(view.page, "window.__tile = null; fetch('razem://app/tiles/2/1/0')"
                          ".then(r => r.text()).then(t => { window.__tile = t; }); 1")
        tile = wait_until(lambda: run_js(view.page, "window.__tile"), 10, "the tile")
        assert tile == "z2x1row3"  # XYZ row 0 at zoom 2 is TMS row 3
    finally:
        view.router.set_mbtiles("")
    assert view.interceptor.blocked == []


def _popup_at_rest(page, qtbot) -> None:
    """Wait until the open popup stops moving (Leaflet's auto-pan is animated)."""
    rect = "JSON.stringify(document.querySelector('.leaflet-popup').getBoundingClientRect())"
    last = None
    for _ in range(40):
        qtbot.wait(150)
        now = run_js(page, rect)
        if now == last:
            return
        last = now
    raise AssertionError("the popup kept moving")


def test_legend_dates_and_popups_clear_of_the_layer_panel(loaded_map, qtbot):
    view, db = loaded_map.view, loaded_map.db
    legend = run_js(view.page, "document.querySelector('.razem-legend').textContent")
    assert "Czerwona kropka: jedno zgłoszenie" in legend
    # A report popup: the date as dd.mm.rrrr, as in the rest of the application.
    with db.session() as s:
        ids = s.scalars(select(Beat.id).order_by(Beat.id)).all()
    opened = False
    for beat_id in ids:  # zoom in until single markers are drawn, then open one
        view.bridge.centre_on(beat_id)
        wait_until(lambda b=beat_id: page_state(view.page)["selected"] == b, 10, "centring")
        if page_state(view.page)["singleMarkers"]:
            index = run_js(view.page, "razem.firstSingle()")
            assert run_js(view.page, f"razem.openReport({index})") is True
            opened = True
            break
    assert opened
    text = wait_until(lambda: run_js(view.page, "(document.querySelector("
                                     "'.razem-report-popup') || {}).textContent"), 10, "popup")
    import re

    assert re.search(r"Data: \d\d\.\d\d\.20\d\d", text), text
    assert not re.search(r"\d{4}-\d\d-\d\d", text)
    # A click on a beat just left of the layer panel (top right): the popup opens there
    # and must not end up under the panel.
    clicked = 0
    for beat_id in ids[:6]:
        view.bridge.centre_on(beat_id)
        wait_until(lambda b=beat_id: page_state(view.page)["selected"] == b, 10, "centring")
        run_js(view.page, "razem.closePopups(); 1")
        hit = run_js(view.page, CLICK_BESIDE_PANEL)
        if not hit:
            continue
        clicked += 1
        _popup_at_rest(view.page, qtbot)
        assert run_js(view.page, "razem.popupCoversControls()") is False, beat_id
    assert clicked


CLICK_BESIDE_PANEL = """(function () {
  var c = document.querySelector('.leaflet-control-layers').getBoundingClientRect();
  for (var y = c.top + 10; y < c.bottom; y += 15) {
    var x = c.left - 25, target = document.elementFromPoint(x, y);
    if (target && target.classList && target.classList.contains('razem-beat')) {
      ['mousedown', 'mouseup', 'click'].forEach(function (type) {
        target.dispatchEvent(new MouseEvent(type, {bubbles: true, clientX: x, clientY: y,
                                                   view: window}));
      });
      return true;
    }
  }
  return false;
}())"""
