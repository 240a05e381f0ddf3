"""Readers of boundary files: GeoJSON, KML, KMZ (a ZIP with ``doc.kml``) and zipped Shapefile
(pyshp). Each reader returns (properties, GeoJSON-like geometry or None) pairs; a feature that
cannot be read carries ``{"error": message}``. A Shapefile's text encoding comes from the
user's choice, else its ``.cpg`` ("1250", "CP1250", "ANSI 1250", "UTF-8"), else the DBF's
language-driver byte, else UTF-8 when the text is valid UTF-8, else Windows-1250 with a
warning (Polish offices' DBFs usually are). Coordinate systems are recognised by ``desktop.common.geo``; sizes,
nesting and vertex counts are limited by ``desktop.common.limits``. Messages are Polish:
a library's own (English) text never reaches the user."""
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

from desktop.common import limits
from desktop.common.geo import (
    WGS84,
    CrsError,
    check_supported,
    crs_from_geojson,
    epsg_from_wkt,
)

MAX_FILE_BYTES = limits.MAX_BOUNDARY_FILE_BYTES


class BoundaryError(ValueError):
    """The file cannot be read at all; Polish message."""


def read_geojson(data: bytes) -> tuple[list[tuple[dict, dict | None]], int | None]:
    try:
        doc = limits.load_json(data)
    except UnicodeDecodeError:
        raise BoundaryError("To nie jest poprawny plik GeoJSON: plik musi być zapisany "
                            "w UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise BoundaryError(f"To nie jest poprawny plik GeoJSON: błąd składni JSON w wierszu "
                            f"{exc.lineno}, kolumnie {exc.colno} (plik uszkodzony lub "
                            "urwany).") from None
    except limits.LimitError as exc:
        raise BoundaryError(f"To nie jest poprawny plik GeoJSON: {exc}") from None
    if not isinstance(doc, dict):
        raise BoundaryError("To nie jest poprawny plik GeoJSON (brak obiektu głównego).")
    try:
        epsg = crs_from_geojson(doc)
    except CrsError as exc:
        raise BoundaryError(str(exc)) from None
    kind = doc.get("type")
    if kind == "FeatureCollection":
        feats = doc.get("features")
        if not isinstance(feats, list):
            raise BoundaryError("GeoJSON: FeatureCollection bez listy „features”.")
        return [(_props(f), f.get("geometry")) for f in feats if isinstance(f, dict)], epsg
    if kind == "Feature":
        return [(_props(doc), doc.get("geometry"))], epsg
    if kind in ("Polygon", "MultiPolygon"):
        return [({}, doc)], epsg
    raise BoundaryError(f"GeoJSON: nieobsługiwany typ „{str(kind)[:40]}” (oczekiwano "
                        "FeatureCollection).")


def _props(feature: dict) -> dict:
    props = feature.get("properties")
    return props if isinstance(props, dict) else {}


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
            ring = _kml_coords((coords.text or "") if coords is not None else "")
            if tag == "outerBoundaryIs":
                outer = ring
            else:
                inner.append(ring)
    if outer is None:
        raise BoundaryError("KML: wielokąt bez granicy zewnętrznej.")
    return {"type": "Polygon", "coordinates": [outer, *inner]}


def read_kml(data: bytes) -> list[tuple[dict, dict | None]]:
    if limits.xml_declares_dtd(data):
        raise BoundaryError("To nie jest poprawny plik KML: deklaracje DTD lub encji nie są "
                            "obsługiwane.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise BoundaryError(f"To nie jest poprawny plik KML: błąd składni XML w wierszu {line}, "
                            f"kolumnie {column + 1} (plik uszkodzony, urwany albo z "
                            "deklaracjami encji).") from None
    out: list[tuple[dict, dict | None]] = []
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


# Text encodings the user may choose for a DBF (code -> Polish label).
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "cp1250": "Windows-1250 (CP1250)",
    "iso8859-2": "ISO-8859-2 (Latin-2)",
    "cp852": "DOS Latin-2 (CP852)",
}
# DBF language-driver ids that name an encoding Polish files use (0 = not stated).
_DBF_DRIVERS = {0x64: "cp852", 0xC8: "cp1250", 0x26: "cp866"}
FALLBACK_WARNING = ("Plik .dbf nie podaje kodowania znaków (brak pliku .cpg) i nie jest "
                    "w UTF-8 – odczytano go jako Windows-1250 (CP1250). Jeśli polskie litery "
                    "wyglądają źle, wybierz kodowanie ręcznie.")


def encoding_name(text: str) -> str:
    """A Python codec name for an encoding as people and .cpg files write it ("1250",
    "CP1250", "ANSI 1250", "windows-1250", "UTF8", "65001", "88592"); BoundaryError (Polish)
    when unknown."""
    t = text.strip().lower()
    t = re.sub(r"^(ansi|windows|win|cp|oem|ibm)[\s_-]*", "", t) if re.search(r"\d", t) else t
    aliases = {"65001": "utf-8", "utf8": "utf-8", "88592": "iso8859-2", "8859-2": "iso8859-2",
               "88591": "latin-1", "latin2": "iso8859-2"}
    t = aliases.get(t, t)
    if t.isdigit() and len(t) in (3, 4):
        t = f"cp{t}"
    try:
        return codecs.lookup(t).name
    except LookupError:
        raise BoundaryError(f"Nieznane kodowanie znaków „{text.strip()[:40]}” – wybierz "
                            "UTF-8, CP1250 (Windows-1250), ISO-8859-2 albo CP852.") from None


def _dbf_text_is_utf8(dbf: bytes) -> bool:
    """Whether the records of a DBF (everything after its header) are valid UTF-8."""
    if len(dbf) < 32:
        return True
    header = struct.unpack("<H", dbf[8:10])[0]
    try:
        dbf[header:].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def shapefile_encoding(names: dict[str, str], archive: zipfile.ZipFile, dbf: bytes,
                       chosen: str | None) -> tuple[str, list[str]]:
    """The encoding of the DBF and any warnings (see the module's docstring)."""
    warnings_: list[str] = []
    if chosen:
        encoding = encoding_name(chosen)
        if not _dbf_text_is_utf8(dbf) and encoding == "utf-8":
            warnings_.append("Plik .dbf nie jest w UTF-8 – znaki, których nie da się odczytać, "
                             "zastąpiono „�”; wybierz inne kodowanie (np. CP1250).")
        return encoding, warnings_
    if ".cpg" in names:
        declared = archive.read(names[".cpg"]).decode("ascii", "replace").strip()
        try:
            return encoding_name(declared), warnings_
        except BoundaryError:
            warnings_.append(f"Plik .cpg podaje nieznane kodowanie „{declared[:40]}” – "
                             "pominięto je.")
    if len(dbf) > 29 and dbf[29] in _DBF_DRIVERS:
        return _DBF_DRIVERS[dbf[29]], warnings_
    if _dbf_text_is_utf8(dbf):
        return "utf-8", warnings_
    return "cp1250", [*warnings_, FALLBACK_WARNING]


def read_kmz(data: bytes) -> list[tuple[dict, dict | None]]:
    """KMZ: a ZIP holding ``doc.kml`` (or one other .kml file) and perhaps icons."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BoundaryError("To nie jest poprawny plik KMZ (archiwum ZIP z plikiem doc.kml)."
                            ) from None
    return read_kml(_kml_in_archive(archive, "Plik KMZ"))


def _kml_in_archive(archive: zipfile.ZipFile, what: str) -> bytes:
    kmls = [n for n in archive.namelist() if n.lower().endswith(".kml")]
    main = next((n for n in kmls if n.lower() == "doc.kml"), None)
    if main is None and len(kmls) == 1:
        main = kmls[0]
    if main is None:
        raise BoundaryError(f"{what} nie zawiera pliku doc.kml." if not kmls else
                            f"{what} zawiera kilka plików KML, a żaden nie nazywa się doc.kml.")
    try:
        limits.check_archive([archive.getinfo(main)], what,
                             default_part_limit=limits.MAX_BOUNDARY_FILE_BYTES)
        return archive.read(main)
    except limits.LimitError as exc:
        raise BoundaryError(str(exc)) from None
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError):
        raise BoundaryError(f"{what}: uszkodzone archiwum ZIP.") from None


def read_shapefile_zip(data: bytes, encoding: str | None = None
                       ) -> tuple[list[tuple[dict, dict | None]], int | None, list[str]]:
    """A zipped Shapefile (or a ZIP holding only a KML): features, EPSG of its .prj, and
    warnings about the text encoding."""
    import shapefile  # pyshp

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BoundaryError("To nie jest poprawne archiwum ZIP z plikiem Shapefile.") from None
    names = {Path(n).suffix.lower(): n for n in archive.namelist() if not n.endswith("/")}
    shp_files = [n for n in archive.namelist() if n.lower().endswith(".shp")]
    if not shp_files and ".kml" in names:
        return read_kml(_kml_in_archive(archive, "Archiwum")), WGS84, []
    if len(shp_files) != 1:
        raise BoundaryError("Archiwum ZIP musi zawierać dokładnie jeden plik .shp (z plikami "
                            ".shx i .dbf).")
    missing = [ext for ext in (".shx", ".dbf") if ext not in names]
    if missing:
        raise BoundaryError("W archiwum brakuje plików: " + ", ".join(missing) + ".")
    try:
        limits.check_archive(archive.infolist(), "Archiwum",
                             default_part_limit=limits.MAX_BOUNDARY_FILE_BYTES)
    except limits.LimitError as exc:
        raise BoundaryError(str(exc)) from None
    epsg = None
    if ".prj" in names:
        epsg = epsg_from_wkt(archive.read(names[".prj"]).decode("latin-1"))
        if epsg is not None:
            try:
                check_supported(epsg)
            except CrsError as exc:
                raise BoundaryError(str(exc)) from None
    dbf = archive.read(names[".dbf"])
    encoding, notes = shapefile_encoding(names, archive, dbf, encoding)
    try:
        with warnings.catch_warnings():  # pyshp warns about a corrupt header: refuse the file
            warnings.simplefilter("error")
            out = _shape_records(shapefile, archive.read(shp_files[0]),
                                 archive.read(names[".shx"]), dbf, encoding)
    except (shapefile.ShapefileException, struct.error, ValueError, OSError, Warning,
            zipfile.BadZipFile, EOFError, IndexError, KeyError, TypeError):
        raise BoundaryError("Uszkodzony plik Shapefile (pliki .shp, .shx lub .dbf nie dają "
                            "się odczytać).") from None
    return out, epsg, notes


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
