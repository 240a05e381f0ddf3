"""Download the basemap tiles covering the command's beats into an MBTiles file (Qt-free).

"Pobierz podkład na potrzeby pracy offline" and ``razem basemap`` both run :func:`download`:

- the area is the union of the beats' (else the gminas') outlines, buffered by ~500 m; a tile
  is fetched only when it touches that area (not the whole bounding box);
- tiles already in the file are skipped, so a cancelled or broken download resumes where it
  stopped; the file remembers its source and refuses to mix in tiles of another one;
- requests are throttled (``rate`` per second, a few connections) and retried with back-off
  on 429/5xx; a 404 is counted as "missing" (the server has nothing there);
- the answer must be a PNG, JPEG or WebP image of bounded size, else the download stops with
  a Polish reason (a WMS error document, a login page…);
- tiles are committed every few dozen, so an interruption loses at most those;
- cancelling returns within a fraction of a second: fetches run on daemon threads and the
  main loop never waits on the network for longer than 0.1 s.
"""
from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from db.engine import Database
from db.models import Beat, Gmina
from desktop import __version__
from desktop.map.basemap import TileSource, check_bulk_allowed, lonlat_to_tile, tile_lonlat_bounds

log = logging.getLogger("razem.map.download")

MAX_TILES = 250_000  # about 4 GB of aerial photos at most
MAX_TILE_BYTES = 4 * 1024 * 1024
MIN_ZOOM, MAX_ZOOM = 0, 19
BUFFER_DEG = 0.005  # ~500 m around the beats
COMMIT_EVERY = 50
RETRIES = 3
TIMEOUT = 20.0
_URL_SAFE = ":/?&=%,;+@!$'()*~#[]"
FORMAT_BY_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpg"))


class DownloadError(Exception):
    """The download cannot go on (message in Polish); tiles saved so far stay in the file."""


class DownloadCancelled(Exception):
    """The user cancelled; tiles saved so far stay in the file (resume later)."""


@dataclass(frozen=True)
class DownloadResult:
    path: str
    planned: int
    fetched: int
    already_there: int
    missing: int  # 404 from the server
    bytes: int
    seconds: float


ProgressFn = Callable[[int, str], None]


def area_from_outlines(outlines: list[str]) -> BaseGeometry:
    """The union of GeoJSON outlines (WGS84), buffered; raises DownloadError when empty."""
    import json

    shapes = []
    for text in outlines:
        try:
            geom = shape(json.loads(text))
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        if not geom.is_empty:
            shapes.append(shapely.make_valid(geom))
    if not shapes:
        raise DownloadError("W bazie nie ma granic rejonów ani gmin – nie wiadomo, jaki obszar "
                            "pobrać. Najpierw wczytaj granice rejonów.")
    return shapely.union_all(shapes).buffer(BUFFER_DEG)


def outlines_from_database(db: Database, beat_ids: list[int] | None = None) -> list[str]:
    """GeoJSON outlines of the active beats (or of ``beat_ids``); the gminas' when no beat has one."""
    with db.session() as s:
        q = select(Beat.boundary).where(Beat.boundary.is_not(None))
        q = q.where(Beat.id.in_(beat_ids)) if beat_ids is not None else q.where(
            Beat.retired_on.is_(None))
        outlines = [b for b in s.scalars(q) if b]
        if not outlines and beat_ids is None:
            outlines = [g for g in s.scalars(select(Gmina.boundary)
                                             .where(Gmina.boundary.is_not(None))) if g]
    return outlines


def tiles_for(area: BaseGeometry, z: int) -> Iterator[tuple[int, int]]:
    """XYZ tiles at zoom ``z`` that touch ``area`` (WGS84)."""
    west, south, east, north = area.bounds
    x0, y0 = lonlat_to_tile(west, north, z)
    x1, y1 = lonlat_to_tile(east, south, z)
    shapely.prepare(area)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            if area.intersects(box(*tile_lonlat_bounds(z, x, y))):
                yield x, y


def plan_tiles(area: BaseGeometry, zmin: int, zmax: int,
               cancelled: Callable[[], bool] | None = None) -> list[tuple[int, int, int]]:
    """Every (z, x, y) to fetch, lowest zoom first; refuses more than MAX_TILES."""
    check_zoom(zmin, zmax)
    out: list[tuple[int, int, int]] = []
    for z in range(zmin, zmax + 1):
        for x, y in tiles_for(area, z):
            out.append((z, x, y))
            if len(out) > MAX_TILES:
                raise DownloadError(
                    f"Obszar i poziomy {zmin}–{zmax} to ponad {MAX_TILES:,} kafelków"
                    .replace(",", " ") + ". Zmniejsz największy poziom przybliżenia.")
            if cancelled is not None and len(out) % 2000 == 0 and cancelled():
                raise DownloadCancelled
    return out


def check_zoom(zmin: int, zmax: int) -> None:
    if not (MIN_ZOOM <= zmin <= zmax <= MAX_ZOOM):
        raise DownloadError(f"Poziomy przybliżenia muszą spełniać {MIN_ZOOM} ≤ od ≤ do ≤ "
                            f"{MAX_ZOOM} (podano {zmin}–{zmax}).")


def parse_zoom(text: str) -> tuple[int, int]:
    """"12-16" or "14" -> (12, 16) / (14, 14); raises DownloadError in Polish."""
    parts = text.replace("–", "-").split("-")
    try:
        values = [int(p) for p in parts]
    except ValueError:
        raise DownloadError(f"Niepoprawne poziomy przybliżenia: {text!r} (np. 12-16).") from None
    if len(values) == 1:
        values *= 2
    if len(values) != 2:
        raise DownloadError(f"Niepoprawne poziomy przybliżenia: {text!r} (np. 12-16).")
    check_zoom(values[0], values[1])
    return values[0], values[1]


def image_format(data: bytes) -> str | None:
    for magic, fmt in FORMAT_BY_MAGIC:
        if data.startswith(magic):
            return fmt
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


class MBTilesWriter:
    """An MBTiles file being filled (creates it, or opens it to resume)."""

    def __init__(self, path: str | Path, source: TileSource):
        self.path = Path(path)
        _refuse_foreign_file(self.path)
        try:
            self.con = sqlite3.connect(self.path)
            self.con.executescript(
                "CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, "
                "tile_row INTEGER, tile_data BLOB);"
                "CREATE UNIQUE INDEX IF NOT EXISTS tile_index "
                "ON tiles (zoom_level, tile_column, tile_row);")
            meta = dict(self.con.execute("SELECT name, value FROM metadata").fetchall())
        except sqlite3.Error as exc:
            raise DownloadError(f"Nie można utworzyć pliku {self.path.name}: {exc}. "
                                "Wybierz inny plik .mbtiles.") from exc
        old_source = meta.get("razem_source")
        if old_source is not None and old_source != _source_key(source):
            self.con.close()
            raise DownloadError(f"Plik {self.path.name} zawiera kafelki z innego źródła "
                                f"({old_source}). Wybierz nowy plik albo to samo źródło.")
        self.format = meta.get("format", "")
        self._pending = 0

    def existing(self) -> set[tuple[int, int, int]]:
        rows = self.con.execute("SELECT zoom_level, tile_column, tile_row FROM tiles")
        return {(z, x, (1 << z) - 1 - row) for z, x, row in rows}

    def put(self, z: int, x: int, y: int, data: bytes, fmt: str) -> None:
        if not self.format:
            self.format = fmt
        self.con.execute("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?)",
                         (z, x, (1 << z) - 1 - y, sqlite3.Binary(data)))
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        self.con.commit()
        self._pending = 0

    def write_metadata(self, source: TileSource, area: BaseGeometry, zmin: int, zmax: int) -> None:
        zooms = self.con.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        west, south, east, north = area.bounds
        meta = {
            "name": f"Podkład offline ({source.host})",
            "type": "baselayer", "version": "1.1", "format": self.format or "png",
            "description": f"Pobrano programem Razem {__version__} z {source.host}",
            "attribution": source.attribution or source.host,
            "bounds": f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}",
            "center": f"{(west + east) / 2:.6f},{(south + north) / 2:.6f},{zmin}",
            "minzoom": str(zooms[0] if zooms[0] is not None else zmin),
            "maxzoom": str(zooms[1] if zooms[1] is not None else zmax),
            "razem_source": _source_key(source),
        }
        self.con.executemany("INSERT OR REPLACE INTO metadata VALUES (?, ?)", meta.items())
        self.commit()

    def close(self) -> None:
        try:
            self.con.commit()
        finally:
            self.con.close()


def _refuse_foreign_file(path: Path) -> None:
    """Never add tile tables to a file that is something else (e.g. the app's database)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        con = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            con.close()
    except sqlite3.Error:
        tables = set()
    if "tiles" not in tables or not tables <= {"tiles", "metadata", "sqlite_sequence"}:
        raise DownloadError(f"Plik {path.name} istnieje i nie jest plikiem kafelków MBTiles – "
                            "wybierz inną nazwę pliku.")


def _source_key(source: TileSource) -> str:
    return f"{source.kind} {source.url} {source.layers}".strip()


class _Fetcher:
    """A few daemon threads fetching tile addresses; results come back through a queue."""

    def __init__(self, source: TileSource, workers: int):
        self.source = source
        self.tasks: queue.Queue[tuple[int, int, int] | None] = queue.Queue()
        self.results: queue.Queue[tuple[tuple[int, int, int], int, bytes, str]] = queue.Queue()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, name=f"razem-tiles-{i}", daemon=True)
                        for i in range(workers)]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            task = self.tasks.get()
            if task is None:
                return
            try:
                status, data, note = self._fetch(task)
            except Exception as exc:
                log.warning("Podkład: błąd pobierania %s: %r", task, exc)
                status, data, note = -1, b"", str(exc)
            self.results.put((task, status, data, note))

    def _fetch(self, task: tuple[int, int, int]) -> tuple[int, bytes, str]:
        url = urllib.parse.quote(self.source.tile_url(*task), safe=_URL_SAFE)
        request = urllib.request.Request(url, headers={
            "User-Agent": f"Razem/{__version__} (offline basemap)"})
        delay = 0.5
        for attempt in range(RETRIES + 1):
            if self.stop.is_set():
                return 0, b"", "przerwano"
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as resp:
                    data = resp.read(MAX_TILE_BYTES + 1)
                    return resp.status, data, resp.headers.get("Content-Type", "")
            except urllib.error.HTTPError as exc:
                if exc.code in (404, 204) or (exc.code < 500 and exc.code != 429):
                    return exc.code, b"", str(exc.reason)
                note = f"HTTP {exc.code}"
            except (urllib.error.URLError, OSError) as exc:
                note = str(getattr(exc, "reason", exc))
            if attempt < RETRIES:
                self.stop.wait(delay)
                delay *= 2
        return -1, b"", note

    def close(self) -> None:
        self.stop.set()
        for _ in self.threads:
            self.tasks.put(None)


def download(source: TileSource, area: BaseGeometry, zmin: int, zmax: int, out: str | Path,
             rate: float = 8.0, workers: int = 2, progress: ProgressFn | None = None,
             cancelled: Callable[[], bool] | None = None) -> DownloadResult:
    """Fill ``out`` with the tiles of ``area`` at zooms zmin..zmax (see the module's notes)."""
    check_bulk_allowed(source)
    started = time.monotonic()
    is_cancelled = cancelled or (lambda: False)
    planned = plan_tiles(area, zmin, zmax, is_cancelled)
    writer = MBTilesWriter(out, source)
    fetcher: _Fetcher | None = None
    fetched = missing = size = 0
    try:
        have = writer.existing()
        todo = [t for t in planned if t not in have]
        already = len(planned) - len(todo)
        log.info("Podkład: %d kafelków w planie (%d–%d), %d już w pliku %s",
                 len(planned), zmin, zmax, already, Path(out).name)
        fetcher = _Fetcher(source, max(1, workers))
        interval = 1.0 / rate if rate > 0 else 0.0
        next_slot = time.monotonic()
        sent = done = 0
        in_flight_max = max(1, workers) * 2
        while done < len(todo):
            if is_cancelled():
                raise DownloadCancelled
            now = time.monotonic()
            while (sent < len(todo) and sent - done < in_flight_max and now >= next_slot):
                fetcher.tasks.put(todo[sent])
                sent += 1
                next_slot = max(next_slot + interval, now) if interval else now
            try:
                task, status, data, note = fetcher.results.get(timeout=0.1)
            except queue.Empty:
                continue
            done += 1
            if status == 200:
                fmt = _check_image(task, data, note, source)
                writer.put(*task, data, fmt)
                fetched += 1
                size += len(data)
            elif status in (404, 204):
                missing += 1
            else:
                raise DownloadError(
                    f"Serwer {source.host} nie oddał kafelka {task[0]}/{task[1]}/{task[2]} "
                    f"({note or status}). Pobrane kafelki zostały zapisane – spróbuj ponownie "
                    "później, pobieranie wznowi się od tego miejsca.")
            if progress is not None and (done % 10 == 0 or done == len(todo)):
                progress(int(100 * done / max(1, len(todo))),
                         f"Kafelki: {already + done} z {len(planned)}")
        writer.write_metadata(source, area, zmin, zmax)
    finally:
        if fetcher is not None:
            fetcher.close()
        writer.close()
    result = DownloadResult(str(out), len(planned), fetched, already, missing, size,
                            time.monotonic() - started)
    log.info("Podkład pobrany: %d nowych kafelków (%.1f MB), %d już było, %d brak na serwerze, "
             "%.1f s", fetched, size / 1e6, already, missing, result.seconds)
    return result


def _check_image(task: tuple[int, int, int], data: bytes, content_type: str,
                 source: TileSource) -> str:
    if len(data) > MAX_TILE_BYTES:
        raise DownloadError(f"Kafelek {task[0]}/{task[1]}/{task[2]} z {source.host} jest "
                            f"większy niż {MAX_TILE_BYTES // (1024 * 1024)} MB – przerwano.")
    fmt = image_format(data)
    if fmt is None:
        what = content_type.split(";")[0].strip() or "nieznany typ"
        raise DownloadError(f"Serwer {source.host} zamiast obrazka zwrócił {what} – sprawdź "
                            "adres, warstwę i format podkładu. Pobrane wcześniej kafelki "
                            "zostały zapisane.")
    return fmt
