"""Readers of boundary files: GeoJSON, KML and zipped Shapefile (pyshp), and a guess of the
coordinate system from coordinate magnitudes. Each reader returns (properties, GeoJSON-like
geometry or None) pairs; a feature that cannot be read carries ``{"error": message}``."""
from __future__ import annotations

import codecs
import io
import json
import re
import struct
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from desktop.common.geo import PL2000_ZONE6, PUWG1992, WGS84

MAX_FILE_BYTES = 200 * 1024 * 1024


class BoundaryError(ValueError):
    """The file cannot be read at all; Polish message."""


def read_geojson(data: bytes) -> tuple[list[tuple[dict, dict | None]], int | None]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"To nie jest poprawny plik GeoJSON: {exc}") from None
    if not isinstance(doc, dict):
        raise BoundaryError("To nie jest poprawny plik GeoJSON (brak obiektu głównego).")
    epsg = None
    crs_name = str(((doc.get("crs") or {}).get("properties") or {}).get("name", ""))
    m = re.search(r"EPSG:{1,2}(\d+)", crs_name)
    if m:
        epsg = int(m.group(1))
    elif "CRS84" in crs_name:
        epsg = WGS84
    kind = doc.get("type")
    if kind == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            raise BoundaryError("GeoJSON: FeatureCollection bez listy „features”.")
        return [((f or {}).get("properties") or {}, (f or {}).get("geometry"))
                for f in feats if isinstance(f, dict)], epsg
    if kind == "Feature":
        return [(doc.get("properties") or {}, doc.get("geometry"))], epsg
    if kind in ("Polygon", "MultiPolygon"):
        return [({}, doc)], epsg
    raise BoundaryError(f"GeoJSON: nieobsługiwany typ „{kind}” (oczekiwano FeatureCollection).")


def _kml_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _kml_coords(text: str) -> list[tuple[float, float]]:
    out = []
    for token in (text or "").split():
        parts = token.split(",")
        if len(parts) < 2:
            raise BoundaryError(f"KML: niepoprawna współrzędna „{token[:40]}”.")
        try:
            out.append((float(parts[0]), float(parts[1])))
        except ValueError:
            raise BoundaryError(f"KML: niepoprawna współrzędna „{token[:40]}”.") from None
    return out


def _kml_polygon(el: ET.Element) -> dict:
    outer, inner = None, []
    for child in el.iter():
        tag = _kml_name(child.tag)
        if tag in ("outerBoundaryIs", "innerBoundaryIs"):
            coords = next((c for c in child.iter() if _kml_name(c.tag) == "coordinates"), None)
            ring = _kml_coords(coords.text if coords is not None else "")
            if tag == "outerBoundaryIs":
                outer = ring
            else:
                inner.append(ring)
    if outer is None:
        raise BoundaryError("KML: wielokąt bez granicy zewnętrznej.")
    return {"type": "Polygon", "coordinates": [outer, *inner]}


def read_kml(data: bytes) -> list[tuple[dict, dict | None]]:
    if b"<!ENTITY" in data[:4096]:
        raise BoundaryError("KML z deklaracjami encji nie jest obsługiwany.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise BoundaryError(f"To nie jest poprawny plik KML: {exc}") from None
    out = []
    for pm in (e for e in root.iter() if _kml_name(e.tag) == "Placemark"):
        props: dict = {}
        for e in pm.iter():
            tag = _kml_name(e.tag)
            if tag == "name" and "name" not in props:
                props["name"] = (e.text or "").strip()
            elif tag == "SimpleData" and e.get("name"):
                props[e.get("name")] = (e.text or "").strip()
            elif tag == "Data" and e.get("name"):
                value = next((c.text for c in e if _kml_name(c.tag) == "value"), "")
                props[e.get("name")] = (value or "").strip()
        try:
            polys = [_kml_polygon(e) for e in pm.iter() if _kml_name(e.tag) == "Polygon"]
        except (BoundaryError, ValueError) as exc:
            out.append((props, {"error": str(exc)}))
            continue
        if not polys:
            out.append((props, None))
        elif len(polys) == 1:
            out.append((props, polys[0]))
        else:
            out.append((props, {"type": "MultiPolygon",
                                "coordinates": [p["coordinates"] for p in polys]}))
    return out


def read_shapefile_zip(data: bytes) -> tuple[list[tuple[dict, dict | None]], int | None]:
    import shapefile  # pyshp

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BoundaryError("To nie jest poprawne archiwum ZIP z plikiem Shapefile.") from None
    names = {Path(n).suffix.lower(): n for n in archive.namelist() if not n.endswith("/")}
    shp_files = [n for n in archive.namelist() if n.lower().endswith(".shp")]
    if len(shp_files) != 1:
        raise BoundaryError("Archiwum ZIP musi zawierać dokładnie jeden plik .shp (z plikami "
                            ".shx i .dbf).")
    missing = [ext for ext in (".shx", ".dbf") if ext not in names]
    if missing:
        raise BoundaryError("W archiwum brakuje plików: " + ", ".join(missing) + ".")
    total = sum(i.file_size for i in archive.infolist())
    if total > MAX_FILE_BYTES:
        raise BoundaryError("Archiwum jest za duże (ponad 200 MB po rozpakowaniu).")
    epsg = None
    if ".prj" in names:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            epsg = CRS.from_wkt(archive.read(names[".prj"]).decode("latin-1")).to_epsg(
                min_confidence=60)
        except CRSError:
            epsg = None
    encoding = "utf-8"
    if ".cpg" in names:
        declared = archive.read(names[".cpg"]).decode("ascii", "replace").strip()
        try:
            encoding = codecs.lookup(declared).name
        except LookupError:
            encoding = "utf-8"
    try:
        with warnings.catch_warnings():  # pyshp warns about a corrupt header: refuse the file
            warnings.simplefilter("error")
            out = _shape_records(shapefile, archive.read(shp_files[0]),
                                 archive.read(names[".shx"]), archive.read(names[".dbf"]),
                                 encoding)
    except (shapefile.ShapefileException, struct.error, ValueError, OSError, Warning) as exc:
        raise BoundaryError(f"Uszkodzony plik Shapefile: {exc}") from None
    return out, epsg


def _shape_records(shapefile, shp: bytes, shx: bytes, dbf: bytes,
                   encoding: str) -> list[tuple[dict, dict | None]]:
    reader = shapefile.Reader(shp=io.BytesIO(shp), shx=io.BytesIO(shx), dbf=io.BytesIO(dbf),
                              encoding=encoding, encodingErrors="replace")
    out = []
    for sr in reader.iterShapeRecords():
        geo = sr.shape.__geo_interface__ if sr.shape.shapeType != shapefile.NULL else None
        out.append((sr.record.as_dict(), geo))
    reader.close()
    return out


def detect_epsg(xs: list[float], ys: list[float]) -> int | None:
    """Guess the coordinate system from coordinate magnitudes (None when unsure)."""
    if not xs:
        return None
    lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)
    if lo_x >= -180 and hi_x <= 180 and lo_y >= -90 and hi_y <= 90:
        return WGS84
    if lo_x >= 6_000_000 and hi_x <= 7_000_000 and lo_y >= 5_400_000 and hi_y <= 6_200_000:
        return PL2000_ZONE6
    if lo_x >= 100_000 and hi_x <= 900_000 and lo_y >= 100_000 and hi_y <= 850_000:
        return PUWG1992
    return None


def is_swapped_pl2000(xs: list[float], ys: list[float]) -> bool:
    """PL-2000 written northing first (x about 5.8 million, y about 6.5 million), as the
    EPSG definition orders the axes; unambiguous, so it can be corrected."""
    if not xs:
        return False
    return (min(xs) >= 5_400_000 and max(xs) <= 6_200_000
            and min(ys) >= 6_000_000 and max(ys) <= 7_000_000)

