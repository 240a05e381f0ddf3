"""Every number of the programme's report for a period, gathered once (Qt-free).

``collect`` reads the programme's own records (units, beats, agreements and signatures,
activities with their links, priority plans, traffic assignments) in one short session with
one query per kind of data, and the KMZB figures through the diagnosis
(``desktop.threats.diagnosis.diagnose`` for the period and for the one before it), so that the
report counts reports exactly as the "Diagnoza zagrożeń" tab does. The result is a tree of
frozen dataclasses that the document, the XLSX file and the tests read.

Counting rules (docs/report.md):
- an activity belongs to the period by its start; in the table by beat an activity of several
  beats counts in each of them (the totals count it once);
- a signature counts as signed when its status is "podpisane" and its date (if any) is not
  after the end of the period;
- a plan belongs to the report when its period overlaps the report's; its measure is the one
  of ``desktop.threats.plans.measure`` (reports of its category in its beat, every status);
- the traffic officers' part: reports of the road-related categories (``is_road`` in the
  category dictionary) and activities with at least one officer of the traffic department.
"""
from __future__ import annotations

import datetime as dt
import getpass
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Activity,
    ActivityKind,
    Agreement,
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Beat,
    Officer,
    OfficerRole,
    Partner,
    PlanAction,
    PriorityPlan,
    Signature,
    SignatureStatus,
    ThreatCategory,
    Unit,
    activity_beats,
    activity_officers,
    activity_partners,
)
from db.services.info import session_reference_date
from desktop.common import limits
from desktop.common.labels import label
from desktop.common.text import polish_sort_key
from desktop.threats.counts import count_many_in, month_start, next_month, split_range
from desktop.threats.diagnosis import (
    Diagnosis,
    DiagnosisScope,
    default_statuses,
    diagnose,
    status_choices,
    statuses_label,
)
from desktop.threats.plans import PlanMeasure
from desktop.yearreport.model import (
    KINDS,
    ActivitiesPart,
    AgreementLine,
    BeatActivities,
    BeatTrend,
    PartnersPart,
    PlanLine,
    PlansPart,
    SignatureLine,
    ThreatsPart,
    TrafficOfficerLine,
    TrafficPart,
    YearReport,
)

log = logging.getLogger("razem.yearreport")


class ReportError(ValueError):
    """A period or unit the report cannot be made for; the message is Polish."""


# --- helpers ------------------------------------------------------------------------------
def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "nieznany"


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, cur = [], start.replace(day=1)
    while cur <= end:
        out.append(cur)
        cur = (cur + dt.timedelta(days=32)).replace(day=1)
    return out


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _end(day: dt.date) -> dt.datetime:
    """The first moment after the day (periods are inclusive)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def default_period(reference: dt.date) -> tuple[dt.date, dt.date]:
    """The last calendar year that has ended by the reference day (today, or the day stored
    with the data: 31.12.2018 for the sample, whose report is then the year 2018)."""
    year = reference.year if (reference.month, reference.day) == (12, 31) else reference.year - 1
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def check_period(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise ReportError("Koniec okresu sprawozdania jest wcześniejszy niż jego początek.")
    for day in (date_from, date_to):
        if not limits.EARLIEST_DATE <= day <= limits.LATEST_QUERY_DATE:
            raise ReportError(f"Data {day:%d.%m.%Y} jest spoza dopuszczalnego zakresu "
                              f"({limits.EARLIEST_DATE:%d.%m.%Y} – "
                              f"{limits.LATEST_QUERY_DATE:%d.%m.%Y}).")


@dataclass(frozen=True)
class _Units:
    names: dict[int, tuple[str, str]]  # id -> (short, full)
    scope: set[int]  # the chosen unit and its stations (all units without a choice)
    around: set[int]  # scope and its parents: agreements of these cover the scope
    parents: dict[int, int | None]


def _units(s: Session, unit_id: int | None) -> _Units:
    rows = s.execute(select(Unit.id, Unit.parent_id, Unit.short_name, Unit.name)).all()
    names = {i: (short or name, name) for i, _p, short, name in rows}
    parent = {i: p for i, p, _s, _n in rows}
    if unit_id is None:
        return _Units(names, set(names), set(names), parent)
    if unit_id not in names:
        raise ReportError("Wybrana jednostka nie istnieje.")
    scope = {unit_id}
    grew = True
    while grew:
        more = {i for i, p in parent.items() if p in scope} - scope
        scope |= more
        grew = bool(more)
    around = set(scope)
    cur = parent.get(unit_id)
    while cur is not None and cur not in around:
        around.add(cur)
        cur = parent.get(cur)
    return _Units(names, scope, around, parent)


def _number_key(number: str) -> tuple:
    return (0, int(number), ()) if number.isdigit() else (1, 0, polish_sort_key(number))


# --- the parts ----------------------------------------------------------------------------
def _partners(s: Session, units: _Units, start: dt.date, end: dt.date,
              partners_in_activities: int) -> PartnersPart:
    agreements = s.execute(
        select(Agreement.id, Agreement.number, Agreement.title, Agreement.signed_on)
        .where(or_(Agreement.unit_id.is_(None), Agreement.unit_id.in_(units.around)))
        .order_by(Agreement.signed_on.nulls_last(), Agreement.id)).all()
    ids = [a[0] for a in agreements]
    sigs = s.execute(
        select(Signature.agreement_id, Signature.status, Signature.signed_on,
               Signature.signatory, Signature.signatory_function, Signature.annex_number,
               Partner.id, Partner.name, Partner.partner_type, Partner.deleted_at)
        .join(Partner, Signature.partner_id == Partner.id)
        .where(Signature.agreement_id.in_(ids))).all() if ids else []
    counts: dict[int, list[int]] = {i: [0, 0, 0, 0] for i in ids}
    lines: list[SignatureLine] = []
    signed_partners: dict[int, str] = {}
    for agr, status, on, who, function, annex, pid, name, ptype, deleted in sigs:
        c = counts[agr]
        if status is SignatureStatus.SIGNED and (on is None or on <= end):
            c[0] += 1
            if on is not None and start <= on <= end:
                c[1] += 1
            signed_partners[pid] = label(ptype)
            lines.append(SignatureLine(name, label(ptype), ", ".join(x for x in (who, function)
                                                                     if x),
                                       on, annex, deleted is not None))
        elif status is SignatureStatus.INVITED:
            c[2] += 1
        elif status is SignatureStatus.WITHDRAWN:
            c[3] += 1
    by_type: dict[str, int] = defaultdict(int)
    for kind in signed_partners.values():
        by_type[kind] += 1
    lines.sort(key=lambda x: (x.signed_on or dt.date.max, polish_sort_key(x.partner)))
    return PartnersPart(
        tuple(AgreementLine(f"nr {number} – {title}" if number else title, on, *counts[i])
              for i, number, title, on in agreements),
        tuple(lines),
        tuple(sorted(by_type.items(), key=lambda kv: (-kv[1], polish_sort_key(kv[0])))),
        len(signed_partners), sum(c[1] for c in counts.values()), partners_in_activities)


def _activities(s: Session, beats: dict[int, tuple[str, str, str]], shown: set[int],
                period: list[dt.date],
                start: dt.date, end: dt.date,
                traffic: set[int]) -> tuple[ActivitiesPart, dict[int, int], int, int,
                                            dict[ActivityKind, int], int]:
    """The activities part, plus what the traffic part needs: activities per traffic
    officer, their count and attendance, by kind, and the partners taking part."""
    in_period = (Activity.starts_at >= _start(start), Activity.starts_at < _end(end))
    rows = s.execute(select(Activity.id, Activity.kind, Activity.starts_at, Activity.attendance,
                            Activity.plan_id).where(*in_period)).all()
    beat_links = s.execute(select(activity_beats.c.activity_id, activity_beats.c.beat_id)
                           .join(Activity, Activity.id == activity_beats.c.activity_id)
                           .where(*in_period)).all()
    officer_links = s.execute(select(activity_officers.c.activity_id,
                                     activity_officers.c.officer_id)
                              .join(Activity, Activity.id == activity_officers.c.activity_id)
                              .where(*in_period)).all()
    partner_links = s.execute(select(activity_partners.c.activity_id,
                                     activity_partners.c.partner_id)
                              .join(Activity, Activity.id == activity_partners.c.activity_id)
                              .where(*in_period)).all()
    beats_of: dict[int, set[int]] = defaultdict(set)
    for aid, bid in beat_links:
        if bid in beats:
            beats_of[aid].add(bid)
    chosen = [r for r in rows if r[0] in beats_of]  # activities in the scope's beats
    ids = {r[0] for r in chosen}
    kind_index = {k: i for i, k in enumerate(KINDS)}
    by_kind = {k: [0, 0] for k in KINDS}
    by_month = {m: [0, 0] for m in period}
    per_beat: dict[int, list[int]] = {b: [0] * (len(KINDS) + 1) for b in beats}
    for aid, kind, at, people, _plan in chosen:
        people = people or 0
        by_kind[kind][0] += 1
        by_kind[kind][1] += people
        month = by_month.setdefault(at.date().replace(day=1), [0, 0])
        month[0] += 1
        month[1] += people
        for bid in beats_of[aid]:
            per_beat[bid][kind_index[kind]] += 1
            per_beat[bid][-1] += people
    partners: dict[int, set[int]] = defaultdict(set)
    for aid, pid in partner_links:
        if aid in ids:
            partners[aid].add(pid)
    officers: dict[int, set[int]] = defaultdict(set)
    for aid, oid in officer_links:
        if aid in ids:
            officers[aid].add(oid)
    per_officer: dict[int, int] = defaultdict(int)
    traffic_count = traffic_people = 0
    traffic_kinds: dict[ActivityKind, int] = defaultdict(int)
    for aid, kind, _at, people, _plan in chosen:
        theirs = officers[aid] & traffic
        if theirs:
            traffic_count += 1
            traffic_people += people or 0
            traffic_kinds[kind] += 1
            for oid in theirs:
                per_officer[oid] += 1
    order = sorted(beats, key=lambda b: (polish_sort_key(beats[b][0]), _number_key(beats[b][1])))
    part = ActivitiesPart(
        len(chosen), sum(r[3] or 0 for r in chosen),
        tuple((k, by_kind[k][0], by_kind[k][1]) for k in KINDS),
        tuple((m, n, p) for m, (n, p) in sorted(by_month.items())),
        tuple(BeatActivities(*beats[b], tuple(per_beat[b][:-1]), per_beat[b][-1])
              for b in order if b in shown or any(per_beat[b])),
        sum(1 for aid in ids if partners[aid]),
        sum(1 for r in chosen if r[4] is not None))
    involved = len(set().union(*partners.values())) if partners else 0
    return part, per_officer, traffic_count, traffic_people, traffic_kinds, involved


def _plan_measures(s: Session, plans: list, on: dt.date) -> dict[int, PlanMeasure]:
    """The measure of ``plans.measure`` for every plan (reports of its category, or of every
    category, in its beat during its period and the as long period before it), from one
    statement (``counts.count_many_in``): the whole months of all the windows from
    ``report_counts`` in one request by month, beat and category; the windows' partial months
    at their ends from the reports, by day, one request per month (its days from the first to
    the last one a window needs)."""
    windows = {}
    for p in plans:
        length = p.period_to - p.period_from
        before_to = p.period_from - dt.timedelta(days=1)
        windows[p.id] = ((before_to - length, before_to), (p.period_from, p.period_to))
    if not windows:
        return {}
    split = {w: split_range(*w) for pair in windows.values() for w in pair}
    fulls = [full for full, _parts in split.values() if full is not None]
    days: dict[dt.date, tuple[dt.date, dt.date]] = {}  # month -> its first, last day needed
    for _full, parts in split.values():
        for a, b in parts:
            first, last = days.get(month_start(a), (a, b))
            days[month_start(a)] = (min(first, a), max(last, b))
    requests: list[tuple[dt.date, dt.date, tuple[str, ...]]] = [
        (a, b, ("day", "beat", "category")) for a, b in days.values()]
    if fulls:
        requests.append((min(f[0] for f in fulls),
                         next_month(max(f[1] for f in fulls)) - dt.timedelta(days=1),
                         ("month", "beat", "category")))
    # (day, beat, category or None for every category) -> reports; the same by month
    by_day: dict[tuple[dt.date, int, int | None], int] = defaultdict(int)
    by_month: dict[tuple[dt.date, int, int | None], int] = defaultdict(int)
    wanted: dict[int, set[int] | None] = {}
    for p in plans:
        cats = wanted.setdefault(p.beat_id, set())
        if p.category_id is None or cats is None:
            wanted[p.beat_id] = None
        else:
            cats.add(p.category_id)
    found = count_many_in(s, requests, beat_categories=wanted)
    for request, got in zip(requests, found, strict=True):
        cells = by_month if "month" in request[2] else by_day
        for (when, beat, cat), n in got.items():
            cells[(when, beat, cat)] += n
            cells[(when, beat, None)] += n

    def count(beat: int, category: int | None, window: tuple[dt.date, dt.date]) -> int:
        full, parts = split[window]
        n = 0
        for a, b in parts:
            day = a
            while day <= b:
                n += by_day.get((day, beat, category), 0)
                day += dt.timedelta(days=1)
        month = full[0] if full is not None else None
        while month is not None and full is not None and month <= full[1]:
            n += by_month.get((month, beat, category), 0)
            month = next_month(month)
        return n

    return {p.id: PlanMeasure(count(p.beat_id, p.category_id, windows[p.id][1]),
                              count(p.beat_id, p.category_id, windows[p.id][0]),
                              on > p.period_to)
            for p in plans}


def _plans(s: Session, beats: dict[int, tuple[str, str, str]], start: dt.date, end: dt.date,
           on: dt.date) -> PlansPart:
    plans = list(s.execute(
        select(PriorityPlan.id, PriorityPlan.beat_id, PriorityPlan.category_id,
               PriorityPlan.period_from, PriorityPlan.period_to, PriorityPlan.evaluation,
               Officer.rank, Officer.first_name, Officer.last_name, ThreatCategory.name)
        .outerjoin(Officer, PriorityPlan.officer_id == Officer.id)
        .outerjoin(ThreatCategory, PriorityPlan.category_id == ThreatCategory.id)
        .where(PriorityPlan.beat_id.in_(beats), PriorityPlan.period_from <= end,
               PriorityPlan.period_to >= start)))
    ids = [p.id for p in plans]
    actions = {pid: (n, done or 0) for pid, n, done in s.execute(
        select(PlanAction.plan_id, func.count(),
               func.sum(case((PlanAction.done.is_(True), 1), else_=0)))
        .where(PlanAction.plan_id.in_(ids)).group_by(PlanAction.plan_id))} if ids else {}
    linked = dict(s.execute(select(Activity.plan_id, func.count())
                            .where(Activity.plan_id.in_(ids))
                            .group_by(Activity.plan_id)).all()) if ids else {}
    measures = _plan_measures(s, plans, on)
    lines = []
    for p in sorted(plans, key=lambda p: (p.period_from, polish_sort_key(beats[p.beat_id][0]),
                                          _number_key(beats[p.beat_id][1]), p.id)):
        unit, number, name = beats[p.beat_id]
        officer = " ".join(x for x in (p.rank, p.first_name, p.last_name) if x)
        n, done = actions.get(p.id, (0, 0))
        lines.append(PlanLine(unit, f"nr {number} – {name}", officer, p.name or "",
                              p.period_from, p.period_to, n, int(done), linked.get(p.id, 0),
                              measures[p.id], p.evaluation))
    return PlansPart(tuple(lines))


def _threats(current: Diagnosis, previous: Diagnosis, statuses: str) -> ThreatsPart:
    prev_by_name = {c.name: c.count for c in previous.by_category}
    names = [c.name for c in current.by_category]
    extra = sorted((n for n in prev_by_name if n not in set(names)), key=polish_sort_key)
    categories = tuple((c.name, c.count, prev_by_name.get(c.name, 0))
                       for c in current.by_category) + tuple((n, 0, prev_by_name[n])
                                                             for n in extra)
    beats = tuple(BeatTrend(b.unit, b.number, b.name, b.reports, b.previous, b.top_category,
                            b.top_count)
                  for b in sorted(current.beats, key=lambda b: (polish_sort_key(b.unit),
                                                                _number_key(b.number))))
    return ThreatsPart(statuses, current.total, current.previous_total, current.outside_beats,
                       tuple(current.monthly), tuple(previous.monthly), beats, categories)


def unit_choices(db: Database) -> list[tuple[int, str, str]]:
    """Units as (id, short name, full name), the command first."""
    with db.session() as s:
        return [(i, short or name, name) for i, short, name in s.execute(
            select(Unit.id, Unit.short_name, Unit.name).order_by(Unit.id))]


def reference_period(db: Database) -> tuple[dt.date, dt.date]:
    """The default period of the report (``default_period`` of the data's reference day)."""
    with db.session() as s:
        return default_period(session_reference_date(s))


def collect(db: Database, date_from: dt.date, date_to: dt.date, unit_id: int | None = None,
            user: str | None = None, check: Callable[[], None] | None = None) -> YearReport:
    """Everything the report shows for the period (inclusive) and unit (with its stations;
    None: the whole command). ``check`` is called between the steps and may raise to cancel.
    Raises ``ReportError`` for a bad period or an unknown unit."""
    check_period(date_from, date_to)
    began = time.monotonic()
    tick = check or (lambda: None)
    with db.session() as s:
        units = _units(s, unit_id)
        on = session_reference_date(s)  # whether a plan's period is over, as in the plans panel
        beat_rows = s.execute(select(Beat.id, Beat.unit_id, Beat.number, Beat.name,
                                     Beat.retired_on)
                              .where(Beat.unit_id.in_(units.scope))).all()
        beats = {r[0]: (units.names[r[1]][0], r[2], r[3]) for r in beat_rows}
        current_beats = {r[0] for r in beat_rows if r[4] is None or r[4] > date_to}
        shown_beats = {r[0] for r in beat_rows if r[4] is None or r[4] > date_from}
        traffic_officers = {oid: " ".join(x for x in (rank, first, last) if x)
                            for oid, rank, first, last in s.execute(
                                select(Officer.id, Officer.rank, Officer.first_name,
                                       Officer.last_name)
                                .where(Officer.role == OfficerRole.TRAFFIC))}
        assigned = s.execute(
            select(Assignment.officer_id, Assignment.beat_id)
            .where(Assignment.role == AssignmentRole.TRAFFIC,
                   Assignment.kind == AssignmentKind.REGULAR, Assignment.valid_from <= date_to,
                   or_(Assignment.valid_to.is_(None), Assignment.valid_to >= date_to),
                   Assignment.beat_id.in_(current_beats))).all()
        activities, per_officer, t_count, t_people, t_kinds, involved = _activities(
            s, beats, shown_beats, months(date_from, date_to), date_from, date_to,
            set(traffic_officers))
        tick()
        partners = _partners(s, units, date_from, date_to, involved)
        plans = _plans(s, beats, date_from, date_to, on)
        road = set(s.scalars(select(ThreatCategory.name).where(ThreatCategory.is_road)))
    tick()
    choices = status_choices(db)
    statuses = default_statuses(choices)
    scope = DiagnosisScope(date_from, date_to, unit_id=unit_id, statuses=statuses)
    current = diagnose(db, scope)
    tick()
    previous = diagnose(db, scope.previous())
    tick()
    threats = _threats(current, previous, statuses_label(choices, statuses))
    beats_of_officer: dict[int, set[int]] = defaultdict(set)
    for oid, bid in assigned:
        beats_of_officer[oid].add(bid)
    officers = sorted((TrafficOfficerLine(traffic_officers.get(oid, ""),
                                          len(beats_of_officer[oid]), per_officer.get(oid, 0))
                       for oid in set(beats_of_officer) | set(per_officer)),
                      key=lambda o: (-o.activities, -o.beats, polish_sort_key(o.officer)))
    traffic = TrafficPart(
        tuple((name, n, p) for name, n, p in threats.categories if name in road),
        t_count, t_people, tuple((k, t_kinds.get(k, 0)) for k in KINDS), tuple(officers),
        len({bid for _o, bid in assigned}), len(current_beats))
    prev = scope.previous()
    root = unit_id if unit_id is not None else min(
        (i for i in units.scope if units.parents.get(i) is None), default=None)
    unit_name = units.names[root][1] if root is not None else ""
    scope_label = (units.names[unit_id][0] if unit_id is not None else
                   f"cały obszar {units.names[root][0]}" if root is not None else "cały obszar")
    log.info("Sprawozdanie %s–%s (%s): działań %d, planów %d, zgłoszeń %d (poprzednio %d) "
             "w %.2f s", date_from, date_to, scope_label, activities.total, len(plans.plans),
             threats.total, threats.previous_total, time.monotonic() - began)
    return YearReport(date_from, date_to, prev.date_from, prev.date_to, unit_name, scope_label,
                      dt.datetime.now(), user if user is not None else _user(), partners,
                      activities, plans, threats, traffic)
