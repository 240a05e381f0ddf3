"""The A4 leaflets read back from the PDF, and ``razem publish`` on the command line."""
from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.cli import main
from desktop.common.document import SAMPLE_MARK, mark_sample_data
from desktop.publish.content import SAMPLE_NOTICE, collect, unit_beats
from desktop.publish.leaflet import write_pdf
from tests.partners import pdf_text
from tests.publish.site_check import parse
from tests.publish.town import HOSTILE, ON, RESPONSIBLE, SERVICE_NUMBERS


def page_texts(path: Path) -> list[str]:
    """Pages as text with the "fi" ligature (of "fikcyjne") unfolded."""
    return [t.replace("\ufb01", "fi") for t in pdf_text.page_texts(path)]


def _embedded_fonts(path: Path) -> list[bool]:
    """Per page: every font used there has its file embedded."""
    out = []
    for page in PdfReader(str(path)).pages:
        fonts = page["/Resources"]["/Font"]
        ok = bool(fonts)
        for f in fonts.values():
            f = f.get_object()
            desc = (f["/DescendantFonts"][0].get_object() if "/DescendantFonts" in f else f)
            d = desc["/FontDescriptor"].get_object()
            ok = ok and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        out.append(ok)
    return out


def test_unit_leaflets_one_a4_page_per_beat(town, tmp_path, qapp):
    items = collect(town.db, unit_beats(town.db, town.command, ON), ON)
    path = tmp_path / "ulotki.pdf"
    assert write_pdf(items, path) == 2
    reader = PdfReader(str(path))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    assert reader.metadata.title == "Twój dzielnicowy – KMP Konin"
    assert all(_embedded_fonts(path))
    first, second = page_texts(path)
    for expected in ("Twój dzielnicowy", "Rejon nr 1: Łężyn – śródmieście", "Gęślińska",
                     "żaneta.gęślińska@kmp-konin.example", "Ryszard Drogowy",
                     "ul. Wyszyńskiego 6, 62-510 Konin", "Psy bez nadzoru",
                     "Debata społeczna w Łężynie (do 15.09.2018)", "112", "Strona 1 z 2"):
        assert expected in first, expected
    assert HOSTILE in second  # escaped: printed literally
    everything = first + second
    assert SAMPLE_MARK not in everything and SAMPLE_NOTICE not in everything
    for secret in (*SERVICE_NUMBERS, RESPONSIBLE, "nie publikować"):
        assert secret not in everything


def test_sample_leaflets_are_marked_on_every_page(town, tmp_path, qapp):
    import dataclasses

    items = [dataclasses.replace(i, sample=True)
             for i in collect(town.db, unit_beats(town.db, town.command, ON), ON)]
    mark_sample_data(True)
    path = tmp_path / "probne.pdf"
    write_pdf(items, path)
    for text in page_texts(path):
        assert SAMPLE_NOTICE in text and SAMPLE_MARK in text


def _url(db) -> str:
    return str(db.engine.url.render_as_string(hide_password=False))


def test_command_line_writes_html_and_pdf(town, tmp_path, capsys):
    url = _url(town.db)
    assert main(["publish", "--database", url, "--unit", "KMP Konin", "--html",
                 str(tmp_path / "www"), "--date", "2018-10-01"]) == 0
    assert "Zapisano 3 stron HTML" in capsys.readouterr().out
    index = parse(tmp_path / "www" / "index.html")
    assert sorted(index.links) == ["rejon-kmp-konin-1.html", "rejon-kmp-konin-2.html"]
    pdf = tmp_path / "jeden.pdf"
    assert main(["publish", "--database", url, "--unit", "kmp konin", "--beat", "1",
                 "--pdf", str(pdf), "--date", "2018-10-01"]) == 0
    assert "rejonów 1, stron 1" in capsys.readouterr().out
    assert "Gęślińska" in page_texts(pdf)[0]


def test_command_line_refuses_in_polish(town, tmp_path, capsys):
    url = _url(town.db)
    assert main(["publish", "--database", url, "--unit", "KP Nigdzie", "--pdf",
                 str(tmp_path / "a.pdf")]) == 2
    assert "Nie ma jednostki „KP Nigdzie”" in capsys.readouterr().err
    assert main(["publish", "--database", url, "--unit", "KMP Konin", "--beat", "9",
                 "--pdf", str(tmp_path / "a.pdf")]) == 2
    assert "Nie ma rejonu nr 9" in capsys.readouterr().err
    assert main(["publish", "--database", url, "--unit", "KMP Konin", "--date", "1.10.2018",
                 "--pdf", str(tmp_path / "a.pdf")]) == 2
    assert "Niepoprawna data" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["publish", "--database", url, "--unit", "KMP Konin", "--pdf", "a.pdf",
              "--html", "x"])
    assert exc.value.code == 2
    assert not (tmp_path / "a.pdf").exists()
