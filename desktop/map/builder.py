"""One call from database to served files: what the Qt worker runs off the UI thread."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.engine import Database
from desktop.map.data import MapData, county_outlines, load_map_data
from desktop.map.settings import MapSettings
from desktop.map.tiles import MBTilesInfo

if TYPE_CHECKING:  # folium (0.3 s of imports) loads in the worker, not at start-up
    from desktop.map.page import MapPage


@dataclass
class BuiltMap:
    page: MapPage
    data: MapData
    seconds: float

    def files(self) -> dict[str, bytes]:
        prefix = f"map/{self.page.token}/"
        return {prefix + "index.html": self.page.html, prefix + "data.js": self.page.data_js}


def build(db: Database, settings: MapSettings, token: str, texts: dict[str, str] | None = None,
          mbtiles: MBTilesInfo | None = None) -> BuiltMap:
    from desktop.map.page import build_page

    started = time.perf_counter()
    data = load_map_data(db)
    page = build_page(data, settings, token, county_features=county_outlines(), texts=texts,
                      mbtiles=mbtiles)
    return BuiltMap(page, data, time.perf_counter() - started)
