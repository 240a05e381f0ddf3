"""One call from database to served files: what the Qt worker runs off the UI thread.

The page itself (:mod:`desktop.map.shell`, cached on disk) does not depend on the database,
so the view can load it while :func:`build_data` still reads the reports; the page's request
for ``data.js`` is answered when they are ready.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.map.pagedata import REPORTS_FILE, MapData, data_script, reports_block
from desktop.map.settings import MapSettings
from desktop.map.tiles import MBTilesInfo

if TYPE_CHECKING:  # the database layer is imported by the reads, not with the map's view
    from db.engine import Database
    from desktop.map.fastread import FastMap


@dataclass
class MapPage:
    """A built page: its HTML (b"" when the shell was served on its own) and data script."""

    token: str
    html: bytes
    data_js: bytes
    report_count: int
    beat_polygons: int
    reports_bin: bytes = b""  # fetched by data.js (desktop.map.data.REPORTS_FILE)

    @property
    def index_path(self) -> str:
        return f"map/{self.token}/index.html"

    @property
    def data_path(self) -> str:
        return f"map/{self.token}/data.js"

    @property
    def reports_path(self) -> str:
        return f"map/{self.token}/{REPORTS_FILE}"

    @property
    def url(self) -> str:
        from desktop.map import assets

        return assets.app_url(self.index_path)

    @property
    def bytes_per_report(self) -> float:
        total = len(self.html) + len(self.data_js) + len(self.reports_bin)
        return total / self.report_count if self.report_count else float(total)


@dataclass
class BuiltMap:
    page: MapPage
    data: MapData
    seconds: float

    def files(self) -> dict[str, bytes]:
        out = {self.page.data_path: self.page.data_js,
               self.page.reports_path: self.page.reports_bin}
        if self.page.html:
            out[self.page.index_path] = self.page.html
        return out


def build_shell(settings: MapSettings, token: str, texts: dict[str, str] | None = None,
                mbtiles: MBTilesInfo | None = None) -> bytes:
    from desktop.map.shell import shell

    return shell(settings, token, texts, mbtiles)


def build_data(db: Database, token: str) -> BuiltMap:
    """Only the data script (the page is served on its own)."""
    from desktop.map.data import load_map_data

    started = time.perf_counter()
    data = load_map_data(db)
    page = MapPage(token, b"", data_script(data), data.report_count, data.beat_polygons,
                   reports_block(data))
    return BuiltMap(page, data, time.perf_counter() - started)


def from_fast(fast: FastMap, token: str) -> BuiltMap:
    """The data script of a start-up read without the ORM (desktop.map.fastread)."""
    page = MapPage(token, b"", fast.data_js, fast.data.report_count, fast.data.beat_polygons,
                   fast.block)
    return BuiltMap(page, fast.data, fast.seconds)


def build(db: Database, settings: MapSettings, token: str, texts: dict[str, str] | None = None,
          mbtiles: MBTilesInfo | None = None) -> BuiltMap:
    started = time.perf_counter()
    built = build_data(db, token)
    built.page.html = build_shell(settings, token, texts, mbtiles)
    built.seconds = time.perf_counter() - started
    return built
