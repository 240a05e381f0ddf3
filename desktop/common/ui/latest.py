"""Reads that follow the user's input without stalling the window (issue 14).

    self.reader = LatestRead(self, self._fill, name="diagnoza")
    self.date_from.dateChanged.connect(
        lambda: self.reader.request(lambda scope=self.scope(): read(db, scope)))

``request`` runs the read in a background job (``run_job``) and hands its result to ``fill``
on the UI thread. One read runs at a time: requests made meanwhile are merged into the newest,
read when the running one ends, and the running one's result is then dropped (it no longer
matches the widgets). So typing five letters reads at most twice, and the window shows the
result of the last input only. ``busy()`` tells whether a result is still to come.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job

log = logging.getLogger("razem.ui")


class LatestRead(QObject):
    def __init__(self, parent: QObject, fill: Callable[[Any], None], *, name: str,
                 on_failure: Callable[[JobFailure], None] | None = None):
        super().__init__(parent)
        self._fill = fill
        self._name = name
        self._on_failure = on_failure
        self._job: Job | None = None
        self._next: Callable[[], Any] | None = None

    def request(self, read: Callable[[], Any]) -> None:
        """Read (in a job) and fill; supersedes every earlier request not yet filled."""
        self._next = read
        if self._job is None:
            self._start()

    def busy(self) -> bool:
        return self._job is not None or self._next is not None

    def _start(self) -> None:
        read, self._next = self._next, None
        assert read is not None

        def work(_ctl: JobControl) -> Any:
            return read()

        self._job = run_job(work, name=self._name, on_success=self._arrived,
                            on_failure=self._failed, on_finished=self._finished, parent=self)

    def _arrived(self, result: Any) -> None:
        if self._next is None:  # else a newer request is waiting: this result is stale
            self._fill(result)

    def _failed(self, failure: JobFailure) -> None:
        if self._next is None:
            if self._on_failure is not None:
                self._on_failure(failure)
            else:
                log.warning("%s: %s", self._name, failure.message)

    def _finished(self) -> None:
        self._job = None
        if self._next is not None:
            self._start()
