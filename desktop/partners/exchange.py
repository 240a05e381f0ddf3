"""Partner register exchange: CSV (UTF-8 with BOM, ';' as Excel in Polish expects) and XLSX.

Import is two steps: ``check_import`` maps the file's columns to fields and validates every
row (a per-row report); ``apply_import`` then saves all rows in ONE transaction, or none.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from db.engine import Database
from db.models import PartnerType
from desktop.common import csvsafe, limits
from desktop.common.labels import label
from desktop.common.logs import timed_info
from desktop.common.text import fold
from desktop.partners import service
from desktop.partners.fields import BY_NAME, EDITABLE, FIELDS, LABELS, display_value
from desktop.partners.service import PartnerData, PartnerRow, PartnerValidationError
from desktop.partners.validation import duplicate_key, validate_fields

# The file's columns, in order, come from the field list; "signature_status" is export-only.
IMPORT_FIELDS = [f.name for f in EDITABLE]
REQUIRED_FIELDS = ("name", "partner_type")


class ExchangeError(ValueError):
    """A Polish message about a file that cannot be exported or imported."""


class ImportCancelled(Exception):
    pass


def _row_values(r: PartnerRow) -> list[str]:
    return [display_value(r, f.name) for f in FIELDS]


def export_csv(path: str | Path, rows: Sequence[PartnerRow]) -> None:
    """UTF-8 with BOM and ';'. Texts starting like a formula get a leading apostrophe so
    that a spreadsheet shows them as text (desktop.common.csvsafe)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csvsafe.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([f.label for f in FIELDS])
        for r in rows:
            writer.writerow(_row_values(r))


def export_xlsx(path: str | Path, rows: Sequence[PartnerRow]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Partnerzy"
    ws.append([f.label for f in FIELDS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(_row_values(r))
        for cell in ws[ws.max_row]:
            cell.data_type = "s"  # never a formula, whatever the text starts with
    ws.freeze_panes = "A2"
    for i, f in enumerate(FIELDS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = f.export_width
    wb.save(path)


@dataclass(frozen=True)
class RawTable:
    """A file's header and rows as text; ``lines`` are the file line/row numbers."""

    headers: list[str]
    rows: list[list[str]]
    lines: list[int]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):  # calamine gives date-only cells as dates
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(raw_rows: list[tuple[int, list[str]]]) -> RawTable:
    raw_rows = [(n, r) for n, r in raw_rows if any(c.strip() for c in r)]
    if not raw_rows:
        raise ExchangeError("Plik jest pusty.")
    (_, headers), data = raw_rows[0], raw_rows[1:]
    width = len(headers)
    rows = [(r + [""] * width)[:max(width, len(r))] for _, r in data]
    return RawTable([h.strip() for h in headers], rows, [n for n, _ in data])


def _read_bytes(path: str | Path) -> bytes:
    """The file's bytes, refused over the partner file limit (``desktop.common.limits``)."""
    path = Path(path)
    try:
        limits.check_file_size(path.stat().st_size, limits.MAX_PARTNER_FILE_BYTES, path.name)
        return path.read_bytes()
    except limits.LimitError as exc:
        raise ExchangeError(str(exc)) from None
    except OSError as exc:
        raise ExchangeError(f"Nie można odczytać pliku {path.name}: "
                            f"{exc.strerror or exc}") from None


def _check_row_count(count: int) -> None:
    if count > limits.MAX_PARTNER_ROWS + 1:  # the header row is not a partner
        raise ExchangeError(f"Plik ma ponad {limits.MAX_PARTNER_ROWS} wierszy – to nie jest "
                            "rejestr partnerów jednej komendy.")


def read_csv(path: str | Path) -> RawTable:
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1250", errors="replace")  # older Polish Excel
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for row in reader:
            rows.append((reader.line_num, [c.strip() for c in row]))
            if len(rows) > limits.MAX_PARTNER_ROWS + 1:
                _check_row_count(len(rows))
    except csv.Error as exc:
        raise ExchangeError(f"Nieprawidłowy plik CSV: {exc}") from exc
    for _, row in rows:
        for i, c in enumerate(row):
            row[i] = csvsafe.unescape_cell(c)
    return _table(rows)


def read_xlsx(path: str | Path) -> RawTable:
    """The first sheet (python-calamine), after the limits (part sizes, no DTD) were checked
    on the archive."""
    from desktop.common.xlsx_read import first_sheet

    data = _read_bytes(path)
    try:
        limits.check_xlsx(data, Path(path).name)
    except limits.LimitError as exc:
        raise ExchangeError(f"Nie można odczytać pliku XLSX: {exc}") from None
    try:
        _title, sheet = first_sheet(data)
    except Exception as exc:  # calamine raises its own kinds (zip, XML) for a broken file
        raise ExchangeError("Nie można odczytać pliku XLSX: plik uszkodzony albo to nie "
                            "jest arkusz Excela.") from exc
    _check_row_count(len(sheet))
    rows = [(n, [_cell_text(v) for v in values[:limits.MAX_COLUMNS]])
            for n, values in enumerate(sheet, start=1)]
    return _table(rows)


def read_table(path: str | Path) -> RawTable:
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    raise ExchangeError("Obsługiwane są pliki CSV i XLSX.")


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """Field -> column index, from header names (case and diacritics ignored)."""
    folded = [fold(h).strip(" :") for h in headers]
    mapping: dict[str, int | None] = {}
    for f in IMPORT_FIELDS:
        names = {fold(n) for n in BY_NAME[f].synonyms} | {fold(LABELS[f])}
        mapping[f] = next((i for i, h in enumerate(folded) if h in names), None)
    return mapping


def parse_partner_type(text: str) -> PartnerType | None:
    key = fold(text).strip()
    for t in PartnerType:
        if key in (fold(label(t)), t.value):
            return t
    return None


@dataclass
class ImportRow:
    line: int
    data: PartnerData | None
    name: str = ""  # as written in the file, also for rows with errors
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportCheck:
    """The per-row validation report; importable only without errors."""

    rows: list[ImportRow]

    @property
    def error_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]

    @property
    def can_import(self) -> bool:
        return bool(self.rows) and not self.error_rows


def check_import(db: Database, table: RawTable, mapping: dict[str, int | None]) -> ImportCheck:
    for f in REQUIRED_FIELDS:
        if mapping.get(f) is None:
            raise ExchangeError(f"Nie wskazano kolumny „{LABELS[f]}”.")
    gminas = {fold(g.name): g.id for g in service.list_gminas(db)}
    seen = {duplicate_key(r.name, r.data.gmina_id): r.name for r in service.list_partners(db)}
    in_file: dict[tuple, int] = {}
    out: list[ImportRow] = []
    for line, cells in zip(table.lines, table.rows):
        values = {f: (cells[i] if i is not None and i < len(cells) else "").strip()
                  for f, i in ((f, mapping.get(f)) for f in IMPORT_FIELDS)}
        row = ImportRow(line, None, values["name"])
        row.errors += [str(e) for e in validate_fields(values)]
        ptype = parse_partner_type(values["partner_type"])
        if ptype is None:
            row.errors.append(f"Rodzaj: nieznany rodzaj „{values['partner_type']}”")
        gmina_id = None
        if values["gmina"]:
            gmina_id = gminas.get(fold(values["gmina"]))
            if gmina_id is None:
                row.errors.append(f"Gmina: nie ma gminy „{values['gmina']}”")
        if not row.errors and ptype is not None:
            row.data = PartnerData(partner_type=ptype, gmina_id=gmina_id,
                                   **{f: values[f] for f in IMPORT_FIELDS
                                      if f not in ("partner_type", "gmina")})
            key = duplicate_key(row.data.name, gmina_id)
            if key in seen:
                row.warnings.append(f"możliwy duplikat partnera z rejestru: {seen[key]}")
            if key in in_file:
                row.warnings.append(f"możliwy duplikat wiersza {in_file[key]}")
            in_file.setdefault(key, line)
        out.append(row)
    return ImportCheck(out)


def apply_import(db: Database, check: ImportCheck,
                 progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> int:
    """Save every row in one transaction; on an error or cancel nothing is saved."""
    if not check.can_import:
        raise ExchangeError("Plik zawiera błędne wiersze; nic nie zaimportowano.")
    total, started = len(check.rows), time.monotonic()
    with db.session() as s, s.begin():
        for i, row in enumerate(check.rows, start=1):
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if row.data is None:  # can_import guarantees data; kept for the type checker
                raise ExchangeError(f"Wiersz {row.line}: brak danych; nic nie zaimportowano.")
            try:
                service.add_partner_in(s, row.data)
            except PartnerValidationError as exc:
                raise ExchangeError(f"Wiersz {row.line}: {exc}; nic nie zaimportowano.") from exc
            if i % 200 == 0:
                s.flush()  # the real work (and the audit) in steps, so cancel is seen within them
            if progress is not None and (i % 50 == 0 or i == total):
                progress(i, total)
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        s.flush()
    timed_info(logging.getLogger("razem.partners"), "Import partnerów: %d zapisanych", started, total)
    return total
