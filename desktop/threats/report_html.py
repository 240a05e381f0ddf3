"""HTML content of the threat prints (Qt-free; laid out by ``desktop.printing.paged``).

Every text that comes from data goes through ``html.escape``.
"""
from __future__ import annotations

import datetime as dt
from html import escape

from desktop.threats.diagnosis import BeatRanking, Diagnosis

REPORT_CSS = """
table.grid { width: 100%; }
td.num, th.num { text-align: right; }
p.lead { margin: 0 0 6pt 0; }
"""


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


def _period(start: dt.date, end: dt.date) -> str:
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def top_threats_html(rows: list[BeatRanking], scope_label: str, start: dt.date,
                     end: dt.date) -> str:
    """The programme's table "the biggest threat in each area", one line per beat."""
    total = sum(r.reports for r in rows)
    out = [
        "<h1>Największe zagrożenie w poszczególnych rejonach</h1>",
        f"<p class='lead'>Zakres: {escape(scope_label)}. Okres: {_period(start, end)}. "
        f"Zgłoszenia KMZB w rejonach: {total}.</p>",
        "<table class='grid' width='100%'><thead><tr>",
        "<th>Jednostka</th><th>Nr</th><th>Rejon</th><th>Dzielnicowy</th>",
        "<th class='num'>Zgłoszenia</th><th class='num'>Na km²</th>",
        "<th>Największe zagrożenie</th><th class='num'>Liczba</th><th class='num'>Udział</th>",
        "</tr></thead><tbody>",
    ]
    for r in rows:
        top = escape(r.top_category) if r.top_category else "<i>brak zgłoszeń</i>"
        out.append(
            f"<tr><td>{escape(r.unit)}</td><td>{escape(r.number)}</td><td>{escape(r.name)}</td>"
            f"<td>{escape(r.officer)}</td><td class='num'>{r.reports}</td>"
            f"<td class='num'>{_num(r.per_km2)}</td><td>{top}</td>"
            f"<td class='num'>{r.top_count}</td>"
            f"<td class='num'>{_num(100 * r.top_share, 0)}%</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def diagnosis_summary_html(d: Diagnosis, scope_label: str) -> str:
    """A one-page summary of a diagnosis (counts by category and status, change)."""
    s = d.scope
    prev = s.previous()
    change = "–" if d.change_pct is None else f"{d.change:+d} ({_num(d.change_pct, 1)}%)"
    top = escape(d.top.name) if d.top else "brak zgłoszeń"
    out = [
        "<h1>Diagnoza zagrożeń</h1>",
        f"<p class='lead'>Zakres: {escape(scope_label)}. Okres: {_period(s.date_from, s.date_to)}"
        f" (poprzedni: {_period(prev.date_from, prev.date_to)}).</p>",
        f"<p>Zgłoszenia: <b>{d.total}</b>; w poprzednim okresie: {d.previous_total}; "
        f"zmiana: {change}. Największe zagrożenie: <b>{top}</b>.</p>",
        "<h2>Kategorie</h2><table class='grid'><thead><tr><th>Kategoria</th>"
        "<th class='num'>Zgłoszenia</th><th class='num'>Udział</th></tr></thead><tbody>",
    ]
    out += [f"<tr><td>{escape(r.name)}</td><td class='num'>{r.count}</td>"
            f"<td class='num'>{_num(100 * r.share, 1)}%</td></tr>" for r in d.by_category]
    out.append("</tbody></table><h2>Statusy</h2><table class='grid'><thead><tr><th>Status</th>"
               "<th class='num'>Zgłoszenia</th></tr></thead><tbody>")
    out += [f"<tr><td>{escape(r.name)}</td><td class='num'>{r.count}</td></tr>"
            for r in d.by_status]
    out.append("</tbody></table>")
    return "".join(out)
