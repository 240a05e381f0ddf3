"""Partner import against resource exhaustion: an XLSX whose shared strings unpack to more
than memory should hold, an entity bomb, too many rows — each refused with a Polish line
before openpyxl reads the file."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from desktop.common import limits
from desktop.partners.exchange import ExchangeError, read_table


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info.filename, src.read(info))
        dst.writestr(name, content)
    return out.getvalue()


BASE = [["Nazwa", "Rodzaj"], ["Szkoła Podstawowa nr 1", "Szkoła"]]


def test_huge_shared_strings_are_refused_before_openpyxl_reads_them(tmp_path):
    size = limits.MAX_XLSX_SHARED_STRINGS_BYTES + 5 * limits.MB
    sst = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           b'2006/main"><si><t>' + b"x" * size + b"</t></si></sst>")
    path = tmp_path / "bomba.xlsx"
    path.write_bytes(_with_part(_xlsx(BASE), "xl/sharedStrings.xml", sst))
    assert path.stat().st_size < 2 * limits.MB
    with pytest.raises(ExchangeError, match="sharedStrings.xml po rozpakowaniu ma"):
        read_table(path)


def test_entity_bomb_is_refused_with_a_polish_line(tmp_path):
    sst = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<si><t>&b;</t></si></sst>')
    path = tmp_path / "encje.xlsx"
    path.write_bytes(_with_part(_xlsx(BASE), "xl/sharedStrings.xml", sst))
    with pytest.raises(ExchangeError, match="deklaracje DTD lub encji") as info:
        read_table(path)
    assert "Traceback" not in str(info.value)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_row_limit(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(limits, "MAX_PARTNER_ROWS", 3)
    path = tmp_path / f"many{suffix}"
    rows = BASE + [[f"Partner {i}", "Szkoła"] for i in range(5)]
    if suffix == ".xlsx":
        path.write_bytes(_xlsx(rows))
    else:
        path.write_text("\n".join(";".join(r) for r in rows), encoding="utf-8")
    with pytest.raises(ExchangeError, match="ponad 3 wierszy"):
        read_table(path)


def test_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PARTNER_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("Nazwa;Rodzaj\n" + "Szkoła;Szkoła\n" * 20, encoding="utf-8")
    with pytest.raises(ExchangeError, match="za duży"):
        read_table(path)
