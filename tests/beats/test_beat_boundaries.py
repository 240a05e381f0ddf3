"""Boundary import: each format with good and broken files, CRS conversion, repair, overlaps,
all-or-nothing saving."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
import shapefile
import shapely
from pyproj import CRS
from shapely.geometry import box, mapping
from sqlalchemy import select

from db.models import Beat
from desktop.beats.boundaries import BoundaryError, read_boundaries
from desktop.beats.boundary_import import match_beats, save_boundaries
from desktop.common.geo import PL2000_ZONE6, PUWG1992, WGS84, from_geojson, reproject

# Two squares near Ślesin, sharing an edge (WGS84)
WEST = box(18.28, 52.36, 18.31, 52.38)
EAST = box(18.31, 52.36, 18.34, 52.38)


def _feature(geom, number, unit="KMP Konin", crs=WGS84, **extra):
    g = reproject(geom, WGS84, crs)
    return {"type": "Feature", "properties": {"nr": number, "jednostka": unit, **extra},
            "geometry": json.loads(json.dumps(mapping(g)))}


def _geojson(tmp_path, features, crs=None, name="rejony.geojson"):
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{crs}"}}
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _stored(db, beat_id):
    with db.session() as s:
        b = s.get(Beat, beat_id)
        return from_geojson(b.boundary), b.area_km2


def test_geojson_wgs84_import_and_save(world, tmp_path):
    path = _geojson(tmp_path, [_feature(WEST, "1"), _feature(EAST, 2)])
    preview = match_beats(world.db, read_boundaries(path))
    assert preview.epsg == WGS84 and preview.source_format == "GeoJSON"
    assert preview.can_save and preview.overlaps == []  # a shared edge is not an overlap
    assert [f.beat_id for f in preview.features] == [world.beat1, world.beat2]
    assert save_boundaries(world.db, preview).saved == 2
    geom, area = _stored(world.db, world.beat1)
    assert geom.equals_exact(WEST, 1e-7)
    assert 4.0 < area < 4.6  # about 2.04 km x 2.22 km


@pytest.mark.parametrize("crs", [PUWG1992, PL2000_ZONE6])
def test_projected_geojson_detected_and_converted(world, tmp_path, crs):
    path = _geojson(tmp_path, [_feature(WEST, "1", crs=crs)])
    preview = match_beats(world.db, read_boundaries(path))
    assert preview.epsg == crs and preview.epsg_detected
    assert shapely.hausdorff_distance(preview.features[0].geometry, WEST) < 1e-6
    # the same with the crs member written in the file
    path = _geojson(tmp_path, [_feature(WEST, "1", crs=crs)], crs=crs)
    assert read_boundaries(path).epsg == crs


def test_wrong_crs_chosen_is_refused_with_a_hint(world, tmp_path):
    path = _geojson(tmp_path, [_feature(WEST, "1", crs=PUWG1992)])
    preview = read_boundaries(path, epsg=PL2000_ZONE6)
    assert "poza Polską" in preview.features[0].error
    assert preview.warnings and "wyglądają na" in preview.warnings[0]
    assert not preview.can_save


def test_kml_import(world, tmp_path):
    def ring(g):
        return " ".join(f"{x},{y},0" for x, y in g.exterior.coords)

    kml = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Ślesin – centrum</name><ExtendedData><Data name="nr"><value>1</value></Data>
<Data name="jednostka"><value>KMP Konin</value></Data></ExtendedData>
<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring(WEST)}</coordinates></LinearRing>
</outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Żychlin</name><ExtendedData><SchemaData><SimpleData name="NR">2</SimpleData>
</SchemaData></ExtendedData><MultiGeometry>
<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring(EAST)}</coordinates></LinearRing>
</outerBoundaryIs></Polygon></MultiGeometry></Placemark>
</Document></kml>"""
    path = tmp_path / "rejony.kml"
    path.write_text(kml, encoding="utf-8")
    preview = match_beats(world.db, read_boundaries(path))
    assert preview.source_format == "KML" and preview.can_save, preview.errors
    assert [f.name for f in preview.features] == ["Ślesin – centrum", "Żychlin"]
    assert preview.features[1].geometry.equals_exact(EAST, 1e-7)


def _shapefile_zip(tmp_path, crs=PL2000_ZONE6, with_prj=True, drop=(), shapes=None):
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    w.field("NR_REJONU", "C")
    w.field("NAZWA", "C")
    for number, geom in shapes or [("1", WEST), ("2", EAST)]:
        g = reproject(geom, WGS84, crs)
        w.poly([list(g.exterior.coords)[::-1]])  # shapefile rings are clockwise
        w.record(number, "Rejon ąęłńóśźż")
    w.close()
    path = tmp_path / "rejony.zip"
    with zipfile.ZipFile(path, "w") as z:
        files = {"rejony.shp": shp.getvalue(), "rejony.shx": shx.getvalue(),
                 "rejony.dbf": dbf.getvalue(), "rejony.cpg": b"UTF-8"}
        if with_prj:
            files["rejony.prj"] = CRS.from_epsg(crs).to_wkt("WKT1_ESRI").encode()
        for name, data in files.items():
            if name.rsplit(".", 1)[1] not in drop:
                z.writestr(name, data)
    return path


def test_zipped_shapefile_with_prj(world, tmp_path):
    path = _shapefile_zip(tmp_path)
    preview = match_beats(world.db, read_boundaries(path))
    assert preview.source_format == "Shapefile (ZIP)" and preview.epsg == PL2000_ZONE6
    assert preview.can_save, preview.errors
    assert preview.features[0].name == "Rejon ąęłńóśźż"
    assert shapely.hausdorff_distance(preview.features[0].geometry, WEST) < 1e-6


def test_zipped_shapefile_without_prj_is_detected(world, tmp_path):
    path = _shapefile_zip(tmp_path, crs=PUWG1992, with_prj=False)
    assert read_boundaries(path).epsg == PUWG1992


@pytest.mark.parametrize("drop, message", [(("dbf",), "brakuje"), (("shp",), "dokładnie jeden")])
def test_incomplete_shapefile_zip(world, tmp_path, drop, message):
    with pytest.raises(BoundaryError, match=message):
        read_boundaries(_shapefile_zip(tmp_path, drop=drop))


def test_corrupt_zip_and_truncated_shp(world, tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(BoundaryError, match="ZIP"):
        read_boundaries(bad)
    good = _shapefile_zip(tmp_path)
    with zipfile.ZipFile(good) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    truncated = tmp_path / "trunc.zip"
    with zipfile.ZipFile(truncated, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data[:120] if n.endswith(".shp") else data)
    with pytest.raises(BoundaryError, match="Uszkodzony plik Shapefile"):
        read_boundaries(truncated)


@pytest.mark.parametrize("content, message", [
    ("{not json", "GeoJSON"),
    ('{"type": "Topology"}', "nieobsługiwany typ"),
    ('{"type": "FeatureCollection", "features": []}', "żadnych obiektów"),
    ("[1, 2]", "obiektu głównego"),
])
def test_broken_geojson(world, tmp_path, content, message):
    path = tmp_path / "x.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BoundaryError, match=message):
        read_boundaries(path)


def test_broken_kml_and_unknown_format(world, tmp_path):
    path = tmp_path / "x.kml"
    path.write_text("<kml><Placemark>", encoding="utf-8")
    with pytest.raises(BoundaryError, match="KML"):
        read_boundaries(path)
    other = tmp_path / "x.dxf"
    other.write_text("0\nSECTION", encoding="utf-8")
    with pytest.raises(BoundaryError, match="Nieobsługiwany format"):
        read_boundaries(other)


def test_feature_level_problems_are_reported_and_the_rest_saved(world, tmp_path):
    bow_tie = {"type": "Polygon", "coordinates": [[[18.28, 52.36], [18.31, 52.38],
                                                   [18.31, 52.36], [18.28, 52.38],
                                                   [18.28, 52.36]]]}
    line = {"type": "LineString", "coordinates": [[18.28, 52.36], [18.3, 52.37]]}
    feats = [
        {"type": "Feature", "properties": {"nr": "1"}, "geometry": bow_tie},
        {"type": "Feature", "properties": {"nr": "2", "name": "<img src=x onerror=alert(1)>"},
         "geometry": line},
        _feature(EAST, "99"),
        {"type": "Feature", "properties": {"nr": "2"}, "geometry": None},
    ]
    preview = match_beats(world.db, read_boundaries(_geojson(tmp_path, feats)))
    f = preview.features
    assert f[0].repaired.startswith("samoprzecięcie w punkcie") and not f[0].error
    assert f[0].geometry.is_valid and f[0].area_km2 > 0
    assert "LineString" in f[1].error
    assert "nie ma rejonu nr 99" in f[2].error
    assert "brak geometrii" in f[3].error
    # the refused ones are listed; the repaired one is saved with a warning naming the beat
    assert preview.can_save and len(preview.errors) == 3
    assert "Rejon 1: granica poprawiona (samoprzecięcie) w punkcie" in preview.warnings[0]
    summary = save_boundaries(world.db, preview)
    assert summary.updated == ["KMP Konin 1. Ślesin – centrum"] and summary.created == []
    assert summary.refused == preview.errors
    assert _stored(world.db, world.beat1)[0].is_valid
    assert _stored(world.db, world.beat2) == (None, None)


def test_nothing_to_save_is_refused_whole(world, tmp_path):
    preview = match_beats(world.db, read_boundaries(_geojson(tmp_path, [_feature(EAST, "99")])))
    assert not preview.can_save
    with pytest.raises(BoundaryError, match="Nie zapisano: Obiekt 1 .nr 99.: nie ma rejonu"):
        save_boundaries(world.db, preview)


def test_overlaps_and_duplicates_are_reported(world, tmp_path):
    shifted = box(18.30, 52.36, 18.33, 52.38)  # overlaps WEST by 0.01 degree
    preview = match_beats(world.db, read_boundaries(_geojson(tmp_path, [
        _feature(WEST, "1"), _feature(shifted, "2")])))
    assert len(preview.overlaps) == 1
    i, j, km2 = preview.overlaps[0]
    assert (i, j) == (0, 1) and 1.0 < km2 < 1.8
    dup = match_beats(world.db, read_boundaries(_geojson(tmp_path, [
        _feature(WEST, "1"), _feature(EAST, "1")])))
    assert "drugi raz" in dup.features[1].error


def test_sample_boundaries_round_trip(sample_db, tmp_path):
    """Export the sample's beats of one unit to EPSG:2180 and import them back."""
    with sample_db.session() as s:
        beats = list(s.execute(select(Beat.id, Beat.number, Beat.boundary)
                               .where(Beat.unit_id == 1).order_by(Beat.id)))
    feats = [_feature(from_geojson(b), num, crs=PUWG1992) for _, num, b in beats]
    preview = match_beats(sample_db, read_boundaries(_geojson(tmp_path, feats)))
    assert preview.can_save and preview.epsg == PUWG1992
    assert preview.overlaps == []
    assert save_boundaries(sample_db, preview).saved == len(beats)


def test_overlap_with_a_stored_beat_is_reported(world, tmp_path):
    save_boundaries(world.db, match_beats(world.db, read_boundaries(
        _geojson(tmp_path, [_feature(EAST, "2")]))))
    shifted = box(18.29, 52.36, 18.32, 52.38)  # beat 1 now reaches into beat 2 by 0.01°
    preview = match_beats(world.db, read_boundaries(_geojson(tmp_path, [_feature(shifted, "1")])))
    assert preview.can_save
    assert len(preview.warnings) == 1 and "granica w bazie" in preview.warnings[0]
    assert "Żychlin" in preview.warnings[0]
    # re-importing beat 2 itself is no overlap with its own old boundary
    again = match_beats(world.db, read_boundaries(_geojson(tmp_path, [_feature(EAST, "2")])))
    assert again.warnings == []


def test_pl2000_written_northing_first_is_corrected(world, tmp_path):
    g = reproject(WEST, WGS84, PL2000_ZONE6)
    swapped = shapely.transform(g, lambda xy: xy[:, ::-1])
    feat = {"type": "Feature", "properties": {"nr": "1"},
            "geometry": json.loads(json.dumps(mapping(swapped)))}
    preview = match_beats(world.db, read_boundaries(_geojson(tmp_path, [feat])))
    assert preview.epsg == PL2000_ZONE6 and preview.can_save
    assert any("zamieniono osie" in w for w in preview.warnings)
    assert shapely.hausdorff_distance(preview.features[0].geometry, WEST) < 1e-6


def test_kml_with_broken_coordinates_and_entities(world, tmp_path):
    kml = """<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>1</name><Polygon><outerBoundaryIs><LinearRing>
<coordinates>18.28,52.36 18.31 18.31,52.38,0 18.28,52.36</coordinates>
</LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>2</name><Point><coordinates>18.3,52.37</coordinates></Point></Placemark>
<Placemark><name>3</name><Polygon><outerBoundaryIs><LinearRing>
<coordinates>18.28,abc 18.31,52.36 18.31,52.38 18.28,52.36</coordinates>
</LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>"""
    path = tmp_path / "zle.kml"
    path.write_text(kml, encoding="utf-8")
    preview = read_boundaries(path)
    errors = [f.error for f in preview.features]
    assert "niepoprawna współrzędna „18.31”" in errors[0]
    assert "brak geometrii" in errors[1]
    assert "niepoprawna współrzędna „18.28,abc”" in errors[2]
    assert not preview.can_save
    bomb = tmp_path / "bomba.kml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]>'
                    "<kml><Document/></kml>", encoding="utf-8")
    with pytest.raises(BoundaryError, match="encji"):
        read_boundaries(bomb)


def test_saving_boundaries_moves_reports_to_the_new_beats(sample_db, tmp_path):
    """Shrink city beat 1 to a small square: its reports outside the square leave it,
    reports of other beats inside the square join it, all in the same save."""
    import numpy as np

    from db.models import ThreatReport

    with sample_db.session() as s:
        beat = s.scalars(select(Beat).where(Beat.unit_id == 1, Beat.number == "1")).one()
        beat_id, old = beat.id, from_geojson(beat.boundary)
        points = s.execute(select(ThreatReport.lon, ThreatReport.lat)).all()
    c = old.representative_point()
    square = box(c.x - 0.004, c.y - 0.003, c.x + 0.004, c.y + 0.003)
    lon = np.array([p[0] for p in points])
    lat = np.array([p[1] for p in points])
    inside_square = int(shapely.contains_xy(square, lon, lat).sum())
    preview = match_beats(sample_db, read_boundaries(_geojson(tmp_path, [_feature(square, "1")])))
    assert preview.can_save
    save_boundaries(sample_db, preview)
    with sample_db.session() as s:
        in_beat = s.scalars(select(ThreatReport.lon).where(ThreatReport.beat_id == beat_id)).all()
        outside = s.scalars(select(ThreatReport.id).where(ThreatReport.beat_id.is_(None))).all()
    assert len(in_beat) == inside_square
    assert len(outside) > 0  # the rest of the old beat is now in no beat
