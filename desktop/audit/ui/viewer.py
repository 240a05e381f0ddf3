"""Dziennik zmian: the audit log with filters (who, what, when, record) and CSV export."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.audit.log import (
    ACTION_LABELS,
    TABLE_LABELS,
    AuditFilter,
    AuditRow,
    list_entries,
    write_csv,
)
from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.tables import SORT_ROLE, Column, RowsTableModel

SHOWN = 5000  # newest entries shown at once; the CSV export of a filter has no limit


def _date(edit: QDateEdit, box: QCheckBox) -> dt.date | None:
    if not box.isChecked():
        return None
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class AuditDialog(QDialog):
    """Non-modal; reads the log through ``desktop.audit.log`` (short sessions)."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Dziennik zmian"))
        self.resize(1100, 640)
        self.who = QLineEdit(self)
        self.who.setPlaceholderText(self.tr("użytkownik lub stanowisko"))
        self.table = QComboBox(self)
        self.table.addItem(self.tr("wszystko"), "")
        for name, text in sorted(TABLE_LABELS.items(), key=lambda kv: kv[1]):
            self.table.addItem(text, name)
        self.action = QComboBox(self)
        self.action.addItem(self.tr("wszystkie"), "")
        for name, text in ACTION_LABELS.items():
            self.action.addItem(text, name)
        today = QDate.currentDate()
        self.use_from = QCheckBox(self.tr("od"), self)
        self.date_from = QDateEdit(today.addDays(-30), self)
        self.use_to = QCheckBox(self.tr("do"), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.record = QLineEdit(self)
        self.record.setPlaceholderText(self.tr("id lub nazwa rekordu"))
        self.search = QPushButton(self.tr("Szukaj"), self)
        self.search.setDefault(True)
        self.search.clicked.connect(self.refresh)
        self.who.returnPressed.connect(self.refresh)
        self.record.returnPressed.connect(self.refresh)

        filters = QGridLayout()
        filters.addWidget(plain.plain_label(self.tr("Kto:"), self), 0, 0)
        filters.addWidget(self.who, 0, 1)
        filters.addWidget(plain.plain_label(self.tr("Co:"), self), 0, 2)
        filters.addWidget(self.table, 0, 3)
        filters.addWidget(self.action, 0, 4)
        filters.addWidget(plain.plain_label(self.tr("Rekord:"), self), 0, 5)
        filters.addWidget(self.record, 0, 6)
        filters.addWidget(plain.plain_label(self.tr("Kiedy:"), self), 1, 0)
        filters.addWidget(self.use_from, 1, 1)
        filters.addWidget(self.date_from, 1, 2)
        filters.addWidget(self.use_to, 1, 3)
        filters.addWidget(self.date_to, 1, 4)
        filters.addWidget(self.search, 1, 6)

        self.model = RowsTableModel([
            Column(self.tr("Czas (UTC)"), lambda r: r.at,
                   fmt=lambda v: v.strftime("%d.%m.%Y %H:%M:%S")),
            Column(self.tr("Użytkownik"), lambda r: r.os_user),
            Column(self.tr("Stanowisko"), lambda r: r.workstation),
            Column(self.tr("Operacja"), lambda r: r.action_label),
            Column(self.tr("Co"), lambda r: r.table_label),
            Column(self.tr("Id"), lambda r: r.record_id, align_right=True),
            Column(self.tr("Rekord"), lambda r: r.label),
            Column(self.tr("Zmiany"), lambda r: r.changes_text()[:200]),
        ], parent=self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.proxy = proxy
        self.view = QTableView(self)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(self._show_details)
        self.details = QPlainTextEdit(self)  # plain text: values from data are never markup
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(120)
        self.count = plain.plain_label(parent=self)

        self.export_button = QPushButton(self.tr("Eksport CSV…"), self)
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.details)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.refresh()

    def current_filter(self, limit: int | None = SHOWN) -> AuditFilter:
        return AuditFilter(who=self.who.text(), table=self.table.currentData() or "",
                           action=self.action.currentData() or "",
                           date_from=_date(self.date_from, self.use_from),
                           date_to=_date(self.date_to, self.use_to),
                           record=self.record.text(), limit=limit)

    def refresh(self) -> None:
        rows = list_entries(self.db, self.current_filter(SHOWN + 1))
        more = len(rows) > SHOWN
        self.model.set_rows(rows[:SHOWN])
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.resizeColumnsToContents()
        text = self.tr("Wpisów: {0}").format(min(len(rows), SHOWN))
        if more:
            text += self.tr(" (pokazano najnowsze; zawęź filtr albo zapisz wszystkie do CSV)")
        self.count.setText(text)
        self.details.clear()

    def selected_row(self) -> AuditRow | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_object(self.proxy.mapToSource(index).row())

    def _show_details(self, *_args) -> None:
        row = self.selected_row()
        self.details.setPlainText("" if row is None else row.changes_text().replace("; ", "\n"))

    def export(self, path: str | None = None) -> None:
        if not path:
            path, _ = save_file_name(
                self, self.tr("Zapisz dziennik zmian"), "dziennik-zmian.csv",
                self.tr("CSV (*.csv)"))
        if not path:
            return
        rows = list_entries(self.db, self.current_filter(limit=None))
        try:
            write_csv(path, rows)
        except OSError as exc:
            plain.message(self, plain.Icon.Warning, self.tr("Dziennik zmian"),
                          self.tr("Nie można zapisać pliku {0}: {1}").format(
                              path, exc.strerror or exc))
            return
        self.count.setText(self.tr("Zapisano {0} wpisów do {1}").format(len(rows), path))
