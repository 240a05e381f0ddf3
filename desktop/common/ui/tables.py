"""The one table kit: a read-only model over plain row objects, a search proxy (Polish
collation, diacritics-insensitive search) and ``make_table``, the sortable read-only view every
tab uses.

    model = RowsTableModel([Column("Nazwa", lambda r: r.name)], parent=self)
    view, proxy = make_table(self, model, search=lambda r: (r.name,))
    search_edit.textChanged.connect(proxy.set_query)
    row = selected_object(view)
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.common.text import matches, natural_collation_string

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CONTENT_ROWS = 50  # rows (besides those in view) measured for a column's width


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    align_right: bool = False
    fmt: Callable[[Any], str] | None = None


class RowsTableModel(QAbstractTableModel):
    """Rows are immutable objects; columns say how to read and show them. SORT_ROLE gives a key
    that sorts text in Polish alphabetical order."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = (),
                 parent: QObject | None = None):
        super().__init__(parent)
        self._columns = list(columns)
        self._rows = list(rows)
        # Sort keys, computed once per cell: a sort compares each row ~log n times.
        self._sort_keys: dict[tuple[int, int], Any] = {}

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._sort_keys = {}
        self.endResetModel()

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        """Qt's answer in one call into Python instead of two (Qt's checks the bounds with
        rowCount and columnCount): the proxy asks it for every role of every cell a view
        paints or measures (issue 14)."""
        if parent.isValid() or not (0 <= row < len(self._rows)
                                    and 0 <= column < len(self._columns)):
            return QModelIndex()
        return self.createIndex(row, column)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == SORT_ROLE:
            cell = (index.row(), index.column())
            key = self._sort_keys.get(cell)
            if key is None:
                key = self._sort_keys[cell] = self._sort_key(index)
            return key
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            # The value only for the text: a view asks each cell for ~8 roles (font, colours,
            # check state ...) when it paints or measures it (issue 14).
            value = column.value(self._rows[index.row()])
            if value is None:
                return ""
            return column.fmt(value) if column.fmt else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return _RIGHT
        return None

    def _sort_key(self, index: QModelIndex | QPersistentModelIndex) -> Any:
        value = self._columns[index.column()].value(self._rows[index.row()])
        if isinstance(value, str):
            if value.isdigit():
                return f"{int(value):012d}"  # beat numbers sort 1, 2, 10
            return natural_collation_string(value)  # "KMP 2" before "KMP 10"
        # Python objects in a QVariant do not compare: give Qt strings or floats.
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, (int, float)):
            return float(value)
        return "" if value is None else str(value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title
        return None


SearchFields = Callable[[Any], Sequence[str]]


class SearchProxy(QSortFilterProxyModel):
    """Sorts by SORT_ROLE (Polish collation); with ``search`` it keeps the rows whose text
    fields contain every word of the query, diacritics ignored ("slesin" finds "Ślesin")."""

    def __init__(self, search: SearchFields | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._fields = search
        self._query = ""
        self.setSortRole(SORT_ROLE)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._query = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._fields is None or not self._query.strip():
            return True
        model = self.sourceModel()
        assert isinstance(model, RowsTableModel)
        return matches(self._query, *self._fields(model.row_object(source_row)))


class TurnCachedSizes(QStyledItemDelegate):
    """The standard delegate, whose size hints are kept until the event loop runs again.

    A column sized to its contents is measured again at every geometry change: showing a
    tab for the first time measures each of its tables three or four times in one turn of
    the event loop, every cell asking the model (in Python) for ~8 roles each time
    (issue 14). Within one turn nothing else changes a cell; a change of the model (reset,
    layout, data, rows) empties the cache at once, the event loop's next turn in any case.
    """

    def __init__(self, view: QTableView):
        super().__init__(view)
        self._sizes: dict[tuple[int, int], QSize] = {}
        self._font = QFont()
        self._clear_pending = False

    def watch(self, model: QAbstractItemModel) -> None:
        """Empty the cache at every change of ``model`` (connect before the view does)."""
        for signal in (model.modelAboutToBeReset, model.modelReset,
                       model.layoutAboutToBeChanged, model.layoutChanged, model.dataChanged,
                       model.rowsInserted, model.rowsRemoved, model.rowsMoved,
                       model.columnsInserted, model.columnsRemoved, model.columnsMoved):
            signal.connect(self.clear)

    def clear(self, *_args: Any) -> None:
        self._sizes.clear()

    def _next_turn(self) -> None:
        self._clear_pending = False
        self._sizes.clear()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        font = option.font
        if font != self._font:  # another font, other sizes
            self._sizes.clear()
            self._font = QFont(font)  # a copy: the option (and its font) is temporary
        cell = (index.row(), index.column())
        size = self._sizes.get(cell)
        if size is None:
            size = self._sizes[cell] = super().sizeHint(option, index)
            if not self._clear_pending:
                self._clear_pending = True
                QTimer.singleShot(0, self, self._next_turn)
        return size


def make_table(parent: QWidget, model: RowsTableModel, search: SearchFields | None = None, *,
               sort_column: int | None = 0) -> tuple[QTableView, SearchProxy]:
    """A sortable, read-only, single-selection table view over ``model`` through a
    SearchProxy (``proxy.set_query`` filters when ``search`` gives the row's text fields).

    ``sort_column`` is the column sorted at first (ascending); None keeps the model's order
    until a header is clicked."""
    proxy = SearchProxy(search, parent)
    proxy.setSourceModel(model)
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
    sizes = TurnCachedSizes(view)
    sizes.watch(proxy)  # before the view connects: the cache is emptied before it re-measures
    view.setModel(proxy)
    view.setItemDelegate(sizes)
    if sort_column is None:
        view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
    else:
        view.setSortingEnabled(True)
        # Qt starts with a descending indicator
        view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # Widths from the rows in view plus a sample, not Qt's default 1000 rows: showing a tab
    # with big tables otherwise asks data() tens of thousands of times (issue 14).
    view.horizontalHeader().setResizeContentsPrecision(CONTENT_ROWS)
    view.horizontalHeader().setStretchLastSection(True)
    return view, proxy


def selected_object(view: QTableView) -> Any:
    """The row object selected in a view made by ``make_table`` (None when none is)."""
    selection = view.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    if not rows:
        return None
    proxy = view.model()
    assert isinstance(proxy, QSortFilterProxyModel)
    model = proxy.sourceModel()
    assert isinstance(model, RowsTableModel)
    return model.row_object(proxy.mapToSource(rows[0]).row())
