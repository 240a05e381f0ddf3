"""One background-job type for every long task (imports, reading files, building pages,
preparing printouts), in the spirit of Anki's ``QueryOp``.

    job = run_job(read_file, path, on_success=self._loaded, on_failure=self._failed,
                  on_progress=self._progress, parent=self, name="odczyt pliku",
                  expected=(ImportFileError,))
    ...
    job.cancel()   # from the UI thread, at any time

The work function runs in a plain Python thread and gets a ``JobControl`` as its first
argument: ``ctl.progress(percent, text)`` reports progress, ``ctl.check()`` raises
``JobCancelled`` once the user cancelled (``ctl.cancelled`` just tells). Callbacks always run
on the UI thread, never in the worker: the worker makes no Qt call at all (results and
progress travel by ``desktop.common.ui.uicall.post``; see there why).

A plain thread per job, not a pooled QThread, so a job's thread never carries state from an
earlier job (pyproj itself runs on its own thread: see ``desktop.common.geo``).

Errors: an exception listed in ``expected`` is the user's business (a bad file): its text is
the Polish message shown, logged as one WARNING line. Anything else is a defect: its full
traceback goes to the log and the user gets a Polish line naming the log.
"""
from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from desktop.common.ui import uicall
from desktop.common.ui.i18n import translator

log = logging.getLogger("razem.jobs")


class JobCancelled(Exception):
    """Raised inside a job (by ``JobControl.check``) when the user cancelled it."""


@dataclass(frozen=True)
class JobFailure:
    """What went wrong in a job: ``message`` is Polish and ready to show."""

    message: str
    exception: BaseException
    traceback: str
    expected: bool


class JobControl:
    """Handed to the work function: progress out, cancellation in. Thread-safe."""

    def __init__(self, job: Job):
        self._job = job
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise JobCancelled if the user asked to stop (call it between steps)."""
        if self._cancel.is_set():
            raise JobCancelled

    def progress(self, percent: int, text: str = "") -> None:
        """Report progress (0–100, or -1 when unknown) with an optional Polish line."""
        self._job._send("progress", (int(percent), text))


_tr = translator("jobs")


class Job(QObject):
    """A running or finished background task. Create it with ``run_job``.

    Signals (emitted on the owner's thread): ``progressed(percent, text)``,
    ``succeeded(result)``, ``failed(JobFailure)``, ``cancelled()``, and ``finished()``
    after any of the last three.
    """

    progressed = Signal(int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()

    _alive: set[Job] = set()  # running jobs stay referenced until they finish

    def __init__(self, fn: Callable[..., Any], args: tuple, name: str,
                 expected: tuple[type[BaseException], ...], parent: QObject | None = None):
        super().__init__(parent)
        self._fn, self._args, self.name, self._expected = fn, args, name, expected
        self.control = JobControl(self)
        self._done = threading.Event()
        self.result: Any = None
        self.failure: JobFailure | None = None
        self.was_cancelled = False
        uicall.install()  # here, on the UI thread: the worker only posts to it
        self._thread = threading.Thread(target=self._run, name=f"razem-job: {name}", daemon=True)

    # -- owner thread -------------------------------------------------------------------
    def start(self) -> Job:
        Job._alive.add(self)
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the job to stop; it ends at its next ``check()`` (the work must check often)."""
        self.control._cancel.set()

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker thread ends (True) or the timeout passes (False).

        Results are still delivered through the event loop afterwards."""
        return self._done.wait(timeout)

    def _deliver(self, kind: str, payload: object) -> None:
        if not shiboken6.isValid(self):  # the owner (e.g. a closed dialog) is gone
            if kind != "progress":
                Job._alive.discard(self)
                log.info("%s: wynik bez odbiorcy (%s)", self.name, kind)
            return
        if kind == "progress":
            assert isinstance(payload, tuple)
            self.progressed.emit(payload[0], payload[1])
            return
        Job._alive.discard(self)
        if kind == "ok":
            self.result = payload
            self.succeeded.emit(payload)
        elif kind == "cancelled":
            self.was_cancelled = True
            self.cancelled.emit()
        else:
            assert isinstance(payload, JobFailure)
            self.failure = payload
            self.failed.emit(payload)
        self.finished.emit()

    # -- worker thread ------------------------------------------------------------------
    def _run(self) -> None:
        try:
            result = self._fn(self.control, *self._args)
        except JobCancelled:
            log.info("%s: przerwane przez użytkownika po %.2f s", self.name, self._elapsed())
            self._send("cancelled", None)
        except self._expected as exc:
            log.warning("%s: %s", self.name, exc)
            self._send("failed", JobFailure(str(exc), exc, traceback.format_exc(), True))
        except BaseException as exc:  # a defect: the whole traceback goes to the log
            log.error("%s: nieoczekiwany błąd", self.name, exc_info=exc)
            message = _tr("Nieoczekiwany błąd ({0}): {1}. Szczegóły zapisano w dzienniku "
                          "programu.").format(type(exc).__name__, exc)
            self._send("failed", JobFailure(message, exc, traceback.format_exc(), False))
        else:
            self._send("ok", result)
        finally:
            self._done.set()

    def _send(self, kind: str, payload: object) -> None:
        uicall.post(self._deliver, kind, payload)  # no Qt call in the worker

    def _elapsed(self) -> float:
        return time.perf_counter() - self._started


def running_jobs() -> int:
    """Jobs whose work is still running in its thread (the window's start-up builds its
    next tab only when none is: a worker holding the GIL makes every Python call the UI
    thread makes wait for it, issue 14)."""
    return sum(1 for job in list(Job._alive) if job.running)


def run_job(fn: Callable[..., Any], *args: Any, name: str,
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[JobFailure], None] | None = None,
            on_progress: Callable[[int, str], None] | None = None,
            on_cancelled: Callable[[], None] | None = None,
            on_finished: Callable[[], None] | None = None,
            expected: tuple[type[BaseException], ...] = (),
            parent: QObject | None = None) -> Job:
    """Start ``fn(control, *args)`` in the background and return its Job.

    ``name`` is a short Polish description used in the log. Callbacks run on the thread
    that called run_job (the UI thread)."""
    job = Job(fn, args, name, expected, parent)
    for signal, callback in ((job.succeeded, on_success), (job.failed, on_failure),
                             (job.progressed, on_progress), (job.cancelled, on_cancelled),
                             (job.finished, on_finished)):
        if callback is not None:
            signal.connect(callback)
    return job.start()
