"""The longest UI-thread stall per interaction, in one started application (issue 14).

    python benchmarks/interaction_probe.py DATABASE [--why]

Starts the window like startup_probe.py, waits until every tab has filled in and the map is
ready, then, one after another: opens every tab, changes the diagnosis period, scope and
statuses, types into the search fields of the partners, reports, beats and activities tabs
(one key at a time, as a user types) and changes the beats tab's day. Each interaction is
started from the event loop; the probe then lets the loop run until no background job is left
(and 0.3 s more: late fills, paints). A 10 ms heartbeat on the UI thread gives the longest
gap per interaction. Prints one JSON line: ``worst`` (the longest of all), ``worst_name``,
``idle`` (the longest gap of one idle second before the interactions: the floor) and
``interactions`` {name: longest gap [s]}. ``--why`` prints the UI thread's stack at each stall.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from startup_probe import Heartbeat

SETTLE = 0.3  # s of event loop after the last background job of an interaction ends
LIMIT = 30.0  # s: an interaction still busy after this is reported as such


def _jobs_running() -> bool:
    return any(t.name.startswith("razem-job") and t.is_alive() for t in threading.enumerate())


def spin(seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def run_interaction(beat: Heartbeat, action: Callable[[], None]) -> float:
    """Start ``action`` from the event loop, run the loop until it has settled; the longest
    heartbeat gap meanwhile."""
    from PySide6.QtCore import QEventLoop, QTimer

    spin(0.05)
    beat.worst = 0.0
    beat.last = time.perf_counter()
    started = time.perf_counter()
    QTimer.singleShot(0, action)
    loop = QEventLoop()
    quiet_since: list[float] = []

    def poll() -> None:
        now = time.perf_counter()
        if _jobs_running() and now - started < LIMIT:
            quiet_since.clear()
            return
        if not quiet_since:
            quiet_since.append(now)
        elif now - quiet_since[0] >= SETTLE:
            loop.quit()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(poll)
    timer.start()
    loop.exec()
    timer.stop()
    return round(beat.worst, 3)


def interactions(window) -> list[tuple[str, Callable[[], None]]]:
    """(name, action) in the order run; the actions only touch widgets, as a user would."""
    out: list[tuple[str, Callable[[], None]]] = []
    tabs = window.tabs
    for index in range(tabs.count()):
        key = window.tab_by_key.key_at(index)
        out.append((f"tab {key}", lambda i=index: tabs.setCurrentIndex(i)))

    diagnosis = window.tab_by_key["diagnosis"]
    out.append(("tab diagnosis (again)",
                lambda: tabs.setCurrentWidget(window.tab_by_key.page("diagnosis"))))
    out.append(("diagnosis: date from -1 month",
                lambda: diagnosis.date_from.setDate(diagnosis.date_from.date().addMonths(-1))))
    out.append(("diagnosis: date to -1 month",
                lambda: diagnosis.date_to.setDate(diagnosis.date_to.date().addMonths(-1))))
    out.append(("diagnosis: scope = first unit", lambda: diagnosis.scope_combo.setCurrentIndex(1)))
    beat_scope = next((i for i in range(diagnosis.scope_combo.count())
                       if getattr(diagnosis.scope_combo.itemData(i), "kind", "") == "beat"), 0)
    out.append(("diagnosis: scope = a beat",
                lambda: diagnosis.scope_combo.setCurrentIndex(beat_scope)))
    out.append(("diagnosis: scope = all", lambda: diagnosis.scope_combo.setCurrentIndex(0)))
    out.append(("diagnosis: all statuses", lambda: diagnosis.status_picker.set_selected(None)))
    out.append(("diagnosis: default statuses", diagnosis.status_picker.reset))

    def typing(tab_key: str, field: Callable[[], object], text: str) -> None:
        def switch() -> None:
            tabs.setCurrentWidget(window.tab_by_key.page(tab_key))
        out.append((f"tab {tab_key} (again)", switch))
        for n in range(1, len(text) + 1):
            out.append((f"{tab_key}: type {text[:n]!r}",
                        lambda t=text[:n]: field().setText(t)))  # type: ignore[attr-defined]
        out.append((f"{tab_key}: clear search", lambda: field().setText("")))  # type: ignore[attr-defined]

    typing("partners", lambda: window.tab_by_key["partners"].search, "kon")
    typing("reports", lambda: window.tab_by_key["reports"].search, "kon")
    typing("beats", lambda: window.tab_by_key["beats"].beats.search, "kon")
    typing("activities", lambda: window.tab_by_key["activities"].search, "kon")
    beats_page = window.tab_by_key["beats"].beats
    out.append(("beats: day -1 year",
                lambda: beats_page.date.setDate(beats_page.date.date().addYears(-1))))
    out.append(("beats: day +1 year",
                lambda: beats_page.date.setDate(beats_page.date.date().addYears(1))))
    return out


def open_window(path: str):
    """The application on the database at ``path``, its window shown, the map drawn and every
    start-up job done. Returns (app, opened database, window)."""
    from PySide6.QtCore import QEventLoop, QTimer

    from desktop.app.application import create_application

    app = create_application()
    from desktop.app.main_window import MainWindow
    from desktop.app.startup_dialog import open_with_progress

    opened = open_with_progress(path)
    assert opened is not None
    window = MainWindow(opened.db)
    ready: list[bool] = []
    window.tab_by_key["map"].map.mapReady.connect(lambda _s: ready.append(True))
    window.show()
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(lambda: loop.quit() if ready and not window.startup_pending()
                         and not _jobs_running() else None)
    poll.start()
    QTimer.singleShot(180_000, loop.quit)
    loop.exec()
    poll.stop()
    return app, opened, window


def main() -> int:
    app, opened, window = open_window(sys.argv[1])
    spin(1.0)  # late fills and paints of the start-up

    beat = Heartbeat()
    if "--why" in sys.argv:
        beat.watch()
    spin(0.05)
    beat.worst, beat.last = 0.0, time.perf_counter()
    spin(1.0)
    idle = round(beat.worst, 3)
    results: dict[str, float] = {}
    for name, action in interactions(window):
        if "--why" in sys.argv:
            print(f"== {name}", file=sys.stderr, flush=True)
        results[name] = run_interaction(beat, action)
    worst_name = max(results, key=lambda k: results[k])
    print("PROBE " + json.dumps({"worst": results[worst_name], "worst_name": worst_name,
                                 "idle": idle, "interactions": results}), flush=True)
    window.close()
    for widget in window.tab_by_key.built().values():
        stop = getattr(widget, "shutdown", None)
        if stop:
            stop()
    opened.db.dispose()
    del app
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
