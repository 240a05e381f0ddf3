"""make_table's delegate keeps a cell's size hint for one turn of the event loop (issue 14:
showing a tab measured each table three or four times in one turn, all in Python); the
widths must stay exactly those of Qt's own delegate."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget

from desktop.common.ui.tables import Column, RowsTableModel, TurnCachedSizes, make_table

ROWS = [("Żnin", 10.25), ("Ślesin", 2.5), ("Łódź – Bałuty", 1.0), ("Konin", 3333.75)]


def _columns(read: list | None = None) -> list[Column]:
    def name(r):
        if read is not None:
            read.append(r)
        return r[0]
    return [Column("Nazwa", name), Column("Wartość", lambda r: r[1], True,
                                            lambda v: f"{v:.2f}".replace(".", ","))]


def _pair(qtbot, rows):
    """Two tables over equal models, side by side: make_table's and one with Qt's delegate."""
    parent = QWidget()
    qtbot.addWidget(parent)
    layout = QVBoxLayout(parent)
    out = []
    for plain in (False, True):
        model = RowsTableModel(_columns(), rows, parent=parent)
        view, proxy = make_table(parent, model, lambda r: (r[0],), sort_column=None)
        if plain:
            view.setItemDelegate(QStyledItemDelegate(view))
        layout.addWidget(view)
        out.append((model, view, proxy))
    parent.resize(600, 500)
    parent.show()
    qtbot.waitExposed(parent)
    return parent, out


def _widths(view) -> list[int]:
    header = view.horizontalHeader()
    return [header.sectionSize(i) for i in range(header.count())]


def _settle():
    for _ in range(5):
        QCoreApplication.processEvents()


def test_widths_are_those_of_qts_delegate(qtbot):
    _parent, ((model, view, proxy), (plain_model, plain_view, plain_proxy)) = _pair(
        qtbot, ROWS)
    assert isinstance(view.itemDelegate(), TurnCachedSizes)
    _settle()
    assert _widths(view) == _widths(plain_view)
    # New rows, longer texts, in the same turn as a measurement: measured anew.
    view.sizeHintForColumn(0)
    longer = ROWS + [("Gmina Kazimierz Biskupi, sołectwo Nieświastów", 123456.5)]
    for m in (model, plain_model):
        m.set_rows(longer)
    assert view.sizeHintForColumn(0) == plain_view.sizeHintForColumn(0)
    _settle()
    assert _widths(view) == _widths(plain_view)
    assert _widths(view)[0] > view.fontMetrics().horizontalAdvance("Łódź – Bałuty")
    # Sorted and filtered in the same turn: the cache is keyed by the row in view.
    for v in (view, plain_view):
        v.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    for p in (proxy, plain_proxy):
        p.set_query("konin")
    index, plain_index = proxy.index(0, 0), plain_proxy.index(0, 0)
    option = QStyleOptionViewItem()
    option.font = view.font()
    assert (view.itemDelegate().sizeHint(option, index)
            == QStyledItemDelegate().sizeHint(option, plain_index))
    _settle()
    assert _widths(view) == _widths(plain_view)


def test_a_turn_measures_each_cell_once_and_the_next_turn_again(qtbot):
    read: list = []
    parent = QWidget()
    qtbot.addWidget(parent)
    model = RowsTableModel(_columns(read), ROWS, parent=parent)
    view, _proxy = make_table(parent, model, sort_column=None)
    first = view.sizeHintForColumn(0)
    assert len(read) == len(ROWS)
    read.clear()
    assert view.sizeHintForColumn(0) == first  # same turn: from the cache
    assert read == []
    _settle()  # the next turn measures again (nothing kept beyond a turn)
    assert view.sizeHintForColumn(0) == first
    assert len(read) == len(ROWS)


def test_another_font_is_measured_anew(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    model = RowsTableModel(_columns(), ROWS, parent=parent)
    view, _proxy = make_table(parent, model, sort_column=None)
    small = view.sizeHintForColumn(0)
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    assert view.sizeHintForColumn(0) > small
