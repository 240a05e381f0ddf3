"""„Pobierz podkład na potrzeby pracy offline” through the real widgets, against a real tile
server on loopback; and the map settings page's WMS/WMTS sources."""
from __future__ import annotations

import sqlite3
import time

import pytest
from shapely.geometry import box
from tile_server import TileServer

from desktop.map.basemap import make_source
from desktop.map.download import plan_tiles
from desktop.map.settings import MapSettings
from desktop.map.ui.basemap_dialog import BasemapDownloadDialog
from desktop.map.ui.settings_dialog import MapSettingsPage

KONIN = box(18.20, 52.19, 18.30, 52.25)


@pytest.fixture()
def server():
    s = TileServer()
    yield s
    s.close()


def _count(path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT COUNT(*) FROM tiles").fetchone()[0]
    finally:
        con.close()


def _dialog(qtbot, server, tmp_path, db=None, area=KONIN) -> BasemapDownloadDialog:
    dialog = BasemapDownloadDialog(make_source("xyz", server.xyz, attribution="KMP"),
                                   db=db, area=area)
    qtbot.addWidget(dialog)
    dialog.out.setText(str(tmp_path / "podklad.mbtiles"))
    dialog.rate.setValue(50)
    dialog.zmin.setValue(10)
    dialog.zmax.setValue(12)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.start.isEnabled(), timeout=10000)
    return dialog


def test_estimate_then_download_then_use_the_file(qtbot, server, tmp_path):
    dialog = _dialog(qtbot, server, tmp_path)
    expected = len(plan_tiles(KONIN, 10, 12))
    assert dialog.planned == expected
    assert dialog.estimate.text().startswith(f"{expected} kafel")
    dialog.start.click()
    assert dialog.stop.isEnabled() and not dialog.start.isEnabled()
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=20000)
    assert dialog.status.text().startswith("Gotowe:")
    assert _count(dialog.out_path) == expected and dialog.bar.value() == 100
    qtbot.waitUntil(lambda: not dialog.stop.isEnabled(), timeout=5000)
    assert dialog.close_button.text() == "Zamknij"
    dialog.close_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.use_file


def test_the_estimate_follows_the_zoom_levels(qtbot, server, tmp_path):
    dialog = _dialog(qtbot, server, tmp_path)
    dialog.zmax.setValue(14)
    expected = len(plan_tiles(KONIN, 10, 14))
    qtbot.waitUntil(lambda: dialog.planned == expected and dialog.start.isEnabled(),
                    timeout=10000)
    dialog.zmin.setValue(15)
    qtbot.waitUntil(lambda: "nie może być większy" in dialog.estimate.text(), timeout=5000)
    assert not dialog.start.isEnabled()
    assert server.requests == []  # estimating never touches the server


def test_stop_returns_within_a_second_and_a_second_start_resumes(qtbot, server, tmp_path):
    dialog = _dialog(qtbot, server, tmp_path)
    dialog.zmax.setValue(14)
    qtbot.waitUntil(lambda: dialog.planned == len(plan_tiles(KONIN, 10, 14))
                    and dialog.start.isEnabled(), timeout=10000)
    server.delay = 0.05
    dialog.start.click()
    qtbot.waitUntil(lambda: len(server.requests) >= 12, timeout=10000)
    server.delay = 6.0  # the server now hangs
    started = time.monotonic()
    dialog.stop.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Przerwano"), timeout=3000)
    assert time.monotonic() - started < 1.0
    assert dialog.start.isEnabled()
    partial = _count(dialog.out_path)
    assert 0 < partial < dialog.planned
    server.delay = 0.0
    dialog.start.click()
    qtbot.waitUntil(lambda: dialog.result_ is not None, timeout=30000)
    assert dialog.result_.already_there == partial
    assert _count(dialog.out_path) == dialog.planned


def test_a_server_error_is_shown_in_polish(qtbot, server, tmp_path):
    server.html_from = 0
    dialog = _dialog(qtbot, server, tmp_path)
    dialog.start.click()
    qtbot.waitUntil(lambda: "zamiast obrazka" in dialog.status.text(), timeout=20000)
    assert dialog.result_ is None and dialog.start.isEnabled()


def test_the_area_comes_from_the_database(qtbot, server, tmp_path, sample_db):
    dialog = _dialog(qtbot, server, tmp_path, db=sample_db, area=None)
    assert dialog.planned > len(plan_tiles(KONIN, 10, 12))  # all beats, not the centre


def test_settings_page_accepts_network_wms_and_checks_it(qtbot, tmp_path):
    page = MapSettingsPage(MapSettings())
    qtbot.addWidget(page)
    page.online.setChecked(True)
    page.kind.setCurrentIndex(page.kind.findData("wms"))
    page.online_url.setText("http://mapy.policja.local/wms")
    assert "warstwy WMS" in page.validation_error()
    page.layers.setText("ortofotomapa")
    page.source_note.setText("Serwer map KWP")
    assert page.validation_error() is None
    chosen = page.settings()
    assert (chosen.online_kind, chosen.online_layers, chosen.online_host) == (
        "wms", "ortofotomapa", "mapy.policja.local")
    assert chosen.tile_source().tile_url(10, 1, 1).startswith("http://mapy.policja.local/wms?")
    page.kind.setCurrentIndex(page.kind.findData("xyz"))
    assert "musi zawierać {z}, {x} i {y}" in page.validation_error()
