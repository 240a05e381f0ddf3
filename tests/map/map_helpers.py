"""Helpers for the map tests: waiting, JavaScript, loading a map view, MBTiles files."""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from db.engine import Database
from desktop.map.settings import MapSettings

# Chromium/Qt noise on a machine without GPU (not covered by the shared pyproject list).
QT_NOISE = ("Failed to create RHI", "GPUInfo not initialized")


def wait_until(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        # A short event loop rather than a busy processEvents() loop.
        loop = QEventLoop()
        QTimer.singleShot(5, loop.quit)
        loop.exec()


def run_js(page, code: str, timeout: float = 15.0):
    """Evaluate JavaScript in the page and return its (JSON-able) result."""
    box = []
    page.runJavaScript(code, 0, lambda result: box.append(result))
    wait_until(lambda: box, timeout, f"JavaScript: {code[:60]}")
    return box[0]


def page_state(page) -> dict:
    return json.loads(run_js(page, "JSON.stringify(razem.state())"))


def show_heat_layer(page, shown: bool = True) -> dict:
    """Tick (or untick) "Mapa cieplna zgłoszeń" in the page's layer control, as the user does;
    the page's state once the heat layer has followed."""
    clicked = run_js(page, """(function () {
      var labels = document.querySelectorAll('.leaflet-control-layers-overlays label');
      for (var i = 0; i < labels.length; i++) {
        if (labels[i].textContent.indexOf('Mapa cieplna') >= 0) {
          var box = labels[i].querySelector('input');
          if (box.checked !== %s) { box.click(); }
          return true;
        }
      }
      return false;
    })()""" % ("true" if shown else "false"))
    assert clicked, "no heat map entry in the layer control"
    return wait_until(lambda: (lambda st: st if st["heatShown"] == shown else None)(
        page_state(page)), 10, "the heat layer shown" if shown else "the heat layer hidden")


@dataclass
class LoadedMap:
    view: object
    db: Database
    ready_state: dict


def load_view(db: Database, settings: MapSettings | None = None, timeout: float = 60.0):
    from desktop.map.ui.view import MapView

    view = MapView(db)
    view.resize(1000, 750)
    view.show()
    states, failures = [], []
    view.mapReady.connect(states.append)
    view.buildFailed.connect(failures.append)
    view.build(settings or MapSettings())
    wait_until(lambda: states or failures, timeout, "the map page")
    assert not failures, failures
    return view, states[0]


def close_view(view) -> None:
    """Delete now (not deleteLater): the view's page goes before the profile, as it must."""
    view.shutdown()
    view.close()
    shiboken6.delete(view)
    QApplication.processEvents()


def make_mbtiles(path, fmt="png"):
    """A tiny raster MBTiles file whose tile data names its own z, x and TMS row."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, "
                "tile_row INTEGER, tile_data BLOB)")
    con.executemany("INSERT INTO metadata VALUES (?, ?)",
                    [("name", "Test"), ("format", fmt), ("attribution", "<b>Test</b> tiles")])
    for z in range(3):
        for x in range(2 ** z):
            for row in range(2 ** z):
                con.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                            (z, x, row, f"z{z}x{x}row{row}".encode()))
    con.commit()
    con.close()
    return path
