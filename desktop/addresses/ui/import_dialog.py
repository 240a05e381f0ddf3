"""The PRG import as a dialog: progress, "Przerwij" (cancel within a second, nothing saved),
then the counts and the refused points with their Polish reasons."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from db.engine import Database
from desktop.addresses.prg import PrgCancelled, PrgError
from desktop.addresses.service import ImportSummary, import_addresses
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job, JobCancelled, JobControl, JobFailure, run_job
from desktop.common.ui.tables import Column, RowsTableModel, make_table

_tr = translator("addresses")


def run_import(ctl: JobControl, db: Database, path: str) -> ImportSummary:
    """The import as a background job; the write is one transaction, so a cancel at any
    moment leaves the database as it was."""
    try:
        return import_addresses(db, path, progress=ctl.progress,
                                cancelled=lambda: ctl.cancelled)
    except PrgCancelled:
        raise JobCancelled from None


class PrgImportDialog(QDialog):
    """Started with a file; ``summary`` holds the result after a successful import."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Import punktów adresowych (PRG)"))
        self.resize(760, 520)
        self._db = db
        self.worker: Job | None = None
        self.summary: ImportSummary | None = None
        self.stage = plain.plain_label("", self)
        self.stage.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.refused_model = RowsTableModel(
            [Column(_tr("Punkt"), lambda r: r.where), Column(_tr("Powód"), lambda r: r.reason)],
            parent=self)
        self.refused_view, _ = make_table(self, self.refused_model, sort_column=None)
        self.cancel_button = QPushButton(_tr("Przerwij"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(_tr("Zamknij"), self)
        self.close_button.clicked.connect(self.accept)
        self.close_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stage)
        layout.addWidget(self.progress)
        layout.addWidget(self.refused_view, 1)
        layout.addLayout(buttons)

    def start(self, path: str) -> Job:
        self.stage.setText(_tr("Import pliku {0}…").format(path))
        self.worker = run_job(run_import, self._db, path, name="import punktów adresowych",
                              expected=(PrgError,), parent=self,
                              on_progress=self._on_progress, on_success=self._on_success,
                              on_failure=self._on_failure, on_cancelled=self._on_cancelled,
                              on_finished=self._on_finished)
        return self.worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.stage.setText(_tr("Przerywanie…"))
            self.worker.cancel()

    def _on_progress(self, percent: int, text: str) -> None:
        if percent >= 0:
            self.progress.setValue(percent)
        if text:
            self.stage.setText(_tr(text))

    def _on_success(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.progress.setValue(100)
        text = _tr("Zaimportowano punkty adresowe ({0}): nowe {1}, zmienione {2}, bez zmian "
                   "{3}, usunięte {4}; gminy (TERYT): {5}. Odrzucono: {6}.").format(
            summary.kind, summary.added, summary.updated, summary.unchanged, summary.removed,
            ", ".join(summary.gminas), summary.refused_count)
        if summary.refused_count > len(summary.refused):
            text += " " + _tr("Poniżej pierwsze {0} odrzuconych.").format(len(summary.refused))
        self.stage.setText(text)
        self.refused_model.set_rows(list(summary.refused))

    def _on_failure(self, failure: JobFailure) -> None:
        self.stage.setText(failure.message)

    def _on_cancelled(self) -> None:
        self.stage.setText(_tr("Import przerwany – nic nie zapisano."))

    def _on_finished(self) -> None:
        self.worker = None
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)

    def reject(self) -> None:
        if self.worker is not None:  # Esc / closing the window cancels first
            self.cancel()
            return
        super().reject()
