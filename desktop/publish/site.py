"""The static "Twój dzielnicowy" web pages: one page per beat and an index (Qt-free).

Meant for the command's website and for reading without a network: every page is one
self-contained UTF-8 file with its style sheet inline and the beat's map as inline SVG. No
script, no external address of any kind (no fonts, images or styles from elsewhere; a
Content-Security-Policy forbids loading anything), links only between the pages of the set.
All text from the database is escaped. The fictional sample is marked on every page.
"""
from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

from desktop.common.text import fold
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

log = logging.getLogger("razem.publish")

INDEX = "index.html"
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

CSS = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; margin: 0; color: #111;
       background: #f5f6f8; line-height: 1.45; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; background: #fff; }
.sample { background: #b03a2e; color: #fff; font-weight: bold; text-align: center;
          padding: .5rem; margin: 0 0 1rem; }
.kicker { color: #1f3b73; font-weight: bold; margin: 0; }
h1 { color: #1f3b73; font-size: 2rem; margin: .2rem 0; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
.beat { font-size: 1.15rem; font-weight: bold; margin: .2rem 0 1rem; }
.cards { display: flex; flex-wrap: wrap; gap: 1rem; }
.card { flex: 1 1 18rem; border: 1px solid #1f3b73; background: #eef2fa; padding: .75rem 1rem;
        border-radius: 4px; }
.role { font-size: .8rem; font-weight: bold; color: #555; text-transform: uppercase;
        margin: 0; }
.person { font-size: 1.3rem; font-weight: bold; margin: .1rem 0 .4rem; }
.card p { margin: .15rem 0; overflow-wrap: anywhere; }
.map { width: 100%; max-width: 44rem; height: auto; display: block; border: 0; }
.small { font-size: .85rem; color: #444; }
.emergency { color: #b03a2e; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #e6e6e6; }
nav { margin: 0 0 1rem; }
footer { margin-top: 2rem; font-size: .85rem; color: #444; border-top: 1px solid #ccc;
         padding-top: .5rem; }
@media print { body { background: #fff; } main { max-width: none; } nav { display: none; } }
"""

_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def page_names(items: list[BeatLeaflet]) -> list[str]:
    """A file name per beat (ASCII, unique within the set, never ``index.html``)."""
    names: list[str] = []
    for item in items:
        base = f"rejon-{slug(item.unit_label)}-{slug(item.number)}"
        name, n = f"{base}.html", 2
        while name in names:
            name, n = f"{base}-{n}.html", n + 1
        names.append(name)
    return names


def inline_svg(svg: str, label: str) -> str:
    """The map's SVG for inline use in HTML: its size follows the page (viewBox kept), no
    namespace address, labelled for screen readers."""
    opening = _SVG_OPEN.search(svg)
    if opening is None:
        return ""
    tag = opening.group(0)
    box = re.search(r'viewBox="([^"]*)"', tag)
    if box is not None:
        view = box.group(1)
    else:
        w = re.search(r'width="(\d+)"', tag)
        h = re.search(r'height="(\d+)"', tag)
        view = f"0 0 {w.group(1) if w else 1600} {h.group(1) if h else 1100}"
    new = (f'<svg class="map" viewBox="{escape(view)}" role="img" '
           f'aria-label="{escape(label)}">')
    return new + svg[opening.end():]


def _head(title: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"pl\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n")


def _tail(item: BeatLeaflet) -> str:
    return (f"<footer>Stan na dzień {date_pl(item.on)}. "
            f"Opracowanie: {escape(item.unit.name)}.</footer>\n</main>\n</body>\n</html>\n")


def _sample(item: BeatLeaflet) -> str:
    return f"<p class=\"sample\">{escape(SAMPLE_NOTICE)}</p>\n" if item.sample else ""


def _card(title: str, c: OfficialContact | None) -> str:
    out = [f"<section class=\"card\"><p class=\"role\">{escape(title)}</p>"]
    if c is None:
        out.append("<p><em>Obecnie brak przydziału.</em></p>")
    else:
        out.append(f"<p class=\"person\">{escape(c.name)}</p>")
        out += [f"<p>{escape(label)}: <strong>{escape(value)}</strong></p>"
                for label, value in contact_lines(c)]
    out.append("</section>")
    return "".join(out)


def _priorities(item: BeatLeaflet) -> str:
    if not item.priorities:
        return "<p><em>Brak bieżącego planu działania priorytetowego.</em></p>\n"
    out = []
    for p in item.priorities:
        out.append(f"<h3>{escape(p.category or 'Plan działania priorytetowego')} "
                   f"<span class=\"small\">({date_pl(p.period_from)} – "
                   f"{date_pl(p.period_to)})</span></h3>")
        if p.problem:
            out.append(f"<p>{escape(p.problem)}</p>")
        if p.goal:
            out.append(f"<p><strong>Cel:</strong> {escape(p.goal)}</p>")
        if p.actions:
            out.append("<ul>" + "".join(
                f"<li>{escape(desc)}" + (f" (do {date_pl(d)})" if d else "") + "</li>"
                for desc, d in p.actions) + "</ul>")
        if p.partners:
            out.append(f"<p><strong>Razem z:</strong> {escape(', '.join(p.partners))}</p>")
    return "\n".join(out) + "\n"


def _map(item: BeatLeaflet) -> str:
    if not item.map_svg:
        return ""
    return ("<h2>Mapa rejonu</h2>\n"
            + inline_svg(item.map_svg, f"Mapa rejonu nr {item.number}: {item.name}")
            + f"\n<p class=\"small\">Rejon nr {escape(item.number)} zaznaczony kolorem, obok "
            "rejony sąsiednie.</p>\n")


def beat_page(item: BeatLeaflet) -> str:
    """One beat's page; it links back to ``index.html`` only."""
    title = f"Twój dzielnicowy – rejon nr {item.number}: {item.name} ({item.unit_label})"
    gmina = f" · gmina {escape(item.gmina)}" if item.gmina else ""
    h = [_head(title), _sample(item),
         f"<nav><a href=\"{INDEX}\">← Wszystkie rejony</a></nav>\n",
         f"<p class=\"kicker\">{escape(item.unit.name)}</p>\n<h1>Twój dzielnicowy</h1>\n",
         f"<p class=\"beat\">Rejon nr {escape(item.number)}: {escape(item.name)}{gmina}</p>\n",
         "<div class=\"cards\">", _card("Dzielnicowy", item.beat_officer),
         _card("Policjant ruchu drogowego", item.traffic), "</div>\n",
         "<h2>Jednostka Policji</h2>\n<p>"
         + "<br>".join(escape(x) for x in unit_lines(item)) + "</p>\n",
         _map(item), "<h2>Ulice i miejscowości rejonu</h2>\n"]
    if item.streets:
        h.append("<table><thead><tr><th>Miejscowość</th><th>Ulice (numery domów)</th></tr>"
                 "</thead><tbody>")
        h += [f"<tr><td>{escape(loc)}</td><td>{escape('; '.join(lines))}</td></tr>"
              for loc, lines in item.streets]
        h.append("</tbody></table>\n")
    else:
        h.append("<p><em>Wykaz ulic rejonu nie został jeszcze uzupełniony.</em></p>\n")
    h += ["<h2>Priorytety w rejonie</h2>\n", _priorities(item),
          f"<p class=\"emergency\">{escape(EMERGENCY)}</p>\n", _tail(item)]
    return "".join(h)


def index_page(items: list[BeatLeaflet], names: list[str]) -> str:
    """The list of every beat of the set with its dzielnicowy, linking each beat's page."""
    first = items[0]
    units = sorted({i.unit.name for i in items})
    h = [_head(f"Twój dzielnicowy – {', '.join(units)}"), _sample(first),
         f"<p class=\"kicker\">{escape(', '.join(units))}</p>\n<h1>Twój dzielnicowy</h1>\n",
         "<p>Wybierz swój rejon, aby zobaczyć dzielnicowego, policjanta ruchu drogowego, "
         "mapę, ulice i priorytety rejonu.</p>\n",
         "<table><thead><tr><th>Rejon</th><th>Gmina</th><th>Dzielnicowy</th>"
         "<th>Policjant ruchu drogowego</th></tr></thead><tbody>\n"]
    for item, name in zip(items, names):
        label = f"{item.unit_label}, rejon nr {item.number}: {item.name}" if len(units) > 1 \
            else f"Rejon nr {item.number}: {item.name}"
        h.append(f"<tr><td><a href=\"{escape(name)}\">{escape(label)}</a></td>"
                 f"<td>{escape(item.gmina or '–')}</td>"
                 f"<td>{escape(item.beat_officer.name if item.beat_officer else '–')}</td>"
                 f"<td>{escape(item.traffic.name if item.traffic else '–')}</td></tr>\n")
    h += ["</tbody></table>\n", f"<p class=\"emergency\">{escape(EMERGENCY)}</p>\n",
          _tail(first)]
    return "".join(h)


def build_site(items: list[BeatLeaflet]) -> dict[str, str]:
    """File name -> page text: ``index.html`` and one page per beat."""
    if not items:
        raise PublishError("Brak rejonów do opublikowania.")
    names = page_names(items)
    pages = {INDEX: index_page(items, names)}
    pages.update({name: beat_page(item) for item, name in zip(items, names)})
    return pages


def write_site(items: list[BeatLeaflet], folder: str | Path,
               check: Callable[[], None] | None = None) -> list[Path]:
    """Write the set into ``folder`` (created if needed); files of the same names are
    replaced, other files are left alone. Every page is built before the first is written
    and each one is written whole (temporary file, then renamed). ``check`` is called
    before writing and may raise to cancel. Raises ``OSError`` when the folder cannot be
    written."""
    started = time.monotonic()
    pages = build_site(items)
    if check is not None:
        check()
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages.items():
        path = target / name
        tmp = target / f".{name}.tmp"
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, path)
        written.append(path)
    log.info("Strony „Twój dzielnicowy”: %d plików w %s (%.2f s)", len(written), target,
             time.monotonic() - started)
    return written
