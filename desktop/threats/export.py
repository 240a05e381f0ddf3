"""Writing diagnosis results to CSV (for the command line) and XLSX (from the tab)."""
from __future__ import annotations

from pathlib import Path

from desktop.common import csvsafe
from desktop.threats.diagnosis import BeatRanking, Diagnosis, ranking_per_km2

TOP_THREAT_HEADER = ["Jednostka", "Nr rejonu", "Rejon", "Gmina", "Dzielnicowy", "Zgłoszenia",
                     "Zgłoszenia na km²", "Największe zagrożenie", "Zgłoszenia tej kategorii",
                     "Udział [%]", "Poprzedni okres", "Zmiana", "Uwzględnione statusy"]


def _num(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}".replace(".", ",")


def top_threat_row(b: BeatRanking) -> list:
    return [b.unit, b.number, b.name, b.gmina, b.officer, b.reports, _num(b.per_km2),
            b.top_category, b.top_count, _num(100 * b.top_share, 1), b.previous, b.change]


def write_top_threats_csv(path: str | Path, rows: list[BeatRanking],
                          statuses: str = "wszystkie") -> None:
    """Semicolon-separated UTF-8 with BOM: opens correctly in Polish Excel. The last column
    names the report statuses counted (``diagnosis.statuses_label``) on every row."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csvsafe.writer(f, delimiter=";")
        w.writerow(TOP_THREAT_HEADER)
        for b in rows:
            w.writerow(top_threat_row(b) + [statuses])


def write_diagnosis_xlsx(path: str | Path, d: Diagnosis, scope_label: str,
                         statuses: str = "wszystkie") -> None:
    """One workbook: summary, categories, statuses, monthly trend, beats, dzielnicowi."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows, first: bool = False):
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([csvsafe.safe_cell(v) for v in row])
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))
        return ws

    s = d.scope
    top = d.top
    sheet("Podsumowanie", ["Pozycja", "Wartość"], [
        ["Zakres", scope_label],
        ["Okres", f"{s.date_from:%d.%m.%Y} – {s.date_to:%d.%m.%Y}"],
        ["Zgłoszenia", d.total],
        ["Poprzedni okres", f"{s.previous().date_from:%d.%m.%Y} – {s.previous().date_to:%d.%m.%Y}"],
        ["Zgłoszenia w poprzednim okresie", d.previous_total],
        ["Zmiana", d.change],
        ["Zmiana [%]", None if d.change_pct is None else round(d.change_pct, 1)],
        ["Największe zagrożenie", top.name if top else ""],
        ["Zgłoszenia poza rejonami", d.outside_beats],
        ["Uwzględnione statusy", statuses],
    ], first=True)
    sheet("Kategorie", ["Kategoria", "Zgłoszenia", "Udział [%]"],
          [[r.name, r.count, round(100 * r.share, 1)] for r in d.by_category])
    sheet("Statusy", ["Status", "Zgłoszenia", "Udział [%]"],
          [[r.name, r.count, round(100 * r.share, 1)] for r in d.by_status])
    sheet("Trend miesięczny", ["Miesiąc", "Zgłoszenia"],
          [[f"{m:%Y-%m}", n] for m, n in d.monthly])
    sheet("Rejony", ["Jednostka", "Nr", "Rejon", "Gmina", "Dzielnicowy", "Powierzchnia [km²]",
                     "Zgłoszenia", "Na km²", "Poprzedni okres", "Największe zagrożenie"],
          [[b.unit, b.number, b.name, b.gmina, b.officer, b.area_km2, b.reports,
            None if b.per_km2 is None else round(b.per_km2, 2), b.previous, b.top_category]
           for b in ranking_per_km2(d.beats)])
    sheet("Dzielnicowi", ["Dzielnicowy", "Rejony", "Zgłoszenia", "Powierzchnia [km²]"],
          [[o.officer, o.beats, o.reports, round(o.area_km2, 2)] for o in d.officers])
    wb.save(path)


def write_refusals_csv(path: str | Path, refusals) -> None:
    """The per-row refusal report of an import (row, id, reason)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csvsafe.writer(f, delimiter=";")
        w.writerow(["Wiersz", "Identyfikator", "Powód odrzucenia"])
        for r in refusals:
            w.writerow([r.line, r.source_id, r.reason])
