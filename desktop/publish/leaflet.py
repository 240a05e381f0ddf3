"""The printed "Twój dzielnicowy" leaflet: one A4 page per beat (Qt-free ``PagedDocument``).

Laid out for Qt's rich text (tables, no floats). Every text from the database goes through
``html.escape``; the beat's map is the SVG of ``desktop.beats.mapsvg`` as a data URL. The
fictional sample is marked in a banner on every leaflet and, like every printout, in the
footer of every page (``desktop.common.document.footer_text``).
"""
from __future__ import annotations

import base64
from html import escape as e
from pathlib import Path

from desktop.common.document import PagedDocument, PageDecor, render_pdf
from desktop.publish.content import (
    EMERGENCY,
    SAMPLE_NOTICE,
    BeatLeaflet,
    OfficialContact,
    PublishError,
    contact_lines,
    date_pl,
    unit_lines,
)

MAP_WIDTH_PX = 470  # in the document's 96-dpi pixels: about 12.5 cm on paper

CSS = """
.sample { background-color: #b03a2e; color: #ffffff; font-weight: bold; font-size: 11pt; }
.kicker { font-size: 10pt; color: #1f3b73; font-weight: bold; }
.big { font-size: 26pt; font-weight: bold; color: #1f3b73; }
.beat { font-size: 13pt; font-weight: bold; }
.role { font-size: 9pt; color: #555555; font-weight: bold; }
.person { font-size: 13pt; font-weight: bold; }
.contact { font-size: 10.5pt; }
.small { font-size: 8pt; color: #444444; }
.emergency { font-size: 10pt; font-weight: bold; color: #b03a2e; }
td.card { border: 1px solid #1f3b73; background-color: #eef2fa; padding: 8px; }
.mail { font-size: 9.5pt; }
td.plain { border: none; padding: 0; }
"""


def _card(title: str, c: OfficialContact | None) -> str:
    if c is None:
        return (f"<td class='card' width='50%'><span class='role'>{e(title.upper())}</span>"
                "<br/><i>obecnie brak przydziału</i></td>")
    lines = "".join(
        f"<br/>{e(label)} <b>{e(value)}</b>" if label != "e-mail"
        else f"<br/>{e(label)}:<br/><span class='mail'><b>{e(value)}</b></span>"
        for label, value in contact_lines(c))
    return (f"<td class='card' width='50%'><span class='role'>{e(title.upper())}</span><br/>"
            f"<span class='person'>{e(c.name)}</span><span class='contact'>{lines}</span></td>")


def _streets(item: BeatLeaflet) -> str:
    if not item.streets:
        return "<p><i>Wykaz ulic rejonu nie został jeszcze uzupełniony.</i></p>"
    parts = [f"<b>{e(locality)}</b>: {e('; '.join(lines))}" for locality, lines in item.streets]
    return "<p>" + "<br/>".join(parts) + "</p>"


def _priorities(item: BeatLeaflet) -> str:
    if not item.priorities:
        return "<p><i>Brak bieżącego planu działania priorytetowego.</i></p>"
    out = []
    for p in item.priorities:
        head = e(p.category or "Plan działania priorytetowego")
        out.append(f"<p><b>{head}</b> <span class='small'>({date_pl(p.period_from)} – "
                   f"{date_pl(p.period_to)})</span>")
        if p.problem:
            out.append(f"<br/>{e(p.problem)}")
        if p.goal:
            out.append(f"<br/><b>Cel:</b> {e(p.goal)}")
        if p.partners:
            out.append(f"<br/><b>Razem z:</b> {e(', '.join(p.partners))}")
        out.append("</p>")
        if p.actions:
            out.append("<ul>" + "".join(
                f"<li>{e(desc)}" + (f" (do {date_pl(deadline)})" if deadline else "") + "</li>"
                for desc, deadline in p.actions) + "</ul>")
    return "".join(out)


def leaflet_html(item: BeatLeaflet) -> str:
    """One beat's leaflet (the body of one page)."""
    svg64 = base64.b64encode(item.map_svg.encode("utf-8")).decode("ascii")
    gmina = f" · gmina {e(item.gmina)}" if item.gmina else ""
    h = []
    if item.sample:
        h.append(f"<p class='sample' align='center'>&nbsp;{e(SAMPLE_NOTICE)}&nbsp;</p>")
    h += [
        f"<p class='kicker'>{e(item.unit.name)}</p>",
        "<p class='big'>Twój dzielnicowy</p>",
        f"<p class='beat'>Rejon nr {e(item.number)}: {e(item.name)}{gmina}</p>",
        "<table width='100%' cellspacing='8' cellpadding='7' "
        "style='border: none; border-collapse: separate;'><tr>",
        _card("Dzielnicowy", item.beat_officer),
        _card("Policjant ruchu drogowego", item.traffic),
        "</tr></table>",
        "<table width='100%' cellspacing='0' cellpadding='0' style='border: none;'><tr>"
        + (f"<td class='plain' width='{MAP_WIDTH_PX + 10}'>"
           f"<img src='data:image/svg+xml;base64,{svg64}' width='{MAP_WIDTH_PX}' "
           f"height='{MAP_WIDTH_PX * 1100 // 1600}'></td>" if item.map_svg else "")
        + "<td class='plain'><b>Jednostka Policji</b><br/>"
        + "<br/>".join(e(x) for x in unit_lines(item))
        + (f"<br/><br/><span class='small'>Rejon nr {e(item.number)} zaznaczony kolorem, "
           "obok rejony sąsiednie.</span>" if item.map_svg else "")
        + "</td></tr></table>",
        "<h2>Ulice i miejscowości rejonu</h2>",
        _streets(item),
        "<h2>Priorytety w rejonie</h2>",
        _priorities(item),
        f"<p class='emergency'>{e(EMERGENCY)}</p>",
        f"<p class='small'>Stan na dzień {date_pl(item.on)}.</p>",
    ]
    return "\n".join(h)


def document(items: list[BeatLeaflet]) -> PagedDocument:
    """The leaflets of one or more beats, each starting on a new page."""
    if not items:
        raise PublishError("Brak rejonów do opublikowania.")
    parts = []
    for i, item in enumerate(items):
        style = " style='page-break-before: always;'" if i else ""
        parts.append(f"<div{style}>{leaflet_html(item)}</div>")
    first = items[0]
    if len(items) == 1:
        title = f"Twój dzielnicowy – rejon nr {first.number} – {first.name}"
        right = f"Twój dzielnicowy – rejon nr {first.number}"
    else:
        title = f"Twój dzielnicowy – {first.unit_label}"
        right = f"Twój dzielnicowy – rejony ({len(items)})"
    decor = PageDecor(first.unit.name, right, f"Stan na dzień {date_pl(first.on)}")
    return PagedDocument(title, "<html><body>" + "".join(parts) + "</body></html>", CSS, decor)


def write_pdf(items: list[BeatLeaflet], path: str | Path) -> int:
    """Write the leaflets to one PDF (A4, fonts embedded); returns the page count. Raises
    ``OSError`` when the file cannot be written."""
    return render_pdf(document(items), path)
