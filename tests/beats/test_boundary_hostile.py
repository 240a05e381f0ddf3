"""Boundary files that used to hang the reader or show English library text: a 200k-vertex
self-intersecting KML, a polygon crossing itself thousands of times, deep nesting, unknown or
malformed coordinate systems, broken geometry. Every message is Polish."""
from __future__ import annotations

import io
import json
import re
import zipfile

import numpy as np
import pytest
import shapefile
from shapely.geometry import box

from desktop.beats.boundaries import BoundaryError, read_boundaries
from desktop.common import limits
from desktop.common.geo import PL2000_ZONE7, WGS84, project

# Words of English library messages seen in the dialog ("'str' object has no attribute
# 'get'", "not well-formed (invalid token)", "Self-intersection", "Expecting value" ...).
ENGLISH = re.compile(r"\b(object|attribute|invalid|token|line \d|Expecting|Error|error|"
                     r"Self-intersection|not|column \d|must|unsupported|failed)\b")


def _random_ring(n: int, seed: int = 1) -> list[list[float]]:
    """A polygon drawn at random around Konin: it crosses itself about n²/10 times."""
    rng = np.random.default_rng(seed)
    ang, r = rng.uniform(0, 2 * np.pi, n), rng.uniform(0.5, 1.0, n)
    pts = np.column_stack([18.25 + 0.05 * r * np.cos(ang), 52.22 + 0.05 * r * np.sin(ang)])
    return [*pts.round(6).tolist(), pts[0].round(6).tolist()]


def _kml(tmp_path, ring) -> str:
    coords = " ".join(f"{x},{y}" for x, y in ring)
    path = tmp_path / "duzy.kml"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>1</name>
<Polygon><outerBoundaryIs><LinearRing><coordinates>{coords}</coordinates></LinearRing>
</outerBoundaryIs></Polygon></Placemark></Document></kml>""", encoding="utf-8")
    return path


def test_200k_vertex_self_intersecting_kml_is_refused_by_its_vertex_count(tmp_path):
    path = _kml(tmp_path, _random_ring(200_000))
    assert path.stat().st_size > 3 * limits.MB  # 4.4 MB in the report, 3.9 MB here
    preview = read_boundaries(path)
    (f,) = preview.features
    assert f.geometry is None and "200001 wierzchołków" in f.error
    assert not preview.can_save and not ENGLISH.search(f.error)


def test_polygon_crossing_itself_thousands_of_times_is_refused_not_repaired_for_minutes(
        tmp_path):
    # 5000 vertices: under the vertex limit, but shapely.make_valid runs for minutes on it.
    preview = read_boundaries(_kml(tmp_path, _random_ring(5_000)))
    (f,) = preview.features
    assert f.geometry is None and "samoprzecięć" in f.error


def _circle_with_a_twist(n: int) -> list[list[float]]:
    """A fine circle around Konin whose two neighbouring vertices are swapped: one small
    self-intersection among n vertices, so every segment must be checked."""
    ang = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pts = np.column_stack([18.25 + 0.05 * np.cos(ang), 52.22 + 0.05 * np.sin(ang)])
    pts[[10, 11]] = pts[[11, 10]]
    return [*pts.tolist(), pts[0].tolist()]


def test_cancel_is_checked_inside_the_long_checks(tmp_path):
    path = _kml(tmp_path, _circle_with_a_twist(40_000))
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3  # the user presses "Przerwij" during the self-crossing count

    with pytest.raises(BoundaryError, match="Przerwano"):
        read_boundaries(path, cancelled=cancelled)


def test_fine_polygon_with_one_twist_is_repaired(tmp_path):
    preview = read_boundaries(_kml(tmp_path, _circle_with_a_twist(40_000)))
    (f,) = preview.features
    assert f.geometry is not None and f.repaired.startswith("samoprzecięcie"), f.error


def test_small_self_intersection_is_still_repaired_with_a_polish_reason(tmp_path):
    bow_tie = [[18.28, 52.36], [18.31, 52.38], [18.31, 52.36], [18.28, 52.38], [18.28, 52.36]]
    preview = read_boundaries(_kml(tmp_path, bow_tie))
    (f,) = preview.features
    assert f.geometry is not None and f.repaired.startswith("samoprzecięcie w punkcie")


def _write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


SQUARE = {"type": "Polygon", "coordinates": [[[18.28, 52.36], [18.31, 52.36], [18.31, 52.38],
                                              [18.28, 52.38], [18.28, 52.36]]]}


def _collection(**extra) -> str:
    return json.dumps({"type": "FeatureCollection", **extra, "features": [
        {"type": "Feature", "properties": {"nr": "1"}, "geometry": SQUARE}]})


@pytest.mark.parametrize("name, content, message", [
    ("deep.geojson", '{"type": "FeatureCollection", "features": ' + "[" * 50_000
     + "]" * 50_000 + "}", "zagnieżdżony głębiej"),
    ("crs.geojson", _collection(crs={"type": "name", "properties": {"name": "EPSG:99999"}}),
     "EPSG:99999 nie jest obsługiwany"),
    ("crs3857.geojson", _collection(crs={"type": "name", "properties": {
        "name": "urn:ogc:def:crs:EPSG::3857"}}), "EPSG:3857 nie jest obsługiwany"),
    ("crs-text.geojson", _collection(crs="EPSG:2180"), "Niepoprawny opis układu"),
    ("crs-list.geojson", _collection(crs=[2180]), "Niepoprawny opis układu"),
    ("bad.geojson", '{"type": "FeatureCollection", "features": [', "błąd składni JSON"),
    ("bad.kml", "<kml><Placemark>", "błąd składni XML"),
    ("entity.kml", '<?xml version="1.0"?><!DOCTYPE kml [' + " " * 5000
     + '<!ENTITY a "aaaaaaaaaa">]><kml>&a;</kml>', "plik KML"),
    ("bad.zip", b"PK\x03\x04 not really a zip", "archiwum ZIP"),
])
def test_broken_files_give_one_polish_line(tmp_path, name, content, message):
    with pytest.raises(BoundaryError) as info:
        read_boundaries(_write(tmp_path, name, content))
    text = str(info.value)
    assert message in text and not ENGLISH.search(text), text


def test_unreadable_geometry_is_reported_in_polish(tmp_path):
    feats = [{"type": "Feature", "properties": {"nr": str(i)}, "geometry": g} for i, g in
             enumerate([{"type": "Polygon", "coordinates": [[["a", "b"], [1]]]},
                        {"type": "Polygon", "coordinates": "nic"},
                        {"type": "Krzywa", "coordinates": []},
                        {"type": "Polygon", "coordinates": [[[18.2, 52.2], [18.3, 52.2]]]}])]
    path = _write(tmp_path, "g.geojson", json.dumps({"type": "FeatureCollection",
                                                     "features": feats}))
    try:
        preview = read_boundaries(path)
    except BoundaryError as exc:
        assert not ENGLISH.search(str(exc)), str(exc)
    else:
        for f in preview.features:
            assert f.error and not ENGLISH.search(f.error), f.error


def test_broken_shapefile_gives_a_polish_line(tmp_path):
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    w.field("nr", "C")
    w.poly([[[18.28, 52.36], [18.31, 52.36], [18.31, 52.38], [18.28, 52.36]]])
    w.record("1")
    w.close()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("r.shp", shp.getvalue()[:60])  # cut inside the header
        z.writestr("r.shx", shx.getvalue())
        z.writestr("r.dbf", dbf.getvalue())
    with pytest.raises(BoundaryError) as info:
        read_boundaries(_write(tmp_path, "r.zip", buf.getvalue()))
    assert "Shapefile" in str(info.value) and not ENGLISH.search(str(info.value))


def test_pl2000_zone_7_is_recognised_like_the_other_zones(tmp_path):
    # Beats east of 19.5° E lie in PL-2000 zone 7 (EPSG:2178); only zone 6 was known.
    ring = box(19.9, 50.0, 19.95, 50.05).exterior.coords
    xs, ys = project([p[0] for p in ring], [p[1] for p in ring], WGS84, PL2000_ZONE7)
    geom = {"type": "Polygon", "coordinates": [np.column_stack([xs, ys]).tolist()]}
    path = _write(tmp_path, "z7.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nr": "1"}, "geometry": geom}]}))
    preview = read_boundaries(path)
    assert preview.epsg == PL2000_ZONE7 and not preview.features[0].error
    assert preview.features[0].geometry.bounds == pytest.approx((19.9, 50.0, 19.95, 50.05),
                                                                abs=1e-6)


def test_closing_the_dialog_while_a_huge_self_intersecting_kml_is_read(qtbot, world,
                                                                        tmp_path):
    """The reported case: "Przerwij" did not stop it and closing the dialog blocked the
    window (for minutes, in make_valid). Closing now returns once the reader has stopped."""
    from desktop.app.context import AppContext
    from desktop.beats.ui.tab import BeatsTab

    tab = BeatsTab(AppContext(world.db))
    qtbot.addWidget(tab)
    dialog = tab.make_boundary_dialog()
    qtbot.addWidget(dialog)
    dialog.path.setText(str(_kml(tmp_path, _random_ring(5_000))))
    dialog.start_read()
    # Wait until the reader is checking the polygon (past reading the file), then close.
    qtbot.waitUntil(lambda: dialog.progress.value() >= 20, timeout=30_000)
    qtbot.wait(300)
    dialog.reject()  # joins the reader: returns at once instead of after minutes
    assert not dialog.isVisible()
    dialog = tab.make_boundary_dialog()  # a fresh one: the first may still deliver "Przerwano"
    qtbot.addWidget(dialog)
    dialog.path.setText(str(_kml(tmp_path, _random_ring(200_000))))
    dialog.start_read()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert dialog.preview is not None, dialog.messages.toPlainText()
    assert "wierzchołków" in " ".join(f.error for f in dialog.preview.features)
    dialog.wait_for_jobs()
