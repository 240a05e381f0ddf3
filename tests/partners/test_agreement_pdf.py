"""The agreement list as PDF: content, grouping, repeated header, page numbers, CLI."""
from __future__ import annotations

import re
import subprocess
import sys

from pypdf import PdfReader

from desktop.cli import main
from desktop.partners.report import build_report, write_agreement_pdf

from .helpers import HOSTILE
from .pdf_text import page_texts


def test_300_partners_repeat_header_and_number_pages(agreement_300, tmp_path, qapp):
    db, agreement_id = agreement_300
    pdf = tmp_path / "list.pdf"
    pages = write_agreement_pdf(db, agreement_id, pdf)
    texts = page_texts(pdf)
    assert pages == len(texts) >= 8
    for number, text in enumerate(texts, start=1):
        if re.search(r"(?:^| )\d{1,3}\. ", text):  # a page with rows repeats the header
            assert "Lp. Partner Przedstawiciel i funkcja Data podpisania Podpis" in text, number
        assert f"Strona {number} z {pages}" in text
        assert "Komenda Miejska Policji w Koninie" in text
        assert "Lista sygnatariuszy porozumienia nr 7/2024" in text
    everything = " ".join(texts)
    assert "Zażółć gęślą jaźń – partner 001" in everything
    assert "Żaneta Kłosińska-1 " in everything
    assert "Łódzkie Towarzystwo Ślęży nr 300" in everything
    assert "Pozycji na liście: 300 (podpisane: 300, zaproszeni: 0)." in texts[-1]
    numbers = [int(n) for n in re.findall(r"(?:^| )(\d{1,3})\. ", everything)]
    assert numbers == list(range(1, 301))  # one per row, none wrapped in the Lp. column
    assert "Aneks nr 3" in everything
    assert HOSTILE in everything  # escaped, so printed literally
    # A4 portrait, font embedded
    reader = PdfReader(str(pdf))
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210
    assert round(float(box.height) / 72 * 25.4) == 297
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   for f in fonts.values()]
    assert any("/FontFile2" in d for d in descriptors)


def test_grouped_by_partner_type_in_order(agreement_300, qapp):
    db, agreement_id = agreement_300
    html = build_report(db, agreement_id).document.html
    groups = re.findall(r"<td class='group' colspan='5'>([^<(]+) \((\d+)\)", html)
    assert [g for g, _ in groups][:3] == ["Samorząd miasta", "Samorząd gminy", "Samorząd powiatu"]
    assert sum(int(c) for _, c in groups) == 300
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_sample_agreement_lists_annex_and_invited(sample_db, tmp_path, qapp):
    pdf = tmp_path / "sample.pdf"
    pages = write_agreement_pdf(sample_db, None, pdf)
    text = " ".join(page_texts(pdf))
    assert pages >= 2
    assert "nr 1/2017" in text and "od 01.01.2018 do 31.12.2018" in text
    assert "Aneks nr 1" in text and "Aneks nr 2" in text
    assert "Miejski Zarząd Dróg w Koninie" in text and "zaproszony" in text
    assert "Urząd Gminy Ślesin" in text or "Ślesin" in text
    assert "Pozycji na liście: 35 (podpisane: 34, zaproszeni: 1)." in text


def test_cli_writes_pdf_and_reports_missing_agreement(sample_db, tmp_path, capsys, qapp):
    pdf = tmp_path / "cli.pdf"
    assert main(["export-agreement", "--database", sample_db.url, "--pdf", str(pdf)]) == 0
    assert "Zapisano" in capsys.readouterr().out
    assert len(PdfReader(str(pdf)).pages) >= 2
    assert main(["export-agreement", "--database", sample_db.url, "--agreement", "999",
                 "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert "Nie ma porozumienia o numerze ID 999" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_cli_in_a_fresh_process_without_display(sample_db, tmp_path):
    pdf = tmp_path / "proc.pdf"
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "desktop", "export-agreement", "--database",
                           sample_db.url, "--pdf", str(pdf)], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Lista sygnatariuszy" in page_texts(pdf)[0]


def test_rows_within_a_group_follow_polish_collation(empty_db):
    import datetime as dt

    from db.models import PartnerType, SignatureStatus
    from desktop.partners import agreements, service

    aid = agreements.save_agreement(empty_db, agreements.AgreementData("Porozumienie"))
    for name in ("Żary – Stowarzyszenie", "Zabrze – Fundacja", "Łódź – Klub", "Lublin – Koło"):
        pid = service.create_partner(empty_db, service.PartnerData(name, PartnerType.NGO))
        agreements.save_signature(empty_db, aid, agreements.SignatureData(
            pid, "Jan Kowalski", "Prezes", dt.date(2018, 1, 2), SignatureStatus.SIGNED))
    html = build_report(empty_db, aid).document.html
    positions = [html.index(n) for n in ("Lublin", "Łódź", "Zabrze", "Żary")]
    assert positions == sorted(positions)


def test_cli_reports_unwritable_target(sample_db, tmp_path, capsys, qapp):
    assert main(["export-agreement", "--database", sample_db.url, "--pdf", str(tmp_path)]) == 2
    assert "razem: błąd:" in capsys.readouterr().err
