"""CSV files that a spreadsheet opens as data, never as formulas (Qt-free).

Excel and LibreOffice run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
versions, after a leading tab or carriage return) as a formula: ``+cmd|' /C calc'!A0`` in a
partner's name would run a program on the workstation that opens the export. Every CSV the
program writes goes through ``writer`` here, which puts an apostrophe before such text (the
spreadsheet shows the text as it is). Our own importers take the apostrophe off again with
``unescape_cell``. Numbers are written as numbers: ``-5`` as an int is not text.
"""
from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write: text starting like a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unescape_cell(text: str) -> str:
    """Undo ``safe_cell`` for a cell read back from one of our own CSV files."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` whose rows are passed through ``safe_cell`` (header rows too)."""

    def __init__(self, f: IO[str], **kwargs: Any):
        self._writer = csv.writer(f, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(f: IO[str], **kwargs: Any) -> SafeWriter:
    """Use instead of ``csv.writer`` for every file the program writes."""
    return SafeWriter(f, **kwargs)
