"""The web view with its own profile: scheme handler, interceptor, QWebChannel, worker builds."""
from __future__ import annotations

import atexit
import itertools
import weakref

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from db.engine import Database
from desktop.map import builder
from desktop.map.serve import Router
from desktop.map.settings import MapSettings
from desktop.map.tiles import MBTilesInfo
from desktop.map.ui.bridge import MapBridge
from desktop.map.ui.interceptor import OfflineInterceptor
from desktop.map.ui.scheme import SCHEME_NAME, SchemeHandler

_tokens = itertools.count(1)
_live_views: weakref.WeakSet[MapView] = weakref.WeakSet()


@atexit.register
def _release_views() -> None:
    # A window that was closed but never deleted (deleteLater with no event loop left) would
    # otherwise be torn down in arbitrary order at exit, profile before page, and QtWebEngine
    # warns or crashes. Delete what is left, children in creation order (page first).
    if QApplication.instance() is None:
        return  # too late to delete widgets safely
    for view in list(_live_views):
        if shiboken6.isValid(view):
            view.shutdown()
            shiboken6.delete(view)


class _BuildSignals(QObject):
    done = Signal(int, object)
    failed = Signal(int, str)


class _BuildJob(QRunnable):
    """Reads the database and renders the page off the UI thread."""

    def __init__(self, generation: int, db: Database, settings: MapSettings, texts: dict,
                 mbtiles: MBTilesInfo | None):
        super().__init__()
        self.generation, self.db, self.settings = generation, db, settings
        self.texts, self.mbtiles = texts, mbtiles
        self.signals = _BuildSignals()
        self.cancelled = False

    def run(self) -> None:
        if self.cancelled:
            return
        try:
            built = builder.build(self.db, self.settings, f"p{self.generation}", self.texts,
                                  self.mbtiles)
        except Exception as exc:
            detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
            self.signals.failed.emit(self.generation, QCoreApplication.translate(
                "map", "Nie udało się odczytać danych mapy z bazy ({0}).").format(detail))
            return
        if not self.cancelled:
            self.signals.done.emit(self.generation, built)


class _Page(QWebEnginePage):
    """Opens no new windows and keeps JavaScript console errors visible on stderr."""

    consoleError = Signal(str)

    def javaScriptConsoleMessage(self, level, message, line, source):
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.consoleError.emit(f"{source}:{line}: {message}")


class MapView(QWidget):
    """Shows the map page; ``build()`` (re)creates it from the database in a worker.

    mapReady(state): the page has loaded its data and the bridge is connected.
    buildFailed(message): the page could not be built (Polish message).
    """

    mapReady = Signal(dict)
    dataLoaded = Signal(object)  # MapData of the page being loaded (filter choices)
    buildFailed = Signal(str)
    loadStarted = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.router = Router()
        self.bridge = MapBridge(self)
        self.bridge.ready.connect(self.mapReady)
        self.console_errors: list[str] = []
        self._allowed_hosts: set[str] = set()
        # Chromium (profile, page, view) starts on the first event-loop turn after build(),
        # so the window appears without waiting for it. See _ensure_web().
        self.profile: QWebEngineProfile | None = None
        self.interceptor: OfflineInterceptor | None = None
        self.handler: SchemeHandler | None = None
        self.page: _Page | None = None
        self.view: QWebEngineView | None = None
        self._placeholder = QLabel(self.tr("Wczytywanie mapy…"), self)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._placeholder)
        self._generation = 0
        self._job: _BuildJob | None = None
        self.last_build: builder.BuiltMap | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        _live_views.add(self)

    def build(self, settings: MapSettings, texts: dict | None = None) -> None:
        """Rebuild the page from the database (worker thread); a newer call wins."""
        if self._job is not None:
            self._job.cancelled = True
        self._generation = next(_tokens)
        self._allowed_hosts = ({settings.online_host}
                               if settings.online_tiles and not settings.mbtiles_path else set())
        if self.interceptor is not None:
            self.interceptor.allowed_hosts = self._allowed_hosts
        mbtiles = None
        try:
            mbtiles = self.router.set_mbtiles(settings.mbtiles_path)
        except Exception as exc:
            self.buildFailed.emit(str(exc))
            self.router.set_mbtiles("")
        job = _BuildJob(self._generation, self.db, settings, dict(texts or {}), mbtiles)
        job.signals.done.connect(self._built)
        job.signals.failed.connect(self._failed)
        self._job = job
        self.pool.start(job)
        if self.view is None:
            # Start Chromium while the worker reads the database, not after it.
            QTimer.singleShot(0, self._ensure_web)

    def _built(self, generation: int, built: builder.BuiltMap) -> None:
        if generation != self._generation:
            return
        self._job = None
        self.last_build = built
        self.router.publish(built.files(), keep_prefix=f"map/{built.page.token}/")
        self.bridge.reset()
        self.dataLoaded.emit(built.data)
        self.loadStarted.emit()
        self._ensure_web().load(QUrl(built.page.url))

    def _ensure_web(self) -> QWebEngineView:
        if self.view is not None:
            return self.view
        # Children are destroyed in creation order and a page must go before its profile:
        # the page lives under a holder created before the profile.
        holder = QObject(self)
        self.profile = QWebEngineProfile(self)  # off the record: nothing written to disk
        # With the process-wide flag of scheme.restrict_webrtc: no local addresses either.
        self.profile.settings().setAttribute(
            QWebEngineSettings.WebAttribute.WebRTCPublicInterfacesOnly, True)
        self.interceptor = OfflineInterceptor(self.profile)
        self.interceptor.allowed_hosts = self._allowed_hosts
        self.profile.setUrlRequestInterceptor(self.interceptor)
        self.handler = SchemeHandler(self.router, self.profile)
        self.profile.installUrlSchemeHandler(SCHEME_NAME, self.handler)
        self.page = _Page(self.profile, holder)
        channel = QWebChannel(self.page)
        channel.registerObject("bridge", self.bridge)
        self.page.setWebChannel(channel)
        self.page.consoleError.connect(self.console_errors.append)
        self.view = QWebEngineView(self)
        self.view.setPage(self.page)
        self._layout.replaceWidget(self._placeholder, self.view)
        self._placeholder.hide()
        return self.view

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._job = None
            self.buildFailed.emit(message)

    def shutdown(self) -> None:
        """Stop pending work (call before the widget goes away)."""
        if self._job is not None:
            self._job.cancelled = True
        self.pool.waitForDone(5000)
