"""A tile server on loopback for the basemap download tests: real HTTP, real PNGs.

``/tiles/{z}/{x}/{y}.png`` answers a 256×256 PNG whose colour encodes the zoom level;
``/wms?...REQUEST=GetMap...`` answers the same PNG for the BBOX asked; ``/wmts?...`` too.
Behaviour switches: ``fail_first`` (answer 500 that many times), ``missing`` (tiles answered
404), ``html_from`` (after that many tiles, answer an HTML login page), ``delay`` (seconds
before each answer). Every request is recorded with its time.
"""
from __future__ import annotations

import re
import struct
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

COLOURS = {z: ((37 * z) % 256, (90 + 17 * z) % 256, (200 - 11 * z) % 256) for z in range(20)}


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A solid-colour RGB PNG (written by hand: no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" + bytes(rgb) * size
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * size, 9)) + chunk(b"IEND", b""))


class TileServer:
    def __init__(self) -> None:
        self.requests: list[tuple[float, str]] = []
        self.fail_first = 0
        self.missing: set[tuple[int, int, int]] = set()
        self.html_from: int | None = None
        self.delay = 0.0
        self.lock = threading.Lock()
        self._tiles_served = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def xyz(self) -> str:
        return self.base + "/tiles/{z}/{x}/{y}.png"

    def tile_requests(self) -> list[str]:
        return [p for _, p in self.requests]

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append((time.monotonic(), h.path))
            fail = self.fail_first > 0
            if fail:
                self.fail_first -= 1
        if self.delay:
            time.sleep(self.delay)
        if fail:
            return self._send(h, 500, b"busy", "text/plain")
        z = self._zoom(h.path)
        if z is None:
            return self._send(h, 404, b"no", "text/plain")
        with self.lock:
            self._tiles_served += 1
            html = self.html_from is not None and self._tiles_served > self.html_from
        if html:
            return self._send(h, 200, b"<html><body>Zaloguj sie</body></html>", "text/html")
        self._send(h, 200, png(COLOURS[z]), "image/png")

    def _zoom(self, path: str) -> int | None:
        m = re.match(r"^/tiles/(\d+)/(\d+)/(\d+)\.png$", path)
        if m:
            key = tuple(int(g) for g in m.groups())
            return None if key in self.missing else key[0]
        parts = urlsplit(path)
        q = {k.upper(): v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/wmts" and q.get("REQUEST") == "GetTile":
            return int(q["TILEMATRIX"])
        if parts.path == "/wms" and q.get("REQUEST") == "GetMap":
            minx, _, maxx, _ = (float(v) for v in q["BBOX"].split(","))
            width = maxx - minx
            return round(__import__("math").log2(2 * 20037508.342789244 / width))
        return None

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, code: int, body: bytes, ctype: str) -> None:
        try:
            h.send_response(code)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
        except OSError:
            pass  # the client gave up (a cancelled download)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
