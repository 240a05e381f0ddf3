"""Start-up: the window is shown first, each tab's data is read off the UI thread and then
filled in, with the same data a direct read gives (issue 14, item 1)."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject
from sqlalchemy import func, select

from db.models import ThreatReport
from desktop.activities.service import ActivityFilter, list_activities
from desktop.app.main_window import MainWindow
from desktop.beats.officers import list_officers
from desktop.beats.queries import beat_rows
from desktop.common.ui import background, jobs
from desktop.partners import service as partners
from desktop.threats.diagnosis import diagnose


def _rows(model) -> list:
    return [model.row_object(i) for i in range(model.rowCount())]


def test_window_is_shown_before_the_tab_data_is_read_and_then_filled(qtbot, sample_db):
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    window.show()
    beats, diagnosis = window.tab_by_key["beats"], window.tab_by_key["diagnosis"]
    # Shown, and the tabs' reads are still running (results arrive through the event loop).
    assert window.isVisible()
    assert window.startup_pending() >= 5
    assert beats.beats.model.rowCount() == 0 and diagnosis.diagnosis is None

    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    day = beats.beats.on_date()
    assert _rows(beats.beats.model) == beat_rows(sample_db, day)
    assert len(_rows(beats.beats.model)) == 24
    assert _rows(beats.roster.model) == list_officers(sample_db, include_inactive=False)
    assert beats.streets.model.rowCount() > 0

    expected = diagnose(sample_db, diagnosis.scope())
    assert diagnosis.diagnosis == expected and expected.total > 0
    assert diagnosis.category_model.rowCount() == len(expected.by_category)

    partner_tab = window.tab_by_key["partners"]
    assert _rows(partner_tab.model) == partners.list_partners(sample_db, False)
    assert partner_tab.gmina_filter.count() == len(partners.list_gminas(sample_db)) + 1

    reports = window.tab_by_key["reports"]
    with sample_db.session() as s:
        total = s.scalar(select(func.count()).select_from(ThreatReport))
    assert reports.model.total == total == 2000
    assert reports.model.rowCount() > 0
    assert reports.filters.beat.count() > 24  # the filter panel got its choices

    activities = window.tab_by_key["activities"]
    assert _rows(activities.model) == list_activities(sample_db, ActivityFilter())
    assert activities.beat.count() == 25  # "wszystkie" and the 24 beats


def test_loads_run_in_a_worker_when_deferred_and_at_once_otherwise(qtbot):
    owner = QObject()
    threads: list[str] = []
    filled: list[int] = []

    def read() -> int:
        threads.append(threading.current_thread().name)
        return 42

    background.load(owner, read, filled.append, name="test")  # a tab built on its own
    assert filled == [42] and threads == [threading.current_thread().name]
    with background.deferred():
        background.load(owner, read, filled.append, name="test")
        background.load(owner, read, filled.append, name="test")
        assert background.pending() == 2
        assert threads[1:] == []  # nothing is read before the window is built
    assert filled == [42]  # the fills wait for the event loop
    # The reads start a turn later: what follows the tab's construction on the UI thread
    # (its access keys, splitters, menu entries) runs without a worker taking the GIL.
    assert jobs.running_jobs() == 0 and threads[1:] == []
    qtbot.waitUntil(lambda: background.pending() == 0, timeout=5000)
    assert filled == [42, 42, 42]
    assert threads[1] == threads[2] != threading.current_thread().name  # one job, in turn
    assert threads[1].startswith("razem-job")


def test_a_failing_read_leaves_the_other_tabs_filled(qtbot):
    owner = QObject()
    filled: list[int] = []

    def broken() -> int:
        raise RuntimeError("baza niedostępna")

    with background.deferred():
        background.load(owner, broken, filled.append, name="zepsuta")
        background.load(owner, lambda: 7, filled.append, name="dobra")
    qtbot.waitUntil(lambda: background.pending() == 0, timeout=5000)
    assert filled == [7]


def test_no_qt_call_in_any_worker_thread_while_the_window_starts(qtbot, sample_db):
    """Every thread the start starts (the tabs' reads, the map's page and data jobs, the
    imports ahead) makes no PySide call: one can deadlock with the UI thread (the GIL held
    while waiting for one of Qt's pooled mutexes; CI hung once). Before, the jobs' results and
    the tabs' data came back by signals emitted in the worker."""
    from desktop.app.tabs import tab_specs
    from tests.printing.qtcalls import worker_qt_calls

    with worker_qt_calls() as seen:
        window = MainWindow(sample_db)
        qtbot.addWidget(window)
        window.show()
        map_tab = window.tab_by_key["map"]
        with qtbot.waitSignal(map_tab.map.mapReady, timeout=60000):
            pass
        qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
        qtbot.waitUntil(lambda: sorted(window.tab_by_key.built())
                        == sorted(spec.key for spec in tab_specs()), timeout=30000)
        for index in range(window.tabs.count()):  # every tab shown once (their refreshes)
            window.tabs.setCurrentIndex(index)
            qtbot.wait(50)
        qtbot.wait(300)
    assert seen.calls == []
    assert "razem-job: wczytywanie kart" in seen.threads  # the tabs' reads were profiled
