"""No CSV the program writes starts a cell with a formula (issue 11, item 5)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db.models import PartnerType
from desktop.common.csvsafe import FORMULA_START, safe_cell, unescape_cell
from desktop.partners import service
from desktop.partners.exchange import export_csv, export_xlsx, read_table
from desktop.partners.validation import phone_error
from desktop.threats.diagnosis import BeatRanking
from desktop.threats.export import write_refusals_csv, write_top_threats_csv
from desktop.threats.importer import Refusal

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ["+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "=HYPERLINK(\"x\")", "@SUM(1+1)",
           "\t=1+1", "\r=1+1"]


def _cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [c for row in csv.reader(f, delimiter=";") for c in row]


def _assert_no_formula(path: Path) -> None:
    bad = [c for c in _cells(path) if c.startswith(FORMULA_START)]
    assert bad == [], bad


@pytest.mark.parametrize("text", HOSTILE)
def test_safe_cell_neutralises_and_our_readers_restore(text):
    assert safe_cell(text) == "'" + text
    assert unescape_cell(safe_cell(text)) == text
    assert safe_cell("Ślesin") == "Ślesin" and safe_cell(-5) == -5
    assert unescape_cell("'zwykły") == "'zwykły"


def test_every_csv_writer_in_the_program_goes_through_the_helper():
    offenders = []
    for path in (ROOT / "desktop").rglob("*.py"):
        if path.name == "csvsafe.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_partner_csv_neutralises_every_formula_start_and_reads_back(empty_db, tmp_path):
    for i, text in enumerate(HOSTILE):
        service.create_partner(empty_db, service.PartnerData(
            f"Partner {i}", PartnerType.NGO, address=text, notes=text,
            representative=text.strip()))
    rows = service.list_partners(empty_db)
    path = tmp_path / "partnerzy.csv"
    export_csv(path, rows)
    _assert_no_formula(path)
    table = read_table(path)
    assert sorted(r[3] for r in table.rows) == sorted(t.strip() for t in HOSTILE)


def test_partner_xlsx_keeps_such_text_as_strings(empty_db, tmp_path):
    service.create_partner(empty_db, service.PartnerData(HOSTILE[0], PartnerType.NGO,
                                                          address=HOSTILE[1]))
    export_xlsx(tmp_path / "p.xlsx", service.list_partners(empty_db))
    sheet = load_workbook(tmp_path / "p.xlsx").active
    for cell in (sheet["A2"], sheet["D2"]):
        assert cell.data_type == "s", cell.data_type
    assert (sheet["A2"].value, sheet["D2"].value) == (HOSTILE[0], HOSTILE[1])


def test_diagnosis_and_refusal_csv_neutralise_all_starts(tmp_path):
    ranking = [BeatRanking(1, "KMP", "1", text, "-Gmina", "@dzielnicowy", 2.0, 3, 1, text, 2)
               for text in HOSTILE]
    write_top_threats_csv(tmp_path / "d.csv", ranking)
    _assert_no_formula(tmp_path / "d.csv")
    write_refusals_csv(tmp_path / "r.csv", [Refusal(2, t, "+" + t) for t in HOSTILE])
    _assert_no_formula(tmp_path / "r.csv")


@pytest.mark.parametrize("phone", ["-1-2-3-4-5-6-7-8-9", "=1+2+3+4+5+6", "632401234-",
                                   "(63) 240 12 34 (", "+-632401234", "63 240 12 34 --"])
def test_phone_with_leading_or_trailing_signs_is_refused(phone):
    assert phone_error(phone) is not None


@pytest.mark.parametrize("phone", ["63 240 12 34", "+48 632 401 234", "(63) 240-12-34",
                                   "+48 (63) 240 12 34", "632-401-234", "600100200"])
def test_ordinary_phone_numbers_pass(phone):
    assert phone_error(phone) is None
