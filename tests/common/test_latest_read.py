"""LatestRead (issue 14): reads follow the user's input in a job, one at a time; requests made
meanwhile merge into the newest, and only the newest input's result is filled in."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from desktop.common.ui.latest import LatestRead


def test_only_the_newest_request_is_filled_and_reads_run_off_the_ui_thread(qtbot):
    owner = QObject()
    gate = threading.Event()
    reads: list[tuple[int, str]] = []
    filled: list[int] = []

    def read(n: int) -> int:
        reads.append((n, threading.current_thread().name))
        if n == 1:
            gate.wait(10)  # the first read is still running while the user types on
        return n * 10

    reader = LatestRead(owner, filled.append, name="test")
    reader.request(lambda: read(1))
    assert reader.busy() and filled == []  # nothing waits on the UI thread
    for n in (2, 3, 4):
        reader.request(lambda n=n: read(n))
    gate.set()
    qtbot.waitUntil(lambda: not reader.busy(), timeout=10000)
    assert filled == [40]  # the first result was stale; 2 and 3 were never read
    assert [n for n, _ in reads] == [1, 4]
    assert all(name.startswith("razem-job") for _, name in reads)


def test_a_failed_read_reports_through_on_failure(qtbot):
    owner = QObject()
    failures: list[str] = []

    def broken() -> int:
        raise RuntimeError("baza niedostępna")

    reader = LatestRead(owner, lambda _r: None, name="test",
                        on_failure=lambda f: failures.append(f.message))
    reader.request(broken)
    qtbot.waitUntil(lambda: not reader.busy(), timeout=10000)
    assert len(failures) == 1 and "baza niedostępna" in failures[0]
