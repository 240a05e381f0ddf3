"""The shared progress dialog around a background job (``run_with_progress``), with real
widgets: shown with the job's progress, *Przerwij* cancels within a second, a failure is a
Polish message and a log line, and the dialog is closed whatever the outcome."""
from __future__ import annotations

import logging
import threading
import time

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from desktop.common.ui.progress import progress_dialog, run_with_progress


class BadFile(Exception):
    pass


def _window(qtbot) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    return window


def _gone(dialog: QProgressDialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _buttons(dialog: QProgressDialog) -> list[str]:
    return [b.text() for b in dialog.findChildren(QPushButton)]


def _slow(release: threading.Event):
    """A job that reports progress, then waits (checking for cancel) until released."""
    def work(ctl):
        ctl.progress(40, "Połowa pracy")
        while not release.is_set():
            ctl.check()
            time.sleep(0.01)
        return "gotowe"
    return work


def test_progress_is_shown_and_the_dialog_closes_before_the_result(qtbot):
    window = _window(qtbot)
    release = threading.Event()
    seen: list[tuple[str, bool]] = []
    job = run_with_progress(_slow(release), parent=window, name="test", label="Praca…",
                            title="Próba", minimum_ms=50,
                            on_success=lambda r: seen.append((r, dialog.isVisible())))
    dialog = progress_dialog(job)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() == 40, timeout=5000)
    assert dialog.labelText() == "Połowa pracy"
    assert dialog.isModal() and dialog.windowTitle() == "Próba"
    assert _buttons(dialog) == ["Przerwij"]
    release.set()
    qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert seen == [("gotowe", False)]  # closed before the result was handed on
    assert _gone(dialog) and progress_dialog(job) is None


def test_a_short_job_does_not_flash_the_dialog(qtbot):
    window = _window(qtbot)
    shown: list[bool] = []
    job = run_with_progress(lambda ctl: ctl.progress(50) or 1, parent=window, name="krótka",
                            label="Praca…", title="Próba")
    dialog = progress_dialog(job)
    assert dialog is not None
    job.progressed.connect(lambda *_: shown.append(dialog.isVisible()))
    qtbot.waitSignal(job.finished, timeout=5000).wait()
    qtbot.wait(600)  # past the minimum duration: the timer must not show it afterwards
    assert shown in ([], [False]) and _gone(dialog)


def test_przerwij_cancels_within_a_second_and_runs_on_cancelled(qtbot):
    window = _window(qtbot)
    release = threading.Event()
    cancelled: list[bool] = []
    finished: list[str] = []
    job = run_with_progress(_slow(release), parent=window, name="test", label="Praca…",
                            title="Próba", minimum_ms=0,
                            on_success=lambda _r: finished.append("ok"),
                            on_cancelled=lambda: cancelled.append(dialog.isVisible()),
                            on_finished=lambda: finished.append("koniec"))
    dialog = progress_dialog(job)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() == 40, timeout=5000)
    button = dialog.findChild(QPushButton)
    assert button.text() == "Przerwij"
    asked = time.monotonic()
    button.click()
    qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert time.monotonic() - asked < 1.0
    assert job.was_cancelled and job.result is None
    assert cancelled == [False] and finished == ["koniec"]
    assert _gone(dialog)
    release.set()


def test_failure_is_a_polish_message_and_a_log_line(qtbot, caplog):
    window = _window(qtbot)
    boxes: list[tuple[str, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            boxes.append((box.windowTitle(), box.text()))
            box.accept()
        else:
            QTimer.singleShot(20, answer)

    def work(ctl):
        ctl.progress(10, "")
        time.sleep(0.2)
        raise BadFile("Plik nie jest arkuszem XLSX.")

    with caplog.at_level(logging.WARNING, logger="razem.jobs"):
        job = run_with_progress(work, parent=window, name="odczyt pliku", label="Odczyt…",
                                title="Import", expected=(BadFile,), minimum_ms=0)
        dialog = progress_dialog(job)
        assert dialog is not None
        QTimer.singleShot(20, answer)  # answers the message box once it is shown
        qtbot.waitSignal(job.finished, timeout=5000).wait()
        qtbot.waitUntil(lambda: bool(boxes), timeout=5000)
    assert boxes == [("Import", "Plik nie jest arkuszem XLSX.")]
    assert any("odczyt pliku: Plik nie jest arkuszem XLSX." in r.getMessage()
               for r in caplog.records)
    assert _gone(dialog)


def test_defect_names_the_log_and_its_traceback_is_logged(qtbot, caplog):
    window = _window(qtbot)
    failures = []

    def work(ctl):
        return {}["brak"]

    with caplog.at_level(logging.ERROR, logger="razem.jobs"):
        job = run_with_progress(work, parent=window, name="obliczenia", label="Liczenie…",
                                title="Próba", on_failure=failures.append)
        dialog = progress_dialog(job)
        assert dialog is not None
        qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert "Nieoczekiwany błąd (KeyError)" in failures[0].message
    assert "dzienniku" in failures[0].message
    assert "Traceback" in caplog.text or any(r.exc_info for r in caplog.records)
    assert _gone(dialog)


def test_without_cancel_there_is_no_przerwij(qtbot):
    window = _window(qtbot)
    release = threading.Event()
    job = run_with_progress(_slow(release), parent=window, name="test", label="Praca…",
                            title="Próba", cancellable=False, minimum_ms=0,
                            label_format="Etap: {0}")
    dialog = progress_dialog(job)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.value() == 40, timeout=5000)
    assert dialog.labelText() == "Etap: Połowa pracy"
    assert _buttons(dialog) == []
    dialog.close()  # closing the window is not a cancel of a job that must not stop
    release.set()
    qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert job.result == "gotowe" and _gone(dialog)
