"""The Zgłoszenia tab: the imported KMZB reports as a table, filtered with the map's own
filter panel, searched and sorted by the database and read page by page (canFetchMore), so a
database of 100,000 reports opens as fast as one of a hundred. Selecting a row shows the
report on the map (``ctx.reportSelected``)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from desktop.activities import reports as svc
from desktop.activities.reports import ReportQuery, ReportRow
from desktop.app.context import AppContext, Change
from desktop.common.labels import N_
from desktop.common.ui import background, plain
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job
from desktop.common.ui.latest import LatestRead
from desktop.common.ui.plain import plain_label
from desktop.common.ui.progress import run_with_progress
from desktop.map.data import filter_choices
from desktop.map.ui.filters import FilterPanel, beside_filters

_tr = translator("reports")
SEARCH_DEBOUNCE_MS = 250
LISTEN = Change.REPORTS | Change.BEATS | Change.DICTIONARIES

# (sort key, title translated in the context "reports", value)
COLUMNS: list[tuple[str, str, Callable[[ReportRow], object]]] = [
    ("id", N_("Id"), lambda r: r.id),
    ("category", N_("Kategoria"), lambda r: r.category),
    ("status", N_("Status"), lambda r: r.status),
    ("reported_at", N_("Data"), lambda r: r.reported_at.strftime("%d.%m.%Y %H:%M")),
    ("beat", N_("Rejon"), lambda r: r.beat),
    ("description", N_("Opis"), lambda r: r.description),
]


def read_first_page(db, query: ReportQuery) -> tuple[ReportQuery, int, list[ReportRow]]:
    """The count and the first page of a query (any thread)."""
    total = svc.count(db, query)
    return query, total, svc.page(db, query, 0) if total else []


class ReportsModel(QAbstractTableModel):
    """Rows of one ReportQuery, fetched ``svc.PAGE_SIZE`` at a time as the view scrolls."""

    def __init__(self, db, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.query = ReportQuery()
        self.total = 0
        self._rows: list[ReportRow] = []

    def set_query(self, query: ReportQuery) -> None:
        self.set_result(read_first_page(self.db, query))

    def set_result(self, result: tuple[ReportQuery, int, list[ReportRow]]) -> None:
        """Show a query's count and first page read by :func:`read_first_page`."""
        self.beginResetModel()
        self.query, self.total, self._rows = result
        self.endResetModel()

    def reload(self) -> None:
        self.set_query(self.query)

    def row_object(self, row: int) -> ReportRow:
        return self._rows[row]

    def loaded(self) -> int:
        return len(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if parent.isValid():
            return
        more = svc.page(self.db, self.query, len(self._rows))
        if not more:
            self.total = len(self._rows)  # rows vanished meanwhile
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = COLUMNS[index.column()][2](self._rows[index.row()])
            if role == Qt.ItemDataRole.ToolTipRole and index.column() != 5:
                return None
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(COLUMNS[section][1])
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][0]
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) != (self.query.sort, self.query.descending):
            self.set_query(ReportQuery(self.query.filter, self.query.text, key, descending))


class ReportsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.worker: Job | None = None
        self.filters = FilterPanel(self)
        self._hide_colour_row()
        self.model = ReportsModel(ctx.db, self)
        self.view = QTableView(self)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
        self.view.setModel(self.model)
        # The indicator first: enabling sorting then asks for the order the model already has
        # (newest first), not for a query of its own on the UI thread.
        self.view.horizontalHeader().setSortIndicator(3, Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # no full scans
        header.setStretchLastSection(True)
        for column, width in enumerate((70, 260, 120, 120, 220)):
            header.resizeSection(column, width)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Szukaj w opisach, kategoriach, rejonach (Ctrl+F)…"))
        self.search.setClearButtonEnabled(True)
        self.count = plain_label("", self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.export_button = QPushButton(self.tr("Eksportuj…"), self)
        self.export_button.clicked.connect(self.export)
        self.map_button = QPushButton(self.tr("Pokaż na mapie"), self)
        self.map_button.setToolTip(self.tr("Przejdź do mapy wyśrodkowanej na zaznaczonym "
                                           "zgłoszeniu (także dwuklik w wierszu)."))
        self.map_button.clicked.connect(self.show_on_map)

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.count, 1)
        top.addWidget(self.map_button)
        top.addWidget(self.export_button)
        beside_filters(self, self.filters, self.view, above=top)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        # Searches and filters are read in a job, the newest input winning (issue 14: a
        # search over a million reports must not stall the window); ``apply()`` reads at once.
        self.reader = LatestRead(self, self._show_result, name="zgłoszenia")
        self._search_timer.timeout.connect(self.apply_later)
        self.search.textChanged.connect(self._search_timer.start)
        self.filters.filterChanged.connect(lambda _f: self.apply_later())
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.doubleClicked.connect(lambda _index: self.show_on_map())
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        ctx.subscribe(LISTEN, self._data_changed, self)
        db, query = ctx.db, self.current_query()
        background.load(self, lambda: (filter_choices(db), read_first_page(db, query)),
                        self._fill, name="zgłoszenia")

    def _fill(self, read: tuple) -> None:
        choices, first = read
        with QSignalBlocker(self.filters):
            self.filters.set_choices(choices)
        self.model.set_result(first)
        self._after_query()

    def _hide_colour_row(self) -> None:
        outer = self.filters.layout()
        assert outer is not None
        for i in range(outer.count()):
            item = outer.itemAt(i)
            form = item.layout() if item is not None else None
            if isinstance(form, QFormLayout):
                form.setRowVisible(self.filters.colour, False)

    def current_query(self) -> ReportQuery:
        return ReportQuery(self.filters.current(), self.search.text(), self.model.query.sort,
                           self.model.query.descending)

    def apply(self) -> None:
        self._search_timer.stop()
        self.model.set_query(self.current_query())
        self._after_query()

    def apply_later(self) -> None:
        """Read the count and first page for the widgets' query in a job; shown on arrival."""
        self._search_timer.stop()
        db, query = self.ctx.db, self.current_query()
        self.reader.request(lambda: read_first_page(db, query))

    def _show_result(self, result: tuple[ReportQuery, int, list[ReportRow]]) -> None:
        self.model.set_result(result)
        self._after_query()

    def _after_query(self) -> None:
        self.count.setText(self.tr("Zgłoszenia: {0}").format(self.model.total))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _data_changed(self, _change: Change) -> None:
        self.filters.set_choices(filter_choices(self.ctx.db))
        self.apply()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.ctx.reportSelected.emit(self.model.row_object(current.row()).id)

    def show_on_map(self) -> None:
        """Show the selected report on the map and bring the map tab forward."""
        index = self.view.currentIndex()
        if not index.isValid():
            return
        self.ctx.reportSelected.emit(self.model.row_object(index.row()).id)
        self.ctx.tabRequested.emit("map")

    # --- export --------------------------------------------------------------------------
    def export(self) -> None:
        path, _ = save_file_name(
            self, self.tr("Eksport zgłoszeń"), "zgloszenia.xlsx",
            self.tr("Arkusz Excel (*.xlsx);;CSV (*.csv)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        """Export every row the current filter and search let through (in a job)."""
        query = self.current_query()
        total = self.model.total
        self.export_button.setEnabled(False)

        def work(ctl, db, q, target):
            def check(stage: str, done: int) -> None:  # reading is the first half, writing the second
                ctl.check()
                share = min(49, done * 50 // max(total, 1))
                if stage == svc.READING:
                    ctl.progress(share, _tr("Odczyt zgłoszeń: {0} z {1}").format(done, total))
                else:
                    ctl.progress(50 + share, _tr("Zapis pliku: {0} z {1}").format(done, total))
            return svc.export_reports(db, q, target, check)

        self.worker = run_with_progress(
            work, self.ctx.db, query, path, parent=self, name="eksport zgłoszeń",
            label=self.tr("Eksportowanie zgłoszeń…"), title=self.tr("Eksport zgłoszeń"),
            on_success=self._exported, on_failure=self._export_failed,
            on_cancelled=self._export_cancelled, on_finished=self._export_finished,
            expected=(OSError,))

    def _exported(self, n: int) -> None:
        self.count.setText(self.tr("Zgłoszenia: {0}. Wyeksportowano: {1}.").format(
            self.model.total, n))

    def _export_cancelled(self) -> None:
        self.count.setText(self.tr("Zgłoszenia: {0}. Eksport przerwano – nie zapisano pliku.")
                           .format(self.model.total))

    def _export_failed(self, failure) -> None:
        plain.message(self, QMessageBox.Icon.Warning, self.tr("Eksport zgłoszeń"), failure.message)

    def _export_finished(self, *_args) -> None:
        self.worker = None
        self.export_button.setEnabled(True)

    def wait_for_jobs(self) -> None:
        if self.worker is not None:
            self.worker.wait(10_000)
