"""The map page without its data (the "shell"), kept on disk so a start needs no folium.

The shell depends only on the map settings, the page's texts, the MBTiles file's metadata,
the shipped county outlines and the code that renders it (folium, branca, desktop.map.page,
assets) -- never on the database: the reports, beats, gminas and the area's extent come with
``data.js``. A file in ``<data dir>/cache`` is named by a hash of all of that, so a changed
input can only miss the cache, never return an old page. Rendering (folium, ~0.3 s of
imports) happens on a miss, once; the token in the page's data URL is put in afterwards.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

import resources
from desktop.map.settings import MapSettings
from desktop.map.tiles import MBTilesInfo

log = logging.getLogger("razem.map")

_TOKEN = "shell0token0"  # rendered into the cached page; replaced by the build's own token
_PREFIX = "map-shell-"
_FORMAT = 1  # bump when the way the shell is stored changes
# The modules the page is rendered by (texts: the default texts; settings: the OSM URL;
# tiles: the MBTiles URL template; data: the county outlines' reader).
_CODE = ("page.py", "assets.py", "shell.py", "texts.py", "settings.py", "tiles.py", "data.py")


def _module_stamp(name: str) -> list:
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec is not None else None
    if not origin or not os.path.isfile(origin):
        raise FileNotFoundError(name)  # frozen: nothing on disk to tell versions apart
    st = os.stat(origin)  # OSError: see shell()
    return [name, origin, st.st_size, st.st_mtime_ns]


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _code_stamp() -> list:
    """The code the shell is rendered by. A packaged (frozen) build keeps its modules inside
    the program, not as files: there the program file itself stands for its code (a new
    build is a new file), with the version."""
    if getattr(sys, "frozen", False):
        from desktop import __version__

        st = os.stat(sys.executable)  # OSError: see shell()
        return ["frozen", __version__, sys.executable, st.st_size, st.st_mtime_ns]
    here = Path(__file__).resolve().parent
    return [[_file_digest(here / name) for name in _CODE],
            [_module_stamp("folium"), _module_stamp("branca"), _module_stamp("jinja2")]]


def shell_key(settings: MapSettings, texts: dict[str, str], mbtiles: MBTilesInfo | None,
              county_file: Path | None = None) -> str:
    """Everything the shell's HTML depends on, hashed."""
    county = county_file or resources.path("data", "konin_area.geojson")
    parts = {
        "format": _FORMAT,
        "settings": dataclasses.asdict(settings),
        "texts": sorted(texts.items()),
        "mbtiles": None if mbtiles is None else dataclasses.asdict(mbtiles),
        "county": _file_digest(county),
        "code": _code_stamp(),
    }
    raw = json.dumps(parts, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:32]


def _render(settings: MapSettings, texts: dict[str, str], mbtiles: MBTilesInfo | None) -> bytes:
    from desktop.map.data import county_outlines
    from desktop.map.page import shell_html

    return shell_html(settings, _TOKEN, county_features=county_outlines(), texts=texts,
                      mbtiles=mbtiles)


def _with_token(page: bytes, token: str) -> bytes:
    return page.replace(f"map/{_TOKEN}/".encode("ascii"), f"map/{token}/".encode("ascii"))


def shell(settings: MapSettings, token: str, texts: dict[str, str] | None = None,
          mbtiles: MBTilesInfo | None = None, cache_dir: Path | None = None) -> bytes:
    """The page for ``token``: from the cache if it holds this shell, else rendered (and
    stored). A cache that cannot be read or written only costs the rendering."""
    texts = dict(texts or {})
    try:
        key: str | None = shell_key(settings, texts, mbtiles)
    except OSError:  # sources or program file unreadable: no cache, render each time
        key = None
    folder = cache_dir if cache_dir is not None else cache_folder()
    path = folder / f"{_PREFIX}{key}.html" if folder is not None and key else None
    if path is not None:
        try:
            page = path.read_bytes()
        except OSError:
            page = b""
        if page.endswith(b"</html>") and f"map/{_TOKEN}/".encode("ascii") in page:
            return _with_token(page, token)
    page = _render(settings, texts, mbtiles)
    if path is not None:
        _store(path, page)
    return _with_token(page, token)


def cache_folder() -> Path | None:
    """``<data dir>/cache`` (created), shared by the map's on-disk caches; None if unusable."""
    from db.paths import data_dir

    try:
        folder = data_dir() / "cache"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        return None


def _store(path: Path, page: bytes) -> None:
    """Write whole or not at all (a rename), and drop shells of older settings."""
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".shell-", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(page)
        os.replace(tmp, path)
        for old in path.parent.glob(f"{_PREFIX}*.html"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        log.info("Strona mapy nie została zapisana w pamięci podręcznej: %s", exc)
