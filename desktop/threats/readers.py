"""Reading report files into a plain table (header + rows of raw values).

CSV: encoding (UTF-8, UTF-8 with BOM, Windows-1250) and delimiter are detected; XLSX through
openpyxl (read-only); GeoJSON point features, whose coordinates become the columns ``x``/``y``.
A file that cannot be read at all raises :class:`ImportFileError` with a Polish message; a row
that is merely incomplete (a file cut off in the middle) stays in the table and is refused later.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DELIMITERS = (";", ",", "\t", "|")
SNIFF_LINES = 50


class ImportFileError(Exception):
    """The whole file is unreadable; the message is Polish and shown to the user."""


@dataclass
class RawTable:
    """Columns and rows as read; ``line_numbers[i]`` is the file line/row of ``rows[i]``."""

    columns: list[str]
    rows: list[list[Any]]
    line_numbers: list[int]
    source_format: str
    notes: list[str] = field(default_factory=list)  # e.g. detected encoding and delimiter
    last_row_cut: bool = False  # the file ends inside a quoted field: its last row is partial


def read_table(path: str | Path) -> RawTable:
    """Read a CSV, XLSX or GeoJSON file (chosen by extension, then by content)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Nie można odczytać pliku {path.name}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ImportFileError(f"Plik {path.name} jest pusty.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":
        return read_xlsx(data, path.name)
    if suffix in (".geojson", ".json") or data.lstrip()[:1] == b"{":
        return read_geojson(data, path.name)
    return read_csv(data, path.name)


# -- CSV ----------------------------------------------------------------------------------

def decode_text(data: bytes) -> tuple[str, str, bool]:
    """(text, encoding name, cut_off): BOM first (UTF-8, or UTF-16 from Excel's "Unicode
    text"), then strict UTF-8, then Windows-1250.

    A UTF-8 file cut inside its last multi-byte character is still read as UTF-8.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        cut = len(data) % 2 == 1
        return data[: len(data) - cut].decode("utf-16", errors="replace"), "UTF-16", cut
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        name = "UTF-8 (BOM)"
    else:
        name = "UTF-8"
    try:
        return data.decode("utf-8"), name, False
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8"), name, True
        if name == "UTF-8 (BOM)":
            raise ImportFileError("Plik ma znacznik UTF-8, ale zawiera niepoprawne znaki "
                                  f"(bajt {exc.start + 3}).") from exc
    return data.decode("cp1250", errors="replace"), "Windows-1250", False


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the most lines with the same column count (more than one)."""
    sample = text.splitlines()[:SNIFF_LINES]
    best, best_score = None, (0, 0)
    for delim in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(sample, delimiter=delim) if r]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        same = sum(1 for c in counts if c == counts[0])
        score = (same, counts[0])
        if score > best_score:
            best, best_score = delim, score
    if best is None:
        raise ImportFileError("Nie rozpoznano separatora kolumn (oczekiwano ; , tabulatora "
                              "lub |) – plik ma tylko jedną kolumnę albo nie jest plikiem CSV.")
    return best


def read_csv(data: bytes, name: str = "plik") -> RawTable:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(f"{name} nie jest plikiem tekstowym CSV.")
    text, encoding, cut = decode_text(data)
    delim = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[list[Any]] = []
    lines: list[int] = []
    try:
        header = next(reader)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise ImportFileError(f"Błąd składni CSV w wierszu {reader.line_num}: {exc}") from exc
    except StopIteration:
        raise ImportFileError(f"{name}: brak wiersza nagłówka.") from None
    shown = {"\t": "tabulator"}.get(delim, delim)
    notes = [f"kodowanie {encoding}", f"separator {shown}"]
    if cut:
        notes.append("plik urwany w środku znaku")
    # Quotes come in pairs (an escaped quote is doubled): an odd count means the file ends
    # inside a quoted field, so the last row is cut even if it has all its columns.
    open_quote = text.count('"') % 2 == 1
    if open_quote:
        notes.append("plik kończy się wewnątrz cudzysłowu")
    return RawTable([h.strip() for h in header], rows, lines, "CSV", notes,
                    last_row_cut=open_quote and bool(rows))


# -- XLSX ---------------------------------------------------------------------------------

def read_xlsx(data: bytes, name: str = "plik") -> RawTable:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise ImportFileError(f"{name} nie jest poprawnym plikiem XLSX "
                              "(uszkodzony lub urwany).") from exc
    try:
        sheet = book.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        header = None
        for header in it:
            if header and any(v not in (None, "") for v in header):
                break
        if not header:
            raise ImportFileError(f"{name}: arkusz jest pusty.")
        columns = ["" if v is None else str(v).strip() for v in header]
        while columns and not columns[-1]:
            columns.pop()
        rows, lines = [], []
        for n, row in enumerate(it, start=2):
            values = list(row[: len(columns)])
            if not any(v not in (None, "") for v in values):
                continue
            rows.append(values)
            lines.append(n)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
        raise ImportFileError(f"{name}: uszkodzony arkusz XLSX ({exc}).") from exc
    finally:
        book.close()
    return RawTable(columns, rows, lines, "XLSX", [f"arkusz {sheet.title}"])


# -- GeoJSON ------------------------------------------------------------------------------

def read_geojson(data: bytes, name: str = "plik") -> RawTable:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name}: GeoJSON musi być zapisany w UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{name}: niepoprawny JSON (wiersz {exc.lineno}, kolumna "
                              f"{exc.colno}) – plik uszkodzony lub urwany.") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" \
            or not isinstance(doc.get("features"), list):
        raise ImportFileError(f"{name}: oczekiwano GeoJSON typu FeatureCollection.")
    columns: list[str] = []
    seen: set[str] = set()
    records: list[dict] = []
    for feature in doc["features"]:
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        geom = feature.get("geometry") if isinstance(feature, dict) else None
        rec = dict(props)
        rec["x"], rec["y"] = None, None
        if isinstance(geom, dict) and geom.get("type") == "Point":
            coords = geom.get("coordinates")
            if isinstance(coords, list) and len(coords) >= 2:
                rec["x"], rec["y"] = coords[0], coords[1]
        if isinstance(feature, dict) and "id" in feature and "id" not in rec:
            rec["id"] = feature["id"]
        for key in rec:
            if key not in seen:
                seen.add(key)
                columns.append(str(key))
        records.append(rec)
    rows = [[rec.get(c) for c in columns] for rec in records]
    notes = ["GeoJSON"]
    crs = doc.get("crs", {}).get("properties", {}).get("name", "") if isinstance(
        doc.get("crs"), dict) else ""
    if crs:
        notes.append(f"układ {crs}")
    return RawTable(columns, rows, list(range(1, len(rows) + 1)), "GeoJSON", notes)


def geojson_crs_epsg(table: RawTable) -> int | None:
    """EPSG code named in a GeoJSON 'crs' member (old-style files from Polish GIS), if any."""
    for note in table.notes:
        if note.startswith("układ "):
            digits = "".join(ch for ch in note.rsplit(":", 1)[-1] if ch.isdigit())
            return int(digits) if digits else None
    return None
