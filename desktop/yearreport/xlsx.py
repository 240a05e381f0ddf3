"""The report's tables as an XLSX workbook, one sheet per section (Qt-free; openpyxl).

Numbers stay numbers; every text cell is stored as text (``data_type = "s"``), so a name
starting with "=" is never run as a formula (the rule of ``desktop.common.csvsafe``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop.common.labels import label
from desktop.yearreport.document import TITLE, evaluation_text, period_text
from desktop.yearreport.model import KINDS, YearReport

Row = Sequence[Any]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def sheets(r: YearReport) -> list[tuple[str, list[Row]]]:
    """(sheet name, rows with a header row first) for every table of the report."""
    t, a, p, tr, pa = r.threats, r.activities, r.plans, r.traffic, r.partners
    summary: list[Row] = [
        ("Pozycja", "Wartość"),
        ("Okres sprawozdania", period_text(r.date_from, r.date_to)),
        ("Okres poprzedni", period_text(r.previous_from, r.previous_to)),
        ("Zakres", r.scope),
        ("Partnerzy, którzy podpisali porozumienie", pa.partners_signed),
        ("Podpisy złożone w okresie", pa.signed_in_period),
        ("Partnerzy biorący udział w działaniach", pa.partners_in_activities),
        ("Działania", a.total),
        ("Uczestnicy działań", a.attendance),
        ("Działania z udziałem partnerów", a.with_partners),
        ("Działania powiązane z planami", a.linked_to_plans),
        ("Plany działań priorytetowych", len(p.plans)),
        ("Zgłoszenia KMZB w okresie", t.total),
        ("Zgłoszenia KMZB w okresie poprzednim", t.previous_total),
        ("Zgłoszenia poza rejonami", t.outside_beats),
        ("Uwzględnione statusy zgłoszeń", t.statuses),
        ("Zgłoszenia dotyczące ruchu drogowego", tr.road_total),
        ("Zgłoszenia dotyczące ruchu drogowego w okresie poprzednim", tr.road_previous),
        ("Działania z udziałem policjantów ruchu drogowego", tr.activities),
        ("Rejony z policjantem ruchu drogowego na koniec okresu", tr.beats_with_traffic),
        ("Rejony na koniec okresu", tr.beats_total),
    ]
    agreements: list[Row] = [("Porozumienie", "Zawarte", "Podpisane", "Podpisane w okresie",
                              "Zaproszeni", "Wycofani")]
    agreements += [(g.caption, g.signed_on, g.signed, g.signed_in_period, g.invited,
                    g.withdrawn) for g in pa.agreements]
    signatures: list[Row] = [("Lp.", "Partner", "Rodzaj", "Podpisał(a)", "Data", "Aneks",
                              "Usunięty z rejestru")]
    signatures += [(i, s.partner, s.partner_type, s.signatory, s.signed_on, s.annex, s.removed)
                   for i, s in enumerate(pa.signatures, start=1)]
    by_type: list[Row] = [("Rodzaj partnera", "Liczba")] + [tuple(x) for x in pa.by_type]
    kinds: list[Row] = [("Rodzaj działania", "Liczba", "Uczestnicy")]
    kinds += [(label(k), n, people) for k, n, people in a.by_kind]
    by_month: list[Row] = [("Miesiąc", "Działania", "Uczestnicy")]
    by_month += [(f"{m:%m.%Y}", n, people) for m, n, people in a.by_month]
    by_beat: list[Row] = [("Jednostka", "Nr", "Rejon", *[label(k) for k in KINDS], "Razem",
                           "Uczestnicy")]
    by_beat += [(b.unit, b.number, b.name, *b.counts, b.total, b.attendance) for b in a.by_beat]
    plans: list[Row] = [("Jednostka", "Rejon", "Dzielnicowy", "Zagrożenie", "Od", "Do",
                         "Zadania", "Zadania wykonane", "Działania w dzienniku",
                         "Zgłoszenia przed planem", "Zgłoszenia w okresie planu",
                         "Ocena wyliczona", "Ocena przyjęta", "Okres planu zakończony")]
    plans += [(x.unit, x.beat, x.officer, x.category, x.period_from, x.period_to, x.actions,
               x.actions_done, x.activities, x.measure.before, x.measure.during,
               evaluation_text(x.measure.suggested), evaluation_text(x.evaluation),
               x.measure.finished) for x in p.plans]
    beats: list[Row] = [("Jednostka", "Nr", "Rejon", "Okres poprzedni", "Okres sprawozdania",
                         "Zmiana", "Największe zagrożenie", "Liczba")]
    beats += [(b.unit, b.number, b.name, b.previous, b.current, b.change, b.top_category,
               b.top_count) for b in t.beats]
    months: list[Row] = [("Miesiąc", "Zgłoszenia", "Miesiąc okresu poprzedniego",
                          "Zgłoszenia w okresie poprzednim")]
    for i, (m, n) in enumerate(t.monthly):
        pm, pn = t.previous_monthly[i] if i < len(t.previous_monthly) else (None, None)
        months.append((f"{m:%m.%Y}", n, f"{pm:%m.%Y}" if pm else "", pn))
    categories: list[Row] = [("Kategoria", "Okres poprzedni", "Okres sprawozdania", "Zmiana")]
    categories += [(n, before, now, now - before) for n, now, before in t.categories]
    road: list[Row] = [("Kategoria drogowa", "Okres poprzedni", "Okres sprawozdania", "Zmiana")]
    road += [(n, before, now, now - before) for n, now, before in tr.road_categories]
    traffic_kinds: list[Row] = [("Rodzaj działania", "Liczba")]
    traffic_kinds += [(label(k), n) for k, n in tr.by_kind]
    officers: list[Row] = [("Policjant ruchu drogowego", "Rejony na koniec okresu",
                            "Działania")]
    officers += [(o.officer, o.beats, o.activities) for o in tr.officers]
    return [("Podsumowanie", summary), ("Porozumienia", agreements), ("Podpisy", signatures),
            ("Partnerzy wg rodzaju", by_type), ("Działania wg rodzaju", kinds),
            ("Działania wg miesiąca", by_month), ("Działania wg rejonu", by_beat),
            ("Plany priorytetowe", plans), ("Zgłoszenia wg rejonu", beats),
            ("Zgłoszenia wg miesiąca", months), ("Zgłoszenia wg kategorii", categories),
            ("Ruch drogowy – kategorie", road), ("Ruch drogowy – działania", traffic_kinds),
            ("Policjanci ruchu drogowego", officers)]


def write_xlsx(r: YearReport, path: str | Path) -> int:
    """Write the workbook; returns the number of sheets. Raises ``OSError``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    parts = sheets(r)
    for name, rows in parts:
        ws = wb.create_sheet(name[:31])
        widths: dict[int, int] = {}
        for row in rows:
            ws.append([_cell(v) for v in row])
            for i, cell in enumerate(ws[ws.max_row], start=1):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                widths[i] = max(widths.get(i, 0), min(60, len(str(cell.value or "")) + 2))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, w in widths.items():
            ws.column_dimensions[get_column_letter(i)].width = max(10, w)
    wb.properties.title = f"{TITLE} – {period_text(r.date_from, r.date_to)}"
    wb.properties.creator = "Razem"
    wb.save(path)
    return len(parts)
