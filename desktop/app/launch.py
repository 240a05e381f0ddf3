"""Process start → the main window (issue 14): the window's frame is shown right after the
QApplication, with PySide6 alone; SQLAlchemy, the models and the rest of the window's code are
imported in a thread (``preload``) and the database is opened in a job (``startup_dialog``)
while the frame answers; then the window gets its database (``MainWindow.attach``) and fills
its tabs.

Closing the frame while the database is being opened (a migration, the sample being built)
does not stop that work half-way: the program ends once it is done.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from desktop.app.main_window import MainWindow
from desktop.common import gcpause

if TYPE_CHECKING:
    from desktop.startup import OpenedDatabase

log = logging.getLogger("razem.startup")
# The database layer's imports wait at most this long for the map's start-up read and view.
EARLY_MAP_WAIT = 0.4


@dataclass
class Launched:
    window: MainWindow
    opened: OpenedDatabase | None  # None: not opened (the user was told why) or window closed
    closed_early: bool = False  # the user closed the window before the database was open


def open_main_window(database_url: str | None,
                     on_shown: Callable[[MainWindow], None] | None = None) -> Launched:
    """Show the window's frame, then open the database and attach it (the event loop runs
    meanwhile). ``on_shown`` is called right after the frame is shown (the start-up probe)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "create_application() first"
    quit_on_close = app.quitOnLastWindowClosed()
    # While the database opens, closing the frame must not end the event loops the opening
    # runs in (QCoreApplication.quit ends every loop of the thread, nested ones too).
    app.setQuitOnLastWindowClosed(False)
    # Few garbage collections until the window has built and filled its tabs (gcpause:
    # the main window ends this; a full collection held the GIL for up to 0.1 s).
    gcpause.begin_startup()
    try:
        window = MainWindow()
        window.show()
        if on_shown is not None:
            on_shown(window)
        from desktop.app import web_engine
        from desktop.app.preload import MODULES, import_window_modules

        web_engine.start_soon(window)  # while the imports below run in their thread
        early_map = _start_early_map(database_url, window)
        # In a thread, while the UI thread's event loop keeps running: the database layer,
        # and what the tab the window opens on imports (numpy, pyproj… for some: 0.15 s on
        # the UI thread in attach() otherwise, one long stall). It starts once the map's page
        # is loading from the start-up read, if there is one: that read and the view need the
        # interpreter for a few tens of milliseconds, the imports for several hundred, and
        # Chromium then loads and draws the page in its own processes beside the imports.
        import_window_modules(MODULES + window.tab_by_key.modules([window.first_tab_key()]),
                              after=early_map, wait=EARLY_MAP_WAIT)
        from desktop.app.startup_dialog import open_with_progress

        opened = open_with_progress(database_url, window)
        if opened is None:
            window.close()
            gcpause.end_startup()
            return Launched(window, None)
        if not window.isVisible():  # closed by the user meanwhile
            log.info("okno zamknięte przed otwarciem bazy danych")
            opened.db.dispose()
            gcpause.end_startup()
            return Launched(window, None, closed_early=True)
        window.attach(opened.db)
        return Launched(window, opened)
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)


def _start_early_map(database_url: str | None, window: MainWindow) -> threading.Event | None:
    """When the window opens on the map: its data read without the database layer, and its
    page loaded, while that layer is imported (desktop.map.ui.early). The event is set when
    the page is loading or nothing will be made (None: nothing started)."""
    key = window.first_tab_key()
    if key != "map":
        return None
    try:
        from desktop.map.ui import early

        return early.start(database_url, window, window.tab_by_key.page(key))
    except Exception:  # never in the way of the start: the tab reads its map then
        log.exception("Mapa: odczyt startowy bez ORM")
        return None
