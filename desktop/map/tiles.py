"""Offline raster tiles from an MBTiles file (SQLite; rows in TMS order)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

MBTILES_URL_TEMPLATE = "tiles/{z}/{x}/{y}"
TILE_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
             "webp": "image/webp"}


class MBTilesError(Exception):
    """The file is not a usable raster MBTiles file (message in Polish)."""


@dataclass(frozen=True)
class MBTilesInfo:
    path: str
    name: str
    format: str
    attribution: str
    min_zoom: int | None
    max_zoom: int | None

    @property
    def mime(self) -> str:
        return TILE_MIME[self.format]


def _connect(path: str | Path) -> sqlite3.Connection:
    p = Path(path)
    if not p.is_file():
        raise MBTilesError(f"Nie znaleziono pliku kafelków: {p}")
    try:
        return sqlite3.connect(f"file:{p.as_posix()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise MBTilesError(f"Nie można otworzyć pliku kafelków {p.name}: {exc}") from exc


def read_info(path: str | Path) -> MBTilesInfo:
    """Check the file and read its metadata; raster formats only."""
    con = _connect(path)
    try:
        meta = dict(con.execute("SELECT name, value FROM metadata").fetchall())
        zooms = con.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
    except sqlite3.Error as exc:
        raise MBTilesError(f"Plik {Path(path).name} nie jest plikiem MBTiles ({exc}).") from exc
    finally:
        con.close()
    fmt = str(meta.get("format", "png")).lower()
    if fmt not in TILE_MIME:
        raise MBTilesError(f"Nieobsługiwany format kafelków: {fmt} (obsługiwane: png, jpg, webp).")
    return MBTilesInfo(str(path), str(meta.get("name", "")), fmt,
                       str(meta.get("attribution", "")), zooms[0], zooms[1])


def tms_row(z: int, y: int) -> int:
    """MBTiles stores TMS rows: row 0 is the south edge, XYZ y 0 the north edge."""
    return (1 << z) - 1 - y


def read_tile(path: str | Path, z: int, x: int, y: int) -> bytes | None:
    """The tile for an XYZ request, or None if the file has no such tile."""
    if z < 0 or z > 30 or not (0 <= x < (1 << z)) or not (0 <= y < (1 << z)):
        return None
    con = _connect(path)
    try:
        row = con.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, tms_row(z, y))).fetchone()
    except sqlite3.Error as exc:
        raise MBTilesError(f"Błąd odczytu kafelka z {Path(path).name}: {exc}") from exc
    finally:
        con.close()
    return bytes(row[0]) if row else None
