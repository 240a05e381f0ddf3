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
    fits its viewport; again after every resize and new data.

    The columns are measured one per event-loop turn (a column of a few hundred cells takes a
    few milliseconds, the whole table at once 35–70 ms of the UI thread, one of the longest
    turns while the tabs filled in at start-up, issue 14) and sized together after the last,
    to the width Qt's ``resizeColumnsToContents`` gives them (tested)."""

    def __init__(self, view: QTableView, elastic: Sequence[int]):
        super().__init__(view)
        self.view = view
        self.elastic = list(elastic)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        self._step = QTimer(self)  # the next column's measuring, a turn later
        self._step.setSingleShot(True)
        self._step.setInterval(0)
        self._step.timeout.connect(self._measure_next)
        self._pending: list[int] = []  # columns still to measure in this fit
        self._measured: dict[int, int] = {}
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

    def fitting(self) -> bool:
        """Columns still being measured (the widths are set after the last)."""
        return bool(self._pending)

    def fit(self) -> None:
        """Start measuring the columns (the first now, one per turn after it); a fit started
        meanwhile begins again."""
        self._step.stop()
        self._pending, self._measured = [], {}
        view, header = self.view, self.view.horizontalHeader()
        if not view.isVisible():
            # A table behind another tab: fitted when it is shown (its width is known then),
            # not on every fill at start-up (issue 14).
            self._stale = True
            return
        self._stale = False
        self._pending = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        self._measure_next()

    def _measure_next(self) -> None:
        if not self._pending:
            return
        if not self.view.isVisible():  # hidden meanwhile: all again once shown
            self._pending, self._stale = [], True
            return
        header = self.view.horizontalHeader()
        column = self._pending.pop(0)
        # what QHeaderView.resizeSections(ResizeToContents) gives a column
        size = max(self.view.sizeHintForColumn(column), header.sectionSizeHint(column))
        self._measured[column] = min(max(size, header.minimumSectionSize()),
                                     header.maximumSectionSize())
        if self._pending:
            self._step.start()
        else:
            self._apply()

    def _apply(self) -> None:
        view, header = self.view, self.view.horizontalHeader()
        widths = dict(self._measured)
        for column, width in widths.items():
            header.resizeSection(column, width)
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
