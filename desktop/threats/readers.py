"""Reading report files into a plain table (header + rows of raw values).

CSV: encoding (UTF-8, UTF-8 with BOM, UTF-16, Windows-1250, ISO-8859-2) and delimiter are
detected; a CSV without quotes is split into columns directly (``RawTable.by_column``, rows
made on demand), otherwise ``csv.reader`` reads it; XLSX through
python-calamine (``desktop.common.xlsx_read``; openpyxl only writes); GeoJSON point features, whose coordinates become the columns ``x``/``y``.
A file that cannot be read at all raises :class:`ImportFileError` with a Polish message; a row
that is merely incomplete (a file cut off in the middle) stays in the table and is refused later.
Sizes, rows and nesting are limited (``desktop.common.limits``, docs/limits.md).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, islice
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any, overload

from desktop.common import limits
from desktop.common.geo import CrsError, crs_from_geojson
from desktop.common.xlsx_read import cell_text, first_sheet

DELIMITERS = (";", ",", "\t", "|")
SNIFF_LINES = 50


class ImportFileError(Exception):
    """The whole file is unreadable; the message is Polish and shown to the user."""


@dataclass
class RawTable:
    """Columns and rows as read; ``line_numbers[i]`` is the file line/row of ``rows[i]``."""

    columns: list[str]
    rows: Sequence[list[Any]]
    line_numbers: list[int]
    source_format: str
    notes: list[str] = field(default_factory=list)  # e.g. detected encoding and delimiter
    last_row_cut: bool = False  # the file ends inside a quoted field: its last row is partial
    crs_epsg: int | None = None  # the coordinate system the file names (GeoJSON "crs")
    # The same values column by column (``by_column[j][i] == rows[i][j]``) when every row has
    # all the header's columns and a reader had them at hand (a plain CSV); else None.
    by_column: list[list[Any]] | None = None


def _check_rows(count: int, name: str) -> None:
    if count > limits.MAX_REPORT_ROWS:
        raise ImportFileError(f"{name}: ponad {limits.MAX_REPORT_ROWS:,} wierszy – podziel plik "
                              "na części.".replace(",", " "))


def read_table(path: str | Path) -> RawTable:
    """Read a CSV, XLSX or GeoJSON file (chosen by extension, then by content)."""
    path = Path(path)
    try:
        limits.check_file_size(path.stat().st_size, limits.MAX_REPORT_FILE_BYTES, path.name)
        data = path.read_bytes()
    except limits.LimitError as exc:
        raise ImportFileError(str(exc)) from None
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
    text"), then strict UTF-8, then Windows-1250 or ISO-8859-2 (see ``legacy_encoding``).

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
    codec, label = legacy_encoding(data)
    return data.decode(codec, errors="replace"), label, False


# Polish letters on which Windows-1250 and ISO-8859-2 differ (ą Ą ś Ś ź Ź); the other Polish
# letters have the same bytes in both. Bytes 0x80–0x9F are control codes in ISO-8859-2.
_ISO_ONLY = b"\xb1\xa1\xb6\xa6\xbc\xac"
_CP1250_ONLY = b"\xb9\xa5\x9c\x8c\x9f\x8f"


def legacy_encoding(data: bytes) -> tuple[str, str]:
    """(codec, label) of a non-UTF-8 Polish text: ISO-8859-2 when its own letters outnumber
    those of Windows-1250 and no byte 0x80–0x9F occurs, otherwise Windows-1250."""
    if re.search(rb"[\x80-\x9f]", data):
        return "cp1250", "Windows-1250"
    iso = sum(data.count(bytes([b])) for b in _ISO_ONLY)
    cp = sum(data.count(bytes([b])) for b in _CP1250_ONLY)
    return ("iso8859_2", "ISO-8859-2") if iso > cp else ("cp1250", "Windows-1250")


def sniff_delimiter(text: str) -> str:
    """The delimiter giving the most lines with the same column count (more than one)."""
    size = 1 << 16
    while True:  # the first lines only (not the whole text split, then cut)
        lines = text[:size].splitlines()
        if len(lines) > SNIFF_LINES or size >= len(text):  # line SNIFF_LINES + 1 may be cut
            break
        size *= 4
    sample = lines[:SNIFF_LINES]
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
    shown = {"\t": "tabulator"}.get(delim, delim)
    notes = [f"kodowanie {encoding}", f"separator {shown}"]
    if cut:
        notes.append("plik urwany w środku znaku")
    plain = _read_unquoted(text, delim, name)
    if plain is not None:
        return RawTable([h.strip() for h in plain[0]], plain[1], plain[2], "CSV", notes,
                        by_column=plain[3])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows: list[list[Any]] = []
    lines: list[int] = []
    try:
        header = next(reader)
        for row in reader:
            if not "".join(row).strip():  # only blank cells
                continue
            rows.append(row)
            lines.append(reader.line_num)
            if len(rows) > limits.MAX_REPORT_ROWS:
                _check_rows(len(rows), name)
    except csv.Error as exc:
        reason = ("pole dłuższe niż " + f"{csv.field_size_limit():,}".replace(",", " ") +
                  " znaków" if "field limit" in str(exc) else "niepoprawny cudzysłów lub znak")
        raise ImportFileError(f"Błąd składni CSV w wierszu {reader.line_num}: {reason}.") \
            from exc
    except StopIteration:
        raise ImportFileError(f"{name}: brak wiersza nagłówka.") from None
    # Quotes come in pairs (an escaped quote is doubled): an odd count means the file ends
    # inside a quoted field, so the last row is cut even if it has all its columns.
    open_quote = text.count('"') % 2 == 1
    if open_quote:
        notes.append("plik kończy się wewnątrz cudzysłowu")
    return RawTable([h.strip() for h in header], rows, lines, "CSV", notes,
                    last_row_cut=open_quote and bool(rows))


class ColumnRows(Sequence[list[Any]]):
    """The rows of a table kept column by column, each row made when asked for (a plain CSV
    is split into columns at once; its 100,000 row lists would cost more than the split)."""

    def __init__(self, columns: list[list[Any]]) -> None:
        self._columns = columns
        self._count = len(columns[0]) if columns else 0

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> list[Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[list[Any]]: ...

    def __getitem__(self, index: int | slice) -> list[Any] | list[list[Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return [column[index] for column in self._columns]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _read_unquoted(text: str, delim: str, name: str) -> tuple[
        list[str], Sequence[list[Any]], list[int], list[list[Any]] | None] | None:
    """(header, rows, line numbers, columns or None) of a CSV text without a quote character,
    split with ``str.split`` (several times faster than ``csv.reader``, same result: without
    quotes a record is one line and a field the text between delimiters); None when the text
    needs ``csv.reader`` (quotes, NUL, a line longer than its field limit, an empty first
    line)."""
    if '"' in text or "\x00" in text:
        return None
    # The line ends csv.reader knows (\r\n, \n, a lone \r), nothing else.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[-1] == "":  # the text ends with a line end
        lines.pop()
    if not lines or not lines[0] or max(map(len, lines)) > csv.field_size_limit():
        return None
    header = lines[0].split(delim)
    del lines[0]
    width = len(header)
    starts = set(map(itemgetter(0), filter(None, lines)))
    if not lines.count("") and delim not in starts \
            and not any(c.isspace() for c in starts) \
            and set(map(methodcaller("count", delim), lines)) <= {width - 1}:
        # Every line full width and none blank (each starts with a character of a cell).
        _check_rows(len(lines), name)
        flat = delim.join(lines).split(delim) if lines else []
        columns = [flat[j::width] for j in range(width)]
        return header, ColumnRows(columns), list(range(2, len(lines) + 2)), columns
    rows = list(map(methodcaller("split", delim), lines))
    filled = list(map(bool, map(str.strip, map("".join, rows))))  # not only blank cells
    numbers = list(range(2, len(rows) + 2))
    if not all(filled):
        rows, numbers = list(compress(rows, filled)), list(compress(numbers, filled))
    _check_rows(len(rows), name)
    return header, rows, numbers, None


# -- XLSX ---------------------------------------------------------------------------------

def check_xlsx(data: bytes, name: str) -> None:
    """The archive's limits before any reader opens it: declared part sizes (a huge
    shared-strings part is refused before it is held in memory) and no DTD or entity
    declarations in its XML. Raises ImportFileError with a Polish message."""
    try:
        limits.check_xlsx(data, name)
    except limits.LimitError as exc:
        raise ImportFileError(str(exc)) from None


def read_xlsx(data: bytes, name: str = "plik") -> RawTable:
    """The first sheet through python-calamine; the first non-empty row is the header."""
    check_xlsx(data, name)
    try:
        title, sheet = first_sheet(data)
    except Exception as exc:  # calamine raises its own kinds (zip, XML) for a bad file
        raise ImportFileError(f"{name} nie jest poprawnym plikiem XLSX "
                              "(uszkodzony lub urwany).") from exc
    start = next((i for i, row in enumerate(sheet)
                  if any(v not in (None, "") for v in row)), None)
    if start is None:
        raise ImportFileError(f"{name}: arkusz jest pusty.")
    columns = [cell_text(v) for v in sheet[start][:limits.MAX_COLUMNS]]
    while columns and not columns[-1]:
        columns.pop()
    width = len(columns)
    body = sheet[start + 1:]
    if body and min(map(len, body)) >= width:  # transposed at C level, 9 columns not 100k rows
        by_column = list(map(list, islice(zip(*body), width)))
        if any(c.count("") + c.count(None) == 0 for c in by_column):  # so no row is empty
            _check_rows(len(body), name)
            return RawTable(columns, ColumnRows(by_column), list(range(start + 2, len(sheet) + 1)),
                            "XLSX", [f"arkusz {title}"], by_column=by_column)
    rows, lines = [], []
    for n in range(start + 1, len(sheet)):
        values = sheet[n][:width]
        if values.count("") + values.count(None) == len(values):  # only empty cells
            continue
        rows.append(values)
        lines.append(n + 1)
    _check_rows(len(rows), name)
    return RawTable(columns, rows, lines, "XLSX", [f"arkusz {title}"])


# -- GeoJSON ------------------------------------------------------------------------------

def read_geojson(data: bytes, name: str = "plik") -> RawTable:
    try:
        doc = limits.load_json(data)
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{name}: GeoJSON musi być zapisany w UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{name}: niepoprawny JSON (wiersz {exc.lineno}, kolumna "
                              f"{exc.colno}) – plik uszkodzony lub urwany.") from exc
    except limits.LimitError as exc:
        raise ImportFileError(f"{name}: {exc}") from None
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
    _check_rows(len(records), name)
    rows = [[rec.get(c) for c in columns] for rec in records]
    notes = ["GeoJSON"]
    try:
        epsg = crs_from_geojson(doc)
    except CrsError as exc:
        raise ImportFileError(f"{name}: {exc}") from None
    if epsg is not None:
        notes.append(f"układ EPSG:{epsg}")
    return RawTable(columns, rows, list(range(1, len(rows) + 1)), "GeoJSON", notes,
                    crs_epsg=epsg)
