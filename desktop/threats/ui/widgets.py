"""Small widget helpers shared by the threat views."""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QTableView

from desktop.app.table_model import SORT_ROLE


def make_table(model, parent) -> QTableView:
    """A sortable, read-only table view over a RowsTableModel (Polish sort order)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = QTableView(parent)
    view.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
    view.setModel(proxy)
    # No sort column at first: rows keep the service's order until a header is clicked.
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view
