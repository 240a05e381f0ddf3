"""Map settings in a small JSON file in the user data folder (not QSettings).

Online tiles are off by default: the station has no internet and nothing should try to
leave the machine unless the user asks for it.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from db.paths import data_dir
from desktop.map.basemap import SourceError, TileSource, make_source

FILE_NAME = "map_settings.json"
OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = ('&copy; <a href="https://www.openstreetmap.org/copyright">'
                   "OpenStreetMap</a> contributors")
COLOUR_MODES = ("unit", "gmina")


@dataclass(frozen=True)
class MapSettings:
    mbtiles_path: str = ""  # raster MBTiles file; "" = none
    online_tiles: bool = False
    online_url: str = OSM_URL
    online_attribution: str = OSM_ATTRIBUTION
    colour_by: str = "unit"  # beats coloured by "unit" or "gmina"
    online_kind: str = "xyz"  # "xyz" tile address, "wmts" or "wms" (desktop.map.basemap)
    online_layers: str = ""  # WMS LAYERS / WMTS LAYER
    online_source_note: str = ""  # who provides the basemap, shown as plain text

    def tile_source(self) -> TileSource:
        """The online basemap as a checked source; raises SourceError in Polish."""
        return make_source(self.online_kind, self.online_url, self.online_layers,
                           self.online_source_note)

    def with_changes(self, **changes) -> MapSettings:
        return replace(self, **changes)

    @property
    def online_host(self) -> str:
        """Host of the online tile URL (what the request interceptor lets through)."""
        rest = self.online_url.split("://", 1)[-1]
        return rest.split("/", 1)[0].split(":", 1)[0].lower()


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def load_settings() -> MapSettings:
    """The saved settings; defaults for a missing or unreadable file (never an error)."""
    try:
        raw = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return MapSettings()
    if not isinstance(raw, dict):
        return MapSettings()
    known = [f.name for f in fields(MapSettings)]
    values = {}
    defaults = MapSettings()
    for name in known:
        if name == "online_attribution":
            continue  # HTML shown in the page: never taken from the file (see page.py)
        value = raw.get(name, getattr(defaults, name))
        if isinstance(value, type(getattr(defaults, name))):
            values[name] = value
    result = MapSettings(**values)
    if result.colour_by not in COLOUR_MODES:
        result = result.with_changes(colour_by="unit")
    try:
        result.tile_source()
    except SourceError:
        result = result.with_changes(online_url=OSM_URL, online_kind="xyz", online_layers="")
    return result


def save_settings(settings: MapSettings) -> None:
    """Write atomically (temp file + replace): a crash never leaves half a file."""
    path = settings_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
