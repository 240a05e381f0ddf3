"""The map drawn before the database layer is loaded (issue 14, "process start → map ready").

Right after the window's frame is shown, when it opens on the map tab and the database is a
SQLite file whose reports are in the map's disk cache: a thread reads the page's data with
the plain ``sqlite3`` module (:func:`desktop.map.fastread.read`, ~0.02 s at 100k reports) while
SQLAlchemy and the models are still being imported in the preload thread; then the map's view
is made in the map tab's empty page and loads the page with that data at once. Chromium
(its own processes) loads and draws the page while the imports hold the interpreter, so the
map no longer waits for them, for the database to be opened or for the tab to be built.

When the tab is built it takes the view (:func:`take`) and keeps the page if it has the same
settings and texts; a worker then reads the data again the same way and rebuilds the page
the normal way if it differs (opening the database may change it). With no cache, another
kind of database, a due migration or any error nothing is made here and the tab builds its
map as before.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.common.ui.uicall import install, post
from desktop.map.texts import PAGE_TEXTS, PAGE_TEXTS_CONTEXT

if TYPE_CHECKING:
    from db.engine import Database
    from desktop.map.fastread import FastMap
    from desktop.map.ui.view import MapView

log = logging.getLogger("razem.map")
VIEW_NAME = "razem-early-map"
MAP_TAB = "map"


def translated_page_texts() -> dict[str, str]:
    return {k: QCoreApplication.translate(PAGE_TEXTS_CONTEXT, v) for k, v in PAGE_TEXTS.items()}


def start(database_url: str | None, window: QObject, page: QWidget) -> threading.Event | None:
    """Start the read (a thread) for the map tab's empty ``page`` of ``window``; the event is
    set once the page is loading or nothing will be made. None when the database is not a
    SQLite file (nothing started)."""
    from db.paths import resolve_database_url
    from desktop.map.fastread import sqlite_file

    url = resolve_database_url(database_url)
    if sqlite_file(url) is None:
        return None
    install()  # the UI thread's end of post(), before the thread can post
    started = threading.Event()

    def run() -> None:
        fast = None
        try:
            from desktop.map import fastread, shell

            fast = fastread.read(url, shell.cache_folder())
        except Exception:  # never in the way of the start: the tab reads the map then
            log.exception("Mapa: odczyt startowy bez ORM")
        if fast is None:
            started.set()
        else:
            post(_arrived, window, page, fast, started)

    threading.Thread(target=run, name="razem-map-early", daemon=True).start()
    return started


def _arrived(window: QObject, page: QWidget, fast: FastMap, started: threading.Event) -> None:
    """On the UI thread: the view in the empty page, loading the page with its data."""
    try:
        _make_view(window, page, fast)
    finally:
        started.set()


def _make_view(window: QObject, page: QWidget, fast: FastMap) -> None:
    import shiboken6

    if not shiboken6.isValid(page) or not shiboken6.isValid(window):
        return  # the window went meanwhile
    tabs = getattr(window, "tab_by_key", None)
    if tabs is None or tabs.page(MAP_TAB) is not page or page.findChild(QObject, VIEW_NAME):
        return  # the tab was built meanwhile: it reads its map itself
    from desktop.map.settings import load_settings
    from desktop.map.ui.view import MapView

    view = MapView(None, page)
    view.setObjectName(VIEW_NAME)
    layout = page.layout() or QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(view)
    try:
        view.preload(fast, load_settings(), translated_page_texts())
    except Exception:
        log.exception("Mapa: strona przed otwarciem bazy")
        view.shutdown()
        view.setObjectName("")
        view.hide()
        view.deleteLater()
        return
    log.debug("Mapa przed otwarciem bazy: %d zgłoszeń, odczyt %.3f s",
              fast.data.report_count, fast.seconds)


def take(window: QObject | None, db: Database) -> MapView | None:
    """The view made at start-up, for the map tab (once); None when there is none."""
    from desktop.map.ui.view import MapView

    view = window.findChild(MapView, VIEW_NAME) if window is not None else None
    if not isinstance(view, MapView):
        return None
    view.setObjectName("")
    view.adopt(db)
    return view
