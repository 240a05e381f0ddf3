"""Offline by construction: local assets per instance, no remote URL anywhere, manifest intact."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import folium
import folium.plugins
import pytest

from desktop.map import assets
from desktop.map.data import load_map_data
from desktop.map.page import build_map, build_page
from desktop.map.settings import MapSettings

ROOT = Path(__file__).resolve().parents[2]
REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def _web_assets_module():
    path = ROOT / "packaging" / "web_assets.py"
    spec = importlib.util.spec_from_file_location("web_assets", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_localize_assigns_per_instance_and_leaves_class_lists_alone():
    before_map = list(folium.Map.default_js)
    before_cluster = list(folium.plugins.MarkerCluster.default_css)
    m = folium.Map(tiles=None)
    folium.plugins.MarkerCluster().add_to(m)
    assets.localize(m)
    assert folium.Map.default_js == before_map
    assert folium.plugins.MarkerCluster.default_css == before_cluster
    assert all(url.startswith("razem://app/web/") for _n, url in m.default_js)
    assert assets.remote_assets(m) == []
    # A fresh map still names the CDNs: nothing leaked into the class.
    assert assets.remote_assets(folium.Map(tiles=None))


def test_check_fails_on_an_element_that_names_a_remote_url():
    m = folium.Map(tiles=None)
    assets.localize(m)
    extra = folium.plugins.MarkerCluster().add_to(m)
    with pytest.raises(assets.RemoteAssetError, match="markercluster"):
        assets.check_local(m)
    extra.default_js = [("mystery", "https://cdn.example.org/x.js")]
    with pytest.raises(assets.RemoteAssetError):
        assets.localize(m)  # no local copy known for it: refuse, do not drop silently


def test_every_local_asset_exists():
    for rel in filter(None, assets.FOLIUM_ASSETS.values()):
        assert (ROOT / "resources" / "web" / rel).is_file(), rel
    for rel in ("razem/map.js", "razem/map.css",
                "leaflet/dist/images/layers.png"):
        assert (ROOT / "resources" / "web" / rel).is_file(), rel


def test_sample_page_names_no_remote_url(sample_db):
    data = load_map_data(sample_db)
    m = build_map(data, MapSettings(), "t1")
    assert assets.remote_assets(m) == []
    page = build_page(data, MapSettings(), "t1")
    text = page.html.decode("utf-8")
    assert not REMOTE.search(text), REMOTE.search(text)
    for src in re.findall(r'<script src="([^"]+)"', text):
        assert src.startswith("razem://app/"), src
    assert "razem://app/map/t1/data.js" in text


def test_online_tiles_only_when_enabled(sample_db):
    data = load_map_data(sample_db)
    off = build_page(data, MapSettings(), "a").html.decode()
    on = build_page(data, MapSettings(online_tiles=True), "b").html.decode()
    assert "tile.openstreetmap.org" not in off
    assert "tile.openstreetmap.org" in on and "OpenStreetMap" in on
    other = build_page(data, MapSettings(online_tiles=True, online_attribution="<img src=x>",
                                         online_url="https://t.example.org/{z}/{x}/{y}.png"),
                       "c").html.decode()
    assert "t.example.org" in other and "<img src=x>" not in other


def test_network_wms_and_wmts_basemaps_reach_the_page(sample_db):
    data = load_map_data(sample_db)
    wms = build_page(data, MapSettings(online_tiles=True, online_kind="wms",
                                       online_url="http://mapy.policja.local/wms",
                                       online_layers="ortofotomapa",
                                       online_source_note="<b>KWP</b>"), "w").html.decode()
    assert "L.tileLayer.wms" in wms and "http://mapy.policja.local/wms" in wms
    assert '"layers": "ortofotomapa"' in wms and "<b>KWP</b>" not in wms
    wmts = build_page(data, MapSettings(online_tiles=True, online_kind="wmts",
                                        online_url="http://mapy.policja.local/wmts",
                                        online_layers="mapa"), "m").html.decode()
    assert "TILEMATRIX={z}" in wmts and "TILEROW={y}" in wmts and "LAYER=mapa" in wmts


def test_manifest_matches_shipped_files():
    module = _web_assets_module()
    assert module.check() == []
    manifest = (ROOT / "resources" / "web" / "manifest.json").read_text()
    for package, (version, licence, _files) in module.PACKAGES.items():
        assert f'"{version}"' in manifest and licence in manifest, package


def test_manifest_check_notices_a_changed_file(tmp_path, monkeypatch):
    module = _web_assets_module()
    import shutil

    copy = tmp_path / "web"
    shutil.copytree(module.WEB, copy)
    (copy / "jquery" / "dist" / "jquery.min.js").write_text("tampered")
    monkeypatch.setattr(module, "WEB", copy)
    monkeypatch.setattr(module, "MANIFEST", copy / "manifest.json")
    assert any("jquery.min.js" in p for p in module.check())
