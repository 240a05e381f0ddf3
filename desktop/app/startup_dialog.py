"""Opening the database off the UI thread, with progress (first start builds the sample)."""
from __future__ import annotations

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QProgressDialog, QWidget
from sqlalchemy.exc import SQLAlchemyError

from db.engine import explain_database_error, resolve_database_url
from db.migrate import SchemaUpgradeError
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import JobControl, JobFailure, run_job
from desktop.startup import OpenedDatabase, open_database

_tr = translator("startup")


def _open(ctl: JobControl, url: str | None) -> OpenedDatabase:
    return open_database(url, fill_sample=True,
                         progress=lambda stage, percent: ctl.progress(percent, stage))


def open_with_progress(url: str | None, parent: QWidget | None = None) -> OpenedDatabase | None:
    """Open (upgrade, fill on first start) the database in a background job while a progress
    dialog shows; None (after a Polish message box) when it cannot be opened."""
    dialog = QProgressDialog(_tr("Otwieranie bazy danych…"), "", 0, 100, parent)
    dialog.setWindowTitle(_tr("Razem"))
    dialog.setCancelButton(None)  # migrations and the sample are one transaction: no half-state
    dialog.setMinimumDuration(300)

    def on_progress(percent: int, stage: str) -> None:
        dialog.setLabelText(_tr("Przygotowanie danych przykładowych: {0}").format(stage))
        dialog.setValue(percent)

    loop = QEventLoop()
    job = run_job(_open, url, name="otwieranie bazy danych",
                  expected=(SQLAlchemyError, SchemaUpgradeError),
                  on_progress=on_progress, on_finished=loop.quit)
    loop.exec()  # the results arrive through this loop, so finished cannot be missed
    dialog.close()
    failure: JobFailure | None = job.failure
    if failure is not None:
        detail = (explain_database_error(failure.exception, resolve_database_url(url))
                  if isinstance(failure.exception, SQLAlchemyError) else failure.message)
        plain.message(parent, plain.Icon.Critical, _tr("Nie można otworzyć bazy"),
                      _tr("Nie udało się otworzyć bazy danych.\n\n{0}").format(detail))
        return None
    return job.result
