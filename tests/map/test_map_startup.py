"""The map's start-up path: the page shell cached on disk (equal to a fresh render, keyed by
everything it depends on), the page loading while the reports are still being read, the
reports read through the driver's cursor equal to a read through the ORM, extents without
shapely."""
from __future__ import annotations

import dataclasses
import json
import re
import sys

import pytest
from map_helpers import QT_NOISE, close_view, page_state, run_js, wait_until
from sqlalchemy import select

from db.models import Beat, Gmina, ThreatReport
from desktop.common.geo import from_geojson
from desktop.map import shell
from desktop.map.data import (
    COORD_SCALE,
    data_script,
    geometry_bounds,
    load_map_data,
    reports_block,
)
from desktop.map.reports import checksum, read_columns
from desktop.map.serve import NotFound, Pending, Router
from desktop.map.settings import MapSettings
from desktop.map.tiles import MBTilesInfo

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)

_FOLIUM_NAME = re.compile(rb"[a-z_]+_[0-9a-f]{32}")  # folium's random variable names


def _normal(page: bytes) -> bytes:
    names: dict[bytes, bytes] = {}
    return _FOLIUM_NAME.sub(lambda m: names.setdefault(m.group(0), b"v%d" % len(names)), page)


def test_cached_shell_equals_a_fresh_render_and_follows_every_input(tmp_path):
    settings = MapSettings()
    first = shell.shell(settings, "p3", {"beats": "Rejony"}, None, cache_dir=tmp_path)
    stored = list(tmp_path.glob("map-shell-*.html"))
    assert len(stored) == 1
    again = shell.shell(settings, "p4", {"beats": "Rejony"}, None, cache_dir=tmp_path)
    assert b"razem://app/map/p4/data.js" in again and b"map/p3/" not in again
    assert b"shell0token0" not in again
    fresh = shell._with_token(shell._render(settings, {"beats": "Rejony"}, None), "p4")
    assert _normal(again) == _normal(fresh)
    assert _normal(first.replace(b"map/p3/", b"map/p4/")) == _normal(again)

    # Every input has its own key: a change can only miss the cache.
    tiles = MBTilesInfo(path="/x/a.mbtiles", name="A", format="png", attribution="(c) A",
                        min_zoom=7, max_zoom=14)
    key = shell.shell_key(settings, {}, None)
    keys = {key,
            shell.shell_key(dataclasses.replace(settings, online_tiles=True), {}, None),
            shell.shell_key(dataclasses.replace(settings, colour_by="gmina"), {}, None),
            shell.shell_key(settings, {"beats": "Inne"}, None),
            shell.shell_key(settings, {}, tiles),
            shell.shell_key(settings, {}, dataclasses.replace(tiles, attribution="(c) B"))}
    assert len(keys) == 6
    assert shell.shell_key(settings, {}, None) == key
    county = tmp_path / "county.geojson"
    county.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    assert shell.shell_key(settings, {}, None, county_file=county) != key

    online = shell.shell(dataclasses.replace(settings, online_tiles=True), "p5", {}, None,
                         cache_dir=tmp_path)
    assert b"tile.openstreetmap.org" in online and b"tile.openstreetmap.org" not in again
    assert len(list(tmp_path.glob("map-shell-*.html"))) == 1  # the older shell is dropped


def test_a_damaged_cache_file_is_rendered_again(tmp_path):
    settings = MapSettings()
    shell.shell(settings, "p1", {}, None, cache_dir=tmp_path)
    (path,) = tmp_path.glob("map-shell-*.html")
    path.write_bytes(b"<html><body>half")
    page = shell.shell(settings, "p2", {}, None, cache_dir=tmp_path)
    assert page.endswith(b"</html>") and b"map/p2/data.js" in page
    assert path.read_bytes().endswith(b"</html>")


def test_router_holds_an_expected_path_until_published_or_withdrawn():
    router = Router()
    router.expect("map/p1/data.js")
    with pytest.raises(Pending):
        router.route("/map/p1/data.js")
    router.publish({"map/p1/data.js": b"x=1"}, keep_prefix="map/p1/")
    assert router.route("/map/p1/data.js") == ("application/javascript", b"x=1")
    router.expect("map/p2/data.js")
    router.withdraw("map/p2/data.js")
    with pytest.raises(NotFound):
        router.route("map/p2/data.js")
    router.expect("map/p3/data.js")
    router.publish({"map/p4/index.html": b""}, keep_prefix="map/p4/")  # a newer page
    with pytest.raises(NotFound):
        router.route("map/p3/data.js")


def test_extents_without_shapely_match_shapely(sample_db):
    with sample_db.session() as s:
        boundaries = [*s.scalars(select(Beat.boundary)), *s.scalars(select(Gmina.boundary))]
    assert boundaries
    for text in boundaries:
        if text:
            assert geometry_bounds(json.loads(text)) == pytest.approx(from_geojson(text).bounds)
    assert geometry_bounds({"type": "Polygon", "coordinates": []}) is None
    assert geometry_bounds(None) is None
    multi = {"type": "MultiPolygon", "coordinates": [[[[1, 2], [3, 2], [3, 5], [1, 2]]],
                                                     [[[-1, 0], [0, 0], [0, 1], [-1, 0]]]]}
    assert geometry_bounds(multi) == (-1, 0, 3, 5)
    data = load_map_data(sample_db)
    assert data.payload["bounds"] == [[data.bounds[0], data.bounds[1]],
                                      [data.bounds[2], data.bounds[3]]]


def test_cursor_read_equals_the_orm(sample_db):
    data = load_map_data(sample_db)
    idx = data.indexes
    with sample_db.session() as s:
        s.execute(select(ThreatReport).where(ThreatReport.id == s.scalar(
            select(ThreatReport.id).order_by(ThreatReport.id.desc()).limit(1)))).scalar_one(
        ).beat_id = None  # one report outside every beat
        s.commit()
        columns, last, sums = read_columns(s, idx)
        reports = s.scalars(select(ThreatReport).order_by(ThreatReport.id)).all()
        tail, tail_last, tail_sums = read_columns(s, idx, reports[-5].id)
        # The mark is summed from the rows read; the database sums the same (one scan less).
        assert sums == checksum(s, last)
        assert tail_sums == checksum(s, last, reports[-5].id)
    assert last == reports[-1].id and len(columns) == len(reports)
    # 1e-5 degree (about 1 m) as the database turns it into an integer
    assert all(abs(a - r.lat * COORD_SCALE) < 1 for a, r in zip(columns.lat.tolist(), reports,
                                                                  strict=True))
    assert all(abs(a - r.lon * COORD_SCALE) < 1 for a, r in zip(columns.lon.tolist(), reports,
                                                                  strict=True))
    assert columns.day.tolist() == [(r.reported_at.date().toordinal() - 719163)
                                    for r in reports]
    assert columns.cat.tolist() == [idx.categories[r.category_id] for r in reports]
    assert columns.st.tolist() == [idx.statuses[r.status_id] for r in reports]
    assert columns.beat.tolist() == [idx.beats.get(r.beat_id, -1) if r.beat_id else -1
                                     for r in reports]
    assert columns.beat.tolist()[-1] == -1
    assert tail_last == last and len(tail) == 4
    assert tail.lat.tolist() == columns.lat.tolist()[-4:]
    data = load_map_data(sample_db)
    assert reports_block(data) == columns.raw()  # what the page fetches (reports.bin)
    assert b'fetch("reports.bin")' in data_script(data)


@pytest.mark.engines("sqlite")
def test_first_page_loads_while_the_reports_are_read(qtbot, sample_db):
    """The page (shell) is requested and waits for data.js while the worker cannot read yet."""
    from desktop.map.ui.view import MapView

    view = MapView(sample_db)
    try:
        view.resize(1000, 750)
        view.show()
        states: list[dict] = []
        view.mapReady.connect(states.append)
        with view._build_lock:  # the worker waits here before reading the database
            view.build(MapSettings())
            wait_until(lambda: view.handler is not None and any(
                p.endswith("/data.js") for p, _job in view.handler._waiting),
                60, "the page asking for its data")
            assert any(p.endswith("/index.html") for p in view.handler.served)
            assert not states and view.last_build is None
        wait_until(lambda: states, 60, "the map")
        assert states[0]["beats"] == 24 and states[0]["total"] == 2000
        assert view.handler._waiting == [] and view.router.pending == set()
        assert view.console_errors == []
        state = page_state(view.page)
        south, west, north, east = view.last_build.data.bounds
        assert west <= state["centre"][1] <= east and south <= state["centre"][0] <= north
        dashed = run_js(view.page,
                        "document.querySelectorAll('path[stroke-dasharray=\"6 4\"]').length")
        assert dashed == len(view.last_build.data.payload["gminaOutlines"]["features"]) > 0
    finally:
        close_view(view)


def test_a_packaged_build_keys_the_shell_on_its_program_file(tmp_path, monkeypatch):
    """Frozen, the modules are inside the program: the program file stands for the code."""
    program = tmp_path / "razem.exe"
    program.write_bytes(b"MZ build 1")
    monkeypatch.setattr(shell, "_CODE", (*shell._CODE, "not-shipped.py"))  # no sources
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    cache = tmp_path / "cache"
    cache.mkdir()
    first = shell.shell_key(MapSettings(), {}, None)
    page = shell.shell(MapSettings(), "p1", {}, None, cache_dir=cache)
    assert b"map/p1/data.js" in page and len(list(cache.iterdir())) == 1
    assert shell.shell(MapSettings(), "p2", {}, None, cache_dir=cache) == \
        page.replace(b"map/p1/", b"map/p2/")  # served from the cache
    program.write_bytes(b"MZ build 2, a new release")  # another build: another key
    assert shell.shell_key(MapSettings(), {}, None) != first


def test_without_the_sources_on_disk_the_shell_is_rendered_and_not_cached(tmp_path,
                                                                           monkeypatch):
    # Run from sources that cannot be read (not frozen): nothing to key a cache on.
    monkeypatch.setattr(shell, "_CODE", (*shell._CODE, "not-shipped.py"))
    with pytest.raises(OSError):
        shell.shell_key(MapSettings(), {}, None)
    page = shell.shell(MapSettings(), "p9", {}, None, cache_dir=tmp_path)
    assert b"map/p9/data.js" in page and page.endswith(b"</html>")
    assert list(tmp_path.iterdir()) == []
