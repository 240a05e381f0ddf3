"""A background job behind a progress dialog: the one place that writes the pattern out.

    job = run_with_progress(write_file, path, parent=self, name="zapis pliku",
                            label=self.tr("Zapisywanie…"), title=self.tr("Eksport"),
                            on_success=self._saved, expected=(OSError,))

``fn(ctl, *args)`` runs in a ``run_job`` job. The dialog is window-modal, shows only when the
job lasts longer than ``minimum_ms`` (short jobs do not flash), follows ``ctl.progress``
(percentage; -1 = unknown; a text replaces the label) and has *Przerwij*, which cancels the job
(it stops at its next ``ctl.check()``: the work must check at least once a second). The
dialog is closed and deleted before any outcome's callback runs (success, failure,
cancellation), so a preview or a message opened there is never covered by it.

A failure without ``on_failure`` is shown as a Polish message box (the job has already logged
it: a WARNING line for an expected error, the traceback for a defect).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.common.ui import plain
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job, JobFailure, run_job

MINIMUM_MS = 400  # a job shorter than this never shows the dialog

_tr = translator("progress")


def run_with_progress(fn: Callable[..., Any], *args: Any, parent: QWidget | None, name: str,
                      label: str, title: str,
                      on_success: Callable[[Any], None] | None = None,
                      on_failure: Callable[[JobFailure], None] | None = None,
                      on_cancelled: Callable[[], None] | None = None,
                      on_finished: Callable[[], None] | None = None,
                      label_format: str | None = None,
                      expected: tuple[type[BaseException], ...] = (),
                      cancellable: bool = True,
                      minimum_ms: int = MINIMUM_MS) -> Job:
    """Start ``fn(control, *args)`` in the background behind a progress dialog; returns the
    Job (its dialog is ``progress_dialog(job)`` while it runs).

    ``label`` is the dialog's first line, ``title`` its window title and the title of the
    default failure message; ``label_format`` (with ``{0}``) turns the job's progress texts
    into the label. ``cancellable=False`` (a single transaction that must not stop half-way)
    leaves out *Przerwij*. ``on_finished`` runs last, after any outcome."""
    dialog = QProgressDialog(label, _tr("Przerwij") if cancellable else "", 0, 100, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(minimum_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setValue(0)  # starts the minimum-duration clock
    done = False

    def progressed(percent: int, text: str) -> None:
        if done or job.control.cancelled:  # after Przerwij the hidden dialog stays hidden
            return
        if text:
            dialog.setLabelText(label_format.format(text) if label_format else text)
        if percent < 0:
            dialog.setRange(0, 0)  # unknown: a busy bar
        else:
            if dialog.maximum() == 0:
                dialog.setRange(0, 100)
            dialog.setValue(min(percent, 99))  # 100 would reset it; the end closes it

    def close() -> None:
        nonlocal done
        if done:
            return
        done = True
        if cancellable:
            dialog.canceled.disconnect(job.cancel)
        dialog.reset()  # stops the minimum-duration timer, so it never shows afterwards
        dialog.hide()
        dialog.deleteLater()

    def then(callback: Callable[..., None] | None) -> Callable[..., None]:
        def outcome(*payload: Any) -> None:
            close()
            if callback is not None:
                callback(*payload)
        return outcome

    def failed(failure: JobFailure) -> None:
        close()
        if on_failure is not None:
            on_failure(failure)
        else:
            plain.message(parent, plain.Icon.Warning, title, failure.message)

    job = run_job(fn, *args, name=name, expected=expected, parent=parent,
                  on_progress=progressed, on_success=then(on_success), on_failure=failed,
                  on_cancelled=then(on_cancelled), on_finished=then(on_finished))
    if cancellable:
        dialog.canceled.connect(job.cancel)
    _dialogs[job] = dialog
    job.finished.connect(lambda: _dialogs.pop(job, None))
    return job


_dialogs: dict[Job, QProgressDialog] = {}


def progress_dialog(job: Job) -> QProgressDialog | None:
    """The progress dialog of a job started by ``run_with_progress`` while it runs."""
    return _dialogs.get(job)
