"""Layout on a small screen: every column of the busy tables is on screen at 1366 px, and the
plan dialog's buttons are reachable on a screen smaller than the dialog."""
from __future__ import annotations

from PySide6.QtWidgets import QApplication, QTableView


def cut_columns(view: QTableView) -> list[str]:
    """Headers of the columns that are not (wholly) inside the table's viewport."""
    header = view.horizontalHeader()
    out = []
    for c in range(header.count()):
        if header.isSectionHidden(c):
            continue
        x, width = header.sectionViewportPosition(c), header.sectionSize(c)
        if width <= 0 or x < 0 or x + width > view.viewport().width() + 1:
            out.append(view.model().headerData(c, header.orientation()))
    return out


def _settle(qtbot):
    qtbot.wait(50)
    QApplication.processEvents()


def test_busy_tables_show_every_column_at_1366(qtbot, sample_db):
    from desktop.app.main_window import MainWindow
    from desktop.partners.ui.agreements_dialog import AgreementsDialog

    window = MainWindow(sample_db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    beats = window.tab_by_key["beats"]
    window.tabs.setCurrentWidget(beats)
    window.ctx.beatSelected.emit(1)  # fills the assignment history (Od/Do)
    _settle(qtbot)
    page = beats.beats
    assert page.history_model.rowCount() > 0
    assert cut_columns(page.view) == [] and cut_columns(page.history_view) == []
    assert page.view.model().headerData(8, page.view.horizontalHeader().orientation()) \
        == "Zgł. 12 mies."
    partners = window.tab_by_key["partners"]
    window.tabs.setCurrentWidget(partners)
    _settle(qtbot)
    assert cut_columns(partners.view) == []  # the signature status ("Porozumienie") too

    dialog = AgreementsDialog(sample_db, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _settle(qtbot)
    assert dialog.signatures.rowCount() == 35 and cut_columns(dialog.table) == []


def test_plan_dialog_fits_a_small_screen(qtbot, sample_db):
    from desktop.threats.ui.plan_dialog import PlanDialog

    dialog = PlanDialog(sample_db, beat_id=1)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    # 760 px wished; a screen of 800 px (offscreen) leaves room for the title bar and taskbar
    assert dialog.height() <= screen.height() - 60 and dialog.width() <= screen.width() - 40
    save = dialog.buttons.buttons()[0]
    bottom = save.mapTo(dialog, save.rect().bottomLeft()).y()
    assert save.isVisible() and bottom <= dialog.height()
