"""Import of partners from CSV/XLSX: column mapping, per-row report, explicit confirmation,
saving in a worker thread with progress and cancel (all rows or none)."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.file_dialogs import open_file_name
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job, JobCancelled, JobControl, JobFailure, run_job
from desktop.common.ui.tables import Column, RowsTableModel
from desktop.partners.exchange import (
    IMPORT_FIELDS,
    REQUIRED_FIELDS,
    ExchangeError,
    ImportCancelled,
    ImportCheck,
    ImportRow,
    RawTable,
    apply_import,
    check_import,
    guess_mapping,
    read_table,
)
from desktop.partners.fields import LABELS
from desktop.partners.ui.combo import add_none_item, current_value

_tr = translator("partners")


def row_result(r: ImportRow) -> str:
    if r.errors:
        return _tr("BŁĄD: ") + "; ".join(r.errors)
    if r.warnings:
        return _tr("uwaga: ") + "; ".join(r.warnings)
    return _tr("poprawny")


def report_columns() -> list[Column]:
    return [
        Column(_tr("Wiersz"), lambda r: r.line, align_right=True),
        Column(_tr("Nazwa"), lambda r: r.name),
        Column(_tr("Wynik"), row_result),
    ]


class ReportModel(RowsTableModel):
    """The per-row report; the full message is also the tooltip (long lines get cut)."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            # Tooltips guess rich text; file content must show as written.
            return "<qt>" + escape(super().data(index, Qt.ItemDataRole.DisplayRole)) + "</qt>"
        return super().data(index, role)


def save_rows(ctl: JobControl, db: Database, check: ImportCheck) -> int:
    """Save the checked rows in one transaction (a background job); cancel rolls back all."""
    total = len(check.rows)
    try:
        return apply_import(db, check, lambda done, _total: ctl.progress(done * 100 // total),
                            lambda: ctl.cancelled)
    except ImportCancelled:
        raise JobCancelled from None


class ImportDialog(QDialog):
    """Choose a file, map its columns, check, confirm, import."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.table: RawTable | None = None
        self.check: ImportCheck | None = None
        self.worker: Job | None = None
        self.imported = 0  # partners saved by the last import
        self._closing = False  # closed (Esc, the title bar) while an import ran
        self.setWindowTitle(_tr("Import partnerów z pliku CSV lub XLSX"))
        self.resize(900, 650)
        self.path = QLineEdit(self)
        self.path.setReadOnly(True)
        self.browse = QPushButton(_tr("Wybierz plik…"), self)
        self.mapping: dict[str, QComboBox] = {}
        form = QFormLayout()
        for f in IMPORT_FIELDS:
            combo = QComboBox(self)
            self.mapping[f] = combo
            mark = " *" if f in REQUIRED_FIELDS else ""
            form.addRow(_tr(LABELS[f]) + mark, combo)
            combo.currentIndexChanged.connect(self._invalidate)
        self.check_button = QPushButton(_tr("Sprawdź"), self)
        # A model, not QTableWidgetItems: PySide6 6.12 on Python 3.11 loses a reference to
        # None per item set, which crashes the interpreter after a few thousand rows.
        self.report_model = ReportModel(report_columns(), parent=self)
        self.report = QTableView(self)
        self.report.setModel(self.report_model)
        self.report.setWordWrap(False)
        self.report.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.report.setColumnWidth(0, 60)
        self.report.setColumnWidth(1, 280)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # messages quote file content
        self.confirm = QCheckBox(self)
        self.confirm.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.import_button = QPushButton(_tr("Importuj"), self)
        self.import_button.setEnabled(False)
        self.cancel_button = QPushButton(_tr("Zamknij"), self)

        top = QHBoxLayout()
        top.addWidget(self.path, 1)
        top.addWidget(self.browse)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.import_button)
        bottom.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.check_button)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.confirm)
        layout.addLayout(bottom)

        self.browse.clicked.connect(self.choose_file)
        self.check_button.clicked.connect(self.run_check)
        self.confirm.toggled.connect(self._update_import_button)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        self._set_headers([])
        add_access_keys(self)  # Alt+letter for every button

    def choose_file(self) -> None:
        path, _ = open_file_name(
            self, _tr("Plik z partnerami"), "", _tr("Arkusze (*.csv *.xlsx);;Wszystkie pliki (*)"))
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> bool:
        try:
            self.table = read_table(path)
        except (ExchangeError, OSError) as exc:
            self.table = None
            self._set_headers([])
            self.summary.setText(_tr("Nie wczytano pliku: {0}").format(exc))
            return False
        self.path.setText(path)
        self._set_headers(self.table.headers)
        guess = guess_mapping(self.table.headers)
        for f, combo in self.mapping.items():
            column = guess[f]
            combo.setCurrentIndex(0 if column is None else column + 1)
        self.summary.setText(_tr("Wczytano wierszy: {0}. Sprawdź przypisanie kolumn i kliknij "
                                 "„Sprawdź”.").format(len(self.table.rows)))
        return True

    def _set_headers(self, headers: list[str]) -> None:
        for combo in self.mapping.values():
            combo.blockSignals(True)
            combo.clear()
            add_none_item(combo, _tr("(pomiń)"))
            for i, h in enumerate(headers):
                combo.addItem(h or _tr("kolumna {0}").format(i + 1), i)
            combo.blockSignals(False)
        self.check_button.setEnabled(bool(headers))
        self._invalidate()

    def _invalidate(self) -> None:
        self.check = None
        self.report_model.set_rows([])
        self.confirm.setChecked(False)
        self.confirm.setEnabled(False)
        self.confirm.setText(_tr("Potwierdzam import"))
        self._update_import_button()

    def current_mapping(self) -> dict[str, int | None]:
        return {f: current_value(combo) for f, combo in self.mapping.items()}

    def run_check(self) -> None:
        if self.table is None:
            return
        self._invalidate()
        try:
            self.check = check_import(self.db, self.table, self.current_mapping())
        except ExchangeError as exc:
            self.summary.setText(str(exc))
            return
        rows = self.check.rows
        self.report_model.set_rows(rows)
        bad = len(self.check.error_rows)
        if bad:
            self.summary.setText(_tr("Wierszy z błędami: {0} z {1}. Popraw plik; import "
                                     "zapisuje wszystkie wiersze albo żaden.").format(bad, len(rows)))
        else:
            warned = sum(1 for r in rows if r.warnings)
            self.summary.setText(_tr("Wszystkie wiersze poprawne ({0}); z uwagami: {1}.")
                                 .format(len(rows), warned))
            self.confirm.setText(_tr("Potwierdzam import do rejestru (partnerów: {0})")
                                 .format(len(rows)))
            self.confirm.setEnabled(self.check.can_import)

    def _update_import_button(self) -> None:
        self.import_button.setEnabled(self.check is not None and self.check.can_import
                                      and self.confirm.isChecked() and self.worker is None)

    def start_import(self) -> None:
        if self.check is None or not self.check.can_import or not self.confirm.isChecked():
            return
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.show()
        for w in (self.import_button, self.check_button, self.browse, self.confirm):
            w.setEnabled(False)
        self.cancel_button.setText(_tr("Przerwij"))
        self.worker = run_job(save_rows, self.db, self.check, name="import partnerów",
                              expected=(ExchangeError,), parent=self,
                              on_progress=self._on_progress, on_success=self._on_success,
                              on_failure=self._on_failure, on_finished=self._on_finished,
                              on_cancelled=lambda: self.summary.setText(
                                  _tr("Import przerwano; nic nie zapisano.")))

    def _on_progress(self, percent: int, _text: str) -> None:
        self.progress.setValue(percent)

    def _on_success(self, count: int) -> None:
        self.summary.setText(_tr("Zaimportowano partnerów: {0}.").format(count))
        self.imported = count

    def _on_failure(self, failure: JobFailure) -> None:
        self.summary.setText(failure.message if failure.expected else _tr(
            "Błąd zapisu do bazy; nic nie zapisano: {0}").format(failure.message))

    def _on_finished(self) -> None:
        self.worker = None
        self.progress.hide()
        self.cancel_button.setText(_tr("Zamknij"))
        self.browse.setEnabled(True)
        self.check_button.setEnabled(self.table is not None)
        if self.imported:
            self.accept()
        elif self._closing:
            self.reject()
        else:
            self._invalidate()

    def cancel_or_close(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
        else:
            self.reject()

    def done(self, result: int) -> None:
        """Closing (Esc, the title bar) while the import runs stops it first: the dialog
        closes once the job has stopped, rejected, or accepted when the import had already
        committed (before, it closed as rejected and then accepted behind the user's back)."""
        if self.worker is not None:
            self._closing = True
            self.worker.cancel()
            return
        super().done(result)
