"""Run inside ``unshare -n`` by test_basemap_offline.py: open the map on a downloaded MBTiles
file with no network at all and report, as JSON on stdout, what the page drew.

    python render_offline.py DATABASE_URL FILE.mbtiles TILE_SERVER_PORT
"""
from __future__ import annotations

import json
import os
import socket
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_QPA_OFFSCREEN_NO_GLX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

from PySide6.QtWidgets import QApplication

from db.engine import Database
from desktop.map.settings import MapSettings

PIXELS = """
(() => {
  const imgs = [...document.querySelectorAll('img.leaflet-tile-loaded')];
  const c = document.createElement('canvas'); c.width = c.height = 1;
  const g = c.getContext('2d');
  return JSON.stringify(imgs.map(i => { g.drawImage(i, 128, 128, 1, 1, 0, 0, 1, 1);
    return [i.src, i.naturalWidth, Array.from(g.getImageData(0, 0, 1, 1).data.slice(0, 3))]; }));
})()
"""


def main() -> int:
    url, mbtiles, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        network = True
    except OSError:
        network = False
    from desktop.app.application import prepare_qt

    prepare_qt()
    app = QApplication([])
    from map_helpers import close_view, load_view, run_js, wait_until

    db = Database.open(url)
    view, _state = load_view(db, MapSettings(mbtiles_path=mbtiles))
    # every tile of the view settled: drawn, or missing from the file (edges of the view)
    wait_until(lambda: run_js(view.page, "(() => { const all = [...document.querySelectorAll("
                                         "'img.leaflet-tile')]; return all.length > 0 && "
                                         "all.every(i => i.complete); })()"), 30, "tiles drawn")
    tiles = json.loads(run_js(view.page, PIXELS))
    print(json.dumps({"network": network, "tiles": tiles,
                      "blocked": list(view.interceptor.blocked)}))
    close_view(view)
    db.dispose()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
