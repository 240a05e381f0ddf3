"""The app's own URL scheme (razem://app/...): registration and the handler adapter.

All content comes from :class:`desktop.map.serve.Router`; this module only maps its answers
and exceptions onto QWebEngineUrlRequestJob.
"""
from __future__ import annotations

import os

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QFile, QIODevice, QObject
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from desktop.map import assets
from desktop.map.serve import BadRequest, NotFound, Pending, Router
from desktop.map.tiles import MBTilesError

SCHEME_NAME = assets.SCHEME.encode("ascii")
_registered = False


def register_scheme() -> None:
    """Declare the scheme; must run before the QApplication exists (PRE_APP_HOOKS)."""
    global _registered
    if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        # Headless (tests, CI): with no GPU, the web view's default scene-graph backend makes
        # QtWebEngine probe OpenGL and log "GPUInfo not initialized" warnings; the software
        # backend renders the same page without the probe.
        os.environ.setdefault("QT_QUICK_BACKEND", "software")
    if _registered or QWebEngineUrlScheme.schemeByName(SCHEME_NAME).name() == SCHEME_NAME:
        _registered = True
        return
    scheme = QWebEngineUrlScheme(SCHEME_NAME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setDefaultPort(QWebEngineUrlScheme.SpecialPort.PortUnspecified.value)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme
                    | QWebEngineUrlScheme.Flag.CorsEnabled
                    | QWebEngineUrlScheme.Flag.FetchApiAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)
    _registered = True


CHROMIUM_FLAGS_ENV = "QTWEBENGINE_CHROMIUM_FLAGS"
# WebRTC may send UDP (STUN) to any address a page names, past the request interceptor.
# With this policy Chromium sends WebRTC traffic only through a proxy, and there is none.
WEBRTC_FLAG = "--force-webrtc-ip-handling-policy=disable_non_proxied_udp"


def restrict_webrtc() -> None:
    """Keep WebRTC off the network; must run before QtWebEngine starts (pre-app hook)."""
    flags = os.environ.get(CHROMIUM_FLAGS_ENV, "")
    if WEBRTC_FLAG not in flags.split():
        os.environ[CHROMIUM_FLAGS_ENV] = f"{flags} {WEBRTC_FLAG}".strip()


def qwebchannel_js() -> tuple[str, bytes]:
    """Qt ships qwebchannel.js as a resource; a custom-scheme page cannot load qrc:, so serve it."""
    f = QFile(":/qtwebchannel/qwebchannel.js")
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise NotFound("qwebchannel.js")
    try:
        return "application/javascript", bytes(f.readAll().data())
    finally:
        f.close()


class SchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers razem://app/... GET requests from the router; everything else fails."""

    def __init__(self, router: Router, parent: QObject | None = None):
        super().__init__(parent)
        self.router = router
        router.extra.setdefault("qwebchannel.js", qwebchannel_js)
        self.served: list[str] = []  # paths answered (tests and diagnostics)
        self.failed: list[str] = []  # paths refused or not found
        self._waiting: list[tuple[str, QWebEngineUrlRequestJob]] = []  # see Router.expect

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        initiator = job.initiator()
        # Only the app's own pages (or a navigation the app starts itself) may read from it.
        foreign = initiator.isValid() and not initiator.isEmpty() and (
            initiator.scheme() != assets.SCHEME or initiator.host() != assets.HOST)
        if bytes(job.requestMethod().data()) != b"GET" or url.host() != assets.HOST or foreign:
            self.failed.append(url.toString())
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        self._answer(job, url.path())

    def _answer(self, job: QWebEngineUrlRequestJob, path: str) -> None:
        try:
            mime, content = self.router.route(path)
        except Pending:
            self._waiting.append((path, job))  # answered by flush() once it is published
            return
        except NotFound:
            self.failed.append(path)
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        except (BadRequest, MBTilesError):
            self.failed.append(path)
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        except Exception:
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)
            return
        self.served.append(path)
        buffer = QBuffer(job)  # parented to the job: lives exactly as long as the reply
        buffer.setData(QByteArray(content))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(mime.encode("ascii"), buffer)

    def flush(self) -> None:
        """Answer the held requests whose content was published (or will not come)."""
        waiting, self._waiting = self._waiting, []
        for path, job in waiting:
            if shiboken6.isValid(job):  # a page that went away deletes its requests
                self._answer(job, path)
