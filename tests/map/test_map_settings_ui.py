"""Settings dialog validation and an MBTiles basemap served through the scheme into the page."""
from __future__ import annotations

import sqlite3

import pytest
from map_helpers import QT_NOISE, close_view, load_view, make_mbtiles, run_js, wait_until
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from desktop.map.settings import MapSettings

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)


def _png(colour: str) -> bytes:
    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def _png_mbtiles(path):
    make_mbtiles(path)
    con = sqlite3.connect(path)
    con.execute("UPDATE tiles SET tile_data = ?", (_png("#9ccc65"),))
    con.commit()
    con.close()
    return path


def test_settings_page_validates_in_polish(qtbot, tmp_path):
    from desktop.map.ui.settings_dialog import MapSettingsPage

    dialog = MapSettingsPage(MapSettings())
    qtbot.addWidget(dialog)
    assert dialog.validation_error() is None  # nothing chosen: plain background
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"nope" * 100)
    dialog.mbtiles.setText(str(junk))
    assert "nie jest plikiem MBTiles" in dialog.validation_error()
    good = make_mbtiles(tmp_path / "good.mbtiles")
    dialog.mbtiles.setText(str(good))
    assert dialog.validation_error() is None
    dialog.online.setChecked(True)
    dialog.online_url.setText("ftp://example.org/tiles")
    assert "https://" in dialog.validation_error()
    dialog.online_url.setText("https://tiles.example.org/{z}/{x}/{y}.png")
    assert dialog.validation_error() is None
    chosen = dialog.settings()
    assert chosen.mbtiles_path == str(good) and chosen.online_tiles is True
    assert chosen.online_host == "tiles.example.org"


def test_mbtiles_basemap_reaches_the_page_offline(qtbot, sample_db, tmp_path):
    path = _png_mbtiles(tmp_path / "base.mbtiles")
    view, state = load_view(sample_db, MapSettings(mbtiles_path=str(path)))
    try:
        wait_until(lambda: run_js(view.page,
                                  "document.querySelectorAll('img.leaflet-tile-loaded').length"),
                   15, "loaded tiles")
        tiles = [p for p in view.handler.served if p.startswith("/tiles/")]
        assert tiles and all(p.startswith("/tiles/2/") for p in tiles)  # file's max zoom
        attribution = run_js(view.page,
                             "document.querySelector('.leaflet-control-attribution').textContent")
        assert "<b>Test</b> tiles" in attribution  # escaped: shown, not interpreted
        assert view.interceptor.blocked == []
        assert state["beats"] == 24
    finally:
        close_view(view)
