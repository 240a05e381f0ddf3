"""Basemap download into MBTiles against a real tile server on loopback (no mocks)."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from shapely.geometry import box
from tile_server import COLOURS, TileServer, png

from desktop.cli import main
from desktop.map import tiles
from desktop.map.basemap import (
    SourceError,
    lonlat_to_tile,
    make_source,
    mercator_bounds,
    tile_lonlat_bounds,
)
from desktop.map.download import (
    DownloadCancelled,
    DownloadError,
    area_from_outlines,
    download,
    outlines_from_database,
    parse_zoom,
    plan_tiles,
)

KONIN = box(18.20, 52.19, 18.30, 52.25)  # WGS84, the city centre


@pytest.fixture()
def server():
    s = TileServer()
    yield s
    s.close()


def _stored(path) -> set[tuple[int, int, int]]:
    con = sqlite3.connect(path)
    try:
        return {(z, x, (1 << z) - 1 - row) for z, x, row in
                con.execute("SELECT zoom_level, tile_column, tile_row FROM tiles")}
    finally:
        con.close()


def test_tile_arithmetic_round_trips():
    for z in (0, 5, 12, 17):
        x, y = lonlat_to_tile(18.25, 52.22, z)
        west, south, east, north = tile_lonlat_bounds(z, x, y)
        assert west <= 18.25 < east and south <= 52.22 < north
    minx, miny, maxx, maxy = mercator_bounds(1, 0, 0)
    assert minx == pytest.approx(-20037508.34) and maxy == pytest.approx(20037508.34)
    assert maxx == pytest.approx(0) and miny == pytest.approx(0)


@pytest.mark.parametrize("kind, url, layers, reason", [
    ("xyz", "ftp://srv/{z}/{x}/{y}.png", "", "http:// lub https://"),
    ("xyz", "http://srv/{z}/{x}.png", "", "musi zawierać {z}, {x} i {y}"),
    ("xyz", "http://srv/{z}/{x}/{y}/{r}.png", "", "Nieznane pole"),
    ("wms", "http://srv/wms", "", "warstwy WMS"),
    ("wmts", "http://srv/wmts", " ", "warstwy WMTS"),
    ("xyz", "", "", "Podaj adres"),
    ("xyz", "http://srv/{z}/{x}/{y}.png " + "a", "", "spacji"),
])
def test_bad_sources_get_a_polish_reason(kind, url, layers, reason):
    with pytest.raises(SourceError, match=reason):
        make_source(kind, url, layers)


def test_osm_servers_are_not_bulk_downloaded(tmp_path):
    source = make_source("xyz", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    with pytest.raises(SourceError, match="zabraniają pobierania kafelków hurtowo"):
        download(source, KONIN, 10, 10, tmp_path / "osm.mbtiles")
    assert not (tmp_path / "osm.mbtiles").exists()


def test_plan_covers_the_area_not_its_bounding_box():
    # an L-shaped area: the empty corner of its bounding box is not downloaded
    area = box(18.0, 52.0, 18.5, 52.1).union(box(18.0, 52.0, 18.1, 52.5))
    planned = plan_tiles(area, 12, 12)
    x0, y0 = lonlat_to_tile(18.0, 52.5, 12)
    x1, y1 = lonlat_to_tile(18.5, 52.0, 12)
    assert len(planned) < (x1 - x0 + 1) * (y1 - y0 + 1) * 0.6
    corner = lonlat_to_tile(18.4, 52.4, 12)
    assert (12, *corner) not in planned


def test_too_many_tiles_are_refused_before_any_request(server, tmp_path):
    huge = box(14.1, 49.0, 24.1, 54.8)  # all of Poland at street level
    with pytest.raises(DownloadError, match="Zmniejsz największy poziom"):
        download(make_source("xyz", server.xyz), huge, 15, 17, tmp_path / "pl.mbtiles")
    assert server.requests == []


@pytest.mark.parametrize("text, expected", [("12-16", (12, 16)), ("14", (14, 14)),
                                            ("8–10", (8, 10))])
def test_zoom_ranges(text, expected):
    assert parse_zoom(text) == expected


@pytest.mark.parametrize("text", ["16-12", "x", "0-25", "1-2-3"])
def test_bad_zoom_ranges(text):
    with pytest.raises(DownloadError, match="przybliżenia"):
        parse_zoom(text)


def test_download_writes_every_planned_tile_once(server, tmp_path):
    out = tmp_path / "konin.mbtiles"
    source = make_source("xyz", server.xyz, attribution="© Serwer testowy KMP")
    result = download(source, KONIN, 9, 12, out, rate=0)
    planned = plan_tiles(KONIN, 9, 12)
    assert result.planned == len(planned) == result.fetched > 4
    assert _stored(out) == set(planned)
    assert sorted(server.tile_requests()) == sorted(f"/tiles/{z}/{x}/{y}.png"
                                                     for z, x, y in planned)
    info = tiles.read_info(out)  # the map's own reader accepts the file
    assert (info.format, info.min_zoom, info.max_zoom) == ("png", 9, 12)
    assert info.attribution == "© Serwer testowy KMP"
    z, x, y = planned[-1]
    assert tiles.read_tile(out, z, x, y) == png(COLOURS[z])


def test_cancel_then_resume_fetches_only_the_rest(server, tmp_path):
    out = tmp_path / "resume.mbtiles"
    source = make_source("xyz", server.xyz)
    seen: list[int] = []

    def progress(pct: int, text: str) -> None:
        seen.append(pct)

    with pytest.raises(DownloadCancelled):
        download(source, KONIN, 10, 14, out, rate=0, progress=progress,
                 cancelled=lambda: len(seen) >= 1)
    first = _stored(out)
    planned = set(plan_tiles(KONIN, 10, 14))
    assert 0 < len(first) < len(planned)
    before = len(server.requests)
    result = download(source, KONIN, 10, 14, out, rate=0)
    assert result.already_there == len(first)
    assert result.fetched == len(planned) - len(first)
    assert _stored(out) == planned
    again = {p for _, p in server.requests[before:]}
    assert not again & {f"/tiles/{z}/{x}/{y}.png" for z, x, y in first}


def test_cancel_returns_within_a_second_while_the_server_hangs(server, tmp_path):
    server.delay = 8.0
    flag = threading.Event()
    box_: list[BaseException] = []

    def work():
        try:
            download(make_source("xyz", server.xyz), KONIN, 10, 12, tmp_path / "slow.mbtiles",
                     rate=0, cancelled=flag.is_set)
        except BaseException as exc:
            box_.append(exc)

    t = threading.Thread(target=work)
    t.start()
    time.sleep(0.5)
    assert server.requests  # the fetch is under way, stuck on the server
    flag.set()
    started = time.monotonic()
    t.join(3)
    assert not t.is_alive() and time.monotonic() - started < 1.0
    assert isinstance(box_[0], DownloadCancelled)


def test_requests_are_throttled(server, tmp_path):
    download(make_source("xyz", server.xyz), KONIN, 10, 13, tmp_path / "t.mbtiles", rate=10)
    times = [t for t, _ in server.requests]
    n = len(times)
    assert n >= 8
    assert times[-1] - times[0] >= (n - 1) / 10 * 0.9  # never more than 10 per second


def test_server_errors_are_retried_and_missing_tiles_counted(server, tmp_path):
    server.fail_first = 2  # two 500s, then the server recovers
    planned = plan_tiles(KONIN, 11, 11)
    server.missing = {planned[0]}
    result = download(make_source("xyz", server.xyz), KONIN, 11, 11, tmp_path / "r.mbtiles",
                      rate=0)
    assert result.missing == 1 and result.fetched == len(planned) - 1


def test_a_login_page_instead_of_tiles_stops_with_a_reason_and_keeps_tiles(server, tmp_path):
    server.html_from = 3
    out = tmp_path / "login.mbtiles"
    with pytest.raises(DownloadError, match="zamiast obrazka zwrócił text/html"):
        download(make_source("xyz", server.xyz), KONIN, 10, 12, out, rate=0, workers=1)
    assert len(_stored(out)) == 3


def test_another_source_is_never_mixed_into_a_file(server, tmp_path):
    out = tmp_path / "a.mbtiles"
    download(make_source("xyz", server.xyz), KONIN, 9, 9, out, rate=0)
    other = make_source("xyz", server.base + "/inne/{z}/{x}/{y}.png")
    with pytest.raises(DownloadError, match="z innego źródła"):
        download(other, KONIN, 9, 9, out, rate=0)


@pytest.mark.engines("sqlite")  # only a SQLite database is a file
def test_the_apps_database_is_never_used_as_a_tile_file(server, sample_db, tmp_path):
    path = sample_db.url.split("///", 1)[1]
    with pytest.raises(DownloadError, match="nie jest plikiem kafelków MBTiles"):
        download(make_source("xyz", server.xyz), KONIN, 9, 9, path, rate=0)
    con = sqlite3.connect(path)
    assert "tiles" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()


def test_wms_requests_one_getmap_per_tile_in_web_mercator(server, tmp_path):
    source = make_source("wms", server.base + "/wms", layers="ortofoto")
    out = tmp_path / "wms.mbtiles"
    result = download(source, KONIN, 10, 11, out, rate=0)
    assert result.fetched == len(plan_tiles(KONIN, 10, 11))
    query = next(p for p in server.tile_requests() if "GetMap" in p)
    assert "CRS=EPSG:3857" in query and "LAYERS=ortofoto" in query and "WIDTH=256" in query
    z, x, y = sorted(_stored(out))[0]
    assert tiles.read_tile(out, z, x, y) == png(COLOURS[z])  # the server's zoom from the BBOX


def test_wmts_kvp_gettile(server, tmp_path):
    source = make_source("wmts", server.base + "/wmts", layers="mapa")
    download(source, KONIN, 10, 10, tmp_path / "wmts.mbtiles", rate=0)
    query = server.tile_requests()[0]
    assert "REQUEST=GetTile" in query and "LAYER=mapa" in query and "TILEMATRIX=10" in query


def test_area_comes_from_the_beats(sample_db):
    outlines = outlines_from_database(sample_db)
    assert len(outlines) >= 20
    area = area_from_outlines(outlines)
    west, south, east, north = area.bounds
    assert 17.5 < west < east < 19.0 and 51.8 < south < north < 52.7  # around Konin


def test_empty_database_has_no_area(empty_db):
    with pytest.raises(DownloadError, match="Najpierw wczytaj granice rejonów"):
        area_from_outlines(outlines_from_database(empty_db))


def test_cli_downloads_the_beats_area(server, sample_db, tmp_path, capsys):
    out = tmp_path / "cli.mbtiles"
    code = main(["basemap", "--url", server.xyz, "--zoom", "8-9", "--out", str(out),
                 "--attribution", "Serwer KMP", "--database", sample_db.url])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    stored = _stored(out)
    assert stored and f"Zapisano {out}" in captured.out
    # the same command again has nothing left to fetch
    assert main(["basemap", "--url", server.xyz, "--zoom", "8-9", "--out", str(out),
                 "--database", sample_db.url]) == 0
    assert f"{len(stored)} już w pliku" in capsys.readouterr().out


def test_cli_bad_arguments_are_polish(sample_db, tmp_path, capsys):
    code = main(["basemap", "--url", "http://srv/{z}/{x}.png", "--zoom", "8-9",
                 "--out", str(tmp_path / "x.mbtiles"), "--database", sample_db.url])
    assert code == 2 and "musi zawierać {z}, {x} i {y}" in capsys.readouterr().err
    code = main(["basemap", "--url", "http://srv/{z}/{x}/{y}.png", "--zoom", "9-3",
                 "--out", str(tmp_path / "x.mbtiles"), "--database", sample_db.url])
    assert code == 2 and "przybliżenia" in capsys.readouterr().err
