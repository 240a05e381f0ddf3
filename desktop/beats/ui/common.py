"""Small shared pieces of the beats UI: a searchable, Polish-sorted table and a cancellable
background job."""
from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.app.table_model import SORT_ROLE, Column, RowsTableModel
from desktop.common.text import matches


class SearchProxy(QSortFilterProxyModel):
    """Keeps rows whose text fields contain every word of the query, diacritics ignored
    ("slesin" finds "Ślesin"); sorts by SORT_ROLE (Polish collation)."""

    def __init__(self, fields: Callable[[object], tuple[str, ...]], parent=None):
        super().__init__(parent)
        self._fields = fields
        self._query = ""
        self.setSortRole(SORT_ROLE)

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._query = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._query.strip():
            return True
        row = self.sourceModel().row_object(source_row)
        return matches(self._query, *self._fields(row))


def make_table(parent: QWidget, columns: list[Column],
               fields: Callable[[object], tuple[str, ...]]) -> tuple[QTableView, RowsTableModel,
                                                                     SearchProxy]:
    model = RowsTableModel(columns, parent=parent)
    proxy = SearchProxy(fields, parent)
    proxy.setSourceModel(model)
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # Qt starts with a descending indicator
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view, model, proxy


def selected_object(view: QTableView, model: RowsTableModel, proxy: SearchProxy):
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    return model.row_object(proxy.mapToSource(rows[0]).row())


class ThreadJob(QObject):
    """Runs ``run()`` once in a new plain Python thread; ``cancel()`` sets a flag the job
    checks between steps. Subclasses declare their own signals (they cross to the UI thread
    queued).

    A plain thread per job rather than a pooled Qt thread: pyproj keeps a per-thread context
    that must not outlive or be shared across Python thread states."""

    thread_name = "razem-job"

    def __init__(self) -> None:
        super().__init__()
        self._cancelled = False
        self._thread = threading.Thread(target=self.run, name=self.thread_name, daemon=True)

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancelled = True

    def wait(self, timeout: float | None = None) -> None:
        if self._thread.is_alive():
            self._thread.join(timeout)

    def run(self) -> None:  # pragma: no cover - always overridden
        raise NotImplementedError
