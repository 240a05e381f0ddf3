"""Writing tables to CSV (UTF-8 with BOM, ';', as Excel in Polish expects) and XLSX, with no
cell that a spreadsheet would run as a formula (``desktop.common.csvsafe``; Qt-free).
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.common import csvsafe

Check = Callable[[int], None]
CHECK_EVERY = 1000  # rows written between two calls of a writer's ``check``


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


def write_csv(path: str | Path, columns: Sequence[ExportColumn], rows: Sequence[Any],
              check: Check | None = None) -> None:
    """Raises OSError when the file cannot be written. ``check`` (rows written so far) is
    called every :data:`CHECK_EVERY` rows and may raise to stop."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csvsafe.writer(f, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([c.title for c in columns])
        for n, row in enumerate(rows, start=1):
            writer.writerow([cell_text(c.value(row)) for c in columns])
            if check is not None and n % CHECK_EVERY == 0:
                check(n)


def write_xlsx(path: str | Path, columns: Sequence[ExportColumn], rows: Sequence[Any],
               sheet: str, check: Check | None = None) -> None:
    """Numbers stay numbers; every text cell is stored as text, never as a formula.
    ``check`` as in :func:`write_csv`."""
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
    for n, row in enumerate(rows, start=1):
        values = []
        for c in columns:
            value = c.value(row)
            values.append(value if isinstance(value, (int, float)) and not isinstance(value, bool)
                          else cell_text(value))
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
        if check is not None and n % CHECK_EVERY == 0:
            check(n)
    ws.freeze_panes = "A2"
    for i, c in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width
    wb.save(path)


def write_table(path: str | Path, columns: Sequence[ExportColumn], rows: Sequence[Any],
                sheet: str, check: Check | None = None) -> None:
    """CSV or XLSX by the file's suffix, written whole or not at all: beside the target
    (``<name>.part``), then renamed over it. ``check`` (rows written so far) runs while
    writing and once more before the rename, and may raise (a cancel); then, as on any
    failure, the partial file is removed and an older file of that name is left as it was."""
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        if target.suffix.lower() == ".xlsx":
            write_xlsx(partial, columns, rows, sheet, check)
        else:
            write_csv(partial, columns, rows, check)
        if check is not None:
            check(len(rows))
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):  # the folder itself unusable: nothing was written
            partial.unlink(missing_ok=True)
        raise
