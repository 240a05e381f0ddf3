"""`razem report` on the sample: every number in the PDF text and the XLSX cells matches the
database, counted independently by ``expected`` (ORM rows counted in Python)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from db.models import Partner, PlanEvaluation
from desktop.cli import main
from desktop.common.labels import label
from desktop.common.text import polish_sort_key
from desktop.yearreport.model import KINDS
from tests.partners.pdf_text import page_texts

from .expected import expected

YEAR = (dt.date(2018, 1, 1), dt.date(2018, 12, 31))


def _sheet(path, name) -> list[tuple]:
    ws = load_workbook(path)[name]
    return [tuple(c.value for c in row) for row in ws.iter_rows()][1:]


def _summary(path) -> dict:
    return {k: v for k, v in _sheet(path, "Podsumowanie")}


def _order(key: tuple[str, str]) -> tuple:
    unit, number = key
    return (polish_sort_key(unit), int(number))


@pytest.mark.parametrize("unit", [None, "KP Sompolno"])
def test_report_numbers_match_the_database(sample_db, tmp_path, capsys, qapp, unit):
    e = expected(sample_db, *YEAR, unit)
    assert e.activities and e.reports and e.previous and e.plans  # the sample has all kinds
    unit_args = ["--unit", unit] if unit else []
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    for out in (["--pdf", str(pdf)], ["--xlsx", str(xlsx)]):
        assert main(["report", "--database", sample_db.url, "--from", "2018-01-01",
                     "--to", "2018-12-31", *out, *unit_args]) == 0
        assert "Zapisano" in capsys.readouterr().out

    # --- XLSX cells
    s = _summary(xlsx)
    assert s["Działania"] == e.activities
    assert s["Uczestnicy działań"] == e.attendance
    assert s["Działania z udziałem partnerów"] == e.with_partners
    assert s["Zgłoszenia KMZB w okresie"] == e.reports
    assert s["Zgłoszenia KMZB w okresie poprzednim"] == e.previous
    assert s["Zgłoszenia poza rejonami"] == e.outside
    assert s["Zgłoszenia dotyczące ruchu drogowego"] == e.road
    assert s["Zgłoszenia dotyczące ruchu drogowego w okresie poprzednim"] == e.road_previous
    assert s["Działania z udziałem policjantów ruchu drogowego"] == e.traffic_activities
    assert s["Partnerzy, którzy podpisali porozumienie"] == e.signed_partners
    assert s["Podpisy złożone w okresie"] == e.signed_in_period
    assert s["Plany działań priorytetowych"] == len(e.plans)
    assert s["Rejony z policjantem ruchu drogowego na koniec okresu"] == e.beats_with_traffic
    kinds = {k: (n, p) for k, n, p in _sheet(xlsx, "Działania wg rodzaju")}
    assert kinds == {label(k): (e.by_kind[k], e.attendance_by_kind[k]) for k in KINDS}
    months = {m: n for m, n, _ in _sheet(xlsx, "Działania wg miesiąca")}
    assert months == {f"{m:02d}.2018": e.by_month[m] for m in range(1, 13)}
    by_beat = {(u, n): counts for u, n, _name, *counts in _sheet(xlsx, "Działania wg rejonu")}
    for key, counts in by_beat.items():
        mine = e.by_beat.get(key, {})
        assert counts[:len(KINDS)] == [mine.get(k, 0) for k in KINDS], key
        assert counts[len(KINDS)] == sum(mine.values())
    assert set(e.by_beat) <= set(by_beat)
    beats = {(u, n): (prev, cur, change)
             for u, n, _name, prev, cur, change, *_ in _sheet(xlsx, "Zgłoszenia wg rejonu")}
    assert beats == {k: (e.beat_previous[k], e.beat_reports[k],
                         e.beat_reports[k] - e.beat_previous[k]) for k in beats}
    assert set(beats) >= set(e.beat_reports) | set(e.beat_previous)
    road = {name: now for name, _before, now, _c in _sheet(xlsx, "Ruch drogowy – kategorie")
            if now}
    assert road == dict(e.road_by_category)
    plans = {}
    for row in _sheet(xlsx, "Plany priorytetowe"):
        number = re.match(r"nr (\S+) – ", row[1]).group(1)
        plans[(row[0], number)] = (row[9], row[10], row[12])
    assert plans == {k: (before, during, label(ev) if ev else "nie oceniono")
                     for k, (before, during, ev) in e.plans.items()}

    # --- PDF text
    texts = [t.replace("\ufb01", "fi") for t in page_texts(pdf)]  # the "fi" ligature
    text = " ".join(texts)
    assert f"Działania w dzienniku {e.activities} " in text
    assert f"Uczestnicy działań (łącznie) {e.attendance} " in text
    assert f"Zgłoszenia KMZB w okresie {e.reports} " in text
    assert f"Zgłoszenia KMZB w okresie poprzednim {e.previous} " in text
    assert f"Zgłoszenia dotyczące ruchu drogowego {e.road} " in text
    assert f"Działania z udziałem policjantów ruchu drogowego {e.traffic_activities} " in text
    assert (f"Partnerzy, którzy podpisali porozumienie (stan na koniec okresu) "
            f"{e.signed_partners} ") in text
    assert re.search(f"Planów realizowanych w okresie: {len(e.plans)} ?;", text)
    for k in KINDS:
        assert f"{label(k)} {e.by_kind[k]} {e.attendance_by_kind[k]} " in text, k
    section = text[text.index("Największe zagrożenie"):text.index("Razem w rejonach")]
    rows = [(int(a), int(b), int(c)) for a, b, c in
            re.findall(r"(\d+) (\d+) ([+-]\d+) (?:[+-]\d+,\d%|–)", section)]
    keys = sorted(set(e.beat_reports) | set(e.beat_previous) | set(beats), key=_order)
    assert rows == [(e.beat_previous[k], e.beat_reports[k], e.beat_reports[k]
                     - e.beat_previous[k]) for k in keys]
    in_beats, before = sum(e.beat_reports.values()), sum(e.beat_previous.values())
    assert f"Razem w rejonach {before} {in_beats} {in_beats - before:+d}" in text
    for number, page in enumerate(texts, start=1):
        assert f"Strona {number} z {len(texts)}" in page
        assert "DANE PRZYKŁADOWE (fikcyjne)" in page
    scope = unit or "cały obszar KMP Konin"
    assert f"Okres sprawozdania: 01.01.2018 – 31.12.2018 . Zakres: {scope}." in texts[0]
    reader = PdfReader(str(pdf))
    assert reader.metadata.title.startswith("Sprawozdanie z realizacji programu")
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [f.get_object()["/BaseFont"] for f in fonts.values()]
    assert any("DejaVuSans" in str(n) for n in names)
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   for f in fonts.values()]
    assert all("/FontFile2" in d for d in descriptors)  # every font embedded
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_plan_evaluations_are_counted(sample_db, qapp):
    from desktop.yearreport.content import collect

    e = expected(sample_db, *YEAR)
    report = collect(sample_db, *YEAR)
    for ev in (*PlanEvaluation, None):
        assert report.plans.count(ev) == sum(1 for *_x, got in e.plans.values() if got is ev)


def test_hostile_partner_name_is_text_in_pdf_and_xlsx(sample_db, tmp_path, qapp):
    from desktop.yearreport.content import collect
    from desktop.yearreport.document import document, write_pdf
    from desktop.yearreport.xlsx import write_xlsx

    hostile = "=2+3 <b>klik</b>"
    with sample_db.session() as s, s.begin():
        partner = s.scalars(select(Partner).order_by(Partner.id)).first()
        partner.name = hostile
    report = collect(sample_db, *YEAR)
    assert "<b>klik</b>" not in document(report).html
    write_pdf(report, tmp_path / "h.pdf")
    assert hostile in " ".join(page_texts(tmp_path / "h.pdf"))
    write_xlsx(report, tmp_path / "h.xlsx")
    ws = load_workbook(tmp_path / "h.xlsx")["Podpisy"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.qt_log_ignore("QPainter::begin")  # the PDF writer on a folder, reported below
def test_bad_arguments_give_polish_errors(sample_db, tmp_path, capsys):
    out = str(tmp_path / "x.pdf")
    assert main(["report", "--database", sample_db.url, "--from", "2018-12-31", "--to",
                 "2018-01-01", "--pdf", out]) == 2
    assert "wcześniejszy niż jego początek" in capsys.readouterr().err
    assert main(["report", "--database", sample_db.url, "--from", "2018-01-01", "--to",
                 "2018-12-31", "--pdf", out, "--unit", "KP Nigdzie"]) == 2
    assert "nie ma jednostki „KP Nigdzie”" in capsys.readouterr().err
    assert main(["report", "--database", sample_db.url, "--from", "2018-01-01", "--to",
                 "2018-12-31", "--pdf", str(tmp_path)]) == 2
    assert "nie można zapisać" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", "--database", sample_db.url, "--from", "2018-01-01", "--to",
              "2018-12-31", "--pdf", out, "--xlsx", out + ".xlsx"])
    assert "argumentu --xlsx nie można podać razem z --pdf" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", "--database", sample_db.url, "--from", "2018-01-01", "--to",
              "2018-12-31"])
    assert "wymagany jest jeden z argumentów: --pdf --xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
