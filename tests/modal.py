"""Answering a modal dialog (a file dialog, a question) that a widget opens and waits on."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def answer_later(action: Callable[[QWidget], Any]) -> list[QWidget]:
    """Run ``action(modal_widget)`` once the next modal dialog is open and shown; returns the
    dialogs it saw."""
    seen: list[QWidget] = []

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or widget in seen or not widget.isVisible():
            QTimer.singleShot(20, poll)
            return
        seen.append(widget)
        action(widget)

    QTimer.singleShot(0, poll)
    return seen
