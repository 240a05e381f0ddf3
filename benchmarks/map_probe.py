"""The map's interactive figures for run_all.py, in a fresh process per database.

    python benchmarks/map_probe.py DATABASE [--filters 20] [--baseline-slice 5000] [--baseline]

Prints one JSON line (PROBE {...}): cold build to ready, filter median / worst over
``--filters`` changes (Python to page result), the browser's memory (resident size of the
QtWebEngine processes) after 10 and after all filter changes, the refresh after 1,000 new
reports (only they are sent), and the baselines: a plain folium page rebuilt for a filter
(measured on a slice and scaled to all reports) and a FastMarkerCluster page's memory.
The database is changed (new reports): pass a copy.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from desktop.app.application import prepare_qt

prepare_qt()
import PySide6.QtWebEngineWidgets  # noqa: F401
from map_benchmark import js, plain_folium_html, report_rows, wait
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication


def browser_mb() -> float:
    """Resident memory of this process's QtWebEngine helper processes, in MB."""
    me, total = os.getpid(), 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            if "QtWebEngine" not in name:
                continue
            chain, parent = ppid, ppid
            while parent not in (0, 1, me):
                s = Path(f"/proc/{parent}/stat").read_text()
                parent = int(s[s.rindex(")") + 2:].split()[1])
            if parent != me and chain != me:
                continue
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return total / 1024


def filters(db):
    from sqlalchemy import select

    from db.models import ThreatCategory, ThreatStatus
    from desktop.map.data import ReportFilter

    with db.session() as s:
        cats = s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id)).all()
        sts = s.scalars(select(ThreatStatus.id).order_by(ThreatStatus.id)).all()
    out = [ReportFilter(categories=tuple(cats[:5])), ReportFilter(unit_id=2),
           ReportFilter(date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 6, 30)),
           ReportFilter(statuses=tuple(sts[:2])), ReportFilter(categories=tuple(cats[5:9])),
           ReportFilter(unit_id=3, date_from=dt.date(2018, 7, 1))]
    for i in range(6):  # one category at a time: filters never seen before
        out.append(ReportFilter(categories=(cats[i % len(cats)],)))
    out.append(ReportFilter())
    return out


def add_reports(db, n: int) -> None:
    from sqlalchemy import select

    from db.models import ThreatReport

    with db.session() as s, s.begin():
        rows = s.execute(select(ThreatReport.category_id, ThreatReport.status_id,
                                ThreatReport.lat, ThreatReport.lon, ThreatReport.beat_id)
                         .order_by(ThreatReport.id).limit(n)).all()
        s.add_all([ThreatReport(category_id=c, status_id=st, lat=la + 1e-4, lon=lo, beat_id=b,
                                reported_at=dt.datetime(2018, 12, 31, 12),
                                source_id=f"bench-new-{i}")
                   for i, (c, st, la, lo, b) in enumerate(rows)])


def measure(db, n_filters: int) -> dict:
    from desktop.map.settings import MapSettings
    from desktop.map.ui.view import MapView

    view = MapView(db)
    view.resize(1200, 800)
    view.show()
    states: list[dict] = []
    view.mapReady.connect(states.append)
    t = time.perf_counter()
    view.build(MapSettings())
    wait(lambda: states, 600, "the map")
    cold = time.perf_counter() - t
    results: list[dict] = []
    view.bridge.filterResult.connect(results.append)
    chosen = filters(db)
    times, mem10 = [], 0.0
    for k in range(n_filters):
        flt = chosen[k % len(chosen)]
        count = len(results)
        t = time.perf_counter()
        view.bridge.send_filter(flt.to_json())
        wait(lambda count=count: len(results) > count, 120, "a filter result")
        times.append(time.perf_counter() - t)
        if k == 9:
            mem10 = browser_mb()
    mem = browser_mb()
    # an import of 1,000 reports: only they go to the page
    add_reports(db, 1000)
    total = states[0]["total"]
    rebuilt: list[bool] = []
    count = len(results)
    t = time.perf_counter()
    view.update_reports(lambda: rebuilt.append(True))
    wait(lambda: len(results) > count or rebuilt, 120, "the new reports")
    refresh = time.perf_counter() - t
    assert not rebuilt and results[-1]["total"] == total + 1000, (rebuilt, results[-1])
    view.shutdown()
    view.close()
    import shiboken6

    shiboken6.delete(view)
    page_ms = [r.get("ms", 0.0) / 1000 for r in results]  # inside the page (performance.now)
    return {"reports": total, "cold": cold, "filter_median": statistics.median(times),
            "filter_page_median": statistics.median(page_ms[:-1]),
            "filter_page_worst": max(page_ms[:-1]), "refresh_page": page_ms[-1],
            "filter_worst": max(times), "browser_mb_10": mem10, "browser_mb": mem,
            "refresh": refresh, "sent": view.delta_sizes[-1]}


def baselines(db, slice_: int, total: int) -> dict:
    """Plain folium rebuild for one filter (slice, scaled) and FastMarkerCluster's memory."""
    import folium
    from folium.plugins import FastMarkerCluster

    from desktop.map import assets
    from desktop.map.ui.view import MapView

    out: dict = {}
    view = MapView(db)
    view.resize(1200, 800)
    view.show()
    view._ensure_web()
    flt = filters(db)[0]
    rows = report_rows(db, flt, limit=slice_)
    t = time.perf_counter()
    html = plain_folium_html(rows, "base")
    view.router.publish({"map/base/index.html": html})
    assert view.view is not None and view.page is not None
    view.view.load(QUrl("razem://app/map/base/index.html"))
    wait(lambda: js(view.page, "(function(){for (var k in window) { var v = window[k];"
                    " if (v && window.L && L.MarkerClusterGroup && v instanceof"
                    " L.MarkerClusterGroup) return v.getLayers().length; } return 0; })()")
         == len(rows), 900, "the plain folium markers")
    share = len(report_rows(db, flt)) if slice_ < total else len(rows)
    out["folium_filter"] = (time.perf_counter() - t) * share / max(len(rows), 1)
    out["folium_scaled"] = len(rows) < share
    view.shutdown()
    view.close()
    if total > 200_000:  # a FastMarkerCluster page of a million markers takes many minutes
        return out
    view = MapView(db)  # a fresh page and renderer for the memory figure
    view.resize(1200, 800)
    view.show()
    view._ensure_web()
    assert view.view is not None and view.page is not None
    # FastMarkerCluster with every report, memory after load
    coords = [(la, lo) for la, lo, *_ in report_rows(db)]
    m = folium.Map(location=(52.22, 18.25), zoom_start=10, tiles=None, maxZoom=18)
    FastMarkerCluster(coords, callback="function (row) { return L.circleMarker("
                      "new L.LatLng(row[0], row[1])); }").add_to(m)
    assets.localize(m)
    page = m.get_root().render().encode("utf-8")
    view.router.publish({"map/fast/index.html": page})
    view.view.load(QUrl("razem://app/map/fast/index.html"))
    wait(lambda: js(view.page, "(function(){for (var k in window) { var v = window[k];"
                    " if (v && window.L && L.MarkerClusterGroup && v instanceof"
                    " L.MarkerClusterGroup) return v.getLayers().length; } return 0; })()")
         == len(coords), 1200, "FastMarkerCluster")
    out["fast_mb"] = browser_mb()
    view.shutdown()
    view.close()
    return out


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("database")
    ap.add_argument("--filters", type=int, default=20)
    ap.add_argument("--baseline-slice", type=int, default=5000)
    ap.add_argument("--baseline", action="store_true",
                    help="only the baselines (a browser of their own)")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841
    from db.engine import Database

    db = Database.open(f"sqlite:///{Path(args.database).resolve().as_posix()}")
    if args.baseline:
        from sqlalchemy import func, select

        from db.models import ThreatReport

        with db.session() as s:
            total = s.scalar(select(func.count()).select_from(ThreatReport)) or 0
        result = baselines(db, args.baseline_slice, total)
    else:
        result = measure(db, args.filters)
    db.dispose()
    print("PROBE " + json.dumps(result), flush=True)
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
