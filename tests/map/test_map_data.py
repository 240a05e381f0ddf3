"""Compact report data, the filter contract, settings and offline tiles (no Qt)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from map_helpers import make_mbtiles
from sqlalchemy import func, select

from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus
from desktop.map import settings as map_settings
from desktop.map.data import COORD_SCALE, ReportFilter, count_reports, load_map_data
from desktop.map.page import build_page, data_script
from desktop.map.serve import BadRequest, NotFound, Router
from desktop.map.settings import MapSettings, load_settings, save_settings
from desktop.map.tiles import MBTilesError, read_info, read_tile, tms_row


def test_payload_holds_every_report_compactly(sample_db):
    data = load_map_data(sample_db)
    with sample_db.session() as s:
        total = s.scalar(select(func.count()).select_from(ThreatReport))
        beats = s.scalar(select(func.count()).select_from(Beat).where(Beat.boundary.is_not(None)))
        first = s.scalars(select(ThreatReport).order_by(ThreatReport.id).limit(1)).one()
        first_cat = first.category_id
    assert data.reports is not None
    reports = data.reports.as_lists()
    assert data.report_count == total == len(reports["lat"]) == len(reports["day"])
    assert data.beat_polygons == beats == len(data.payload["beats"]["features"])
    assert abs(reports["lat"][0] - first.lat * COORD_SCALE) < 1
    assert reports["day"][0] == (first.reported_at.date() - dt.date(1970, 1, 1)).days
    assert data.payload["categories"][reports["cat"][0]]["id"] == first_cat
    assert "reports" not in data.payload  # they travel as one binary block
    per_report = len(data.reports.encode()) / total
    assert per_report < 22
    page = build_page(data, MapSettings(), "x")
    assert page.bytes_per_report < 50


def test_beat_properties_carry_both_officers(sample_db):
    data = load_map_data(sample_db, on=dt.date(2018, 6, 1))
    props = [f["properties"] for f in data.payload["beats"]["features"]]
    assert all(p["officer"] and p["officer"]["name"] for p in props)
    assert any(p["traffic"] and p["traffic"]["email"] for p in props)


def test_filter_json_and_database_count_agree_on_meaning(sample_db):
    with sample_db.session() as s:
        cats = s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id).limit(3)).all()
        status = s.scalars(select(ThreatStatus.id).order_by(ThreatStatus.id).limit(1)).all()
        all_count = s.scalar(select(func.count()).select_from(ThreatReport))
    flt = ReportFilter(categories=tuple(cats), statuses=tuple(status),
                       date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 6, 30))
    raw = json.loads(flt.to_json())
    assert raw["categories"] == list(cats) and raw["dayFrom"] == 17532
    assert raw["dayTo"] - raw["dayFrom"] == 180
    assert 0 < count_reports(sample_db, flt) < all_count
    assert count_reports(sample_db, ReportFilter()) == all_count
    assert count_reports(sample_db, ReportFilter(categories=())) == 0


def test_data_script_is_ascii_and_keeps_hostile_text_as_data(sample_db):
    data = load_map_data(sample_db)
    data.payload["units"][0]["name"] = "</script><img src=x onerror=alert(1)>\u2028Łódź"
    script = data_script(data)
    script.decode("ascii")
    first_line = script.decode().split("\n")[0]
    value = json.loads(first_line[len("window.RAZEM_DATA="):-1])
    assert value["units"][0]["name"].startswith("</script><img")


def test_settings_default_roundtrip_and_corrupt_file():
    assert load_settings() == MapSettings()
    assert MapSettings().online_tiles is False
    changed = MapSettings(mbtiles_path="/x/y.mbtiles", online_tiles=True, colour_by="gmina")
    save_settings(changed)
    assert load_settings() == changed
    map_settings.settings_path().write_text("{ not json", encoding="utf-8")
    assert load_settings() == MapSettings()
    map_settings.settings_path().write_text(
        json.dumps({"online_tiles": "yes", "colour_by": "rainbow",
                    "online_url": "file:///etc/passwd",
                    "online_attribution": "<img src=x onerror=alert(1)>"}), encoding="utf-8")
    assert load_settings() == MapSettings()


def test_mbtiles_row_flip(tmp_path):
    path = make_mbtiles(tmp_path / "t.mbtiles")
    assert tms_row(2, 0) == 3 and tms_row(2, 3) == 0
    assert read_tile(path, 2, 1, 0) == b"z2x1row3"  # XYZ y=0 is the northern row
    assert read_tile(path, 1, 0, 1) == b"z1x0row0"
    assert read_tile(path, 2, 4, 0) is None and read_tile(path, 5, 0, 0) is None
    info = read_info(path)
    assert (info.format, info.min_zoom, info.max_zoom, info.mime) == ("png", 0, 2, "image/png")


def test_router_serves_tiles_assets_and_pages(tmp_path):
    router = Router()
    with pytest.raises(NotFound):
        router.route("/tiles/0/0/0")  # no tiles configured: not an error for the map
    router.set_mbtiles(str(make_mbtiles(tmp_path / "t.mbtiles")))
    assert router.route("/tiles/2/3/1") == ("image/png", b"z2x3row2")
    mime, body = router.route("/web/leaflet/dist/leaflet.js")
    assert mime == "application/javascript" and body.startswith(b"/*")
    assert router.route("/web/leaflet/dist/leaflet.css")[0] == "text/css"
    router.publish({"map/p1/index.html": b"<html>"})
    assert router.route("/map/p1/index.html") == ("text/html;charset=utf-8", b"<html>")
    router.publish({"map/p2/index.html": b"new"}, keep_prefix="map/p2/")
    with pytest.raises(NotFound):
        router.route("/map/p1/index.html")
    for bad in ("/web/../../db/models.py", "/web/%2e%2e/x", "/web/leaflet/../../../etc/passwd"):
        with pytest.raises((NotFound, BadRequest)):
            router.route(bad)


def test_bad_mbtiles_file_gives_a_polish_error(tmp_path):
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"this is not sqlite at all" * 10)
    with pytest.raises(MBTilesError, match="nie jest plikiem MBTiles"):
        read_info(junk)
    with pytest.raises(MBTilesError, match="Nie znaleziono"):
        read_info(tmp_path / "missing.mbtiles")
    with pytest.raises(MBTilesError, match="Nieobsługiwany format"):
        read_info(make_mbtiles(tmp_path / "v.mbtiles", fmt="pbf"))


def test_empty_database_builds_a_plain_page(empty_db):
    data = load_map_data(empty_db)
    assert data.report_count == 0 and data.beat_polygons == 0 and data.bounds is None
    page = build_page(data, MapSettings(), "e")
    assert b"razem.init(" in page.html and page.data_js.startswith(b"window.RAZEM_DATA=")
