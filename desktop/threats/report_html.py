"""HTML content of the threat prints (Qt-free; laid out by ``desktop.printing.paged``).

Every text that comes from data goes through ``html.escape``.
"""
from __future__ import annotations

import datetime as dt
from html import escape

from desktop.common.document import sign_off_html
from desktop.threats.diagnosis import BeatRanking

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
                     end: dt.date, statuses: str = "wszystkie") -> str:
    """The programme's table "the biggest threat in each area", one line per beat."""
    total = sum(r.reports for r in rows)
    out = [
        "<h1>Największe zagrożenie w poszczególnych rejonach</h1>",
        f"<p class='lead'>Zakres: {escape(scope_label)}. Okres: {_period(start, end)}. "
        f"Zgłoszenia KMZB w rejonach: {total}. "
        f"Uwzględnione statusy: {escape(statuses)}.</p>",
        "<table class='grid' width='100%' cellpadding='3' cellspacing='0'><thead><tr>",
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


def _evaluation_label(value) -> str:
    from desktop.common.labels import LABELS

    return LABELS.get(value, "") if value is not None else "nie oceniono"


def plans_list_html(rows, title_scope: str) -> str:
    """All plans of a unit (``rows`` from ``plans.list_plans``), one line each."""
    out = [
        "<h1>Plany działań priorytetowych</h1>",
        f"<p class='lead'>{escape(title_scope)}. Liczba planów: {len(rows)}.</p>",
        "<table class='grid' width='100%' cellpadding='3' cellspacing='0'><thead><tr><th>Jednostka</th><th>Rejon</th>"
        "<th>Dzielnicowy</th><th>Zagrożenie</th><th>Cel</th><th>Okres</th>"
        "<th class='num'>Działania</th><th>Partnerzy</th><th>Ocena</th></tr></thead><tbody>",
    ]
    for r in rows:
        out.append(
            f"<tr><td>{escape(r.unit)}</td><td>{escape(r.beat_number)} – {escape(r.beat_name)}</td>"
            f"<td>{escape(r.officer)}</td><td>{escape(r.category)}</td><td>{escape(r.goal)}</td>"
            f"<td>{_period(r.period_from, r.period_to)}</td><td class='num'>{r.actions}</td>"
            f"<td>{escape(r.partners)}</td><td>{escape(_evaluation_label(r.evaluation))}</td>"
            "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def plan_section_html(plan, beat_label: str, officer: str, category: str, measure) -> str:
    """One plan in the programme's sections (for the beat summary print and the plan print):
    1. the diagnosed threat, 2. goal, actions with deadlines, partners, evaluation."""
    change = "–" if measure.change_pct is None else f"{measure.change:+d} ({_num(measure.change_pct, 1)}%)"
    out = [
        f"<h2>Plan działania priorytetowego – {escape(beat_label)}</h2>",
        f"<p>Okres: {_period(plan.period_from, plan.period_to)}. Dzielnicowy: "
        f"{escape(officer) or '–'}.</p>",
        "<h3>1. Charakterystyka zdiagnozowanego zagrożenia</h3>",
        f"<p><b>{escape(category) or 'bez kategorii KMZB'}</b>. {escape(plan.problem)}</p>",
        f"<h3>2. Cel</h3><p>{escape(plan.goal)}</p>",
        "<h3>3. Planowane działania</h3><table class='grid' width='100%' cellpadding='3' cellspacing='0'><thead><tr>"
        "<th>Działanie</th><th>Termin</th><th>Odpowiedzialny</th><th>Wykonane</th></tr></thead>"
        "<tbody>",
    ]
    for a in plan.actions:
        deadline = f"{a.deadline:%d.%m.%Y}" if a.deadline else "–"
        out.append(f"<tr><td>{escape(a.description)}</td><td>{deadline}</td>"
                   f"<td>{escape(a.responsible)}</td><td>{'tak' if a.done else 'nie'}</td></tr>")
    if not plan.actions:
        out.append("<tr><td colspan='4'><i>brak działań</i></td></tr>")
    out.append("</tbody></table><h3>4. Partnerzy</h3>")
    if plan.partners:
        out.append("<ul>" + "".join(
            f"<li>{escape(p.name)}{' – ' + escape(p.role) if p.role else ''}</li>"
            for p in plan.partners) + "</ul>")
    else:
        out.append("<p>–</p>")
    out.append(
        "<h3>5. Ewaluacja</h3>"
        f"<p>Zgłoszenia tej kategorii w rejonie w okresie planu: {measure.during}; w okresie "
        f"poprzednim tej samej długości: {measure.before}; zmiana: {change}. "
        f"Ocena wyliczona: {escape(_evaluation_label(measure.suggested))}"
        f"{'' if measure.finished else ' (okres planu jeszcze trwa)'}. "
        f"Ocena przyjęta: <b>{escape(_evaluation_label(plan.evaluation))}</b>"
        f"{'. ' + escape(plan.evaluation_note) if plan.evaluation_note else ''}</p>")
    out.append(sign_off_html())
    return "".join(out)
