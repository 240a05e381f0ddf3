"""Content of the printed beat summary ("Karta rejonu"): plain data and escaped HTML.

Qt-free: :func:`beat_document` returns a ``PagedDocument`` that the Qt layer
(``desktop.beats.ui.printing``) previews and :func:`write_beats_pdf` (used by the command
line) writes to PDF. Every text from the database goes through ``html.escape``; the map is
an SVG embedded as a data URL.

:func:`collect_many` reads everything in one session with one query per kind of data, so a
whole unit costs the same number of queries as one beat.
"""
from __future__ import annotations

import base64
import datetime as dt
import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from shapely.geometry.base import BaseGeometry
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from db.engine import Database
from db.models import (
    Activity,
    Beat,
    Partner,
    PlanPartner,
    PriorityPlan,
    StreetRange,
    ThreatCategory,
    Unit,
    activity_beats,
)
from db.services.info import session_reference_date
from desktop.beats.mapsvg import MapShape, beat_map_svg
from desktop.beats.queries import BeatDetail, Contact, beat_details_in, twelve_months_before
from desktop.beats.streets import RangeLine, describe_line
from desktop.common.document import PagedDocument, PageDecor, render_pdf, sign_off_html
from desktop.common.gcpause import gc_paused
from desktop.common.labels import label
from desktop.common.text import polish_sort_key
from desktop.organisation.beat_editor import other_gminas
from desktop.threats.counts import count_reports_in

TOP_CATEGORIES = 5
RECENT_ACTIVITIES = 10  # the beat's activities of the last 12 months, at most this many
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
    is_road: bool = False  # road-related: the traffic officer verifies it


@dataclass(frozen=True)
class PlanInfo:
    category: str
    problem: str
    goal: str
    period_from: dt.date
    period_to: dt.date
    actions: list[tuple[str, dt.date | None, str, bool]]
    partners: list[str]


@dataclass(frozen=True)
class ActivityLine:
    starts_at: dt.datetime
    kind: str
    title: str
    attendance: int | None


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
    activities: list[ActivityLine] = field(default_factory=list)
    road_total: int = 0  # reports in road-related categories (the traffic officer's part)
    other_gminas: list[str] = field(default_factory=list)  # besides the main one, by name


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (service account, container)
        return "nieznany"


def streets_by_beat(s: Session, ids: list[int]) -> dict[int, list[tuple[str, list[str]]]]:
    """Beat id -> [(locality, described lines)], localities in Polish order; one query."""
    grouped: dict[int, dict[str, list[str]]] = {}
    q = (select(StreetRange).where(StreetRange.beat_id.in_(ids))
         .order_by(StreetRange.beat_id, StreetRange.locality, StreetRange.street_key,
                   StreetRange.number_from))
    for r in s.scalars(q):
        line = RangeLine(r.beat_id, r.locality, r.street, r.side, r.number_from, r.number_to,
                         r.id)
        grouped.setdefault(r.beat_id, {}).setdefault(r.locality, []).append(
            "cała miejscowość" if line.whole_locality else describe_line(line))
    return {bid: sorted(by_locality.items(), key=lambda kv: polish_sort_key(kv[0]))
            for bid, by_locality in grouped.items()}


def _partners(s: Session, gmina_ids: set[int]) -> dict[int, list[PartnerLine]]:
    out: dict[int, list[PartnerLine]] = {}
    q = select(Partner).where(Partner.gmina_id.in_(gmina_ids), Partner.deleted_at.is_(None))
    for p in s.scalars(q):
        assert p.gmina_id is not None
        out.setdefault(p.gmina_id, []).append(PartnerLine(
            p.name, label(p.partner_type),
            ", ".join(x for x in (p.representative, p.representative_function) if x),
            p.phone, p.email))
    for lines in out.values():
        lines.sort(key=lambda p: polish_sort_key(p.name))
    return out


def _categories(s: Session, ids: list[int],
                on: dt.date) -> dict[int, list[tuple[str, int, bool]]]:
    """Reports of the 12 months up to ``on`` per beat and category, from the report counts
    (whole months) and the reports of the partial months, in one statement."""
    names = {cid: (name, bool(road)) for cid, name, road in s.execute(
        select(ThreatCategory.id, ThreatCategory.name, ThreatCategory.is_road))}
    out: dict[int, list[tuple[str, int, bool]]] = {}
    counts = count_reports_in(s, twelve_months_before(on), on, ("beat", "category"),
                              beat_ids=ids)
    for (bid, cid), count in counts.items():
        if bid is not None and count:
            name, road = names[cid]
            out.setdefault(bid, []).append((name, count, road))
    return out


def _activities(s: Session, ids: list[int], on: dt.date) -> dict[int, list[ActivityLine]]:
    """The latest activities of each beat in the 12 months up to ``on`` (one query)."""
    since = dt.datetime.combine(twelve_months_before(on), dt.time())
    until = dt.datetime.combine(on + dt.timedelta(days=1), dt.time())
    out: dict[int, list[ActivityLine]] = {}
    for bid, at, kind, title, attendance in s.execute(
            select(activity_beats.c.beat_id, Activity.starts_at, Activity.kind, Activity.title,
                   Activity.attendance)
            .join(Activity, Activity.id == activity_beats.c.activity_id)
            .where(activity_beats.c.beat_id.in_(ids), Activity.starts_at >= since,
                   Activity.starts_at < until)
            .order_by(Activity.starts_at.desc(), Activity.id.desc())):
        lines = out.setdefault(bid, [])
        if len(lines) < RECENT_ACTIVITIES:
            lines.append(ActivityLine(at, label(kind), title, attendance))
    return out


def _plans(s: Session, ids: list[int], on: dt.date) -> dict[int, PlanInfo]:
    """The current plan of each beat (the latest starting one), with category, actions and
    partners loaded alongside (a constant number of queries)."""
    q = (select(PriorityPlan)
         .where(PriorityPlan.beat_id.in_(ids), PriorityPlan.period_from <= on,
                PriorityPlan.period_to >= on)
         .order_by(PriorityPlan.period_from.desc(), PriorityPlan.id.desc())
         .options(joinedload(PriorityPlan.category), selectinload(PriorityPlan.actions),
                  selectinload(PriorityPlan.partners).joinedload(PlanPartner.partner)))
    out: dict[int, PlanInfo] = {}
    for plan in s.scalars(q):
        if plan.beat_id in out:
            continue
        out[plan.beat_id] = PlanInfo(
            plan.category.name if plan.category else "", plan.problem, plan.goal,
            plan.period_from, plan.period_to,
            [(a.description, a.deadline, a.responsible, a.done) for a in plan.actions],
            [pp.partner.name for pp in plan.partners])
    return out


def collect_many(db: Database, beat_ids: Sequence[int], on: dt.date | None = None,
                 user: str | None = None,
                 progress: Callable[[int, int], None] | None = None) -> list[SummaryData]:
    """Everything the summaries of these beats show, in the order of ``beat_ids``.

    One session and one query per kind of data (beats, assignments, streets, partners,
    report counts, plans, map shapes), whatever the number of beats. ``progress(done, all)``
    is called after each beat's map is drawn (the slow part); it may raise to cancel.
    Raises ``LookupError`` for an unknown beat."""
    with gc_paused():  # many short-lived rows and shapes (see gcpause)
        return _collect_many(db, list(beat_ids), on, user, progress)


def _collect_many(db: Database, ids: list[int], on: dt.date | None, user: str | None,
                  progress: Callable[[int, int], None] | None) -> list[SummaryData]:
    with db.session() as s:
        on = on or session_reference_date(s)
        details = beat_details_in(s, ids, on)
        missing = [bid for bid in ids if bid not in details]
        if missing:
            raise LookupError(f"Nie ma rejonu o identyfikatorze {missing[0]}.")
        streets = streets_by_beat(s, ids)
        others = other_gminas(s, ids)
        gminas = {d.gmina_id for d in details.values() if d.gmina_id is not None}
        gminas |= {g for items in others.values() for g, _ in items}
        partners = _partners(s, gminas) if gminas else {}
        categories = _categories(s, ids, on)
        plans = _plans(s, ids, on)
        activities = _activities(s, ids, on)
        # every drawn beat: neighbours of the same unit by number, others with their unit
        shapes = list(s.execute(
            select(Beat.id, Beat.unit_id, Beat.number, Unit.short_name, Beat.boundary)
            .join(Unit, Beat.unit_id == Unit.id).where(Beat.boundary.is_not(None))))
    user = user if user is not None else _user()
    out = []
    projected: dict[str, BaseGeometry | None] = {}  # each outline projected once for all maps
    names = {name: polish_sort_key(name)  # each category's key once, not per beat
             for rows in categories.values() for name, _, _ in rows}
    for n, bid in enumerate(ids, start=1):
        d = details[bid]
        rows = sorted(categories.get(bid, []), key=lambda r: (-r[1], names[r[0]]))
        total = sum(r[1] for r in rows)
        neighbours = [MapShape(number if unit_id == d.unit_id else f"{short} {number}".strip(),
                               boundary)
                      for other, unit_id, number, short, boundary in shapes if other != bid]
        beat_gminas = ([d.gmina_id] if d.gmina_id is not None else []) + [
            g for g, _ in others.get(bid, []) if g != d.gmina_id]
        out.append(SummaryData(
            d, on, streets.get(bid, []),
            [p for g in beat_gminas for p in partners.get(g, [])],
            [CategoryLine(name, c, c / total if total else 0.0, road)
             for name, c, road in rows[:TOP_CATEGORIES]],
            total, plans.get(bid), beat_map_svg(MapShape(d.number, d.boundary), neighbours,
                                            projected=projected),
            user=user, activities=activities.get(bid, []),
            road_total=sum(c for _, c, road in rows if road),
            other_gminas=[n for g, n in others.get(bid, []) if g != d.gmina_id]))
        if progress is not None:
            progress(n, len(ids))
    return out


def collect(db: Database, beat_id: int, on: dt.date | None = None,
            user: str | None = None) -> SummaryData:
    """Everything one beat's summary shows (see :func:`collect_many`)."""
    return collect_many(db, [beat_id], on, user)[0]


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
        f"<tr><td class='label'>Gmina</td><td>{e(d.gmina or '–')}"
        + (f" (także: {e(', '.join(data.other_gminas))})" if data.other_gminas else "")
        + "</td></tr>",
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
    if data.other_gminas and d.gmina:
        h.append(f"<h2>Partnerzy programu w gminach {e(', '.join([d.gmina, *data.other_gminas]))}"
                 "</h2>")
    else:
        h.append(f"<h2>Partnerzy programu w gminie {e(d.gmina)}</h2>" if d.gmina
                 else "<h2>Partnerzy programu w gminie</h2>")
    if data.partners:
        h.append("<table class='grid' width='100%' cellspacing='0' cellpadding='3'><thead><tr>"
                 "<th width='23%'>Partner</th><th width='18%'>Rodzaj</th>"
                 "<th width='20%'>Przedstawiciel</th><th width='14%'>Telefon</th>"
                 "<th width='25%'>E-mail</th></tr></thead>")
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
            road = " (RD)" if c.is_road else ""
            h.append(f"<tr><td>{e(c.name)}{road}</td><td align='right'>{c.count}</td>"
                     f"<td align='right'>{share}</td></tr>")
        h.append(f"</table><p class='caption'>Wszystkich zgłoszeń w rejonie w tym okresie: "
                 f"{data.reports_total}, w tym w kategoriach drogowych (RD – weryfikuje "
                 f"policjant ruchu drogowego): {data.road_total}.</p>")
    else:
        h.append("<p><i>Brak zgłoszeń w ostatnich 12 miesiącach.</i></p>")
    h.append(f"<h2>Ostatnie działania w rejonie {_date(since)} – {_date(data.on)}</h2>")
    if data.activities:
        h.append("<table class='grid' width='100%' cellspacing='0' cellpadding='3'><thead><tr>"
                 "<th width='16%'>Data</th><th width='26%'>Rodzaj</th><th>Temat</th>"
                 "<th width='11%'>Uczestnicy</th></tr></thead>")
        for a in data.activities:
            people = "–" if a.attendance is None else str(a.attendance)
            h.append(f"<tr><td>{a.starts_at:%d.%m.%Y %H:%M}</td><td>{e(a.kind)}</td>"
                     f"<td>{e(a.title)}</td><td align='right'>{people}</td></tr>")
        h.append("</table>")
    else:
        h.append("<p><i>Brak działań w ostatnich 12 miesiącach.</i></p>")
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
    h.append(sign_off_html())
    return "\n".join(h)


def _footer(generated: dt.datetime, user: str) -> str:
    return f"Wygenerowano {generated:%d.%m.%Y %H:%M}, użytkownik: {user}"


def document(items: list[SummaryData]) -> PagedDocument:
    """One document of one or more beat summaries, each starting on a new page."""
    if not items:
        raise ValueError("Brak rejonów do wydrukowania.")
    bodies = [body_html(item) for item in items]
    parts = [f"<div style='page-break-before: always;'>{b}</div>" if i else f"<div>{b}</div>"
             for i, b in enumerate(bodies)]
    first = items[0].detail
    if len(items) == 1:
        title = f"Karta rejonu nr {first.number} – {first.name}"
        right = f"Karta rejonu nr {first.number}"
    else:
        title = f"Karty rejonów – {first.unit_short or first.unit_name}"
        right = f"Karty rejonów ({len(items)})"
    decor = PageDecor(first.unit_name, right, _footer(items[0].generated_at, items[0].user))
    return PagedDocument(title, "<html><body>" + "".join(parts) + "</body></html>", CSS, decor,
                         sections=tuple(f"<div>{b}</div>" for b in bodies) if len(bodies) > 1 else ())


def beat_document(db: Database, beat_ids: Sequence[int], on: dt.date | None = None,
                  user: str | None = None) -> PagedDocument:
    return document(collect_many(db, beat_ids, on, user))


def write_beats_pdf(db: Database, beat_ids: Sequence[int], path: str | Path,
                    on: dt.date | None = None, user: str | None = None) -> int:
    """Write the summaries of the beats (one or a whole unit) to one PDF; returns pages.
    Raises ``OSError`` when the file cannot be written."""
    return render_pdf(beat_document(db, beat_ids, on, user), path)
