"""How the map's reports reach the page at start-up (issue 14, helper mapcache).

    python benchmarks/map_block_probe.py DATABASE [--runs 3]

In one process: a MapView built ``--runs`` times in a row from the same database, with the
user folder of the caller (so the first build may fill the disk cache of the encoded reports,
desktop/map/blockcache.py, and the next ones use it). Prints one JSON line per build: seconds
from build() to mapReady, the worker's reading (data.js published), the page's own timings
(performance.now() at init, after decoding, after the points, after the first draw) and
whether the cache was used.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build_once(db) -> dict:
    """One MapView built and shown until its map is ready; the timings."""
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.map.settings import MapSettings
    from desktop.map.ui.view import MapView

    view = MapView(db)
    view.resize(1200, 800)
    view.show()
    got: dict = {}
    loop = QEventLoop()
    view.dataLoaded.connect(lambda _d: got.setdefault("data", time.perf_counter()))
    view.mapReady.connect(lambda state: (got.setdefault("ready", time.perf_counter()),
                                         got.setdefault("state", state), loop.quit()))
    view.buildFailed.connect(lambda m: (got.setdefault("failed", m), loop.quit()))
    QTimer.singleShot(120_000, loop.quit)
    t0 = time.perf_counter()
    c0 = time.process_time()
    view.build(MapSettings())
    loop.exec()
    state = got.get("state") or {}
    built = view.last_build
    result = {
        "ready": round(got.get("ready", float("nan")) - t0, 3),
        "data_published": round(got.get("data", float("nan")) - t0, 3),
        "worker_seconds": round(built.seconds, 3) if built else None,
        "cpu": round(time.process_time() - c0, 3),
        "reports": state.get("total"), "timing": state.get("timing"),
        "cached": built.data.cached if built else None,
        "failed": got.get("failed")}
    view.shutdown()
    view.close()
    view.deleteLater()
    settle = QEventLoop()
    QTimer.singleShot(300, settle.quit)
    settle.exec()
    return result


def main() -> int:
    from db.engine import Database
    from desktop.app.application import create_application

    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    app = create_application()
    db = Database.open(f"sqlite:///{Path(sys.argv[1]).resolve().as_posix()}")
    for _ in range(runs):
        print("PROBE " + json.dumps(build_once(db)), flush=True)
    db.dispose()
    del app
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
