"""One start of the application, instrumented (run by startup_benchmark.py in a fresh process).

    python benchmarks/startup_probe.py DATABASE [--tab KEY] [--why] [--modules]
    python benchmarks/startup_probe.py --bare

Prints one JSON line: seconds from the process start (the parent passes its clock in
RAZEM_PROBE_T0) to the window being shown and to the map being ready, the longest gap of a
10 ms heartbeat on the UI thread from the QApplication's creation until every tab's start-up
job has finished, and when that was. ``--tab KEY``: the window opens on that tab, as when the
user closed it there (the map is then built in the background, and "map ready" is when it is
ready there). ``--bare``: only a QWebEngineView loading Leaflet (the floor).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

T0 = float(os.environ.get("RAZEM_PROBE_T0", time.time()))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def now() -> float:
    return time.time() - T0


class Heartbeat:
    """A 10 ms timer on the UI thread: the longest gap between ticks is the longest stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.last = time.perf_counter()
        self.last_cpu = time.thread_time()  # the UI thread's own CPU time
        self.worst = 0.0
        self.worst_at = 0.0
        # (ended at, length, the UI thread's CPU seconds in it) of gaps over 0.1 s: a gap with
        # little CPU of its own was the UI thread waiting (for the GIL, or for a core).
        self.gaps: list[tuple[float, float, float]] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def watch(self, limit: float = 0.1) -> None:
        """``--why``: a thread prints where the UI thread is when it stalls for > ``limit``."""
        import threading
        import traceback

        main = threading.main_thread().ident

        def run() -> None:
            seen = None
            while True:
                time.sleep(0.03)
                if time.perf_counter() - self.last > limit and seen != self.last:
                    seen = self.last
                    lines = [f"STALL at {now():.2f}s:"]
                    for ident, frame in sys._current_frames().items():
                        if ident == threading.get_ident():
                            continue
                        name = "UI" if ident == main else str(ident)
                        lines.append(f"-- thread {name}")
                        lines += traceback.format_stack(frame)[-(16 if ident == main else 6):]
                    print("\n".join(lines), file=sys.stderr, flush=True)

        threading.Thread(target=run, daemon=True).start()

    def tick(self) -> None:
        t, cpu = time.perf_counter(), time.thread_time()
        gap = t - self.last - 0.010
        if gap > self.worst:
            self.worst, self.worst_at = gap, now()
        if gap > 0.1:
            self.gaps.append((round(now(), 3), round(gap, 3), round(cpu - self.last_cpu, 3)))
        self.last, self.last_cpu = t, cpu


def bare() -> dict:
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWebEngineWidgets import QWebEngineView

    import resources
    from desktop.app.application import create_application

    app = create_application()
    beat = Heartbeat()
    view = QWebEngineView()
    view.resize(1200, 800)
    leaflet = (resources.ROOT / "web" / "leaflet" / "dist" / "leaflet.js").as_uri()
    css = (resources.ROOT / "web" / "leaflet" / "dist" / "leaflet.css").as_uri()
    html = (f'<html><head><link rel="stylesheet" href="{css}"><script src="{leaflet}"></script>'
            '</head><body style="margin:0"><div id="m" style="height:100vh"></div><script>'
            'L.map("m").setView([52.2,18.25],10);</script></body></html>')
    view.show()
    shown = now()
    loop = QEventLoop()
    view.loadFinished.connect(lambda _ok: loop.quit())
    view.setHtml(html, QUrl("file:///"))
    loop.exec()
    ready = now()
    settle = QEventLoop()  # first paints, as in full()
    QTimer.singleShot(500, settle.quit)
    settle.exec()
    view.close()
    del view, app
    return {"shown": shown, "map_ready": ready, "stall": beat.worst,
            "gaps": beat.gaps}  # type: ignore[dict-item]


def full(database: str) -> dict:
    from PySide6.QtCore import QEventLoop, QTimer

    # As run_gui does: the window's code imported before the QApplication exists.
    from desktop.app.application import create_application
    from desktop.app.launch import open_main_window

    if "--tab" in sys.argv:  # the tab the user closed the window on (main_window remembers it)
        from desktop.app.main_window import window_settings
        from desktop.app.tabs import tab_specs

        key = sys.argv[sys.argv.index("--tab") + 1]
        window_settings().setValue("window/tab", [s.key for s in tab_specs()].index(key))
    app = create_application()
    beat = Heartbeat()
    if "--why" in sys.argv:
        beat.watch()
    marks: dict[str, float] = {"app": now()}
    # As run_gui does: the window's frame shown first, then the database opened and attached.
    launched = open_main_window(database, on_shown=lambda _w: marks.update(shown=now()))
    opened, window = launched.opened, launched.window
    assert opened is not None
    marks["attached"] = now()
    ready: list[float] = []
    cpu: list[float] = []  # this process's CPU seconds (all threads) when the map was ready
    watched: list[object] = []
    marks["early_map"] = False  # type: ignore[assignment]

    def watch_map() -> None:
        """Listen for the map once its tab exists; looking it up would build it on the spot
        (LazyTabs), which the window does not do when it opens on another tab."""
        map_tab = window.tab_by_key.built().get("map")
        if map_tab is not None and not watched:
            watched.append(map_tab)
            map_tab.map.mapReady.connect(lambda _s: (ready.append(now()),
                                                     cpu.append(time.process_time())))
            first = getattr(map_tab.map, "first_ready", None)
            if first is not None:  # drawn before the tab was built (desktop.map.ui.early)
                ready.append(first[0] - T0)
                cpu.append(first[1])
            marks["early_map"] = first is not None  # type: ignore[assignment]

    watch_map()
    if "--modules" in sys.argv:  # which of the big packages were loaded when it was shown
        marks["modules_at_attach"] = sorted(  # type: ignore[assignment]
            m for m in ("sqlalchemy", "db.models", "numpy", "folium") if m in sys.modules)
    loop = QEventLoop()

    def done() -> bool:
        watch_map()
        pending = getattr(window, "startup_pending", lambda: 0)()
        return bool(ready) and not pending

    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: loop.quit() if done() else None)
    poll.start()
    QTimer.singleShot(120_000, loop.quit)
    loop.exec()
    marks["all_loaded"] = now()
    # the UI thread for a little longer (late slices, first paints)
    settle = QEventLoop()
    QTimer.singleShot(500, settle.quit)
    settle.exec()
    marks["map_ready"] = ready[0] if ready else float("nan")
    marks["map_ready_cpu"] = cpu[0] if cpu else float("nan")
    marks["stall"] = beat.worst
    marks["stall_at"] = beat.worst_at
    # the longest once the window is shown (before it there is no window to answer)
    marks["stall_after_shown"] = max((g for end, g, _cpu in beat.gaps if end - g > marks["shown"]),
                                     default=0.0)
    marks["gaps"] = beat.gaps  # type: ignore[assignment]
    window.close()
    for widget in window.tab_by_key.values():
        stop = getattr(widget, "shutdown", None)
        if stop:
            stop()
    opened.db.dispose()
    del app
    return marks


def main() -> int:
    if "--bare" in sys.argv:
        result = bare()
    else:
        result = full(sys.argv[1])
    print("PROBE " + json.dumps(result), flush=True)
    os._exit(0)  # no slow teardown of Chromium in the measured process


if __name__ == "__main__":
    raise SystemExit(main())
