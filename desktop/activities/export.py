"""Writing tables to CSV (UTF-8 with BOM, ';', as Excel in Polish expects) and XLSX, with no
cell that a spreadsheet would run as a formula (``desktop.common.csvsafe``; Qt-free).
"""
from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.common import csvsafe


@dataclass(frozen=True)
class ExportColumn:
    title: str
    value: Callable[[Any], Any]
    width: int = 16


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def write_csv(path: str | Path, columns: Sequence[ExportColumn], rows: Sequence[Any]) -> None:
    """Raises OSError when the file cannot be written."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csvsafe.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([c.title for c in columns])
        for row in rows:
            writer.writerow([cell_text(c.value(row)) for c in columns])


def write_xlsx(path: str | Path, columns: Sequence[ExportColumn], rows: Sequence[Any],
               sheet: str) -> None:
    """Numbers stay numbers; every text cell is stored as text, never as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet[:31]
    ws.append([c.title for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = []
        for c in columns:
            value = c.value(row)
            values.append(value if isinstance(value, (int, float)) and not isinstance(value, bool)
                          else cell_text(value))
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    ws.freeze_panes = "A2"
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width
    wb.save(path)


def write_table(path: str | Path, columns: Sequence[ExportColumn], rows: Sequence[Any],
                sheet: str) -> None:
    """CSV or XLSX by the file's suffix."""
    if Path(path).suffix.lower() == ".xlsx":
        write_xlsx(path, columns, rows, sheet)
    else:
        write_csv(path, columns, rows)
