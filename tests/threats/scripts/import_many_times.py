"""Run by tests/threats/test_import_threads.py in a child process (a crash inside pyproj kills
the process, and must not take the test run with it).

Imports the same KMZB file (EPSG:2180, so every import reprojects) into one database the way
the window does, while the process stays up: five times on Qt's pooled threads, five times as
background jobs (``run_job``), then from two threads at once. Prints one line per import
and finally "OK"; exits non-zero on any wrong result.
"""
from __future__ import annotations

import os
import sys
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(workdir: str) -> int:
    from PySide6.QtCore import QEventLoop, QRunnable, QThreadPool
    from PySide6.QtWidgets import QApplication
    from shapely.geometry import box

    from desktop.common.geo import area_km2
    from desktop.common.ui.jobs import run_job
    from desktop.startup import open_database
    from desktop.threats.importer import import_reports
    from desktop.threats.readers import read_table

    app = QApplication([])
    db = open_database(f"sqlite:///{workdir}/many.db").db
    # The window measures areas on the UI thread before any import (the sample data, beats).
    assert round(area_km2(box(18.2, 52.2, 18.21, 52.21)), 2) == 0.76
    east, north = 448780.6, 484036.3
    lines = ["ID;Typ;Status;TERYT;Data utworzenia;Data zdarzenia;Data modyfikacji;X;Y;Opis"]
    for i in range(2000):
        lines.append(f"K-{i};Akty wandalizmu;Potwierdzone;3062011;1520244000000;"
                     f"1520244000000;1520330400000;{east + i:.1f};{north + i:.1f};opis")
    path = f"{workdir}/kmzb.csv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    expected_first = (2000, 0)

    def check(result, n: int) -> None:
        counts = (result.added, result.updated)
        want = expected_first if n == 0 else (0, 2000)
        if counts != want or result.refused or result.crs_used != 2180:
            raise SystemExit(f"import {n}: {counts}, {result.refused} refused, "
                             f"EPSG:{result.crs_used}")

    n = 0

    class Runnable(QRunnable):
        def __init__(self):
            super().__init__()
            self.result = None

        def run(self):
            self.result = import_reports(db, read_table(path))

    pool = QThreadPool.globalInstance()
    for _ in range(5):  # Qt's pooled threads, as the import dialog used them
        job = Runnable()
        job.setAutoDelete(False)
        loop = QEventLoop()
        done = threading.Event()
        pool.start(job)
        while not done.is_set():  # the UI thread keeps running its event loop meanwhile
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if pool.activeThreadCount() == 0:
                done.set()
        check(job.result, n)
        print(f"import {n} (pool) ok", flush=True)
        n += 1

    for _ in range(5):  # background jobs, as the import dialog runs them
        loop = QEventLoop()
        box_: dict = {}
        run_job(lambda ctl, p: import_reports(db, read_table(p)), path, name="import",
                on_success=lambda r, b=box_, lp=loop: (b.setdefault("r", r), lp.quit()),
                on_failure=lambda f, b=box_, lp=loop: (b.setdefault("f", f), lp.quit()))
        loop.exec()
        if "f" in box_:
            raise SystemExit(f"import {n} failed: {box_['f'].message}")
        check(box_["r"], n)
        print(f"import {n} (job) ok", flush=True)
        n += 1

    results: list = []
    barrier = threading.Barrier(2)

    def both() -> None:
        barrier.wait()
        results.append(import_reports(db, read_table(path)))

    threads = [threading.Thread(target=both) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if len(results) != 2:
        raise SystemExit("a concurrent import failed")
    for r in results:
        check(r, n)
    print("two at once ok", flush=True)
    db.dispose()
    del app
    print("OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
