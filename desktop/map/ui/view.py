"""The web view with its own profile: scheme handler, interceptor, QWebChannel, worker builds.

Importing this module loads neither SQLAlchemy nor numpy (the reads import them in their
jobs): at start-up the view may be made before the database layer is loaded, with its data
read by :mod:`desktop.map.fastread` (see :mod:`desktop.map.ui.early`)."""
from __future__ import annotations

import atexit
import itertools
import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.map import assets, builder
from desktop.map.pagedata import REPORTS_FILE, MapData, ReportsMark
from desktop.map.serve import Router
from desktop.map.settings import MapSettings
from desktop.map.tiles import MBTilesInfo
from desktop.map.ui.bridge import MapBridge
from desktop.map.ui.interceptor import OfflineInterceptor
from desktop.map.ui.scheme import SCHEME_NAME, SchemeHandler

if TYPE_CHECKING:
    from db.engine import Database
    from desktop.map.fastread import FastMap

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


def _build_page(ctl: JobControl, lock: threading.Lock, db: Database, settings: MapSettings,
                token: str, texts: dict, mbtiles: MBTilesInfo | None,
                data_only: bool = False) -> builder.BuiltMap:
    """Read the database and render the page (a background job). One build at a time per
    view; a build that a newer one replaced while it waited ends without reading.
    ``data_only``: the page (shell) is being served already; only its data script."""
    with lock:
        ctl.check()
        if data_only:
            return builder.build_data(db, token)
        return builder.build(db, settings, token, texts, mbtiles)


def _build_shell(ctl: JobControl, settings: MapSettings, token: str, texts: dict,
                 mbtiles: MBTilesInfo | None) -> bytes:
    ctl.check()
    return builder.build_shell(settings, token, texts, mbtiles)


def _read_new(ctl: JobControl, db: Database, data: MapData) -> tuple | None:
    """The reports added since the page's data was read (None: rebuild instead)."""
    from desktop.map.reports import read_new

    assert data.indexes is not None and data.mark is not None
    ctl.check()
    with db.session() as s:
        return read_new(s, data.indexes, data.mark)


def _unchanged(ctl: JobControl, db: Database, mark: ReportsMark) -> bool:
    """Whether the reports the page held before the update are unchanged (a full scan)."""
    from desktop.map.reports import unchanged

    with db.session() as s:
        return unchanged(s, mark, ctl.check)


def _still_the_same(ctl: JobControl, url: str, page: builder.MapPage) -> bool:
    """Whether a start-up read without the ORM still gives this page's data now that the
    database is open (opening it may have changed it: dictionaries seeded, another
    workstation's writes)."""
    from desktop.map import fastread, shell

    ctl.check()
    now = fastread.read(url, shell.cache_folder())
    return now is not None and now.data_js == page.data_js and now.block == page.reports_bin


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

    def __init__(self, db: Database | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db  # None: made before the database is open (desktop.map.ui.early)
        self.router = Router()
        self.bridge = MapBridge(self)
        self.bridge.ready.connect(self.mapReady)
        # when the first page was ready: (time.time(), this process's CPU seconds)
        self.first_ready: tuple[float, float] | None = None
        self.bridge.ready.connect(self._note_ready)
        # (settings, texts) of a page built from a start-up read, until a tab adopts it
        self._preloaded: tuple[MapSettings, dict] | None = None
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
        self._job: Job | None = None  # the newest build
        self._jobs: list[Job] = []  # builds not yet finished (older ones are cancelled)
        self._build_lock = threading.Lock()
        self.last_build: builder.BuiltMap | None = None
        self.delta_sizes: list[int] = []  # reports sent by each incremental update
        _live_views.add(self)

    def _note_ready(self, _state: dict) -> None:
        if self.first_ready is None:
            self.first_ready = (time.time(), time.process_time())

    def preload(self, fast: FastMap, settings: MapSettings, texts: dict) -> None:
        """Load the page with data read at start-up without the database layer
        (:mod:`desktop.map.fastread`); the map tab adopts the view later (:meth:`adopt`)."""
        self.build(settings, texts, prepared=fast)
        if self.last_build is not None:
            self._preloaded = (settings, dict(texts))

    def adopt(self, db: Database) -> None:
        """The database is open: from now on the view reads it as any other."""
        self.db = db

    def _take_preloaded(self, settings: MapSettings, texts: dict) -> bool:
        """The tab's first build of an adopted view: keep the page loaded at start-up when
        it was made with the same settings and texts, hand its data to the tab, and check
        in a worker that the open database still gives the same data (else read it again)."""
        preloaded, self._preloaded = self._preloaded, None
        built = self.last_build
        if preloaded != (settings, dict(texts)) or built is None or self.db is None:
            return False
        generation = self._generation

        def hand_over() -> None:  # next turn: the window connects to the tab after building it
            if generation != self._generation:
                return
            self.dataLoaded.emit(built.data)
            if self.bridge.is_ready:
                self.mapReady.emit(dict(self.bridge.state))

        QTimer.singleShot(0, self, hand_over)

        def checked(same: bool) -> None:
            if not same and generation == self._generation:
                self.build(settings, texts)

        def failed(_failure: JobFailure) -> None:
            if generation == self._generation:
                self.build(settings, texts)

        self._track(run_job(_still_the_same, self.db.url, built.page,
                            name="sprawdzenie danych mapy", parent=self,
                            on_success=checked, on_failure=failed))
        return True

    def build(self, settings: MapSettings, texts: dict | None = None,
              prepared: FastMap | None = None) -> None:
        """Rebuild the page from the database (worker thread); a newer call wins.
        ``prepared``: the data is already read (start-up, :meth:`preload`)."""
        if self._preloaded is not None and prepared is None \
                and self._take_preloaded(settings, dict(texts or {})):
            return
        if self._job is not None:
            self._job.cancel()
        self._generation = generation = next(_tokens)
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
        token = f"p{generation}"
        # No page shown yet (start-up): load the page (cached on disk, independent of the
        # database) at once and let its request for data.js wait for the worker's reading.
        # Later rebuilds keep the old page on screen until the new data is read.
        early = self.last_build is None
        if early:
            for name in ("data.js", REPORTS_FILE):
                self.router.expect(f"map/{token}/{name}")
            shell_job = run_job(_build_shell, settings, token, dict(texts or {}), mbtiles,
                                name="strona mapy", parent=self,
                                on_success=lambda page: self._shell_built(generation, token,
                                                                          page),
                                on_failure=lambda failure: self._failed(generation, failure))
            shell_job.finished.connect(lambda: self._jobs.remove(shell_job))
            self._jobs.append(shell_job)
        if prepared is not None:
            self._built(generation, builder.from_fast(prepared, token))
        else:
            assert self.db is not None, "a view without its database builds only prepared pages"
            job = run_job(_build_page, self._build_lock, self.db, settings, token,
                          dict(texts or {}), mbtiles, early, name="budowa strony mapy",
                          parent=self,
                          on_success=lambda built: self._built(generation, built),
                          on_failure=lambda failure: self._failed(generation, failure, token))
            job.finished.connect(lambda: self._jobs.remove(job))
            self._job = job
            self._jobs.append(job)
        if self.view is None:
            # Start Chromium while the worker reads the database, not after it.
            QTimer.singleShot(0, self._ensure_web)

    def update_reports(self, rebuild: Callable[[], None]) -> None:
        """After reports were added: send only the new ones to the page; call ``rebuild``
        when that cannot be done (no page yet, a build running, older reports changed)."""
        built = self.last_build
        if (built is None or self._job is not None or self.db is None or not self.bridge.is_ready
                or built.data.mark is None):
            rebuild()
            return
        generation = self._generation
        db = self.db
        old_mark = built.data.mark

        def verified(same: bool) -> None:
            if generation == self._generation and not same:
                rebuild()  # older reports changed meanwhile: the page is read again

        def done(delta: tuple | None) -> None:
            if generation != self._generation:
                return  # a rebuild replaced the page meanwhile
            if delta is None:
                rebuild()
                return
            columns, mark = delta
            if len(columns) and not self.bridge.add_reports(columns.encode()):
                rebuild()
                return
            built.data.mark = mark
            built.data.report_count += len(columns)
            self.delta_sizes.append(len(columns))
            # The new reports are on the map; now whether the older ones are still the same.
            self._track(run_job(_unchanged, db, old_mark, name="zmiany zgłoszeń na mapie",
                                parent=self, on_success=verified,
                                on_failure=lambda _f: rebuild()))

        self._track(run_job(_read_new, db, built.data, name="nowe zgłoszenia na mapie",
                            parent=self, on_success=done, on_failure=lambda _f: rebuild()))

    def _track(self, job: Job) -> None:
        job.finished.connect(lambda: self._jobs.remove(job))
        self._jobs.append(job)

    def _shell_built(self, generation: int, token: str, page: bytes) -> None:
        if generation != self._generation:
            return
        prefix = f"map/{token}/"
        self.router.publish({prefix + "index.html": page}, keep_prefix=prefix)
        self._flush()
        url = assets.app_url(prefix + "index.html")
        self.bridge.reset(url)
        self.loadStarted.emit()
        self._ensure_web().load(QUrl(url))

    def _built(self, generation: int, built: builder.BuiltMap) -> None:
        if generation != self._generation:
            return
        self._job = None
        self.last_build = built
        self.router.publish(built.files(), keep_prefix=f"map/{built.page.token}/")
        self._flush()  # the waiting page gets its data.js
        self.dataLoaded.emit(built.data)
        if built.page.html:  # a rebuild: the new page replaces the old one now
            self.bridge.reset(built.page.url)
            self.loadStarted.emit()
            self._ensure_web().load(QUrl(built.page.url))

    def _flush(self) -> None:
        if self.handler is not None:
            self.handler.flush()

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

    def _failed(self, generation: int, failure: JobFailure, token: str | None = None) -> None:
        self._preloaded = None  # the tab builds its page anew
        if token is not None:  # a page waiting for this data gets a "not found"
            for name in ("data.js", REPORTS_FILE):
                self.router.withdraw(f"map/{token}/{name}")
            self._flush()
        if generation == self._generation:
            self._job = None
            exc = failure.exception
            detail = (str(exc).splitlines() or [type(exc).__name__])[0][:200]
            self.buildFailed.emit(QCoreApplication.translate(
                "map", "Nie udało się odczytać danych mapy z bazy ({0}).").format(detail))

    def shutdown(self) -> None:
        """Stop pending work (call before the widget goes away)."""
        for job in list(self._jobs):
            job.cancel()
            job.wait(5.0)
