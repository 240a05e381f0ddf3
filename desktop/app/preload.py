"""While the window's frame is shown (issue 14, desktop.app.launch): the modules the database
and the window's attach() need — SQLAlchemy, the models, the start-up code — are imported in a
thread while the UI thread keeps its event loop running, so the window answers (and the
heartbeat of benchmarks/startup_probe.py ticks) instead of standing still for the few hundred
milliseconds the imports take.

Class definitions create no Qt object, so importing these modules off the UI thread is safe
(the tabs' modules are imported the same way: ``LazyTabs.import_ahead``). A module that fails
to import here is imported again by the UI thread, which then reports the error as before.
"""
from __future__ import annotations

import importlib
import logging
import threading

from PySide6.QtCore import QEventLoop, QTimer

log = logging.getLogger("razem.startup")
# Everything the window's attach() and the database opening need (the main window's own
# module is imported before: it is the frame shown first).
MODULES = ("db.models", "db.engine", "desktop.app.startup_dialog", "desktop.startup",
           "desktop.organisation.station", "desktop.backup.ui.actions",
           "desktop.yearreport.ui.menu")


def import_window_modules(modules: tuple[str, ...] = MODULES) -> None:
    """Import ``modules`` in a thread; return when it is done (the event loop runs meanwhile).
    Needs the QApplication."""
    done = threading.Event()

    def run() -> None:
        try:
            for name in modules:
                importlib.import_module(name)
        except Exception:  # the UI thread imports it again and reports it there
            log.exception("wczytywanie modułów okna")
        finally:
            done.set()

    threading.Thread(target=run, name="razem-preload", daemon=True).start()
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if done.is_set() else None)
    poll.start()
    if not done.is_set():
        loop.exec()
    poll.stop()
