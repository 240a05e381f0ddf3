"""The printed report "Sprawozdanie z realizacji programu" as a ``PagedDocument`` (Qt-free).

Sections: a summary, 1. partners and signatures, 2. activities by type, month and beat,
3. priority plans and their evaluation, 4. the threat trend per beat against the previous
period, 5. the traffic officers' part; charts are SVG (``charts``). Every text from data goes
through ``html.escape``; the sample-data marking is added to the footer by the renderer.
"""
from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from desktop.common.document import PagedDocument, PageDecor, render_pdf, sign_off_html
from desktop.common.labels import label
from desktop.yearreport.charts import Series, bar_chart, column_chart, image_html
from desktop.yearreport.model import KINDS, YearReport

TITLE = "Sprawozdanie z realizacji programu „Razem dla bezpieczeństwa”"
CHART_PX = 640  # in the document's 96-dpi pixels: about 17 cm on paper
MONTHS = ("sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru")
# Short column heads of the activity kinds (the legend under the table gives the full names).
KIND_HEADS = ("Spotk.", "Debaty", "Konsult.", "Pogad.", "Wspólne", "Patrole")

CSS = """
table.grid { width: 100%; }
td.num, th.num { text-align: right; }
tr.total td { font-weight: bold; background-color: #f2f2f2; }
.caption { font-size: 7.5pt; color: #555; }
p.lead { margin: 0 0 6pt 0; }
h1 { font-size: 16pt; }
td.key { background-color: #f2f2f2; }
table.small td, table.small th { font-size: 7.5pt; }
"""

GRID = "<table class='grid' width='100%' cellspacing='0' cellpadding='4'>"
SMALL_GRID = "<table class='grid small' width='100%' cellspacing='0' cellpadding='3'>"


def date_text(d: dt.date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "–"


def period_text(start: dt.date, end: dt.date) -> str:
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


def pct_text(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:+.{digits}f}".replace(".", ",") + "%"


def change_text(now: int, before: int) -> str:
    return f"{now - before:+d}"


def month_label(month: dt.date, with_year: bool) -> str:
    name = MONTHS[month.month - 1]
    return f"{name} {month:%y}" if with_year else name


def evaluation_text(value) -> str:
    return label(value) if value is not None else "nie oceniono"


def _head(*cells: tuple[str, str]) -> str:
    """A header row; each cell is (text, extra attributes)."""
    return "<thead><tr>" + "".join(f"<th{attrs}>{escape(text)}</th>"
                                   for text, attrs in cells) + "</tr></thead>"


def _num(n: object) -> str:
    return f"<td class='num'>{n}</td>"


def _summary(r: YearReport) -> str:
    t, a, p = r.threats, r.activities, r.plans
    rows = [
        ("Partnerzy, którzy podpisali porozumienie (stan na koniec okresu)",
         str(r.partners.partners_signed)),
        ("Podpisy złożone w okresie sprawozdania", str(r.partners.signed_in_period)),
        ("Działania w dzienniku", str(a.total)),
        ("Uczestnicy działań (łącznie)", str(a.attendance)),
        ("Działania z udziałem partnerów", str(a.with_partners)),
        ("Plany działań priorytetowych", str(len(p.plans))),
        ("Zgłoszenia KMZB w okresie", str(t.total)),
        ("Zgłoszenia KMZB w okresie poprzednim", str(t.previous_total)),
        ("Zmiana liczby zgłoszeń", f"{change_text(t.total, t.previous_total)} "
                                   f"({pct_text(t.change_pct)})"),
        ("Zgłoszenia dotyczące ruchu drogowego", str(r.traffic.road_total)),
        ("Działania z udziałem policjantów ruchu drogowego", str(r.traffic.activities)),
    ]
    return ("<h2>Podsumowanie</h2>" + GRID + "".join(
        f"<tr><td class='key' width='78%'>{escape(k)}</td>"
        f"<td class='num' width='22%'>{escape(v)}</td></tr>"
        for k, v in rows) + "</table>")


def _partners(r: YearReport) -> str:
    part = r.partners
    h = ["<h2>1. Partnerzy programu i porozumienia</h2>"]
    if part.agreements:
        h.append(GRID + _head(("Porozumienie", " width='40%'"), ("Zawarte", " width='12%'"),
                              ("Podpisane", " class='num' width='12%'"),
                              ("W okresie", " class='num' width='12%'"),
                              ("Zaproszeni", " class='num' width='12%'"),
                              ("Wycofani", " class='num' width='12%'")))
        for ag in part.agreements:
            h.append(f"<tr><td>{escape(ag.caption)}</td><td>{date_text(ag.signed_on)}</td>"
                     + _num(ag.signed) + _num(ag.signed_in_period) + _num(ag.invited)
                     + _num(ag.withdrawn) + "</tr>")
        h.append("</table>")
    else:
        h.append("<p><i>Brak porozumień w bazie.</i></p>")
    h.append(f"<p class='lead'>Partnerów, którzy podpisali porozumienie: "
             f"<b>{part.partners_signed}</b>; podpisów złożonych w okresie sprawozdania: "
             f"<b>{part.signed_in_period}</b>; partnerów biorących udział w działaniach "
             f"w okresie: <b>{part.partners_in_activities}</b>.</p>")
    if part.by_type:
        h.append("<h3>Partnerzy według rodzaju</h3>" + GRID
                 + _head(("Rodzaj partnera", " width='80%'"), ("Liczba", " class='num' width='20%'")))
        h += [f"<tr><td>{escape(k)}</td>{_num(n)}</tr>" for k, n in part.by_type]
        h.append(f"<tr class='total'><td>Razem</td>{_num(part.partners_signed)}</tr></table>")
    if part.signatures:
        h.append("<h3>Podpisy porozumienia</h3>" + GRID
                 + _head(("Lp.", " width='5%'"), ("Partner", " width='33%'"),
                         ("Rodzaj", " width='16%'"), ("Podpisał(a)", " width='25%'"),
                         ("Data", " width='11%'"), ("Aneks", " width='10%'")))
        for i, sig in enumerate(part.signatures, start=1):
            removed = " <i>(usunięty z rejestru)</i>" if sig.removed else ""
            h.append(f"<tr><td>{i}</td><td>{escape(sig.partner)}{removed}</td>"
                     f"<td>{escape(sig.partner_type)}</td><td>{escape(sig.signatory)}</td>"
                     f"<td>{date_text(sig.signed_on)}</td><td>{escape(sig.annex)}</td></tr>")
        h.append("</table>")
    return "".join(h)


def _activities(r: YearReport) -> str:
    a = r.activities
    h = ["<h2>2. Działania w ramach programu</h2>",
         f"<p class='lead'>Działań: <b>{a.total}</b>, uczestników łącznie: "
         f"<b>{a.attendance}</b>; z udziałem partnerów: {a.with_partners}; powiązanych "
         f"z planami działań priorytetowych: {a.linked_to_plans}.</p>",
         "<h3>Według rodzaju</h3>", GRID,
         _head(("Rodzaj działania", " width='60%'"), ("Liczba", " class='num' width='20%'"),
               ("Uczestnicy", " class='num' width='20%'"))]
    for kind, n, people in a.by_kind:
        h.append(f"<tr><td>{escape(label(kind))}</td>{_num(n)}{_num(people)}</tr>")
    h.append(f"<tr class='total'><td>Razem</td>{_num(a.total)}{_num(a.attendance)}</tr>"
             "</table>")
    h.append(image_html(bar_chart("Działania według rodzaju",
                                  [(label(k), n) for k, n, _ in a.by_kind]), CHART_PX))
    years = len({m.year for m, _, _ in a.by_month}) > 1
    h += ["<h3>Według miesiąca</h3>",
          image_html(column_chart("Działania w kolejnych miesiącach",
                                  [month_label(m, years) for m, _, _ in a.by_month],
                                  [Series("Działania", tuple(n for _, n, _ in a.by_month))]),
                     CHART_PX),
          GRID, _head(("Miesiąc", " width='60%'"), ("Działania", " class='num' width='20%'"),
                      ("Uczestnicy", " class='num' width='20%'"))]
    for month, n, people in a.by_month:
        h.append(f"<tr><td>{month:%m.%Y}</td>{_num(n)}{_num(people)}</tr>")
    h.append(f"<tr class='total'><td>Razem</td>{_num(a.total)}{_num(a.attendance)}</tr>"
             "</table>")
    h += ["<h3>Według rejonu</h3>", GRID,
          _head(("Jednostka", " width='12%'"), ("Rejon", " width='22%'"),
                *[(head, " class='num' width='7.5%'") for head in KIND_HEADS],
                ("Razem", " class='num' width='9%'"), ("Uczestn.", " class='num' width='12%'"))]
    for b in a.by_beat:
        h.append(f"<tr><td>{escape(b.unit)}</td><td>nr {escape(b.number)} – {escape(b.name)}"
                 "</td>" + "".join(_num(n) for n in b.counts) + _num(b.total)
                 + _num(b.attendance) + "</tr>")
    h.append("</table><p class='caption'>"
             + "; ".join(f"{head} – {escape(label(k))}" for head, k in zip(KIND_HEADS, KINDS))
             + ". Działanie w kilku rejonach liczone jest w każdym z nich.</p>")
    return "".join(h)


def _plans(r: YearReport) -> str:
    p = r.plans
    h = ["<h2>3. Plany działań priorytetowych i ich ocena</h2>"]
    if not p.plans:
        return h[0] + "<p><i>W okresie sprawozdania nie realizowano planów.</i></p>"
    from db.models import PlanEvaluation

    counts = [(evaluation_text(e), p.count(e)) for e in (*PlanEvaluation, None)]
    h.append(f"<p class='lead'>Planów realizowanych w okresie: <b>{len(p.plans)}</b>; ocena "
             "przyjęta: " + ", ".join(f"{escape(t)} – {n}" for t, n in counts) + ".</p>")
    h.append(SMALL_GRID + _head(
        ("Rejon", " width='16%'"), ("Dzielnicowy", " width='12%'"),
        ("Zagrożenie", " width='15%'"), ("Okres", " width='10%'"),
        ("Zad. wyk./ plan.", " class='num' width='6%'"), ("Dzia­łania", " class='num' width='6%'"),
        ("Zgł. przed", " class='num' width='6%'"), ("Zgł. w okresie", " class='num' width='6%'"),
        ("Ocena wyliczona", " width='11.5%'"), ("Ocena przyjęta", " width='11.5%'")))
    for line in p.plans:
        m = line.measure
        h.append(f"<tr><td>{escape(line.unit)} {escape(line.beat)}</td>"
                 f"<td>{escape(line.officer or '–')}</td>"
                 f"<td>{escape(line.category or 'bez kategorii')}</td>"
                 f"<td>{date_text(line.period_from)}–<br>{date_text(line.period_to)}</td>"
                 + _num(f"{line.actions_done}/{line.actions}") + _num(line.activities)
                 + _num(m.before) + _num(m.during)
                 + f"<td>{escape(evaluation_text(m.suggested))}"
                 + ("" if m.finished else " <i>(plan trwa)</i>") + "</td>"
                 f"<td><b>{escape(evaluation_text(line.evaluation))}</b></td></tr>")
    h.append("</table><p class='caption'>Zgłoszenia: kategorii planu w jego rejonie, w okresie "
             "planu i w okresie tej samej długości tuż przed nim (wszystkie statusy); ocena "
             "wyliczona: spadek o co najmniej 20% – osiągnięty, mniejszy spadek – częściowo "
             "osiągnięty. Działania: wpisy dziennika powiązane z planem.</p>")
    return "".join(h)


def _threats(r: YearReport) -> str:
    t = r.threats
    prev = period_text(r.previous_from, r.previous_to)
    h = ["<h2>4. Zagrożenia zgłaszane na KMZB – porównanie z okresem poprzednim</h2>",
         f"<p class='lead'>Okres poprzedni: {prev}. Zgłoszeń w okresie: <b>{t.total}</b> "
         f"(poprzednio {t.previous_total}, zmiana {change_text(t.total, t.previous_total)}, "
         f"{pct_text(t.change_pct)}); poza rejonami: {t.outside_beats}. Uwzględnione statusy: "
         f"{escape(t.statuses)}.</p>"]
    years = len({m.year for m, _ in t.monthly}) > 1
    labels = [month_label(m, years) for m, _ in t.monthly]
    previous = tuple(n for _, n in t.previous_monthly)[:len(labels)]
    h.append(image_html(column_chart(
        "Zgłoszenia w kolejnych miesiącach", labels,
        [Series(f"okres {period_text(r.date_from, r.date_to)}", tuple(n for _, n in t.monthly)),
         Series(f"okres poprzedni {prev}", previous, "#b0b0b0")]), CHART_PX))
    h += ["<h3>Rejony</h3>", GRID,
          _head(("Jednostka", " width='13%'"), ("Rejon", " width='24%'"),
                ("Poprz.", " class='num' width='7%'"), ("Obecnie", " class='num' width='8%'"),
                ("Zmiana", " class='num' width='7%'"), ("%", " class='num' width='9%'"),
                ("\u00a0Największe zagrożenie", " width='32%'"))]
    for b in t.beats:
        top = (f"{escape(b.top_category)} ({b.top_count})" if b.top_category
               else "<i>brak zgłoszeń</i>")
        h.append(f"<tr><td>{escape(b.unit)}</td><td>nr {escape(b.number)} – {escape(b.name)}"
                 f"</td>{_num(b.previous)}{_num(b.current)}"
                 f"{_num(change_text(b.current, b.previous))}{_num(pct_text(b.change_pct))}"
                 f"<td>&nbsp;{top}</td></tr>")
    in_beats = sum(b.current for b in t.beats)
    before = sum(b.previous for b in t.beats)
    h.append(f"<tr class='total'><td colspan='2'>Razem w rejonach</td>{_num(before)}"
             f"{_num(in_beats)}{_num(change_text(in_beats, before))}<td></td><td></td></tr>"
             "</table>")
    h += ["<h3>Kategorie zagrożeń</h3>", GRID,
          _head(("Kategoria", " width='61%'"), ("Poprz.", " class='num' width='13%'"),
                ("Obecnie", " class='num' width='13%'"), ("Zmiana", " class='num' width='13%'"))]
    for name, now, before_n in t.categories:
        h.append(f"<tr><td>{escape(name)}</td>{_num(before_n)}{_num(now)}"
                 f"{_num(change_text(now, before_n))}</tr>")
    h.append("</table>")
    return "".join(h)


def _traffic(r: YearReport) -> str:
    tr = r.traffic
    h = ["<h2>5. Udział policjantów ruchu drogowego</h2>",
         f"<p class='lead'>Rejonów z przydzielonym policjantem ruchu drogowego na koniec "
         f"okresu: <b>{tr.beats_with_traffic}</b> z {tr.beats_total}. Działań z udziałem "
         f"policjantów ruchu drogowego: <b>{tr.activities}</b> (uczestników "
         f"{tr.attendance}). Zgłoszeń KMZB dotyczących ruchu drogowego: <b>{tr.road_total}"
         f"</b> (poprzednio {tr.road_previous}).</p>"]
    if tr.road_categories:
        h.append("<h3>Zgłoszenia w kategoriach drogowych</h3>" + GRID
                 + _head(("Kategoria", " width='61%'"), ("Poprz.", " class='num' width='13%'"),
                         ("Obecnie", " class='num' width='13%'"),
                         ("Zmiana", " class='num' width='13%'")))
        for name, now, before in tr.road_categories:
            h.append(f"<tr><td>{escape(name)}</td>{_num(before)}{_num(now)}"
                     f"{_num(change_text(now, before))}</tr>")
        h.append(f"<tr class='total'><td>Razem</td>{_num(tr.road_previous)}"
                 f"{_num(tr.road_total)}{_num(change_text(tr.road_total, tr.road_previous))}"
                 "</tr></table>")
    h.append("<h3>Działania z udziałem policjantów ruchu drogowego</h3>" + GRID
             + _head(("Rodzaj działania", " width='80%'"), ("Liczba", " class='num' width='20%'")))
    h += [f"<tr><td>{escape(label(k))}</td>{_num(n)}</tr>" for k, n in tr.by_kind]
    h.append(f"<tr class='total'><td>Razem</td>{_num(tr.activities)}</tr></table>")
    if tr.officers:
        h.append("<h3>Policjanci ruchu drogowego</h3>" + GRID
                 + _head(("Funkcjonariusz", " width='50%'"),
                         ("Rejony na koniec okresu", " class='num' width='30%'"),
                         ("Działania", " class='num' width='20%'")))
        h += [f"<tr><td>{escape(o.officer)}</td>{_num(o.beats)}{_num(o.activities)}</tr>"
              for o in tr.officers]
        h.append("</table>")
    return "".join(h)


def body_html(r: YearReport) -> str:
    return "".join([
        f"<p class='caption'>{escape(r.unit_name)}</p>",
        f"<h1>{escape(TITLE)}</h1>",
        f"<p class='lead'>Okres sprawozdania: <b>{period_text(r.date_from, r.date_to)}</b>. "
        f"Zakres: {escape(r.scope)}.</p>",
        _summary(r), _partners(r), _activities(r), _plans(r), _threats(r), _traffic(r),
        sign_off_html()])


def document(r: YearReport) -> PagedDocument:
    decor = PageDecor(r.unit_name, f"Sprawozdanie {period_text(r.date_from, r.date_to)}",
                      f"Wygenerowano {r.generated_at:%d.%m.%Y %H:%M}, użytkownik: {r.user}")
    return PagedDocument(f"{TITLE} – {period_text(r.date_from, r.date_to)}",
                         "<html><body>" + body_html(r) + "</body></html>", CSS, decor)


def write_pdf(r: YearReport, path: str | Path) -> int:
    """Write the report to a PDF; returns the page count. Raises ``OSError``."""
    return render_pdf(document(r), path)
