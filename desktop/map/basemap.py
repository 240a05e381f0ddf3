"""Where basemap tiles come from (Qt-free): an XYZ tile address, a WMTS or a WMS server.

A station's server on the police network is the usual case, so plain ``http://`` is allowed
as well as ``https://``. Every source answers 256-pixel Web Mercator (EPSG:3857) tiles:

- ``xyz``: a template with ``{z}``, ``{x}`` and ``{y}`` (``{s}`` becomes ``a``; ``{-y}`` is
  the TMS row);
- ``wmts``: a RESTful template with ``{TileMatrix}``, ``{TileRow}``, ``{TileCol}``, or a
  service address to which the KVP ``GetTile`` parameters are added (tile matrix = zoom);
- ``wms``: a service address; each tile is one ``GetMap`` in EPSG:3857 with its bounding box.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from desktop.common.translatable import N_

KINDS = ("xyz", "wmts", "wms")
KIND_LABELS = {"xyz": N_("Adres kafelków (XYZ)"), "wmts": N_("Usługa WMTS"),
               "wms": N_("Usługa WMS")}
TILE_SIZE = 256
MAX_URL = 2000
EARTH_HALF = 20037508.342789244  # half the Web Mercator world width in metres
# The OpenStreetMap Foundation's tile policy forbids bulk downloads from its servers.
BULK_FORBIDDEN_HOSTS = ("tile.openstreetmap.org", "a.tile.openstreetmap.org",
                        "b.tile.openstreetmap.org", "c.tile.openstreetmap.org")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_XYZ_KEYS = {"z", "x", "y", "-y", "s"}
_WMTS_KEYS = {"TileMatrix", "TileRow", "TileCol", "z", "x", "y"}


class SourceError(ValueError):
    """The tile address cannot be used (message in Polish)."""


@dataclass(frozen=True)
class TileSource:
    kind: str
    url: str
    layers: str = ""  # WMS LAYERS / WMTS LAYER
    image_format: str = "image/png"
    matrix_set: str = "EPSG:3857"  # WMTS tile matrix set (Web Mercator)
    style: str = ""
    attribution: str = ""

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    def tile_url(self, z: int, x: int, y: int) -> str:
        """The address of one XYZ tile."""
        if self.kind == "xyz":
            values = {"z": z, "x": x, "y": y, "-y": (1 << z) - 1 - y, "s": "a"}
            return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), self.url)
        if self.kind == "wmts":
            if _PLACEHOLDER.search(self.url):
                values = {"TileMatrix": z, "TileRow": y, "TileCol": x, "z": z, "x": x, "y": y}
                return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), self.url)
            return _with_query(self.url, {
                "SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0",
                "LAYER": self.layers, "STYLE": self.style or "default",
                "TILEMATRIXSET": self.matrix_set, "TILEMATRIX": str(z),
                "TILEROW": str(y), "TILECOL": str(x), "FORMAT": self.image_format})
        minx, miny, maxx, maxy = mercator_bounds(z, x, y)
        return _with_query(self.url, {
            "SERVICE": "WMS", "REQUEST": "GetMap", "VERSION": "1.3.0",
            "LAYERS": self.layers, "STYLES": self.style, "CRS": "EPSG:3857",
            "BBOX": f"{minx:.3f},{miny:.3f},{maxx:.3f},{maxy:.3f}",
            "WIDTH": str(TILE_SIZE), "HEIGHT": str(TILE_SIZE),
            "FORMAT": self.image_format, "TRANSPARENT": "FALSE"})

    def leaflet_template(self) -> str | None:
        """A Leaflet ``L.tileLayer`` template for xyz/wmts; None for WMS (``L.tileLayer.wms``)."""
        if self.kind == "wms":
            return None
        if self.kind == "xyz":
            return self.url
        if _PLACEHOLDER.search(self.url):
            return (self.url.replace("{TileMatrix}", "{z}").replace("{TileRow}", "{y}")
                    .replace("{TileCol}", "{x}"))
        markers = ("RAZEMZZZ", "RAZEMXXX", "RAZEMYYY")
        url = _with_query(self.url, {
            "SERVICE": "WMTS", "REQUEST": "GetTile", "VERSION": "1.0.0",
            "LAYER": self.layers, "STYLE": self.style or "default",
            "TILEMATRIXSET": self.matrix_set, "TILEMATRIX": markers[0],
            "TILEROW": markers[2], "TILECOL": markers[1], "FORMAT": self.image_format})
        return (url.replace(markers[0], "{z}").replace(markers[1], "{x}")
                .replace(markers[2], "{y}"))


def _with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` added; a parameter the user already wrote is kept."""
    parts = urlsplit(url)
    existing = parse_qsl(parts.query, keep_blank_values=True)
    have = {k.upper() for k, _ in existing}
    merged = existing + [(k, v) for k, v in params.items() if k.upper() not in have]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(merged, safe=":,{}"),
                       parts.fragment))


def make_source(kind: str, url: str, layers: str = "", attribution: str = "",
                image_format: str = "image/png", matrix_set: str = "EPSG:3857",
                style: str = "") -> TileSource:
    """A checked tile source; raises SourceError with a Polish reason."""
    url = url.strip()
    if kind not in KINDS:
        raise SourceError(f"Nieznany rodzaj źródła podkładu: {kind} (dozwolone: xyz, wmts, wms).")
    if not url:
        raise SourceError("Podaj adres serwera podkładu.")
    if len(url) > MAX_URL:
        raise SourceError(f"Adres podkładu jest za długi (ponad {MAX_URL} znaków).")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError("Adres podkładu musi zaczynać się od http:// lub https:// "
                          "i zawierać nazwę serwera.")
    if any(ch.isspace() for ch in url):
        raise SourceError("Adres podkładu nie może zawierać spacji.")
    found = set(_PLACEHOLDER.findall(url))
    if kind == "xyz":
        unknown = found - _XYZ_KEYS
        if unknown:
            raise SourceError("Nieznane pole w adresie kafelków: {" + sorted(unknown)[0] + "} "
                              "(dozwolone: {z}, {x}, {y}, {-y}, {s}).")
        if "z" not in found or "x" not in found or not found & {"y", "-y"}:
            raise SourceError("Adres kafelków musi zawierać {z}, {x} i {y}, np. "
                              "http://serwer/kafelki/{z}/{x}/{y}.png")
    elif kind == "wmts":
        unknown = found - _WMTS_KEYS
        if unknown:
            raise SourceError("Nieznane pole w adresie WMTS: {" + sorted(unknown)[0] + "}.")
        if not found and not layers.strip():
            raise SourceError("Podaj nazwę warstwy WMTS (LAYER).")
    else:
        if found:
            raise SourceError("Adres WMS nie może zawierać pól w nawiasach klamrowych; "
                              "podaj sam adres usługi i nazwę warstwy.")
        if not layers.strip():
            raise SourceError("Podaj nazwę warstwy WMS (LAYERS).")
    return TileSource(kind, url, layers.strip(), image_format.strip() or "image/png",
                      matrix_set.strip() or "EPSG:3857", style.strip(), attribution.strip())


def check_bulk_allowed(source: TileSource) -> None:
    """Refuse servers whose terms forbid downloading many tiles at once."""
    if source.host in BULK_FORBIDDEN_HOSTS:
        raise SourceError("Zasady serwerów OpenStreetMap zabraniają pobierania kafelków "
                          "hurtowo. Użyj serwera podkładu w sieci Policji lub innego, "
                          "który na to pozwala.")


# --- tile arithmetic (Web Mercator, XYZ rows from the north) -------------------------------

def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile containing a WGS84 point (clamped to the world)."""
    n = 1 << z
    lat = max(min(lat, 85.05112878), -85.05112878)
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_lonlat_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a tile in degrees."""
    n = 1 << z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)


def mercator_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of a tile in EPSG:3857 metres."""
    size = 2 * EARTH_HALF / (1 << z)
    minx = -EARTH_HALF + x * size
    maxy = EARTH_HALF - y * size
    return minx, maxy - size, minx + size, maxy
