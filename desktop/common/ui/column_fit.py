"""Keep every column of a table on screen: the text columns named "elastic" give up width
(their text is elided) so that short columns such as dates, statuses and counts stay visible
at 1366 px and with 150 % scaling."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView

MIN_ELASTIC = 48  # px: an elastic column never gets narrower than this
# Rows (the visible ones plus a sample) measured for a column's width. Qt's default, 1000,
# asks data() ~1000 times per column on every fit: a long stall of the window when a big
# table is filled at start-up (issue 14).
FIT_ROWS = 200


class ColumnFitter(QObject):
    """Sizes the columns to their contents, then shrinks the elastic ones until the table
    fits its viewport; again after every resize and new data."""

    def __init__(self, view: QTableView, elastic: Sequence[int]):
        super().__init__(view)
        self.view = view
        self.elastic = list(elastic)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        self._stale = False  # data or size changed while the table was hidden
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(FIT_ROWS)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.viewport().installEventFilter(self)
        model = view.model()
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
                signal.connect(self._timer.start)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize or (event.type() == QEvent.Type.Show
                                                   and self._stale):
            self._timer.start()
        return False

    def fit(self) -> None:
        view, header = self.view, self.view.horizontalHeader()
        if not view.isVisible():
            # A table behind another tab: fitted when it is shown (its width is known then),
            # not on every fill at start-up (issue 14).
            self._stale = True
            return
        self._stale = False
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if not columns:
            return
        view.resizeColumnsToContents()
        widths = {c: header.sectionSize(c) for c in columns}
        available = view.viewport().width()
        excess = sum(widths.values()) - available
        elastic = [c for c in self.elastic if c in widths]
        if excess > 0:
            spare = sum(max(0, widths[c] - MIN_ELASTIC) for c in elastic)
            for c in elastic:
                give = max(0, widths[c] - MIN_ELASTIC)
                cut = int(excess * give / spare) + 1 if spare else 0
                header.resizeSection(c, max(MIN_ELASTIC, widths[c] - cut))
        elif elastic:  # room to spare: the first elastic column takes it
            header.resizeSection(elastic[0], widths[elastic[0]] - excess)


def fit_columns(view: QTableView, elastic: Sequence[int]) -> ColumnFitter:
    """Attach a ColumnFitter to ``view`` (kept alive as the view's child)."""
    return ColumnFitter(view, elastic)
