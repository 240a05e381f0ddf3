"""The Działania tab: the activities log with filters, search, add/edit/delete and export."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.models import ActivityKind
from desktop.activities.columns import export_activities
from desktop.activities.fields import ACTIVITY_FIELDS
from desktop.activities.service import (
    ActivityFilter,
    ActivityRow,
    delete_activity,
    get_activity,
    list_activities,
)
from desktop.activities.ui.dialog import ActivityDialog
from desktop.app.context import AppContext, Change
from desktop.common.conflicts import ConflictError
from desktop.common.ui import background, plain
from desktop.common.ui.fields import table_columns
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.i18n import tr_label
from desktop.common.ui.plain import plain_label
from desktop.common.ui.tables import RowsTableModel, make_table, selected_object
from desktop.threats.plans import beat_choices, officer_choices, partner_choices

LISTEN = Change.ACTIVITIES | Change.BEATS | Change.OFFICERS | Change.PARTNERS | Change.PLANS


def _day(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _dt(value) -> str:
    return value.strftime("%d.%m.%Y %H:%M")


def _read_choices(db) -> tuple:
    return beat_choices(db), officer_choices(db), partner_choices(db)


class ActivitiesTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.use_dates = QCheckBox(self.tr("Okres od"), self)
        self.date_from = QDateEdit(QDate(2018, 1, 1), self)
        self.date_to = QDateEdit(QDate(2018, 12, 31), self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setEnabled(False)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("wszystkie rodzaje"), None)
        for kind in ActivityKind:
            self.kind.addItem(tr_label(kind), kind)
        self.beat = QComboBox(self)
        self.officer = QComboBox(self)
        self.partner = QComboBox(self)
        for combo in (self.beat, self.officer, self.partner):
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Szukaj (Ctrl+F)…"))
        self.search.setClearButtonEnabled(True)
        self.model = RowsTableModel(table_columns(ACTIVITY_FIELDS, fmt={"starts_at": _dt}),
                                    parent=self)
        self.view, self.proxy = make_table(self, self.model,
                                           search=lambda r: r.search_fields(), sort_column=None)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.count = plain_label("", self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.add_button = QPushButton(self.tr("Dodaj…"), self)
        self.edit_button = QPushButton(self.tr("Edytuj…"), self)
        self.delete_button = QPushButton(self.tr("Usuń"), self)
        self.export_button = QPushButton(self.tr("Eksportuj…"), self)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.export_button.clicked.connect(self.export)

        # Two rows of filters, so the tab fits a 1366-px screen (and 150 % scaling).
        filters = QHBoxLayout()
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(plain_label(self.tr("do"), self))
        filters.addWidget(self.date_to)
        filters.addWidget(plain_label(self.tr("Rodzaj:"), self))
        filters.addWidget(self.kind, 1)
        people = QHBoxLayout()
        for caption, combo in ((self.tr("Rejon:"), self.beat),
                               (self.tr("Funkcjonariusz:"), self.officer),
                               (self.tr("Partner:"), self.partner)):
            people.addWidget(plain_label(caption, self))
            people.addWidget(combo, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.search, 2)
        actions.addWidget(self.count, 1)
        for button in (self.add_button, self.edit_button, self.delete_button,
                       self.export_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(people)
        layout.addLayout(actions)
        layout.addWidget(self.view, 1)

        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        self.search.textChanged.connect(self._search_changed)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.use_dates.toggled.connect(self.reload)
        self.date_from.dateChanged.connect(self.reload)
        self.date_to.dateChanged.connect(self.reload)
        for combo in (self.kind, self.beat, self.officer, self.partner):
            combo.currentIndexChanged.connect(self.reload)
        ctx.subscribe(LISTEN, self._data_changed, self)
        db, flt = self.db, self.current_filter()
        background.load(self, lambda: (_read_choices(db), list_activities(db, flt)),
                        self._fill_start, name="działania")

    # --- filters -------------------------------------------------------------------------
    def _fill_start(self, read: tuple) -> None:
        choices, rows = read
        self._fill_choices(choices)
        self.model.set_rows(rows)
        self._show_count()

    def _fill_choices(self, read: tuple | None = None) -> None:
        beats, officers, partners = read or _read_choices(self.db)
        for combo, everything, choices in (
                (self.beat, self.tr("wszystkie"), beats),
                (self.officer, self.tr("wszyscy"), officers),
                (self.partner, self.tr("wszyscy"), partners)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for cid, name in choices:
                combo.addItem(name, cid)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def current_filter(self) -> ActivityFilter:
        dates = self.use_dates.isChecked()
        kind = None if self.kind.currentData() is None else ActivityKind(self.kind.currentData())
        return ActivityFilter(
            date_from=_day(self.date_from.date()) if dates else None,
            date_to=_day(self.date_to.date()) if dates else None,
            beat_id=self.beat.currentData(), kind=kind,
            officer_id=self.officer.currentData(), partner_id=self.partner.currentData())

    def reload(self) -> None:
        self.model.set_rows(list_activities(self.db, self.current_filter()))
        self._show_count()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        self._show_count()

    def _show_count(self) -> None:
        self.count.setText(self.tr("Działania: {0} z {1}").format(
            self.proxy.rowCount(), self.model.rowCount()))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _data_changed(self, change: Change) -> None:
        if change & ~Change.ACTIVITIES:
            self._fill_choices()
        self.reload()

    def visible_rows(self) -> list[ActivityRow]:
        """The rows as shown: filtered, searched and in the table's order."""
        return [self.model.row_object(self.proxy.mapToSource(self.proxy.index(i, 0)).row())
                for i in range(self.proxy.rowCount())]

    # --- editing -------------------------------------------------------------------------
    def make_dialog(self, row: ActivityRow | None = None) -> ActivityDialog:
        return ActivityDialog(self.db, row, self)

    def _run(self, dialog: ActivityDialog) -> None:
        if dialog.exec() == ActivityDialog.DialogCode.Accepted and dialog.saved is not None:
            self.ctx.notify(Change.ACTIVITIES)
            self.select(dialog.saved.id)

    def add(self) -> None:
        self._run(self.make_dialog())

    def edit_selected(self) -> None:
        row = selected_object(self.view)
        if row is None:
            return
        try:
            fresh = get_activity(self.db, row.id)
        except LookupError as exc:
            plain.message(self, QMessageBox.Icon.Warning, self.tr("Działania"), str(exc))
            self.reload()
            return
        self._run(self.make_dialog(fresh))

    def delete_selected(self, confirm: bool = True) -> bool:
        row = selected_object(self.view)
        if row is None:
            return False
        if confirm and not plain.ask(
                self, self.tr("Usuwanie działania"),
                self.tr("Usunąć działanie „{0}” z {1}?").format(row.title, _dt(row.starts_at))):
            return False
        try:
            delete_activity(self.db, row.id, row.version)
        except ConflictError as exc:
            plain.message(self, QMessageBox.Icon.Warning, self.tr("Usuwanie działania"), str(exc))
            self.reload()
            return False
        self.ctx.notify(Change.ACTIVITIES)
        return True

    def select(self, activity_id: int) -> None:
        for i in range(self.proxy.rowCount()):
            index = self.proxy.index(i, 0)
            if self.model.row_object(self.proxy.mapToSource(index).row()).id == activity_id:
                self.view.selectRow(i)
                self.view.scrollTo(index)
                return

    # --- export --------------------------------------------------------------------------
    def export(self) -> None:
        path, _ = save_file_name(
            self, self.tr("Eksport działań"), "dzialania.xlsx",
            self.tr("Arkusz Excel (*.xlsx);;CSV (*.csv)"))
        if path:
            problem = self.export_to(path)
            if problem:
                plain.message(self, QMessageBox.Icon.Warning, self.tr("Eksport działań"), problem)

    def export_to(self, path: str) -> str | None:
        """Write the rows shown; the Polish reason when the file cannot be written."""
        try:
            export_activities(path, self.visible_rows())
        except OSError as exc:
            return self.tr("Nie można zapisać pliku: {0}").format(exc.strerror or exc)
        return None
