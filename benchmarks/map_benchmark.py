"""Map speed: the Razem map beside a plain folium build of the same reports.

    python benchmarks/map_benchmark.py [--database /tmp/map_bench.db] [--baseline-reports N]

Creates the database with ``razem sample --reports 50000 --beats 60`` if it is missing.
Both pages are served the same way (the app's razem:// scheme in a headless QWebEngineView).

Measured:
- time to ready: from asking for the map (database read, page build, load) to every report
  being in the page (clustered or single);
- page bytes per report: the page and its data (shared library files not counted);
- filter change: from the filter leaving Python to the page showing the result. The plain
  folium page cannot filter in place, so its figure is a rebuild with the filtered subset.

Targets on a 2-core machine: under 1.5 s to ready, under 50 bytes per report, filter under 0.3 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from desktop.app.application import prepare_qt

prepare_qt()
import PySide6.QtWebEngineWidgets  # noqa: F401
from PySide6.QtCore import QEventLoop, QTimer, QUrl
from PySide6.QtWidgets import QApplication

TARGETS = {"ready": 1.5, "bytes": 50.0, "filter": 0.3}


def wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        pause(5)  # a short event loop, not a busy processEvents() loop


def js(page, code: str, timeout: float = 120.0):
    box = []
    page.runJavaScript(code, 0, box.append)
    wait(lambda: box, timeout, code[:40])
    return box[0]


def pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def ensure_database(path: Path) -> None:
    if path.exists():
        return
    print(f"creating {path} (razem sample --reports 50000 --beats 60) ...", flush=True)
    subprocess.run([sys.executable, "-m", "desktop", "sample", "--reports", "50000",
                    "--beats", "60", "--database", str(path)], check=True, cwd=ROOT)


def filters(db):
    from sqlalchemy import select

    from db.models import ThreatCategory
    from desktop.map.data import ReportFilter

    with db.session() as s:
        cats = tuple(s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id).limit(5)))
    return [ReportFilter(categories=cats), ReportFilter(unit_id=2),
            ReportFilter(date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 6, 30)),
            ReportFilter()]


def measure_razem(db) -> dict:
    from desktop.map.settings import MapSettings
    from desktop.map.ui.view import MapView

    view = MapView(db)
    view.resize(1200, 800)
    view.show()
    states = []
    view.mapReady.connect(states.append)
    started = time.perf_counter()
    view.build(MapSettings())
    wait(lambda: states, 120, "the Razem map")
    ready = time.perf_counter() - started
    state = states[0]
    assert state["rendered"] == state["total"], state
    assert view.interceptor.blocked == [], view.interceptor.blocked
    page = view.last_build.page
    build_seconds = view.last_build.seconds
    started = time.perf_counter()  # again, with Chromium already running
    view.build(MapSettings())
    wait(lambda: len(states) > 1, 120, "the rebuilt Razem map")
    warm = time.perf_counter() - started
    times, page_ms = [], []
    results = []
    view.bridge.filterResult.connect(results.append)
    for _round in range(3):
        for flt in filters(db):
            count = len(results)
            t = time.perf_counter()
            view.bridge.send_filter(flt.to_json())
            wait(lambda count=count: len(results) > count, 30, "a filter result")
            times.append(time.perf_counter() - t)
            page_ms.append(results[-1]["ms"] / 1000)
    view.shutdown()
    view.close()
    import shiboken6

    shiboken6.delete(view)
    return {"reports": state["total"], "ready": ready, "warm": warm, "build": build_seconds,
            "bytes": page.bytes_per_report, "page_mb": (len(page.html) + len(page.data_js)) / 1e6,
            "filter": statistics.median(times), "filter_max": max(times),
            "filter_js": statistics.median(page_ms)}


def plain_folium_html(rows, token: str) -> bytes:
    """The naive build: one folium.Marker with a popup per report inside a MarkerCluster."""
    import folium
    from folium.plugins import MarkerCluster

    from desktop.map import assets

    m = folium.Map(location=(52.22, 18.25), zoom_start=10, tiles=None, maxZoom=18)
    cluster = MarkerCluster().add_to(m)
    for lat, lon, category, status, day in rows:
        folium.Marker((lat, lon), popup=folium.Popup(f"{category}<br>{status}<br>{day}")
                      ).add_to(cluster)
    assets.localize(m)
    assets.check_local(m)
    return m.get_root().render().encode("utf-8")


def report_rows(db, flt=None, limit: int | None = None):
    from sqlalchemy import select

    from db.models import ThreatCategory, ThreatReport, ThreatStatus

    q = (select(ThreatReport.lat, ThreatReport.lon, ThreatCategory.name, ThreatStatus.name,
                ThreatReport.reported_at).join(ThreatCategory).join(ThreatStatus)
         .order_by(ThreatReport.id))
    if flt is not None and flt.categories is not None:
        q = q.where(ThreatReport.category_id.in_(flt.categories))
    if limit:
        q = q.limit(limit)
    with db.session() as s:
        return [(la, lo, c, st, at.date().isoformat()) for la, lo, c, st, at in s.execute(q)]


def measure_plain(db, limit: int | None) -> dict:
    from desktop.map.ui.view import MapView

    view = MapView(db)  # only its profile, scheme and interceptor are used
    view.resize(1200, 800)
    view.show()
    view._ensure_web()

    def load(rows, token):
        started = time.perf_counter()
        html = plain_folium_html(rows, token)
        build = time.perf_counter() - started
        view.router.publish({f"map/{token}/index.html": html})
        view.view.load(QUrl(f"razem://app/map/{token}/index.html"))
        expected = len(rows)
        wait(lambda: js(view.page, "(function(){for (var k in window) { var v = window[k];"
                        " if (v && window.L && L.MarkerClusterGroup && v instanceof"
                        " L.MarkerClusterGroup) return v.getLayers().length; } return 0; })()")
             == expected, 900, "the plain folium markers")
        return time.perf_counter() - started, build, len(html)

    rows = report_rows(db, limit=limit)
    ready, build, size = load(rows, "base1")
    blocked = list(view.interceptor.blocked)
    flt = filters(db)[0]
    filtered = report_rows(db, flt, limit=limit)
    filter_time, _b, _s = load(filtered, "base2")
    view.shutdown()
    view.close()
    import shiboken6

    shiboken6.delete(view)
    return {"reports": len(rows), "ready": ready, "warm": None, "build": build,
            "bytes": size / len(rows), "page_mb": size / 1e6, "filter": filter_time, "filter_max": filter_time,
            "filter_js": None, "blocked": blocked}


def fmt(value, digits=2):
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    return f"{value:.{digits}f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="/tmp/map_bench.db")
    parser.add_argument("--baseline-reports", type=int, default=None,
                        help="limit the plain folium build to N reports (default: all)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)
    path = Path(args.database)
    ensure_database(path)
    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841
    from db.engine import Database

    db = Database.open(f"sqlite:///{path.resolve().as_posix()}")
    ours = measure_razem(db)
    base = None if args.skip_baseline else measure_plain(db, args.baseline_reports)
    db.dispose()

    rows = [
        ("reports on the map", "reports", 0, None),
        ("time to ready, cold [s]", "ready", 2, "ready"),
        ("time to ready, warm rebuild [s]", "warm", 2, None),
        ("page + data bytes per report", "bytes", 1, "bytes"),
        ("page + data size [MB]", "page_mb", 2, None),
        ("filter change, median [s]", "filter", 3, "filter"),
        ("filter change, worst [s]", "filter_max", 3, None),
        ("  of which in the page [s]", "filter_js", 3, None),
    ]
    print()
    print(f"{'':34}{'Razem map':>14}{'plain folium':>16}{'target':>10}")
    for label, key, digits, target in rows:
        a = ours[key]
        b = base[key] if base else None
        a_text = fmt(a, digits) if key != "reports" else fmt(int(a))
        b_text = (fmt(b, digits) if key != "reports" else fmt(int(b))) if base else "-"
        t_text = f"< {TARGETS[target]}" if target else ""
        print(f"{label:34}{a_text:>14}{b_text:>16}{t_text:>10}")
    if base:
        print(f"\nRazem map: database read and page build {ours['build']:.2f} s (worker thread)")
        print(f"plain folium: Python build {base['build']:.1f} s; filter = rebuild with the "
              f"filtered reports; blocked requests: {len(base['blocked'])}")
    ok = (ours["ready"] < TARGETS["ready"] and ours["bytes"] < TARGETS["bytes"]
          and ours["filter"] < TARGETS["filter"])
    print("targets met" if ok else "TARGETS MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
