"""Content of the printed beat summary ("Karta rejonu"): plain data and escaped HTML.

Qt-free: the Qt layer (``desktop.beats.ui.printing``) and the command line lay it out on
A4 pages with ``desktop.printing.paged``. Every text from the database goes through
``html.escape``; the map is an SVG embedded as a data URL.
"""
from __future__ import annotations

import base64
import datetime as dt
import getpass
from dataclasses import dataclass, field
from html import escape

from sqlalchemy import func, select

from db.engine import Database
from db.models import (
    Beat,
    Partner,
    PlanPartner,
    PriorityPlan,
    ThreatCategory,
    ThreatReport,
)
from db.services.info import reference_date
from desktop.beats.mapsvg import MapShape, beat_map_svg
from desktop.beats.queries import BeatDetail, Contact, beat_detail, twelve_months_before
from desktop.beats.register import register_lines
from desktop.beats.streets import describe_line
from desktop.common.labels import label
from desktop.common.text import polish_sort_key

TOP_CATEGORIES = 5
MAP_WIDTH_PX = 560  # in the document's 96-dpi pixels: about 15 cm on paper

CSS = """
table.grid { width: 100%; }
.title { font-size: 16pt; font-weight: bold; }
.caption { font-size: 7.5pt; color: #555; }
td.label { background-color: #f2f2f2; font-weight: bold; width: 28%; }
"""


@dataclass(frozen=True)
class PartnerLine:
    name: str
    kind: str
    representative: str
    phone: str
    email: str


@dataclass(frozen=True)
class CategoryLine:
    name: str
    count: int
    share: float


@dataclass(frozen=True)
class PlanInfo:
    category: str
    problem: str
    goal: str
    period_from: dt.date
    period_to: dt.date
    actions: list[tuple[str, dt.date | None, str, bool]]
    partners: list[str]


@dataclass
class SummaryData:
    detail: BeatDetail
    on: dt.date
    streets: list[tuple[str, list[str]]]  # locality -> described lines
    partners: list[PartnerLine]
    categories: list[CategoryLine]
    reports_total: int
    plan: PlanInfo | None
    map_svg: str
    generated_at: dt.datetime = field(default_factory=dt.datetime.now)
    user: str = ""


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (service account, container)
        return "nieznany"


def collect(db: Database, beat_id: int, on: dt.date | None = None,
            user: str | None = None) -> SummaryData:
    """Everything the summary shows, read in short sessions."""
    on = on or reference_date(db)
    detail = beat_detail(db, beat_id, on)
    grouped: dict[str, list[str]] = {}
    for line in register_lines(db, beat_id):
        grouped.setdefault(line.locality, []).append(
            "cała miejscowość" if line.whole_locality else describe_line(line))
    streets = sorted(grouped.items(), key=lambda kv: polish_sort_key(kv[0]))
    since = dt.datetime.combine(twelve_months_before(on), dt.time())
    until = dt.datetime.combine(on + dt.timedelta(days=1), dt.time())
    with db.session() as s:
        partners = []
        if detail.gmina_id is not None:
            q = select(Partner).where(Partner.gmina_id == detail.gmina_id,
                                      Partner.deleted_at.is_(None))
            partners = sorted(
                (PartnerLine(p.name, label(p.partner_type),
                             ", ".join(x for x in (p.representative, p.representative_function)
                                       if x), p.phone, p.email) for p in s.scalars(q)),
                key=lambda p: polish_sort_key(p.name))
        rows = list(s.execute(
            select(ThreatCategory.name, func.count()).join(ThreatReport.category)
            .where(ThreatReport.beat_id == beat_id, ThreatReport.reported_at >= since,
                   ThreatReport.reported_at < until)
            .group_by(ThreatCategory.name)))
        total = sum(c for _, c in rows)
        rows.sort(key=lambda r: (-r[1], polish_sort_key(r[0])))
        categories = [CategoryLine(n, c, c / total if total else 0.0)
                      for n, c in rows[:TOP_CATEGORIES]]
        plan = s.scalars(select(PriorityPlan).where(
            PriorityPlan.beat_id == beat_id, PriorityPlan.period_from <= on,
            PriorityPlan.period_to >= on).order_by(PriorityPlan.period_from.desc(),
                                                   PriorityPlan.id.desc())).first()
        plan_info = None
        if plan is not None:
            names = [pp.partner.name for pp in s.scalars(
                select(PlanPartner).where(PlanPartner.plan_id == plan.id))]
            plan_info = PlanInfo(plan.category.name if plan.category else "", plan.problem,
                                 plan.goal, plan.period_from, plan.period_to,
                                 [(a.description, a.deadline, a.responsible, a.done)
                                  for a in plan.actions], names)
        me = s.get(Beat, beat_id)
        # neighbours of the same unit by number, others with their unit's short name
        shapes = [MapShape(b.number if b.unit_id == me.unit_id
                           else f"{b.unit.short_name} {b.number}".strip(), b.boundary)
                  for b in s.scalars(select(Beat).where(Beat.id != beat_id,
                                                        Beat.boundary.is_not(None)))]
        svg = beat_map_svg(MapShape(me.number, me.boundary), shapes)
    return SummaryData(detail, on, streets, partners, categories, total, plan_info, svg,
                       user=user if user is not None else _user())


def _date(d: dt.date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "–"


def _contact_rows(title: str, c: Contact | None) -> str:
    e = escape
    if c is None:
        return f"<tr><td class='label'>{e(title)}</td><td colspan='4'><i>brak przydziału</i></td></tr>"
    name = e(c.name) + (f"<br><span class='caption'>zastępstwo za: {e(c.substitute_for)}</span>"
                        if c.substitute_for else "")
    return (f"<tr><td class='label'>{e(title)}</td><td>{name}</td><td>{e(c.phone or '–')}</td>"
            f"<td>{e(c.mobile or '–')}</td><td>{e(c.email or '–')}</td></tr>")


def body_html(data: SummaryData) -> str:
    """The body of one beat's summary (no <html> wrapper: several can be joined)."""
    e = escape
    d = data.detail
    area = f"{d.area_km2:.2f}".replace(".", ",") + " km²" if d.area_km2 is not None else "–"
    svg64 = base64.b64encode(data.map_svg.encode("utf-8")).decode("ascii")
    h = [
        f"<p class='caption'>{e(d.unit_name)} · {e(d.unit_address)}"
        + (f" · tel. {e(d.unit_phone)}" if d.unit_phone else "") + "</p>",
        f"<h1>Karta rejonu nr {e(d.number)}: {e(d.name)}</h1>",
        "<table class='grid' width='100%' cellspacing='0' cellpadding='3'>",
        f"<tr><td class='label'>Jednostka</td><td>{e(d.unit_name)}</td></tr>",
        f"<tr><td class='label'>Gmina</td><td>{e(d.gmina or '–')}</td></tr>",
        f"<tr><td class='label'>Powierzchnia</td><td>{e(area)}</td></tr>",
        f"<tr><td class='label'>Stan na dzień</td><td>{_date(data.on)}</td></tr>",
        "</table>",
        f"<p align='center'><img src='data:image/svg+xml;base64,{svg64}' "
        f"width='{MAP_WIDTH_PX}' height='{MAP_WIDTH_PX * 1100 // 1600}'></p>",
        "<p class='caption' align='center'>Rejon (kolor) i rejony sąsiednie z numerami; "
        "mapa wektorowa w układzie PUWG 1992.</p>",
        "<h2>Dzielnicowy i policjant ruchu drogowego</h2>",
        "<table class='grid' width='100%' cellspacing='0' cellpadding='3'><thead><tr>"
        "<th width='17%'>Rola</th><th width='23%'>Funkcjonariusz</th><th width='13%'>Telefon</th>"
        "<th width='14%'>Komórka</th><th width='33%'>E-mail</th></tr></thead>",
        _contact_rows("Dzielnicowy", d.beat_officer),
        _contact_rows("Policjant ruchu drogowego", d.traffic),
        "</table>",
        "<h2>Ulice i miejscowości</h2>",
    ]
    if data.streets:
        h.append("<table class='grid' width='100%' cellspacing='0' cellpadding='3'><thead><tr>"
                 "<th width='22%'>Miejscowość</th><th>Ulice (numery domów)</th></tr></thead>")
        for locality, lines in data.streets:
            h.append(f"<tr><td class='label'>{e(locality)}</td>"
                     f"<td>{'; '.join(e(x) for x in lines)}</td></tr>")
        h.append("</table>")
    else:
        h.append("<p><i>Rejestr ulic rejonu jest pusty.</i></p>")
    h.append(f"<h2>Partnerzy programu w gminie {e(d.gmina)}</h2>" if d.gmina
             else "<h2>Partnerzy programu w gminie</h2>")
    if data.partners:
        h.append("<table class='grid' width='100%' cellspacing='0' cellpadding='3'><thead><tr>"
                 "<th width='25%'>Partner</th><th width='14%'>Rodzaj</th>"
                 "<th width='20%'>Przedstawiciel</th><th width='14%'>Telefon</th>"
                 "<th width='27%'>E-mail</th></tr></thead>")
        for p in data.partners:
            h.append(f"<tr><td>{e(p.name)}</td><td>{e(p.kind)}</td><td>{e(p.representative)}"
                     f"</td><td>{e(p.phone)}</td><td>{e(p.email)}</td></tr>")
        h.append("</table>")
    else:
        h.append("<p><i>Brak partnerów w tej gminie.</i></p>")
    since = twelve_months_before(data.on)
    h.append(f"<h2>Najczęstsze zagrożenia (KMZB) {_date(since)} – {_date(data.on)}</h2>")
    if data.categories:
        h.append("<table class='grid' width='100%' cellspacing='0' cellpadding='3'><thead><tr><th>Kategoria</th>"
                 "<th class='right'>Zgłoszenia</th><th class='right'>Udział</th></tr></thead>")
        for c in data.categories:
            share = f"{c.share * 100:.1f}".replace(".", ",") + "%"
            h.append(f"<tr><td>{e(c.name)}</td><td align='right'>{c.count}</td>"
                     f"<td align='right'>{share}</td></tr>")
        h.append(f"</table><p class='caption'>Wszystkich zgłoszeń w rejonie w tym okresie: "
                 f"{data.reports_total}.</p>")
    else:
        h.append("<p><i>Brak zgłoszeń w ostatnich 12 miesiącach.</i></p>")
    h.append("<h2>Plan działania priorytetowego</h2>")
    plan = data.plan
    if plan is None:
        h.append("<p><i>Brak bieżącego planu działania priorytetowego.</i></p>")
    else:
        h += ["<table class='grid' width='100%' cellspacing='0' cellpadding='3'>",
              f"<tr><td class='label'>Okres</td><td>{_date(plan.period_from)} – "
              f"{_date(plan.period_to)}</td></tr>",
              f"<tr><td class='label'>Zagrożenie</td><td>{e(plan.category or '–')}</td></tr>",
              f"<tr><td class='label'>Charakterystyka</td><td>{e(plan.problem or '–')}</td></tr>",
              f"<tr><td class='label'>Cel</td><td>{e(plan.goal or '–')}</td></tr>",
              f"<tr><td class='label'>Partnerzy</td><td>{e(', '.join(plan.partners) or '–')}"
              "</td></tr></table>"]
        if plan.actions:
            h.append("<h3>Działania</h3><table class='grid' width='100%' cellspacing='0' cellpadding='3'><thead><tr>"
                     "<th>Działanie</th><th>Termin</th><th>Odpowiedzialny</th><th>Wykonane</th>"
                     "</tr></thead>")
            for desc, deadline, who, done in plan.actions:
                h.append(f"<tr><td>{e(desc)}</td><td>{_date(deadline)}</td><td>{e(who)}</td>"
                         f"<td>{'tak' if done else 'nie'}</td></tr>")
            h.append("</table>")
    return "\n".join(h)


@dataclass(frozen=True)
class SummaryDocument:
    title: str
    html: str
    css: str
    header_left: str
    header_right: str
    footer_left: str


def _footer(generated: dt.datetime, user: str) -> str:
    return f"Wygenerowano {generated:%d.%m.%Y %H:%M}, użytkownik: {user}"


def document(items: list[SummaryData]) -> SummaryDocument:
    """One document of one or more beat summaries, each starting on a new page."""
    if not items:
        raise ValueError("Brak rejonów do wydrukowania.")
    parts = []
    for i, item in enumerate(items):
        style = " style='page-break-before: always;'" if i else ""
        parts.append(f"<div{style}>{body_html(item)}</div>")
    first = items[0].detail
    if len(items) == 1:
        title = f"Karta rejonu nr {first.number} – {first.name}"
        right = f"Karta rejonu nr {first.number}"
    else:
        title = f"Karty rejonów – {first.unit_short or first.unit_name}"
        right = f"Karty rejonów ({len(items)})"
    return SummaryDocument(title, "<html><body>" + "".join(parts) + "</body></html>", CSS,
                           first.unit_name, right, _footer(items[0].generated_at, items[0].user))


def beat_document(db: Database, beat_ids: list[int], on: dt.date | None = None,
                  user: str | None = None) -> SummaryDocument:
    return document([collect(db, bid, on, user) for bid in beat_ids])
