"""Opening the database off the UI thread, with progress (first start builds the sample)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEventLoop, QThread, Signal
from PySide6.QtWidgets import QProgressDialog
from sqlalchemy.exc import SQLAlchemyError

from db.engine import explain_database_error, resolve_database_url
from desktop.common.ui import plain
from desktop.startup import OpenedDatabase, open_database


class OpenDatabaseThread(QThread):
    """Runs desktop.startup.open_database; reports progress and the result by signals."""

    progressed = Signal(str, int)

    def __init__(self, url: str | None, parent=None):
        super().__init__(parent)
        self.url = url
        self.result: OpenedDatabase | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = open_database(self.url, fill_sample=True,
                                        progress=lambda t, p: self.progressed.emit(t, p))
        except Exception as exc:  # delivered to the UI thread and shown there
            self.error = exc


def open_with_progress(url: str | None, parent=None) -> OpenedDatabase | None:
    tr = QCoreApplication.translate
    dialog = QProgressDialog(tr("startup", "Otwieranie bazy danych…"), "", 0, 100, parent)
    dialog.setWindowTitle(tr("startup", "Razem"))
    dialog.setCancelButton(None)  # migrations and the sample are one transaction: no half-state
    dialog.setMinimumDuration(300)
    thread = OpenDatabaseThread(url)

    def on_progress(stage: str, percent: int) -> None:
        dialog.setLabelText(tr("startup", "Przygotowanie danych przykładowych: {0}").format(stage))
        dialog.setValue(percent)

    thread.progressed.connect(on_progress)
    loop = QEventLoop()
    thread.finished.connect(loop.quit)
    thread.start()
    loop.exec()
    thread.wait()
    dialog.close()
    if thread.error is not None:
        detail = (explain_database_error(thread.error, resolve_database_url(url))
                  if isinstance(thread.error, SQLAlchemyError) else str(thread.error))
        plain.message(
            parent, plain.Icon.Critical, tr("startup", "Nie można otworzyć bazy"),
            tr("startup", "Nie udało się otworzyć bazy danych.\n\n{0}").format(detail))
        return None
    return thread.result
