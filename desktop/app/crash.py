"""Qt's part of the log: Qt messages routed into it, and a Polish dialog for uncaught
exceptions that names the log file and offers to copy the details.

The dialog is shown on the UI thread whatever thread the exception came from (a signal of an
object living in the UI thread, queued when emitted elsewhere). It is not modal: the user can
keep working, copy the details or close it.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    QtMsgType,
    Signal,
    Slot,
    qInstallMessageHandler,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from desktop.common import logs
from desktop.common.ui.i18n import translator

qt_log = logging.getLogger("razem.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

MessageHandler = Callable[[QtMsgType, QMessageLogContext, str], None]
_previous_handler: MessageHandler | None = None
_installed = False


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = f" ({context.category})" if context.category and context.category != "default" else ""
    # Qt's own stderr output is replaced by the log's stderr handler (warnings and worse).
    qt_log.log(_LEVELS.get(mode, logging.WARNING), "%s%s", message, where)
    if _previous_handler is not None:  # e.g. pytest-qt's capture in the tests
        _previous_handler(mode, context, message)


def install_qt_message_handler() -> None:
    """Route qDebug/qWarning/... into the log (once; chains to a handler already there)."""
    global _previous_handler, _installed
    if _installed:
        return
    _previous_handler = qInstallMessageHandler(_qt_message)
    _installed = True


def uninstall_qt_message_handler() -> None:
    global _previous_handler, _installed
    if _installed:
        qInstallMessageHandler(_previous_handler)
        _previous_handler = None
        _installed = False


_tr = translator("crash")


class CrashDialog(QMessageBox):
    """Polish message, the log file named, the traceback under "Pokaż szczegóły"."""

    def __init__(self, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.details = details
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(_tr("Błąd programu"))
        self.setTextFormat(self.textFormat().PlainText)
        self.setText(_tr("Wystąpił nieoczekiwany błąd programu. Ostatnia czynność mogła się "
                         "nie udać; dane zapisane wcześniej są bezpieczne."))
        self.setInformativeText(_tr("Szczegóły zapisano w dzienniku:\n{0}\n\nPrzekaż je "
                                    "administratorowi.").format(logs.log_file()))
        self.setDetailedText(details)
        self.copy_button = QPushButton(_tr("Kopiuj szczegóły"), self)
        self.addButton(self.copy_button, QMessageBox.ButtonRole.ActionRole)
        self.copy_button.clicked.disconnect()  # keep the box open after copying
        self.copy_button.clicked.connect(self.copy_details)
        self.addButton(QMessageBox.StandardButton.Close)
        self.setModal(False)

    def copy_details(self) -> None:
        text = f"{self.text()}\n{logs.log_file()}\n\n{self.details}"
        QGuiApplication.clipboard().setText(text)


class _CrashReporter(QObject):
    """Lives in the UI thread; ``report`` may be called from any thread."""

    requested = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.dialogs: list[CrashDialog] = []
        self.requested.connect(self._show)

    def report(self, summary: str, details: str) -> None:
        self.requested.emit(summary, details)

    @Slot(str, str)
    def _show(self, _summary: str, details: str) -> None:
        app = QApplication.instance()
        if app is None:
            return
        if len(self.dialogs) >= 3:  # a loop of errors must not bury the screen in boxes
            return
        try:
            dialog = CrashDialog(details, QApplication.activeWindow())
            dialog.finished.connect(lambda _r, d=dialog: self._closed(d))
            self.dialogs.append(dialog)
            dialog.show()
        except Exception:  # never report the failure to report: that could loop
            logging.getLogger("razem.app").exception("Nie udało się pokazać okna błędu")

    def _closed(self, dialog: CrashDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)
        dialog.deleteLater()


_reporter: _CrashReporter | None = None


def install_crash_dialog() -> _CrashReporter:
    """Show uncaught exceptions in a dialog (needs a QApplication; call on the UI thread)."""
    global _reporter
    if _reporter is None:
        _reporter = _CrashReporter()
    logs.install_excepthooks()
    logs.set_reporter(_reporter.report)
    return _reporter
