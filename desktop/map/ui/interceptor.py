"""Blocks and records every request that is not the app's own scheme or data:."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

from desktop.map import assets


class _Notifier(QObject):
    blocked = Signal(str)


class OfflineInterceptor(QWebEngineUrlRequestInterceptor):
    """Nothing leaves the machine unless the user enabled an online tile host."""

    ALWAYS_ALLOWED = (assets.SCHEME, "data")

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.blocked: list[str] = []
        self.allowed_hosts: set[str] = set()  # online tiles (settings), empty by default
        self.notifier = _Notifier(self)

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        scheme = url.scheme().lower()
        if scheme in self.ALWAYS_ALLOWED:
            return
        if scheme in ("https", "http") and url.host().lower() in self.allowed_hosts:
            return
        info.block(True)
        text = url.toString()
        self.blocked.append(text)
        self.notifier.blocked.emit(text)
