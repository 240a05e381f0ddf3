"""CSV and XLSX of the activities log, read back; no cell starts a formula."""
from __future__ import annotations

import csv
import dataclasses

import pytest
from openpyxl import load_workbook

from desktop.activities.columns import EXPORT_COLUMNS, export_activities
from desktop.activities.service import list_activities
from desktop.common.csvsafe import safe_cell

HOSTILE = ["=HYPERLINK(\"http://x\")", "+48 600", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_starts_are_neutralised(text):
    assert safe_cell(text) == "'" + text
    assert safe_cell("Świetlica = 3") == "Świetlica = 3"


def _rows(db):
    rows = list_activities(db)
    hostile = [dataclasses.replace(rows[i], title=t, outcome=t) for i, t in enumerate(HOSTILE)]
    return hostile + rows[len(HOSTILE):]


def test_csv_has_bom_semicolons_polish_headers_and_safe_cells(sample_db, tmp_path):
    rows = _rows(sample_db)
    path = tmp_path / "dzialania.csv"
    export_activities(path, rows)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert table[0] == [c.title for c in EXPORT_COLUMNS]
    assert len(table) == len(rows) + 1
    title = table[0].index("Temat")
    for text, line in zip(HOSTILE, table[1:]):
        assert line[title] == "'" + text
    for line in table[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in line)
    first = rows[len(HOSTILE)]
    line = table[len(HOSTILE) + 1]
    assert line[0] == first.starts_at.strftime("%d.%m.%Y %H:%M")
    assert line[table[0].index("Rejony")] == first.beats_text


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers(sample_db, tmp_path):
    rows = _rows(sample_db)
    path = tmp_path / "dzialania.xlsx"
    export_activities(path, rows)
    ws = load_workbook(path).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == [c.title for c in EXPORT_COLUMNS]
    assert len(values) == len(rows) + 1
    title = values[0].index("Temat")
    people = values[0].index("Liczba uczestników")
    for i, text in enumerate(HOSTILE, start=2):
        cell = ws.cell(row=i, column=title + 1)
        assert cell.data_type == "s"  # a string cell, never a formula
        assert cell.value.strip() == text.strip()  # (a lone CR may come back as LF)
    with_people = next(i for i, r in enumerate(rows) if r.attendance is not None)
    assert values[with_people + 1][people] == rows[with_people].attendance
