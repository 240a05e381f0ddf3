"""The one background-job type: results, expected and unexpected failures, progress, cancel."""
from __future__ import annotations

import logging
import threading
import time

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
