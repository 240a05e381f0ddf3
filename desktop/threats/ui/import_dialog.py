"""Import of threat reports: choose a file, check the column mapping (KMZB names are
recognised), decide about unknown categories, then import off the UI thread with a progress
bar and cancel; refused rows are listed with their reasons."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.engine import Database
from db.models import ThreatCategory
from desktop.common.text import fold, plural, polish_sort_key
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.file_dialogs import open_file_name, save_file_name
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job, JobCancelled, JobControl, JobFailure, run_job
from desktop.common.ui.tables import Column, RowsTableModel
from desktop.threats.importer import ImportCancelled, ImportResult, import_reports
from desktop.threats.mapping import CRS_CHOICES, FIELDS, REQUIRED, ColumnMapping, guess_mapping
from desktop.threats.readers import ImportFileError, RawTable, read_table

REFUSE, ADD = "__refuse__", "__add__"


_tr = translator("threats")


def category_names(db: Database) -> list[str]:
    with db.session() as s:
        names = list(s.scalars(select(ThreatCategory.name)))
    return sorted(names, key=polish_sort_key)


def status_names(db: Database) -> list[str]:
    from db.models import ThreatStatus

    with db.session() as s:
        return list(s.scalars(select(ThreatStatus.name).order_by(ThreatStatus.sort_order)))


def unknown_values(table: RawTable, column: str, known: list[str]) -> list[str]:
    """Values of a column that are not in the dictionary (first spelling kept)."""
    if column not in table.columns:
        return []
    i = table.columns.index(column)
    have = {fold(n) for n in known}
    out: dict[str, str] = {}
    # CSV/XLSX columns hold hashable cells: each distinct one once, in order of appearance
    cells = dict.fromkeys(table.by_column[i]) if table.by_column is not None \
        else [row[i] for row in table.rows if i < len(row)]
    for cell in cells:
        if cell not in (None, ""):
            text = str(cell).strip()
            if fold(text) not in have:
                out.setdefault(fold(text), text)
    return sorted(out.values(), key=polish_sort_key)


def _choices(table: QTableWidget) -> list[tuple[str, str]]:
    """(value in the file, chosen action) of each row of an "unknown values" table."""
    out = []
    for row in range(table.rowCount()):
        item, combo = table.item(row, 0), table.cellWidget(row, 1)
        assert item is not None and isinstance(combo, QComboBox)
        out.append((item.text(), combo.currentData()))
    return out


def read_file(ctl: JobControl, path: str) -> tuple[RawTable, str]:
    """Read a file into a RawTable (a background job: large XLSX files take seconds)."""
    return read_table(path), path


def run_import(ctl: JobControl, db: Database, table: RawTable,
               mapping: ColumnMapping) -> ImportResult:
    """The import as a background job. The database write is all-or-nothing
    (``desktop.threats.importer``), so cancelling at any moment leaves the database as it was."""
    try:
        return import_reports(db, table, mapping, progress=ctl.progress,
                              cancelled=lambda: ctl.cancelled)
    except ImportCancelled:
        raise JobCancelled from None


class ImportDialog(QDialog):
    """``result_summary`` holds the ImportResult after a successful import."""

    fileLoaded = Signal(bool)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Import zgłoszeń KMZB"))
        self.resize(900, 700)
        self.db = db
        self.table: RawTable | None = None
        self.worker: Job | None = None  # the import
        self.reader: Job | None = None  # reading the file
        self.result_summary: ImportResult | None = None
        self.known = category_names(db)
        self.known_statuses = status_names(db)

        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        browse = QPushButton(_tr("Wybierz plik…"), self)
        browse.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(QLabel(_tr("Plik:"), self))
        top.addWidget(self.path_edit, 1)
        top.addWidget(browse)
        self.file_info = QLabel(_tr("Obsługiwane: CSV (dowolny separator, UTF-8 lub "
                                    "Windows-1250), XLSX, GeoJSON."), self)
        self.file_info.setTextFormat(Qt.TextFormat.PlainText)
        self.file_info.setWordWrap(True)

        mapping_box = QGroupBox(_tr("Przypisanie kolumn"), self)
        form = QFormLayout(mapping_box)
        self.field_combos: dict[str, QComboBox] = {}
        for key, label in FIELDS.items():
            combo = QComboBox(mapping_box)
            combo.currentIndexChanged.connect(self._update_state)
            self.field_combos[key] = combo
            form.addRow(_tr(label) + (" *" if key in REQUIRED else ""), combo)
        self.crs_combo = QComboBox(mapping_box)
        for code, label in CRS_CHOICES.items():
            self.crs_combo.addItem(_tr(label), code)
        self.swap_xy = QCheckBox(_tr("Zamień X/Y (X to północ lub szerokość geograficzna)"),
                                 mapping_box)
        form.addRow(_tr("Układ współrzędnych"), self.crs_combo)
        form.addRow("", self.swap_xy)

        cat_box = QGroupBox(_tr("Kategorie spoza słownika"), self)
        cat_layout = QVBoxLayout(cat_box)
        self.unknown_table = QTableWidget(0, 2, cat_box)
        self.unknown_table.setHorizontalHeaderLabels([_tr("W pliku"), _tr("Co zrobić")])
        self.unknown_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.unknown_table.verticalHeader().hide()
        cat_layout.addWidget(self.unknown_table)
        cat_layout.addWidget(QLabel(_tr("Statusy spoza słownika"), cat_box))
        self.unknown_status_table = QTableWidget(0, 2, cat_box)
        self.unknown_status_table.setHorizontalHeaderLabels([_tr("W pliku"), _tr("Co zrobić")])
        self.unknown_status_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Stretch)
        self.unknown_status_table.verticalHeader().hide()
        cat_layout.addWidget(self.unknown_status_table)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.stage = QLabel("", self)
        self.summary = QLabel("", self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.refusal_model = RowsTableModel([
            Column(_tr("Wiersz"), lambda r: r.line, True),
            Column(_tr("Identyfikator"), lambda r: r.source_id),
            Column(_tr("Powód odrzucenia"), lambda r: r.reason),
        ], parent=self)
        self.refusal_view = QTableView(self)
        self.refusal_view.setModel(self.refusal_model)
        self.refusal_view.horizontalHeader().setStretchLastSection(True)
        self.refusal_view.verticalHeader().hide()

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(_tr("Importuj"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(_tr("Przerwij"),
                                                    QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(_tr("Zamknij"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.save_refusals_button = self.buttons.addButton(
            _tr("Zapisz listę odrzuconych…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_refusals_button.setEnabled(False)
        self.save_refusals_button.clicked.connect(lambda: self.save_refusals())
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.close_button.clicked.connect(self._close)

        upper = QHBoxLayout()
        upper.addWidget(mapping_box, 3)
        upper.addWidget(cat_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.file_info)
        layout.addLayout(upper)
        layout.addWidget(self.stage)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.refusal_view, 1)
        layout.addWidget(self.buttons)
        self._update_state()
        add_access_keys(self)  # Alt+letter for every button

    # -- file and mapping -----------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = open_file_name(
            self, _tr("Plik ze zgłoszeniami"), "",
            _tr("Zgłoszenia (*.csv *.txt *.tsv *.xlsx *.geojson *.json);;Wszystkie pliki (*)"))
        if path:
            self.load_file(path)

    def load_file(self, path: str | Path) -> None:
        """Read the file in the background; ``fileLoaded(ok)`` tells when it is done."""
        if self.reader is not None or self.worker is not None:
            return
        self.table = None
        self.file_info.setText(_tr("Wczytywanie pliku…"))
        self.reader = run_job(read_file, str(path), name="odczyt pliku zgłoszeń",
                              expected=(ImportFileError,), parent=self,
                              on_success=self._on_loaded, on_failure=self._on_read_failed)
        self._update_state()

    def _on_loaded(self, loaded: tuple[RawTable, str]) -> None:
        table, path = loaded
        self.reader = None
        self.table = table
        self.path_edit.setText(path)
        self.file_info.setText(_tr("{0}: {1}, {2}.").format(
            table.source_format,
            plural(len(table.rows), _tr("wiersz"), _tr("wiersze"), _tr("wierszy")), ", ".join(table.notes)))
        self.apply_mapping(guess_mapping(table.columns))
        self.fileLoaded.emit(True)

    def _on_read_failed(self, failure: JobFailure) -> None:
        self.reader = None
        self.file_info.setText(failure.message if failure.expected else
                               _tr("Nie można odczytać pliku: {0}").format(failure.message))
        self._update_state()
        self.fileLoaded.emit(False)

    def apply_mapping(self, mapping: ColumnMapping) -> None:
        columns = self.table.columns if self.table else []
        for key, combo in self.field_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_tr("(brak)"), "")
            for c in columns:
                combo.addItem(c, c)
            combo.setCurrentIndex(max(0, combo.findData(mapping.fields.get(key, ""))))
            combo.blockSignals(False)
        self.crs_combo.setCurrentIndex(max(0, self.crs_combo.findData(mapping.crs)))
        self.swap_xy.setChecked(mapping.swap_xy)
        self._fill_unknown()
        self._fill_unknown_statuses()
        self._update_state()

    def _fill_unknown(self) -> None:
        self._fill_choices(self.unknown_table, "category", self.known, can_add=True)

    def _fill_unknown_statuses(self) -> None:
        self._fill_choices(self.unknown_status_table, "status", self.known_statuses)

    def _fill_choices(self, table: QTableWidget, field: str, known: list[str],
                      can_add: bool = False) -> None:
        """One row per value of the field's column that is not in ``known``, with a choice:
        refuse its rows, add it to the dictionary (``can_add``) or take it as a known one."""
        column = self.field_combos[field].currentData() or ""
        names = unknown_values(self.table, column, known) if self.table else []
        table.setRowCount(len(names))
        for row, name in enumerate(names):
            item = QTableWidgetItem(name)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, 0, item)
            combo = QComboBox(table)
            combo.addItem(_tr("odrzuć te wiersze"), REFUSE)
            if can_add:
                combo.addItem(_tr("dodaj do słownika"), ADD)
            for name_known in known:
                combo.addItem(_tr("to jest: {0}").format(name_known), name_known)
            table.setCellWidget(row, 1, combo)

    def mapping(self) -> ColumnMapping:
        fields = {k: c.currentData() for k, c in self.field_combos.items() if c.currentData()}
        m = ColumnMapping(fields=fields, crs=self.crs_combo.currentData(),
                          swap_xy=self.swap_xy.isChecked())
        for name, choice in _choices(self.unknown_table):
            if choice == ADD:
                m.add_categories.append(name)
            elif choice != REFUSE:
                m.category_map[name] = choice
        for name, choice in _choices(self.unknown_status_table):
            if choice != REFUSE:
                m.status_map[name] = choice
        return m

    def _update_state(self) -> None:
        running = self.worker is not None or self.reader is not None
        ready = self.table is not None and not self.mapping_missing()
        self.import_button.setEnabled(ready and not running)
        self.cancel_button.setEnabled(self.worker is not None)
        self.close_button.setEnabled(not running)
        if self.sender() is self.field_combos.get("category"):
            self._fill_unknown()
        if self.sender() is self.field_combos.get("status"):
            self._fill_unknown_statuses()

    def mapping_missing(self) -> list[str]:
        return [k for k in REQUIRED if not self.field_combos[k].currentData()]

    # -- running --------------------------------------------------------------------------
    def start_import(self) -> None:
        if self.table is None or self.worker is not None:
            return
        self.progress.setValue(0)
        self.summary.setText("")
        self.refusal_model.set_rows([])
        self.worker = run_job(run_import, self.db, self.table, self.mapping(),
                              name="import zgłoszeń", expected=(ImportFileError,), parent=self,
                              on_progress=self._on_progress, on_success=self._on_finished,
                              on_failure=self._on_failed, on_cancelled=self._on_cancelled,
                              on_finished=self._on_done)
        self._update_state()

    def cancel_import(self) -> None:
        if self.worker is not None:
            self.stage.setText(_tr("Przerywanie…"))
            self.worker.cancel()

    def _on_progress(self, percent: int, stage: str) -> None:
        self.progress.setValue(percent)
        self.stage.setText(_tr(stage))

    def _on_finished(self, result: ImportResult) -> None:
        self.result_summary = result
        text = _tr("Dodano: {0}, zaktualizowano: {1}, odrzucono: {2}.").format(
            result.added, result.updated, result.refused)
        if result.outside_beats:
            text += " " + _tr("Poza wszystkimi rejonami: {0}.").format(len(result.outside_beats))
        if result.new_categories:
            text += " " + _tr("Nowe kategorie: {0}.").format(", ".join(result.new_categories))
        if result.superseded:
            text += " " + _tr("Wierszy zastąpionych nowszym stanem zgłoszenia: {0}.").format(
                result.superseded)
        if result.kept_newer:
            text += " " + _tr("Pominięto (w bazie nowszy stan): {0}.").format(result.kept_newer)
        self.summary.setText(text)
        self.refusal_model.set_rows(result.refusals)
        self.save_refusals_button.setEnabled(bool(result.refusals))

    def save_refusals(self, path: str | None = None) -> str | None:
        from desktop.threats.export import write_refusals_csv

        if self.result_summary is None:
            return None
        if not path:
            path, _ = save_file_name(self, _tr("Lista odrzuconych wierszy"),
                                                  "odrzucone.csv", _tr("Plik CSV (*.csv)"))
            if not path:
                return None
        try:
            write_refusals_csv(path, self.result_summary.refusals)
        except OSError as exc:
            self.summary.setText(_tr("Nie zapisano {0}: {1}").format(path, exc))
            return None
        return path

    def _on_failed(self, failure: JobFailure) -> None:
        self.summary.setText(failure.message if failure.expected else
                             _tr("Błąd zapisu, nic nie zapisano: {0}").format(failure.message))
        self.stage.setText(_tr("Import nieudany – nic nie zapisano."))

    def _on_cancelled(self) -> None:
        self.progress.setValue(0)
        self.stage.setText(_tr("Import przerwany – nic nie zapisano."))

    def _on_done(self) -> None:
        self.worker = None
        self._update_state()

    def wait_for_jobs(self, timeout: float = 10.0) -> None:
        """Block until the background reading and import end (tests, shutting down)."""
        for job in (self.reader, self.worker):
            if job is not None:
                job.wait(timeout)

    def _close(self) -> None:
        if self.result_summary is not None:
            self.accept()
        else:
            self.reject()

    def closeEvent(self, event) -> None:
        if self.worker is not None or self.reader is not None:
            if self.worker is not None:
                self.worker.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def reject(self) -> None:
        if self.worker is not None or self.reader is not None:
            if self.worker is not None:
                self.worker.cancel()
            return
        if self.result_summary is not None:
            super().accept()
            return
        super().reject()
