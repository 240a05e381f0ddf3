"""*Zapisz jako PDF* of a unit's beat summaries: the pages are laid out and painted by the
job's child process (never on the UI thread), with progress, and cancel stops it between pages
leaving no file behind (issue #14)."""
from __future__ import annotations

import threading

from desktop.app.context import AppContext
from desktop.beats.queries import beat_ids_of_unit
from desktop.beats.ui.printing import write_summaries
from desktop.common.ui.jobs import JobControl, run_job


def _run(qtbot, db, ids, path, cancel_at: int | None):
    """Run write_summaries as the beats tab does; with ``cancel_at`` the user presses
    *Przerwij* as soon as the progress passes that percentage (from the worker, so that the
    moment is certain however fast the machine)."""
    seen: list[tuple[int, str]] = []

    def work(ctl: JobControl, *args):
        report = ctl.progress

        def progress(percent: int, text: str = "") -> None:
            seen.append((percent, threading.current_thread().name))
            report(percent, text)
            if cancel_at is not None and percent > cancel_at:
                ctl._job.cancel()

        ctl.progress = progress  # type: ignore[method-assign]
        return write_summaries(ctl, *args)

    job = run_job(work, db, ids, None, str(path), name="test kart rejonów")
    qtbot.waitUntil(lambda: not job.running, timeout=30000)
    qtbot.waitUntil(lambda: job.was_cancelled or job.result is not None
                    or job.failure is not None, timeout=5000)
    return job, seen


def test_pdf_is_painted_in_the_worker_with_progress(qtbot, sample_db, tmp_path):
    AppContext(sample_db)  # the app's context (opens nothing else)
    ids = beat_ids_of_unit(sample_db, 1)
    path = tmp_path / "karty.pdf"
    job, seen = _run(qtbot, sample_db, ids, path, cancel_at=None)
    assert job.failure is None and job.result >= len(ids) and path.exists()
    assert not (tmp_path / "karty.pdf.part").exists()
    main = threading.main_thread().name
    assert seen and all(thread != main for _, thread in seen)
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(40 < p < 100 for p in percents)  # pages reported one by one


def test_cancel_while_painting_stops_between_pages_and_leaves_no_file(qtbot, sample_db,
                                                                      tmp_path):
    ids = beat_ids_of_unit(sample_db, 1)
    path = tmp_path / "karty.pdf"
    job, seen = _run(qtbot, sample_db, ids, path, cancel_at=40)  # the first page painted
    assert job.was_cancelled and job.result is None
    assert max(p for p, _ in seen) < 100  # stopped before the last page
    assert not path.exists() and not (tmp_path / "karty.pdf.part").exists()
