"""Reading spreadsheets with python-calamine (Rust; about 10× faster than openpyxl, which
stays for writing). Callers check the archive first (``limits.check_xlsx``: part sizes, no
DTD) and turn any exception into their own Polish message.

Cells come as calamine gives them: ``""`` for an empty cell, ``float`` for every number
(``5.0``), ``datetime.datetime``/``date``/``time`` for date cells, ``bool``, ``str``.
"""
from __future__ import annotations

import io
from typing import Any


def first_sheet(data: bytes) -> tuple[str, list[list[Any]]]:
    """(name, rows) of the workbook's first sheet; ``rows[0]`` is the sheet's row 1 (empty
    leading rows and columns are kept, so row and column numbers are those users see)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        name = book.sheet_names[0]
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    finally:
        book.close()
    return name, rows


def cell_text(value: Any) -> str:
    """A cell as plain text (``5.0`` -> ``"5"``, empty -> ``""``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
