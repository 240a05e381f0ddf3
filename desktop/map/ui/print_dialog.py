"""„Drukuj mapę…”: the current map view with legend, scale bar, north arrow, title, date and
sources, to print preview or PDF, A4/A3, landscape or portrait. The data is read off the UI
thread (desktop.common.ui.jobs); painting is ``desktop.map.ui.print_map``."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.map.printmap import MapPrintData, MapPrintOptions, collect
from desktop.map.ui.print_map import paint_map, setup_device, write_pdf

MAX_TITLE = 120


def _collect(ctl: JobControl, db: Database, options: MapPrintOptions) -> MapPrintData:
    ctl.progress(-1, "")
    return collect(db, options)


class MapPrintDialog(QDialog):
    """After a print or PDF ``last_pdf`` / ``printed`` say what was produced."""

    def __init__(self, db: Database, options: MapPrintOptions, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Drukuj mapę"))
        self._db = db
        self._options = options
        self.job: Job | None = None
        self.last_pdf: str | None = None
        self.preview: QPrintPreviewDialog | None = None
        self.title = QLineEdit(options.title, self)
        self.title.setMaxLength(MAX_TITLE)
        self.paper = QComboBox(self)
        self.paper.addItem("A4", "A4")
        self.paper.addItem("A3", "A3")
        self.paper.setCurrentIndex(max(0, self.paper.findData(options.paper)))
        self.orientation = QComboBox(self)
        self.orientation.addItem(self.tr("pozioma"), True)
        self.orientation.addItem(self.tr("pionowa"), False)
        self.orientation.setCurrentIndex(0 if options.landscape else 1)
        note = plain.plain_label(self.tr(
            "Wydruk obejmuje obecny widok mapy i filtr zgłoszeń, z legendą, podziałką, "
            "strzałką północy, datą i źródłami danych."), self)
        note.setWordWrap(True)
        self.status = plain.plain_label("", self)
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Tytuł:"), self.title)
        form.addRow(self.tr("&Papier:"), self.paper)
        form.addRow(self.tr("&Orientacja:"), self.orientation)
        self.buttons = QDialogButtonBox(self)
        self.preview_button = self.buttons.addButton(self.tr("Podgląd wydruku…"),
                                                     QDialogButtonBox.ButtonRole.ActionRole)
        self.pdf_button = self.buttons.addButton(self.tr("Zapisz PDF…"),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close).setText(self.tr("Zamknij"))
        self.buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(lambda: self._start(self._show_preview))
        self.pdf_button.clicked.connect(self._ask_pdf)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.preview_button.setDefault(True)

    def options(self) -> MapPrintOptions:
        title = self.title.text().strip() or self._options.title
        return replace(self._options, title=title, paper=self.paper.currentData(),
                       landscape=bool(self.orientation.currentData()))

    def _start(self, then) -> None:
        if self.job is not None:
            return
        self.status.setText(self.tr("Przygotowuję wydruk…"))
        self._busy(True)
        self.job = run_job(_collect, self._db, self.options(), name="wydruk mapy", parent=self,
                           on_success=then, on_failure=self._failed,
                           on_finished=lambda: self._busy(False))

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.job = None
        self.preview_button.setEnabled(not busy)
        self.pdf_button.setEnabled(not busy)

    def _failed(self, failure: JobFailure) -> None:
        self.status.setText(failure.message)

    def _ask_pdf(self) -> None:
        path, _ = save_file_name(self, self.tr("Zapisz mapę jako PDF"), "mapa.pdf",
                                 self.tr("Dokument PDF (*.pdf)"))
        if path:
            self.save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf")

    def save_pdf(self, path: str) -> None:
        self._start(lambda data: self._write(data, path))

    def _write(self, data: MapPrintData, path: str) -> None:
        try:
            write_pdf(data, path)
        except OSError as exc:
            self.status.setText(self.tr("Nie udało się zapisać pliku {0}: {1}").format(path, exc))
            return
        self.last_pdf = path
        self.status.setText(self.tr("Zapisano {0}.").format(path))

    def _show_preview(self, data: MapPrintData) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(data.options.title)
        setup_device(printer, data)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.printer_ = printer  # type: ignore[attr-defined]  # keep it alive with the dialog
        dialog.setWindowTitle(self.tr("Podgląd wydruku – {0}").format(data.options.title))
        dialog.paintRequested.connect(lambda p: _paint_on(p, data))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        self.status.setText("")
        dialog.open()


def _paint_on(printer: QPrinter, data: MapPrintData) -> None:
    from PySide6.QtGui import QPainter

    painter = QPainter(printer)
    try:
        paint_map(painter, data)
    finally:
        painter.end()
