"""Słowniki KMZB: the editor of threat categories and report statuses.

Add, rename, mark a category as road-related, retire and restore; entries are never deleted
(reports keep them). Every saved change calls ``on_change`` at once (the tab notifies
``Change.DICTIONARIES``, so the map filters and the diagnosis follow).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.app.context import AppContext, Change
from desktop.common.dbwrite import DatabaseBusy
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator
from desktop.common.ui.tables import Column, RowsTableModel, make_table, selected_object
from desktop.threats.dictionaries import (
    DictionaryEntry,
    DictionaryError,
    Kind,
    add_entry,
    list_entries,
    max_name_length,
    set_active,
    update_entry,
)

_tr = translator("threats")


class DictionaryPage(QWidget):
    """One dictionary: the table, the form below it and the buttons."""

    def __init__(self, db: Database, kind: Kind, on_change: Callable[[], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.kind = kind
        self._on_change = on_change
        columns = [Column(_tr("Nazwa"), lambda r: r.name)]
        if kind == "category":
            columns.append(Column(_tr("Drogowa (RD)"),
                                  lambda r: _tr("tak") if r.is_road else ""))
        columns += [
            Column(_tr("Stan"), lambda r: _tr("w użyciu") if r.active else _tr("wycofana")),
            Column(_tr("Zgłoszenia"), lambda r: r.reports, True),
            Column(_tr("Pochodzenie"), lambda r: r.origin),
        ]
        self.model = RowsTableModel(columns, parent=self)
        self.view: QTableView
        self.view, _proxy = make_table(self, self.model, sort_column=None)
        self.view.setAccessibleName(_tr("Kategorie zagrożeń") if kind == "category"
                                    else _tr("Statusy zgłoszeń"))
        self.name = QLineEdit(self)
        self.name.setMaxLength(max_name_length(kind))
        self.name.setPlaceholderText(_tr("nazwa nowej pozycji albo nowa nazwa zaznaczonej"))
        self.road = QCheckBox(_tr("kategoria drogowa (weryfikuje policjant ruchu drogowego)"),
                              self)
        self.road.setVisible(kind == "category")
        self.add_button = QPushButton(_tr("Dodaj nową"), self)
        self.save_button = QPushButton(_tr("Zapisz zmiany zaznaczonej"), self)
        self.retire_button = QPushButton(_tr("Wycofaj"), self)
        self.error = plain.plain_label(parent=self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")

        form = QFormLayout()
        form.addRow(_tr("Nazwa:"), self.name)
        form.addRow("", self.road)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.save_button, self.retire_button):
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)

        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.retire_button.clicked.connect(self.toggle_active)
        self.reload()

    # -- data -------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        rows = list_entries(self.db, self.kind)
        self.model.set_rows(rows)
        if select_id is not None:
            self.select(select_id)
        self._selected()

    def current(self) -> DictionaryEntry | None:
        return selected_object(self.view)

    def select(self, entry_id: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_object(row).id == entry_id:
                proxy = self.view.model()
                index = proxy.mapFromSource(self.model.index(row, 0))  # type: ignore[attr-defined]
                self.view.selectRow(index.row())
                return

    def _selected(self, *_args) -> None:
        entry = self.current()
        self.save_button.setEnabled(entry is not None)
        self.retire_button.setEnabled(entry is not None)
        if entry is None:
            self.retire_button.setText(_tr("Wycofaj"))
            return
        self.name.setText(entry.name)
        self.road.setChecked(entry.is_road)
        self.retire_button.setText(_tr("Wycofaj") if entry.active else _tr("Przywróć"))

    # -- actions ----------------------------------------------------------------------------
    def _run(self, action: Callable[[], int | None]) -> bool:
        self.error.setText("")
        try:
            entry_id = action()
        except (DictionaryError, DatabaseBusy) as exc:
            self.error.setText(str(exc))
            return False
        self.reload(entry_id)
        self._on_change()
        return True

    def add(self) -> None:
        self._run(lambda: add_entry(self.db, self.kind, self.name.text(),
                                    self.road.isChecked() and self.kind == "category"))

    def save(self) -> None:
        entry = self.current()
        if entry is None:
            self.error.setText(_tr("Zaznacz pozycję w tabeli."))
            return

        def change() -> int:
            update_entry(self.db, self.kind, entry.id, self.name.text(),
                         self.road.isChecked() if self.kind == "category" else None)
            return entry.id
        self._run(change)

    def toggle_active(self) -> None:
        entry = self.current()
        if entry is None:
            return

        def change() -> int:
            set_active(self.db, self.kind, entry.id, not entry.active)
            return entry.id
        self._run(change)


class DictionariesDialog(QDialog):
    """Both dictionaries on two pages; changes are saved one by one as they are made."""

    def __init__(self, db: Database, on_change: Callable[[], None] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Słowniki KMZB"))
        self.changed = False

        def changed() -> None:
            self.changed = True
            if on_change is not None:
                on_change()
        self.categories = DictionaryPage(db, "category", changed, self)
        self.statuses = DictionaryPage(db, "status", changed, self)
        self.pages = QTabWidget(self)
        self.pages.addTab(self.categories, _tr("Kategorie zagrożeń"))
        self.pages.addTab(self.statuses, _tr("Statusy zgłoszeń"))
        note = plain.plain_label(_tr(
            "Pozycji nie usuwa się: wycofana zostaje przy dawnych zgłoszeniach i w historii, "
            "ale nie jest proponowana w nowych planach ani zaznaczona w filtrach. Pozycje "
            "zmienione tutaj nie są nadpisywane przez nowszy słownik dołączony do programu."),
            self)
        note.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(note)
        layout.addWidget(close)
        self.resize(820, 560)


def open_dictionaries(ctx: AppContext, parent: QWidget | None = None) -> DictionariesDialog:
    """Show the editor (modal); every saved change notifies ``Change.DICTIONARIES``."""
    dialog = DictionariesDialog(ctx.db, lambda: ctx.notify(Change.DICTIONARIES), parent)
    dialog.exec()
    return dialog
