"""Officer roster page: list, search, add, edit, deactivate; an officer's beats are listed."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.beats.assignments import officer_history
from desktop.beats.officer_fields import OFFICER_FIELDS
from desktop.beats.officers import OfficerError, list_officers, set_active
from desktop.beats.ui.dialogs import OfficerDialog
from desktop.common.conflicts import ConflictError
from desktop.common.ui import background, plain
from desktop.common.ui.conflict_dialog import ask_overwrite
from desktop.common.ui.fields import table_columns
from desktop.common.ui.i18n import tr_label
from desktop.common.ui.tables import Column, RowsTableModel, make_table, selected_object


class OfficerRoster(QWidget):
    """The roster; emits ``changed`` after any save so the beat table can refresh."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.model = RowsTableModel(table_columns(OFFICER_FIELDS), parent=self)
        self.view, self.proxy = make_table(self, self.model, OFFICER_FIELDS.search_text)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Szukaj funkcjonariusza (bez polskich znaków też "
                                               "działa)…"))
        self.search.textChanged.connect(self.proxy.set_query)
        self.show_inactive = QCheckBox(self.tr("pokaż nieaktywnych"), self)
        self.show_inactive.toggled.connect(self.reload)
        self.add_button = QPushButton(self.tr("Dodaj…"), self)
        self.edit_button = QPushButton(self.tr("Edytuj…"), self)
        self.active_button = QPushButton(self.tr("Dezaktywuj"), self)
        self.import_button = QPushButton(self.tr("Wczytaj wykaz…"), self)
        self.import_button.clicked.connect(self.import_roster)
        self.add_button.clicked.connect(self.add_officer)
        self.edit_button.clicked.connect(self.edit_officer)
        self.active_button.clicked.connect(self.toggle_active)
        hist_cols = [
            Column(self.tr("Rejon"), lambda r: r.beat),
            Column(self.tr("Rola"), lambda r: tr_label(r.role)),
            Column(self.tr("Rodzaj"), lambda r: tr_label(r.kind)),
            Column(self.tr("Od"), lambda r: r.valid_from, fmt=lambda d: d.strftime("%d.%m.%Y")),
            Column(self.tr("Do"), lambda r: r.valid_to,
                   fmt=lambda d: d.strftime("%d.%m.%Y") if d else ""),
        ]
        self.history_model = RowsTableModel(hist_cols, parent=self)
        self.history_view, self.history_proxy = make_table(
            self, self.history_model, lambda r: (r.beat,))
        self.history_view.setSortingEnabled(False)
        self.history_caption = plain.plain_label(self.tr("Przydziały wybranego funkcjonariusza:"), self)
        self.message = plain.plain_label(parent=self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names come from data
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_inactive)
        for b in (self.add_button, self.edit_button, self.active_button, self.import_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.history_caption)
        layout.addWidget(self.history_view, 1)
        layout.addWidget(self.message)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(lambda _i: self.edit_officer())
        background.load(self, lambda: list_officers(db, include_inactive=False), self._fill,
                        name="funkcjonariusze")
        self.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)

    def reload(self) -> None:
        self._fill(list_officers(self._db, include_inactive=self.show_inactive.isChecked()))

    def _fill(self, rows: list) -> None:
        self.model.set_rows(rows)
        self._update_buttons()

    def current(self):
        return selected_object(self.view)

    def select_officer(self, officer_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            src = self.proxy.mapToSource(self.proxy.index(row, 0))
            if self.model.row_object(src.row()).id == officer_id:
                self.view.selectRow(row)
                return

    def _update_buttons(self, *_args) -> None:
        row = self.current()
        self.history_model.set_rows(officer_history(self._db, row.id) if row else [])
        self.edit_button.setEnabled(row is not None)
        self.active_button.setEnabled(row is not None)
        text = (self.tr("Przywróć") if row is not None and not row.active
                else self.tr("Dezaktywuj"))
        if self.active_button.text().replace("&", "") != text:  # keep its access key
            self.active_button.setText(text)

    def open_dialog(self, officer_id: int | None = None, data=None) -> OfficerDialog:
        row = self.current() if officer_id is not None else None
        version = row.version if row is not None and row.id == officer_id else None
        return OfficerDialog(self._db, officer_id, data, self, version)

    def _run(self, dialog: OfficerDialog) -> None:
        if dialog.exec():
            self.reload()
            if dialog.saved_id is not None:
                self.select_officer(dialog.saved_id)
            self.changed.emit()
        elif dialog.stale:  # someone else's newer change was kept: show it
            self.reload()

    def make_import_dialog(self):
        from desktop.organisation.ui.roster_import_dialog import RosterImportDialog

        return RosterImportDialog(self._db, self)

    def import_roster(self) -> None:
        """The roster from a CSV/XLSX file (desktop.organisation.roster_import)."""
        from desktop.organisation.ui.sample_guard import confirm_import_into_sample

        if not confirm_import_into_sample(self._db, self):
            return
        dialog = self.make_import_dialog()
        if dialog.exec() and dialog.saved is not None:
            self.message.setText(self.tr("Wczytano wykaz: nowych {0}, zmienionych {1}.")
                                 .format(dialog.saved.added, dialog.saved.updated))
            self.reload()
            self.changed.emit()

    def add_officer(self) -> None:
        self._run(self.open_dialog())

    def edit_officer(self) -> None:
        row = self.current()
        if row is not None:
            self._run(self.open_dialog(row.id, row.data()))

    def toggle_active(self) -> None:
        row = self.current()
        if row is None:
            return
        try:
            try:
                ended = set_active(self._db, row.id, not row.active, expected_version=row.version)
            except ConflictError as exc:  # changed on another workstation since shown
                if not ask_overwrite(exc, self):
                    self.reload()
                    return
                ended = set_active(self._db, row.id, not row.active,
                                   expected_version=exc.current_version)
        except (OfficerError, ConflictError) as exc:
            self.message.setText(str(exc))
            return
        if row.active:
            self.message.setText(self.tr("Dezaktywowano: {0}. Zakończone przydziały: {1}.")
                                 .format(row.name, ended))
        else:
            self.message.setText(self.tr("Przywrócono: {0}.").format(row.name))
        self.reload()
        self.select_officer(row.id)
        self.changed.emit()
