"""Import of threat reports: choose a file, check the column mapping (KMZB names are
recognised), decide about unknown categories, then import off the UI thread with a progress
bar and cancel; refused rows are listed with their reasons."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, Signal
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
from desktop.app.table_model import Column, RowsTableModel
from desktop.common.text import fold, plural, polish_sort_key
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.file_dialogs import open_file_name, save_file_name
from desktop.threats.mapping import CRS_CHOICES, FIELDS, REQUIRED, ColumnMapping, guess_mapping
from desktop.threats.readers import RawTable
from desktop.threats.ui.import_worker import ImportWorker, ReadWorker

REFUSE, ADD = "__refuse__", "__add__"


def _tr(text: str) -> str:
    return QCoreApplication.translate("threats", text)


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
    for row in table.rows:
        if i < len(row) and row[i] not in (None, ""):
            text = str(row[i]).strip()
            if fold(text) not in have:
                out.setdefault(fold(text), text)
    return sorted(out.values(), key=polish_sort_key)


class ImportDialog(QDialog):
    """``result_summary`` holds the ImportResult after a successful import."""

    fileLoaded = Signal(bool)

    def __init__(self, db: Database, parent: QWidget | None = None,
                 pool: QThreadPool | None = None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Import zgłoszeń KMZB"))
        self.resize(900, 700)
        self.db = db
        self.pool = pool or QThreadPool.globalInstance()
        self.table: RawTable | None = None
        self.worker: ImportWorker | None = None
        self.reader: ReadWorker | None = None
        self.result_summary = None
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
        """Read the file on the pool; ``fileLoaded(ok)`` tells when it is done."""
        if self.reader is not None or self.worker is not None:
            return
        self.table = None
        self.file_info.setText(_tr("Wczytywanie pliku…"))
        self.reader = ReadWorker(str(path))
        self.reader.signals.loaded.connect(self._on_loaded)
        self.reader.signals.failed.connect(self._on_read_failed)
        self._update_state()
        self.pool.start(self.reader)

    def _on_loaded(self, table: RawTable, path: str) -> None:
        self.reader = None
        self.table = table
        self.path_edit.setText(path)
        self.file_info.setText(_tr("{0}: {1}, {2}.").format(
            table.source_format,
            plural(len(table.rows), _tr("wiersz"), _tr("wiersze"), _tr("wierszy")), ", ".join(table.notes)))
        self.apply_mapping(guess_mapping(table.columns))
        self.fileLoaded.emit(True)

    def _on_read_failed(self, message: str) -> None:
        self.reader = None
        self.file_info.setText(message)
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
        column = self.field_combos["category"].currentData() or ""
        names = unknown_values(self.table, column, self.known) if self.table else []
        self.unknown_table.setRowCount(len(names))
        for row, name in enumerate(names):
            item = QTableWidgetItem(name)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.unknown_table.setItem(row, 0, item)
            combo = QComboBox(self.unknown_table)
            combo.addItem(_tr("odrzuć te wiersze"), REFUSE)
            combo.addItem(_tr("dodaj do słownika"), ADD)
            for known in self.known:
                combo.addItem(_tr("to jest: {0}").format(known), known)
            self.unknown_table.setCellWidget(row, 1, combo)

    def _fill_unknown_statuses(self) -> None:
        column = self.field_combos["status"].currentData() or ""
        names = unknown_values(self.table, column, self.known_statuses) if self.table else []
        self.unknown_status_table.setRowCount(len(names))
        for row, name in enumerate(names):
            item = QTableWidgetItem(name)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.unknown_status_table.setItem(row, 0, item)
            combo = QComboBox(self.unknown_status_table)
            combo.addItem(_tr("odrzuć te wiersze"), REFUSE)
            for known in self.known_statuses:
                combo.addItem(_tr("to jest: {0}").format(known), known)
            self.unknown_status_table.setCellWidget(row, 1, combo)

    def mapping(self) -> ColumnMapping:
        fields = {k: c.currentData() for k, c in self.field_combos.items() if c.currentData()}
        m = ColumnMapping(fields=fields, crs=self.crs_combo.currentData(),
                          swap_xy=self.swap_xy.isChecked())
        for row in range(self.unknown_table.rowCount()):
            name = self.unknown_table.item(row, 0).text()
            choice = self.unknown_table.cellWidget(row, 1).currentData()
            if choice == ADD:
                m.add_categories.append(name)
            elif choice != REFUSE:
                m.category_map[name] = choice
        for row in range(self.unknown_status_table.rowCount()):
            choice = self.unknown_status_table.cellWidget(row, 1).currentData()
            if choice != REFUSE:
                m.status_map[self.unknown_status_table.item(row, 0).text()] = choice
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
        self.worker = ImportWorker(self.db, self.table, self.mapping())
        s = self.worker.signals
        s.progress.connect(self._on_progress)
        s.finished.connect(self._on_finished)
        s.failed.connect(self._on_failed)
        s.cancelled.connect(self._on_cancelled)
        s.done.connect(self._on_done)
        self.progress.setValue(0)
        self.summary.setText("")
        self.refusal_model.set_rows([])
        self._update_state()
        self.pool.start(self.worker)

    def cancel_import(self) -> None:
        if self.worker is not None:
            self.stage.setText(_tr("Przerywanie…"))
            self.worker.cancel()

    def _on_progress(self, percent: int, stage: str) -> None:
        self.progress.setValue(percent)
        self.stage.setText(_tr(stage))

    def _on_finished(self, result) -> None:
        self.result_summary = result
        text = _tr("Dodano: {0}, zaktualizowano: {1}, odrzucono: {2}.").format(
            result.added, result.updated, result.refused)
        if result.outside_beats:
            text += " " + _tr("Poza wszystkimi rejonami: {0}.").format(len(result.outside_beats))
        if result.new_categories:
            text += " " + _tr("Nowe kategorie: {0}.").format(", ".join(result.new_categories))
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

    def _on_failed(self, message: str) -> None:
        self.summary.setText(message)
        self.stage.setText(_tr("Import nieudany – nic nie zapisano."))

    def _on_cancelled(self) -> None:
        self.progress.setValue(0)
        self.stage.setText(_tr("Import przerwany – nic nie zapisano."))

    def _on_done(self) -> None:
        self.worker = None
        self._update_state()

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
