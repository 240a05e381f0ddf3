"""The "Organizacja" tab: the command's units, its gminas and its beats, each a table with
Dodaj / Edytuj / Usuń (beats also Wycofaj / Przywróć). Changes are announced to the other
tabs with ``Change.BEATS``."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.app.context import AppContext, Change
from desktop.common.conflicts import ConflictError
from desktop.common.ui import background, plain
from desktop.common.ui.fields import table_columns
from desktop.common.ui.plain import plain_label
from desktop.common.ui.tables import Column, RowsTableModel, make_table, selected_object
from desktop.organisation.beat_editor import (
    BeatEntry,
    delete_beat,
    list_beats,
    restore_beat,
    retire_beat,
)
from desktop.organisation.fields import BEAT_FIELDS, GMINA_FIELDS, UNIT_FIELDS
from desktop.organisation.ui.dialogs import BeatDialog, GminaDialog, RetireDialog, UnitDialog
from desktop.organisation.units import (
    OrganisationError,
    delete_gmina,
    delete_unit,
    list_gminas,
    list_units,
)
from desktop.threats.ui.dictionaries_dialog import open_dictionaries


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


class _Page(QWidget):
    """A table of records with add / edit / remove buttons and a message line."""

    def __init__(self, ctx: AppContext, columns: list[Column], search: Callable,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.model = RowsTableModel(columns, parent=self)
        self.view, self.proxy = make_table(self, self.model, search)
        self.add_button = QPushButton(self.tr("Dodaj…"), self)
        self.edit_button = QPushButton(self.tr("Edytuj…"), self)
        self.delete_button = QPushButton(self.tr("Usuń…"), self)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.delete_button.clicked.connect(self.remove)
        self.view.doubleClicked.connect(lambda _i: self.edit(self.current()))
        self.buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)
        self.message = plain_label("", self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self.buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())

    def current(self):
        return selected_object(self.view)

    def update_buttons(self) -> None:
        row = self.current()
        self.edit_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)

    def select_id(self, record_id: int | None) -> None:
        for r in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(r, 0))
            if self.model.row_object(source.row()).id == record_id:
                self.view.selectRow(r)
                return

    def changed(self, text: str, record_id: int | None = None) -> None:
        self.message.setText(text)
        self._ctx.notify(Change.BEATS)  # reloads this tab too (subscribed)
        self.select_id(record_id)

    def ask(self, question: str) -> bool:
        return plain.ask(self, self.tr("Potwierdzenie"), question)

    def run_form(self, dialog: QDialog) -> None:
        if dialog.exec():
            self.changed(self.tr("Zapisano."), getattr(dialog, "saved_id", None))

    def edit(self, row) -> None:
        raise NotImplementedError

    def remove(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        raise NotImplementedError

    def _fill(self, rows: list) -> None:
        """The rows read (at start-up in the window's job, off the UI thread: issue 14)."""
        self.model.set_rows(rows)
        self.update_buttons()


class UnitsPage(_Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        cols = table_columns(UNIT_FIELDS, value={
            "kind": lambda r: self.tr("komenda") if r.parent_id is None
            else self.tr("komisariat / posterunek")})
        super().__init__(ctx, cols, UNIT_FIELDS.search_text, parent)
        db = ctx.db
        background.load(self, lambda: list_units(db), self._fill, name="jednostki")

    def reload(self) -> None:
        self._fill(list_units(self._ctx.db))

    def edit(self, row) -> None:
        self.run_form(UnitDialog(self._ctx.db, row, self))

    def remove(self) -> None:
        row = self.current()
        if row is None or not self.ask(self.tr("Usunąć jednostkę {0}?").format(row.name)):
            return
        try:
            delete_unit(self._ctx.db, row.id)
        except OrganisationError as exc:
            self.message.setText(str(exc))
            return
        self.changed(self.tr("Usunięto jednostkę {0}.").format(row.name))


class GminasPage(_Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        cols = table_columns(GMINA_FIELDS)
        super().__init__(ctx, cols, GMINA_FIELDS.search_text, parent)
        db = ctx.db
        background.load(self, lambda: list_gminas(db), self._fill, name="gminy")

    def reload(self) -> None:
        self._fill(list_gminas(self._ctx.db))

    def edit(self, row) -> None:
        self.run_form(GminaDialog(self._ctx.db, row, self))

    def remove(self) -> None:
        row = self.current()
        if row is None or not self.ask(self.tr("Usunąć gminę {0}?").format(row.name)):
            return
        try:
            delete_gmina(self._ctx.db, row.id)
        except OrganisationError as exc:
            self.message.setText(str(exc))
            return
        self.changed(self.tr("Usunięto gminę {0}.").format(row.name))


class BeatsEditorPage(_Page):
    """Beats: create, edit (renumber), retire from a day (with history) or delete (without)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        cols = table_columns(BEAT_FIELDS, fmt={"retired_on": _date})
        super().__init__(ctx, cols, BEAT_FIELDS.search_text, parent)
        self.retire_button = QPushButton(self.tr("Wycofaj od dnia…"), self)
        self.restore_button = QPushButton(self.tr("Przywróć"), self)
        self.retire_button.clicked.connect(self.retire)
        self.restore_button.clicked.connect(self.restore)
        self.show_retired = QCheckBox(self.tr("pokaż wycofane"), self)
        self.show_retired.setChecked(True)
        self.show_retired.toggled.connect(lambda _on: self.reload())
        self.buttons.insertWidget(3, self.retire_button)
        self.buttons.insertWidget(4, self.restore_button)
        self.buttons.addWidget(self.show_retired)
        db = ctx.db
        background.load(self, lambda: list_beats(db, True), self._fill_first, name="rejony")

    def _fill_first(self, rows: list) -> None:
        if self.show_retired.isChecked():
            self._fill(rows)
        else:  # unticked meanwhile (its toggle read the list again)
            self.update_buttons()

    def reload(self) -> None:
        self._fill(list_beats(self._ctx.db, self.show_retired.isChecked()))

    def update_buttons(self) -> None:
        super().update_buttons()
        row: BeatEntry | None = self.current()
        if not hasattr(self, "retire_button"):
            return
        self.retire_button.setEnabled(row is not None and row.retired_on is None)
        self.restore_button.setEnabled(row is not None and row.retired_on is not None)
        self.delete_button.setEnabled(row is not None and not row.has_history)
        self.delete_button.setToolTip(self.tr("Rejon z historią nie jest usuwany – wycofaj go.")
                                      if row is not None and row.has_history else "")

    def edit(self, row) -> None:
        self.run_form(BeatDialog(self._ctx.db, row, self))

    def remove(self) -> None:
        row = self.current()
        if row is None or not self.ask(self.tr("Usunąć rejon {0}. {1}? Rejon nie ma historii; "
                                               "usunięcia nie można cofnąć.")
                                       .format(row.number, row.name)):
            return
        try:
            delete_beat(self._ctx.db, row.id, row.version)
        except (OrganisationError, ConflictError) as exc:
            self.message.setText(str(exc))
            return
        self.changed(self.tr("Usunięto rejon {0}.").format(row.number))

    def retire(self, day: dt.date | None = None) -> None:
        row = self.current()
        if row is None:
            return
        if day is None:
            dialog = RetireDialog(f"{row.number}. {row.name}", dt.date.today(), self)
            if not dialog.exec():
                return
            day = dialog.day()
        try:
            ended = retire_beat(self._ctx.db, row.id, day, row.version)
        except (OrganisationError, ConflictError) as exc:
            self.message.setText(str(exc))
            return
        self.changed(self.tr("Rejon {0} wycofano od {1}; zakończone przydziały: {2}. "
                             "„Przywróć” cofa wycofanie.").format(row.number, _date(day), ended),
                     row.id)

    def restore(self) -> None:
        row = self.current()
        if row is None:
            return
        try:
            restore_beat(self._ctx.db, row.id, row.version)
        except ConflictError as exc:
            self.message.setText(str(exc))
            return
        self.changed(self.tr("Rejon {0} znów jest bieżący.").format(row.number), row.id)


class OrganisationTab(QWidget):
    """Units, gminas and beats of the command in one tab."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.units = UnitsPage(ctx, self)
        self.gminas = GminasPage(ctx, self)
        self.beats = BeatsEditorPage(ctx, self)
        self.pages = QTabWidget(self)
        self.pages.addTab(self.units, self.tr("Jednostki"))
        self.pages.addTab(self.gminas, self.tr("Gminy"))
        self.pages.addTab(self.beats, self.tr("Rejony"))
        # The KMZB dictionaries editor (desktop/threats/ui/dictionaries_dialog.py).
        self.dictionaries_button = QPushButton(self.tr("Słowniki KMZB…"), self)
        self.dictionaries_button.clicked.connect(lambda: open_dictionaries(ctx, self))
        self.pages.setCornerWidget(self.dictionaries_button, Qt.Corner.TopRightCorner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        ctx.subscribe(Change.BEATS, lambda _c: self.reload(), self)

    def reload(self) -> None:
        for page in (self.units, self.gminas, self.beats):
            page.reload()
