"""The one background-job type: results, expected and unexpected failures, progress, cancel."""
from __future__ import annotations

import logging
import threading
import time

import shiboken6

from desktop.common.ui.jobs import JobFailure, run_job


class BadFile(Exception):
    pass


def test_result_arrives_on_the_ui_thread(qtbot):
    seen = {}

    def work(ctl, a, b):
        ctl.progress(50, "połowa")
        return a + b

    def done(result):
        seen["result"] = result
        seen["thread"] = threading.current_thread()

    progress = []
    job = run_job(work, 2, 3, name="dodawanie", on_success=done,
                  on_progress=lambda p, t: progress.append((p, t)))
    with qtbot.waitSignal(job.finished, timeout=5000):
        pass
    assert seen == {"result": 5, "thread": threading.main_thread()}
    assert progress == [(50, "połowa")] and job.result == 5


def test_expected_error_is_the_message_and_a_warning(qtbot, caplog):
    def work(ctl):
        raise BadFile("Plik nie jest arkuszem XLSX.")

    failures: list[JobFailure] = []
    with caplog.at_level(logging.WARNING, logger="razem.jobs"):
        job = run_job(work, name="odczyt", on_failure=failures.append, expected=(BadFile,))
        qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert [f.message for f in failures] == ["Plik nie jest arkuszem XLSX."]
    assert failures[0].expected
    assert any("Plik nie jest arkuszem XLSX." in r.getMessage() for r in caplog.records)


def test_defect_logs_its_traceback(qtbot, caplog):
    def work(ctl):
        return {}["brak"]

    failures: list[JobFailure] = []
    with caplog.at_level(logging.ERROR, logger="razem.jobs"):
        job = run_job(work, name="obliczenia", on_failure=failures.append)
        qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert not failures[0].expected and "KeyError" in failures[0].message
    assert "dzienniku" in failures[0].message
    record = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert record.exc_info and "in work" in caplog.text


def test_cancel_stops_within_a_second(qtbot):
    started = threading.Event()

    def work(ctl):
        started.set()
        while True:
            ctl.check()
            time.sleep(0.01)

    cancelled = []
    job = run_job(work, name="pętla", on_cancelled=lambda: cancelled.append(True))
    assert started.wait(5)
    t = time.perf_counter()
    job.cancel()
    assert job.wait(1.0)
    assert time.perf_counter() - t < 1.0
    qtbot.waitUntil(lambda: cancelled == [True], timeout=2000)
    assert job.was_cancelled and not job.running


def test_the_worker_makes_no_qt_call(qtbot):
    """A worker's PySide call can deadlock with the UI thread (the GIL held while waiting for
    one of Qt's pooled mutexes): progress and the result reach the UI thread with none (the
    job's relay was a queued signal emitted in the worker)."""
    from tests.printing.qtcalls import worker_qt_calls

    def work(ctl):
        for pct in (10, 50, 90):
            ctl.progress(pct, f"{pct} %")
        return "gotowe"

    progress = []
    with worker_qt_calls() as seen:
        job = run_job(work, name="bez Qt", on_progress=lambda p, t: progress.append(p))
        qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert seen.calls == []
    assert any(name.startswith("razem-job") for name in seen.threads)  # it was profiled
    assert progress == [10, 50, 90] and job.result == "gotowe"


def test_a_result_for_a_deleted_owner_is_dropped_quietly(qtbot, caplog):
    """The job's owner (a dialog) closed and deleted before the result arrives: nothing is
    delivered, one INFO line, and the job is no longer kept alive."""
    from PySide6.QtCore import QObject

    from desktop.common.ui.jobs import Job

    owner = QObject()
    release = threading.Event()

    def work(ctl):
        release.wait(5)
        return 1

    got = []
    with caplog.at_level(logging.INFO, logger="razem.jobs"):
        job = run_job(work, name="porzucone", parent=owner, on_success=got.append)
        owner.deleteLater()
        qtbot.waitUntil(lambda: not shiboken6.isValid(job), timeout=5000)
        release.set()
        assert job.wait(5)
        qtbot.waitUntil(lambda: "wynik bez odbiorcy" in caplog.text, timeout=5000)
    assert got == [] and job not in Job._alive
