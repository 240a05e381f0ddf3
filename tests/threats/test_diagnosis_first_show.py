"""The diagnosis tab's first showing paints first and fits the beat ranking's columns one
turn of the event loop later (issue 14); the columns end up fitted as every table's are."""
from __future__ import annotations

from PySide6.QtWidgets import QHeaderView

from desktop.app.context import AppContext
from desktop.threats.ui.diagnosis_tab import DiagnosisTab

FIT = QHeaderView.ResizeMode.ResizeToContents


def _tab(qtbot, db) -> DiagnosisTab:
    widget = DiagnosisTab(AppContext(db))
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    qtbot.waitUntil(lambda: widget.diagnosis is not None, timeout=20000)
    return widget


def _fitted(qtbot, tab: DiagnosisTab) -> None:
    view = tab.ranking_view
    header = view.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionResizeMode(0) == FIT, timeout=5000)
    qtbot.wait(50)  # the header resizes its sections on a timer of its own
    assert all(header.sectionResizeMode(i) == FIT for i in range(header.count()))
    for i in range(header.count() - 1):  # the last one stretches
        assert header.sectionSize(i) == max(view.sizeHintForColumn(i),
                                            header.sectionSizeHint(i)), i


def test_first_showing_fits_the_ranking_after_painting(qtbot, sample_db):
    tab = _tab(qtbot, sample_db)
    assert tab.ranking_model.rowCount() == 24
    header = tab.ranking_view.horizontalHeader()
    assert header.sectionResizeMode(0) != FIT  # not measured before the tab is shown
    tab.show()
    qtbot.waitExposed(tab)
    _fitted(qtbot, tab)
    # Later fills are measured as in any table (the mode stays).
    tab.refresh()
    _fitted(qtbot, tab)


def test_switching_away_before_the_fit(qtbot, sample_db):
    tab = _tab(qtbot, sample_db)
    tab.show()
    tab.hide()  # another tab chosen at once
    qtbot.waitUntil(lambda: tab.ranking_view.horizontalHeader().sectionResizeMode(0) == FIT,
                    timeout=5000)
    tab.show()
    qtbot.waitExposed(tab)
    _fitted(qtbot, tab)
    assert tab.ranking_model.rowCount() == 24
