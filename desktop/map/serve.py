"""What the app's URL scheme answers: plain functions returning (mime, bytes).

The Qt scheme handler (``ui/scheme.py``) only adapts these to QWebEngineUrlRequestJob.
MIME types come from an explicit table, never from the ``mimetypes`` module (on Windows it
reads the registry, where ``.js`` may be ``text/plain`` and the page stays blank).
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from pathlib import Path

import resources
from desktop.map import tiles

MIME_TYPES = {
    ".html": "text/html;charset=utf-8",
    ".js": "application/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".txt": "text/plain;charset=utf-8",
    ".bin": "application/octet-stream",
}

_TILE = re.compile(r"^tiles/(\d{1,2})/(\d{1,9})/(\d{1,9})$")


class NotFound(Exception):
    """No such resource (the handler answers 404)."""


class BadRequest(Exception):
    """A malformed or forbidden path (the handler answers it as denied)."""


class Pending(Exception):
    """Announced with :meth:`Router.expect` but not yet published: the handler holds the
    request and answers it after the next :meth:`Router.publish` (or fails it)."""


def mime_for(path: str) -> str:
    suffix = posixpath.splitext(path)[1].lower()
    try:
        return MIME_TYPES[suffix]
    except KeyError:
        raise NotFound(path) from None


class Router:
    """Maps a request path of ``razem://app/<path>`` to content.

    - ``web/<file>``: a shipped asset from resources/web (no way out of that folder);
    - ``map/<token>/<file>``: a page published with :meth:`publish`;
    - ``tiles/z/x/y``: a tile of the configured MBTiles file;
    - extra providers (``qwebchannel.js`` comes from Qt's resources in the Qt layer).
    """

    def __init__(self, web_root: Path | None = None):
        self.web_root = (web_root or resources.ROOT / "web").resolve()
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.mbtiles: tiles.MBTilesInfo | None = None
        self.extra: dict[str, Callable[[], tuple[str, bytes]]] = {}
        self.pending: set[str] = set()

    def expect(self, path: str) -> None:
        """``path`` will be published soon: a request for it waits instead of failing."""
        self.pending.add(path)

    def withdraw(self, path: str) -> None:
        """``path`` will not come after all (its request then fails as not found)."""
        self.pending.discard(path)

    def publish(self, files: dict[str, bytes], keep_prefix: str | None = None) -> None:
        """Serve these files (path -> content); drop older pages except ``keep_prefix``."""
        if keep_prefix is not None:
            self.pages = {k: v for k, v in self.pages.items() if k.startswith(keep_prefix)}
            self.pending = {k for k in self.pending if k.startswith(keep_prefix)}
        for path, content in files.items():
            self.pages[path] = (mime_for(path), content)
            self.pending.discard(path)

    def route(self, path: str) -> tuple[str, bytes]:
        path = path.lstrip("/")
        if "\\" in path or "\x00" in path:
            raise BadRequest(path)
        if path in self.extra:
            return self.extra[path]()
        if path in self.pages:
            return self.pages[path]
        if path in self.pending:
            raise Pending(path)
        if path.startswith("web/"):
            return self._static(path[4:])
        match = _TILE.match(path)
        if match:
            return self._tile(*(int(g) for g in match.groups()))
        raise NotFound(path)

    def _static(self, rel: str) -> tuple[str, bytes]:
        normal = posixpath.normpath(rel)
        if normal.startswith("..") or normal.startswith("/"):
            raise BadRequest(rel)
        target = (self.web_root / normal).resolve()
        if self.web_root not in target.parents or not target.is_file():
            raise NotFound(rel)
        return mime_for(normal), target.read_bytes()

    def set_mbtiles(self, path: str) -> tiles.MBTilesInfo | None:
        """Serve tiles from this file ("" = none); raises MBTilesError for a bad file."""
        self.mbtiles = tiles.read_info(path) if path else None
        return self.mbtiles

    def _tile(self, z: int, x: int, y: int) -> tuple[str, bytes]:
        if self.mbtiles is None:
            raise NotFound("tiles")
        data = tiles.read_tile(self.mbtiles.path, z, x, y)
        if data is None:
            raise NotFound(f"tiles/{z}/{x}/{y}")
        return self.mbtiles.mime, data
