"""Desktop habits: one settings dialog of pages, window state remembered, Ctrl+Q."""
from __future__ import annotations

import json

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from db.engine import data_dir
from desktop.app.main_window import MainWindow
from desktop.app.settings import SETTINGS_PAGES, SettingsDialog, database_address_error
from desktop.backup.settings import load_settings as load_backup_settings
from desktop.cli import main
from desktop.common.preferences import preferred_database, stored_database_url
from desktop.map.settings import load_settings


def _window(qtbot, db) -> MainWindow:
    window = MainWindow(db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _shutdown(window: MainWindow) -> None:
    for tab in window.tab_by_key.values():
        if hasattr(tab, "shutdown"):
            tab.shutdown()


def test_window_size_position_splitters_and_tab_are_remembered(qtbot, sample_db):
    window = _window(qtbot, sample_db)
    # The offscreen test screen is 800 px wide, narrower than the window's minimum width, so
    # the height and position are what can change here; the width stays at its minimum.
    window.resize(window.minimumSizeHint().width(), 640)
    window.move(QPoint(37, 29))
    wanted = (window.width(), window.height())
    assert wanted[1] == 640
    splitters = window._splitters()
    assert splitters, "the tabs have splitters to remember"
    name, splitter = next(iter(splitters.items()))
    total = sum(splitter.sizes())
    splitter.setSizes([total // 3, total - total // 3])
    wanted_sizes = splitter.sizes()
    window.tabs.setCurrentIndex(2)
    window.quit_action.trigger()  # Plik › Zakończ closes and saves
    assert not window.isVisible()
    assert (data_dir() / "okno.ini").exists()
    _shutdown(window)

    again = _window(qtbot, sample_db)
    assert (again.width(), again.height()) == wanted
    assert again.y() == 29  # x is pushed back onto the narrow test screen
    # The pane the user dragged keeps its size; the stretching pane takes the rest.
    assert again._splitters()[name].sizes()[0] == wanted_sizes[0] != total // 2
    assert again.tabs.currentIndex() == 2
    _shutdown(again)


def test_quit_has_ctrl_q_on_every_platform(qtbot, sample_db):
    window = _window(qtbot, sample_db)
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    _shutdown(window)


def test_database_address_validation_in_polish():
    assert database_address_error("") is None  # the default file
    assert database_address_error("C:/Użytkownicy/Łukasz/razem.db") is None
    assert database_address_error("postgresql+psycopg://jan@serwer/razem") is None
    assert "postgresql+psycopg://" in database_address_error("postgresql+pg8000://jan@serwer/razem")
    assert "serwer i nazwę bazy" in database_address_error("postgresql+psycopg://jan@/")
    assert "Nieznany rodzaj bazy danych „mysql”" in database_address_error("mysql://a@b/c")
    assert "Niepoprawny adres" in database_address_error("postgresql+psycopg://a@b:port/c")


class _ExtraPage(QWidget):
    """What the backups helper will add: a page with title() and apply()."""

    applied = 0

    def title(self) -> str:
        return "Kopie zapasowe"

    def apply(self) -> None:
        _ExtraPage.applied += 1


def test_settings_dialog_from_the_menu_validates_then_applies_every_page(
        qtbot, sample_db, tmp_path, capsys):
    window = _window(qtbot, sample_db)
    changed: list[str] = []
    window.ctx.settingsChanged.connect(changed.append)
    map_tab = window.tab_by_key["map"]
    rebuilds: list[int] = []
    map_tab.map.loadStarted.connect(lambda: rebuilds.append(1))
    new_db = tmp_path / "Łukasz Żółć" / ("bardzo długi folder bazy " * 6).strip() / "razem.db"
    seen = {}

    def interact():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SettingsDialog)
        seen["titles"] = [dialog.titles.item(i).text() for i in range(dialog.titles.count())]
        db_page, map_page, backup_page = dialog.pages
        backup_page.keep.setValue(9)
        db_page.address.setText("mysql://jan@serwer/razem")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        seen["error1"] = dialog.error.text() if dialog.error.isVisible() else ""
        db_page.address.setText(str(new_db))
        map_page.online.setChecked(True)
        map_page.online_url.setText("http://kafelki.example/{z}/{x}.png")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        seen["error2"] = dialog.error.text()
        seen["row2"] = dialog.titles.currentRow()
        seen["saved_early"] = stored_database_url()
        map_page.online_url.setText("https://kafelki.example/{z}/{x}/{y}.png")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    QTimer.singleShot(0, interact)
    window.settings_action.trigger()  # Plik › Ustawienia… (modal; interact() closes it)
    assert seen["titles"] == ["Baza danych", "Mapa", "Kopie zapasowe"]
    assert seen["error1"].startswith("Baza danych: Nieznany rodzaj bazy danych „mysql”")
    assert seen["error2"].startswith("Mapa: Adres kafelków musi zawierać {z}, {x} i {y}")
    assert seen["row2"] == 1 and seen["saved_early"] == ""  # nothing applied while invalid
    assert changed == ["database", "map"]
    assert stored_database_url() == str(new_db)
    assert load_settings().online_tiles is True
    assert map_tab.settings.online_url == "https://kafelki.example/{z}/{x}/{y}.png"
    qtbot.waitUntil(lambda: bool(rebuilds), timeout=20000)  # the map follows at once
    saved = json.loads((data_dir() / "settings.json").read_text(encoding="utf-8"))
    assert saved == {"database_url": str(new_db)}
    assert load_backup_settings().keep == 9  # the backup page applied with the others

    # The database address takes effect at the next start, for the command line too.
    assert preferred_database(None) == str(new_db)
    assert preferred_database("inna.db") == "inna.db"
    assert main(["db", "upgrade"]) == 0
    assert str(new_db) in capsys.readouterr().out and new_db.exists()
    _shutdown(window)


def test_settings_dialog_takes_one_more_page_in_one_line(qtbot, sample_db):
    from desktop.app.context import AppContext

    ctx = AppContext(sample_db)
    pages = [*SETTINGS_PAGES, lambda ctx, parent: _ExtraPage(parent)]
    dialog = SettingsDialog(ctx, None, pages)
    qtbot.addWidget(dialog)
    assert [dialog.titles.item(i).text() for i in range(3)] == ["Baza danych", "Mapa",
                                                                 "Kopie zapasowe"]
    dialog.titles.setCurrentRow(2)
    assert dialog.stack.currentWidget() is dialog.pages[2]
    before = _ExtraPage.applied
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert _ExtraPage.applied == before + 1 and dialog.result() == SettingsDialog.DialogCode.Accepted


def test_a_page_without_title_and_apply_is_refused(sample_db, qapp):
    from desktop.app.context import AppContext

    try:
        SettingsDialog(AppContext(sample_db), None, [lambda ctx, parent: QLabel(parent)])
    except TypeError as exc:
        assert "title() i apply()" in str(exc)
    else:
        raise AssertionError("a page without title()/apply() was accepted")


def test_every_tab_fits_a_1366_pixel_screen_and_1920_at_150_percent(qtbot, sample_db):
    """The window's minimum width is the widest tab's: it must fit a 1366×768 workstation and
    a 1920×1080 screen at 150 % scaling (1280 px to Qt)."""
    window = _window(qtbot, sample_db)
    widths = {key: tab.minimumSizeHint().width() for key, tab in window.tab_by_key.items()}
    assert max(widths.values()) <= 1280 - 20, widths
    assert window.minimumSizeHint().width() <= 1280, widths
    _shutdown(window)
