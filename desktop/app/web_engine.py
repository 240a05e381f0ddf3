"""Starting QtWebEngine early (issue 14): the first web profile a process creates starts
Chromium (its threads, the GPU and network services), and the UI thread waits in that
constructor for them — 0.07 s on a quiet machine, several times that when the cores are busy.
The map tab's view used to pay it right after the database was opened, on top of building the
tab; here it is paid in an event-loop turn of its own while the window's frame is shown and
the database layer is still being imported in a thread, so that turn holds nothing else and
the map's own view finds Chromium running.

The profile made here is off the record like the map's (nothing written to disk), loads no
page and lives as long as the window (a process whose last profile goes would stop Chromium
only to start it again)."""
from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger("razem.startup")


# After the frame's first paint, in a turn of its own (measured at 100k under load: the
# worst stall before the database is attached 0.35-0.63 s when started at once, 0.19-0.30 s
# when started 60 ms later).
AFTER_MS = 50
PROFILE_NAME = "razem-web-engine-start"


def start_soon(parent: QObject) -> None:
    """Start QtWebEngine ``AFTER_MS`` from now (its profile is a child of ``parent``)."""
    QTimer.singleShot(AFTER_MS, parent, lambda: start(parent))


def start(parent: QObject) -> None:
    if started(parent):
        return
    t = time.perf_counter()
    from PySide6.QtWebEngineCore import QWebEngineProfile

    profile = QWebEngineProfile(parent)  # off the record
    profile.setObjectName(PROFILE_NAME)
    log.debug("QtWebEngine uruchomiony w %.3f s", time.perf_counter() - t)


def started(parent: QObject) -> bool:
    return parent.findChild(QObject, PROFILE_NAME) is not None
