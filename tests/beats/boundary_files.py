"""Small boundary files in the real formats (GeoJSON EPSG:2180, KML, KMZ, zipped Shapefile
with a Windows-1250 DBF) for the import tests."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import shapefile
from pyproj import CRS
from shapely.geometry import box, mapping
from shapely.geometry.base import BaseGeometry

from desktop.common.geo import PUWG1992, WGS84, reproject

# Squares near Ślesin (WGS84), side by side
WEST = box(18.28, 52.36, 18.31, 52.38)
EAST = box(18.31, 52.36, 18.34, 52.38)
NORTH = box(18.28, 52.38, 18.31, 52.40)


def geojson_2180(path: Path, features: list[tuple[dict, BaseGeometry | dict]]) -> Path:
    """A FeatureCollection in EPSG:2180 with its crs member; a dict geometry is written as is."""
    feats = []
    for props, geom in features:
        g = geom if isinstance(geom, dict) else json.loads(json.dumps(mapping(
            reproject(geom, WGS84, PUWG1992))))
        feats.append({"type": "Feature", "properties": props, "geometry": g})
    doc = {"type": "FeatureCollection", "features": feats,
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}}}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _ring(g: BaseGeometry) -> str:
    return " ".join(f"{x},{y},0" for x, y in g.exterior.coords)


def kml_text(placemarks: list[tuple[str, BaseGeometry]]) -> str:
    """A KML whose placemarks carry only a name ("Rejon 101 Starówka"), no attributes."""
    body = "".join(
        f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{_ring(g)}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n"
        for name, g in placemarks)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document><name>Rejony</name>\n{body}</Document></kml>\n")


def kml(path: Path, placemarks: list[tuple[str, BaseGeometry]]) -> Path:
    path.write_text(kml_text(placemarks), encoding="utf-8")
    return path


def kmz(path: Path, placemarks: list[tuple[str, BaseGeometry]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("doc.kml", kml_text(placemarks))
        z.writestr("files/ikona.png", b"\x89PNG\r\n\x1a\n")
    return path


def shapefile_zip(path: Path, rows: list[tuple[str, str, BaseGeometry]], *,
                  encoding: str = "cp1250", cpg: bytes | None = b"1250",
                  fields: tuple[str, str] = ("NR_REJONU", "NAZWA")) -> Path:
    """A zipped Shapefile in EPSG:2180 (with .prj); the DBF written by pyshp in ``encoding``,
    with a .cpg holding ``cpg`` (none when None)."""
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    w = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON,
                         encoding=encoding)
    w.field(fields[0], "C", size=10)
    w.field(fields[1], "C", size=60)
    for number, name, geom in rows:
        g = reproject(geom, WGS84, PUWG1992)
        w.poly([list(g.exterior.coords)[::-1]])  # shapefile rings are clockwise
        w.record(number, name)
    w.close()
    files = {"rejony.shp": shp.getvalue(), "rejony.shx": shx.getvalue(),
             "rejony.dbf": dbf.getvalue(),
             "rejony.prj": CRS.from_epsg(PUWG1992).to_wkt("WKT1_ESRI").encode()}
    if cpg is not None:
        files["rejony.cpg"] = cpg
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path
