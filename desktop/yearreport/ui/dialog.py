"""The dialog "Sprawozdanie z realizacji programu…": period, unit, print preview, PDF, XLSX.

The numbers are gathered in a background job (``run_job``; cancel works between the steps);
the XLSX file is written there too, the PDF by the job's child process (no Qt in the job's
thread: desktop.printing.pdfprocess). The print preview is laid out on the UI thread.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time

from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.common.document import PagedDocument
from desktop.common.ui.dates import to_date
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.common.ui.plain import plain_label
from desktop.printing.pdfprocess import PdfChild, PdfFailed
from desktop.yearreport.content import ReportError, collect, reference_period, unit_choices
from desktop.yearreport.document import document
from desktop.yearreport.model import YearReport
from desktop.yearreport.ui.menu import ReportMenuEntry as ReportMenuEntry  # re-exported

log = logging.getLogger("razem.yearreport")

PREVIEW, PDF, XLSX = "preview", "pdf", "xlsx"
_tr = translator("yearreport")


def prepare(ctl: JobControl, db: Database, start: dt.date, end: dt.date, unit_id: int | None,
            xlsx_path: str | None, pdf_path: str | None = None
            ) -> tuple[YearReport, PagedDocument | None]:
    """The background part: the numbers, then the document (returned for the preview, or
    written to ``pdf_path`` by a child process started first: no Qt in this thread, see
    desktop.printing.pdfprocess) or the XLSX file."""
    began = time.monotonic()
    ctl.check()
    child = PdfChild() if pdf_path is not None else None  # its start-up overlaps the reading
    with child or contextlib.nullcontext():
        ctl.progress(5, "")
        report = collect(db, start, end, unit_id, check=ctl.check)
        ctl.check()
        ctl.progress(40 if child is not None else 80, "")
        if xlsx_path is not None:
            from desktop.yearreport.xlsx import write_xlsx

            write_xlsx(report, xlsx_path)
            log.info("Sprawozdanie %s–%s do XLSX %s w %.2f s", start, end, xlsx_path,
                     time.monotonic() - began)
            return report, None
        if child is not None and pdf_path is not None:
            child.write(ctl, pdf_path, document(report),
                        lambda done, total: ctl.progress(40 + done * 60 // max(total, 1), ""))
            return report, None
    return report, document(report)


class ReportDialog(QDialog):
    """Choose the period and unit; preview, save as PDF or XLSX."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Sprawozdanie z realizacji programu"))
        self.job: Job | None = None
        self.preview: QPrintPreviewDialog | None = None
        self.last_report: YearReport | None = None
        self.saved_path = ""

        start, end = reference_period(db)
        self.date_from = QDateEdit(QDate(start.year, start.month, start.day), self)
        self.date_to = QDateEdit(QDate(end.year, end.month, end.day), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.unit = QComboBox(self)
        self.unit.addItem(self.tr("cała komenda (wszystkie jednostki)"), None)
        for uid, short, name in unit_choices(db):
            self.unit.addItem(f"{short} – {name}" if short != name else name, uid)

        form = QFormLayout()
        form.addRow(self.tr("Od dnia:"), self.date_from)
        form.addRow(self.tr("Do dnia (włącznie):"), self.date_to)
        form.addRow(self.tr("Jednostka:"), self.unit)

        self.preview_button = QPushButton(self.tr("Podgląd wydruku…"), self)
        self.pdf_button = QPushButton(self.tr("Zapisz PDF…"), self)
        self.xlsx_button = QPushButton(self.tr("Zapisz tabele XLSX…"), self)
        self.cancel_button = QPushButton(self.tr("Przerwij"), self)
        self.cancel_button.setEnabled(False)
        self.preview_button.clicked.connect(lambda: self.start(PREVIEW))
        self.pdf_button.clicked.connect(lambda: self.start(PDF))
        self.xlsx_button.clicked.connect(lambda: self.start(XLSX))
        self.cancel_button.clicked.connect(self.cancel)
        actions = QHBoxLayout()
        for button in (self.preview_button, self.pdf_button, self.xlsx_button,
                       self.cancel_button):
            actions.addWidget(button)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.message = plain_label("", self)
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        intro = plain_label(self.tr(
            "Partnerzy i podpisy, działania według rodzaju, miesiąca i rejonu, plany działań "
            "priorytetowych z oceną, zagrożenia w rejonach na tle okresu poprzedniego "
            "i udział policjantów ruchu drogowego."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(close)

    # --- the period --------------------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date]:
        return to_date(self.date_from.date()), to_date(self.date_to.date())

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.date_from.setDate(QDate(start.year, start.month, start.day))
        self.date_to.setDate(QDate(end.year, end.month, end.day))

    def _suggested_name(self, suffix: str) -> str:
        start, end = self.period()
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and \
                start.year == end.year:
            return f"sprawozdanie-{start.year}.{suffix}"
        return f"sprawozdanie-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{suffix}"

    # --- the work ------------------------------------------------------------------------
    def start(self, kind: str, path: str | None = None) -> Job | None:
        """Prepare the report for a preview, a PDF or an XLSX file; without ``path`` the
        file name is asked first."""
        if self.job is not None:
            return None
        start, end = self.period()
        if end < start:
            self.message.setText(self.tr("Koniec okresu jest wcześniejszy niż jego początek."))
            return None
        if kind in (PDF, XLSX) and path is None:
            filters = (self.tr("Dokument PDF (*.pdf)") if kind == PDF
                       else self.tr("Skoroszyt Excel (*.xlsx)"))
            path, _ = save_file_name(self, self.tr("Zapisz sprawozdanie"),
                                     self._suggested_name(kind), filters)
            if not path:
                return None
            if not path.lower().endswith(f".{kind}"):
                path += f".{kind}"
        self._busy(True)
        self.message.setText(self.tr("Przygotowanie sprawozdania…"))
        self.job = run_job(prepare, self.db, start, end, self.unit.currentData(),
                           path if kind == XLSX else None, path if kind == PDF else None,
                           name="sprawozdanie z realizacji programu", parent=self,
                           expected=(ReportError, OSError, PdfFailed),
                           on_progress=lambda pct, _text: self.progress.setValue(pct),
                           on_success=lambda result: self._ready(kind, path, result),
                           on_failure=self._failed, on_cancelled=self._cancelled,
                           on_finished=self._finished)
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _busy(self, busy: bool) -> None:
        for widget in (self.preview_button, self.pdf_button, self.xlsx_button, self.date_from,
                       self.date_to, self.unit):
            widget.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        self.progress.setVisible(busy)
        self.progress.setValue(0)

    def _finished(self) -> None:
        self.job = None
        self._busy(False)

    def _ready(self, kind: str, path: str | None,
               result: tuple[YearReport, PagedDocument | None]) -> None:
        report, doc = result
        self.last_report = report
        if kind in (XLSX, PDF):  # written by the job
            self._saved(path or "")
            return
        assert doc is not None
        from desktop.printing.preview import make_preview_dialog

        self.message.setText("")
        self.preview = make_preview_dialog(self, doc)
        self.preview.open()

    def _saved(self, path: str) -> None:
        self.saved_path = path
        self.message.setText(self.tr("Zapisano {0}.").format(path))

    def _failed(self, failure: JobFailure) -> None:
        self.message.setText(self.tr("Nie udało się przygotować sprawozdania: {0}")
                             .format(failure.message))

    def _cancelled(self) -> None:
        self.message.setText(self.tr("Przerwano przygotowanie sprawozdania."))

    def wait_for_job(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.wait()

    def reject(self) -> None:
        self.wait_for_job()
        super().reject()
