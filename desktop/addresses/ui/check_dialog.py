"""The "Sprawdź zgodność" report: registered addresses outside every beat and those whose
street-register beat differs from the beat their point lies in, with CSV export."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from db.engine import Database
from desktop.addresses.prg import PrgCancelled
from desktop.addresses.service import (
    AddressError,
    CheckReport,
    check_consistency,
    export_check_csv,
)
from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job, JobCancelled, JobControl, JobFailure, run_job
from desktop.common.ui.tables import Column, RowsTableModel, make_table

_tr = translator("addresses")


def run_check(ctl: JobControl, db: Database) -> CheckReport:
    try:
        return check_consistency(db, progress=ctl.progress, cancelled=lambda: ctl.cancelled)
    except PrgCancelled:
        raise JobCancelled from None


class ConsistencyDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Zgodność punktów adresowych z rejonami"))
        self.resize(900, 560)
        self._db = db
        self.report: CheckReport | None = None
        self.worker: Job | None = None
        self.summary = plain.plain_label(_tr("Sprawdzanie…"), self)
        self.summary.setWordWrap(True)
        self.model = RowsTableModel([
            Column(_tr("Problem"), lambda r: _tr(r.problem)),
            Column(_tr("Adres"), lambda r: r.address),
            Column(_tr("TERYT gminy"), lambda r: r.teryt),
            Column(_tr("Rejon wg granic"), lambda r: r.geometry_beat),
            Column(_tr("Rejon wg rejestru ulic"), lambda r: r.register_beat),
        ], parent=self)
        self.view, self.proxy = make_table(self, self.model, lambda r: (r.address, r.problem))
        self.export_button = QPushButton(_tr("Eksportuj CSV…"), self)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.choose_export)
        close = QPushButton(_tr("Zamknij"), self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def start(self) -> Job:
        self.worker = run_job(run_check, self._db, name="zgodność punktów adresowych",
                              parent=self, on_success=self._on_success,
                              on_failure=self._on_failure,
                              on_progress=lambda pct, text: self.summary.setText(_tr(text)),
                              on_finished=self._on_finished)
        return self.worker

    def _on_success(self, report: CheckReport) -> None:
        self.report = report
        self.model.set_rows(list(report.rows))
        if not report.checked:
            text = _tr("Brak punktów adresowych w bazie – zaimportuj je z pliku PRG.")
        else:
            text = _tr("Sprawdzono punktów adresowych: {0}; poza rejonami: {1}; niezgodnych "
                       "z rejestrem ulic: {2}.").format(report.checked, report.outside,
                                                        report.disagreeing)
        self.summary.setText(text)
        self.export_button.setEnabled(bool(report.rows))

    def _on_failure(self, failure: JobFailure) -> None:
        self.summary.setText(failure.message)

    def _on_finished(self) -> None:
        self.worker = None

    def choose_export(self) -> None:
        path, _ = save_file_name(self, _tr("Eksportuj wynik sprawdzenia"),
                                 "zgodnosc-adresow.csv", _tr("Pliki CSV (*.csv)"))
        if path:
            self.export_file(path)

    def export_file(self, path: str) -> bool:
        if self.report is None:
            return False
        try:
            n = export_check_csv(self.report, path)
        except AddressError as exc:
            self.summary.setText(str(exc))
            return False
        self.summary.setText(_tr("Zapisano {0} wierszy do {1}.").format(n, path))
        return True

    def reject(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            return
        super().reject()
