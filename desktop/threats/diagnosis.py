"""Diagnosis statistics: what is reported where, the biggest threat per beat, trends and
workload. Counts come from ``desktop.threats.counts`` (whole months from the aggregate table,
partial months from the reports), no ORM rows; results are frozen dataclasses."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import func, or_, select

from db.engine import Database
from db.models import (
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Beat,
    Gmina,
    Officer,
    ThreatCategory,
    ThreatReport,
    ThreatStatus,
    Unit,
)
from desktop.common import limits
from desktop.common.text import polish_sort_key
from desktop.threats.counts import count_many_in


@dataclass(frozen=True)
class DiagnosisScope:
    """A date range (inclusive) and optionally one unit (with its stations), gmina or beat;
    ``statuses`` limits the reports to these status ids (None: every status).

    Dates are brought into ``limits.EARLIEST_QUERY_DATE``..``LATEST_QUERY_DATE`` (and put in
    order), so that no typed or stored date (0001-01-01, 9999-12-31) makes the date arithmetic
    of a diagnosis overflow."""

    date_from: dt.date
    date_to: dt.date
    unit_id: int | None = None
    gmina_id: int | None = None
    beat_id: int | None = None
    statuses: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        start = limits.clamp_query_date(_as_date(self.date_from))
        end = limits.clamp_query_date(_as_date(self.date_to))
        if end < start:
            start, end = end, start
        object.__setattr__(self, "date_from", start)
        object.__setattr__(self, "date_to", end)

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def previous(self) -> DiagnosisScope:
        """The period of the same length just before this one."""
        end = max(self.date_from - dt.timedelta(days=1), limits.EARLIEST_QUERY_DATE)
        start = max(end - dt.timedelta(days=self.days - 1), limits.EARLIEST_QUERY_DATE)
        return replace(self, date_from=start, date_to=end)


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class CountRow:
    name: str
    count: int
    share: float  # of all reports in scope, 0..1


@dataclass(frozen=True)
class BeatRanking:
    beat_id: int
    unit: str
    number: str
    name: str
    gmina: str
    officer: str
    area_km2: float | None
    reports: int
    previous: int
    top_category: str
    top_count: int

    @property
    def per_km2(self) -> float | None:
        return self.reports / self.area_km2 if self.area_km2 else None

    @property
    def top_share(self) -> float:
        return self.top_count / self.reports if self.reports else 0.0

    @property
    def change(self) -> int:
        return self.reports - self.previous


@dataclass(frozen=True)
class OfficerLoad:
    officer: str
    beats: int
    reports: int
    area_km2: float


@dataclass
class Diagnosis:
    scope: DiagnosisScope
    total: int
    previous_total: int
    outside_beats: int
    by_category: list[CountRow]
    by_status: list[CountRow]
    monthly: list[tuple[dt.date, int]]
    beats: list[BeatRanking] = field(default_factory=list)
    officers: list[OfficerLoad] = field(default_factory=list)

    @property
    def top(self) -> CountRow | None:
        return self.by_category[0] if self.by_category and self.by_category[0].count else None

    @property
    def change(self) -> int:
        return self.total - self.previous_total

    @property
    def change_pct(self) -> float | None:
        if not self.previous_total:
            return None
        return 100.0 * self.change / self.previous_total


def _unit_ids(s, unit_id: int) -> set[int]:
    """The unit with its stations, at any depth (one query: units are few)."""
    children: dict[int, list[int]] = {}
    for uid, parent in s.execute(select(Unit.id, Unit.parent_id)):
        children.setdefault(parent, []).append(uid)
    ids, frontier = {unit_id}, [unit_id]
    while frontier:
        frontier = [c for u in frontier for c in children.get(u, ()) if c not in ids]
        ids.update(frontier)
    return ids


def _beat_filter(s, scope: DiagnosisScope) -> list:
    conds = []
    if scope.beat_id is not None:
        conds.append(Beat.id == scope.beat_id)
    if scope.gmina_id is not None:
        conds.append(Beat.gmina_id == scope.gmina_id)
    if scope.unit_id is not None:
        conds.append(Beat.unit_id.in_(_unit_ids(s, scope.unit_id)))
    return conds


@dataclass
class _Counts:
    """What the diagnosis counts, read in one statement (``counts.count_many_in``): whole
    months from the aggregate table, the partial months at the ends from the reports."""

    pairs: dict[tuple[int | None, int], int]  # (beat or None, category) -> this period
    by_status: dict[int, int]
    monthly: dict[dt.date, int]
    previous: dict[int | None, int]  # beat or None -> the previous period


def _read_counts(s, scope: DiagnosisScope, beat_conds: list, *, full: bool) -> _Counts:
    beats = select(Beat.id).where(*beat_conds) if beat_conds else None
    prev = scope.previous()
    requests: list[tuple[dt.date, dt.date, tuple[str, ...]]] = [
        (scope.date_from, scope.date_to, ("beat", "category")),
        (prev.date_from, prev.date_to, ("beat",))]
    if full:
        requests += [(scope.date_from, scope.date_to, ("status",)),
                     (scope.date_from, scope.date_to, ("month",))]
    found = count_many_in(s, requests, statuses=scope.statuses, beat_ids=beats)
    pairs = {(k[0], k[1]): n for k, n in found[0].items()}
    previous = {k[0]: n for k, n in found[1].items()}
    by_status = {k[0]: n for k, n in found[2].items()} if full else {}
    monthly = {k[0]: n for k, n in found[3].items()} if full else {}
    return _Counts(pairs, by_status, monthly, previous)


def _officers_on(s, on: dt.date) -> dict[int, tuple[int, str]]:
    q = (select(Assignment.beat_id, Officer.id, Officer.rank, Officer.first_name,
                Officer.last_name)
         .join(Officer)
         .where(Assignment.role == AssignmentRole.BEAT_OFFICER,
                Assignment.kind == AssignmentKind.REGULAR, Assignment.valid_from <= on,
                or_(Assignment.valid_to.is_(None), Assignment.valid_to >= on))
         .order_by(Assignment.valid_from))
    return {b: (oid, f"{rank} {first} {last}".strip())
            for b, oid, rank, first, last in s.execute(q)}


def _rank_beats(s, scope: DiagnosisScope, beat_conds: list, cat_names: dict[int, str],
                cat_order: dict[int, int], counts: _Counts) -> list[BeatRanking]:
    totals: dict[int, int] = {}
    best: dict[int, tuple[int, int]] = {}
    for (beat_id, cat_id), n in counts.pairs.items():
        if beat_id is None:
            continue
        totals[beat_id] = totals.get(beat_id, 0) + n
        top = best.get(beat_id)
        if top is None or (n, -cat_order[cat_id]) > (top[1], -cat_order[top[0]]):
            best[beat_id] = (cat_id, n)
    officers = _officers_on(s, scope.date_to)
    q = (select(Beat.id, Unit.short_name, Unit.name, Beat.number, Beat.name, Gmina.name,
                Beat.area_km2)
         .join(Unit, Beat.unit_id == Unit.id).outerjoin(Gmina, Beat.gmina_id == Gmina.id)
         .where(*beat_conds).order_by(Unit.id, Beat.id))
    rows = []
    for bid, short, unit_name, number, name, gmina, area in s.execute(q):
        cat_id, top_n = best.get(bid, (-1, 0))
        rows.append(BeatRanking(bid, short or unit_name, number, name, gmina or "",
                                officers.get(bid, (0, ""))[1], area, totals.get(bid, 0),
                                counts.previous.get(bid, 0), cat_names.get(cat_id, ""), top_n))
    return rows


def top_threat_by_beat(db: Database, scope: DiagnosisScope) -> list[BeatRanking]:
    """'The biggest threat in each area': every beat in scope with its top category."""
    with db.session() as s:
        cats = s.execute(select(ThreatCategory.id, ThreatCategory.name,
                                ThreatCategory.sort_order)).all()
        conds = _beat_filter(s, scope)
        return _rank_beats(s, scope, conds, {i: n for i, n, _ in cats},
                           {i: o for i, _, o in cats}, _read_counts(s, scope, conds, full=False))


# The documented default of the diagnosis (docs/threats.md): reports KMZB marks as not
# confirmed or as a prank/mistake describe no threat, so they are left out unless chosen.
DEFAULT_EXCLUDED_STATUSES = ("Niepotwierdzone", "Żart lub pomyłka")


@dataclass(frozen=True)
class StatusChoice:
    id: int
    name: str


def status_choices(db: Database) -> list[StatusChoice]:
    """Every report status of the dictionary, in its order."""
    with db.session() as s:
        rows = s.execute(select(ThreatStatus.id, ThreatStatus.name)
                         .order_by(ThreatStatus.sort_order, ThreatStatus.id)).all()
    return [StatusChoice(i, n) for i, n in rows]


def default_statuses(choices: list[StatusChoice]) -> tuple[int, ...] | None:
    """Ids of every status but DEFAULT_EXCLUDED_STATUSES (None when none of them exists)."""
    ids = tuple(c.id for c in choices if c.name not in DEFAULT_EXCLUDED_STATUSES)
    return None if len(ids) == len(choices) else ids


def statuses_label(choices: list[StatusChoice], selected: tuple[int, ...] | None) -> str:
    """Which statuses a result counts, for every output: "wszystkie" or the names."""
    if selected is None or set(selected) >= {c.id for c in choices}:
        return "wszystkie"
    names = [c.name for c in choices if c.id in set(selected)]
    return ", ".join(names) if names else "żaden"


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out, cur = [], start.replace(day=1)
    while cur <= end:
        out.append(cur)
        cur = (cur + dt.timedelta(days=32)).replace(day=1)
    return out


def diagnose(db: Database, scope: DiagnosisScope) -> Diagnosis:
    """Everything the diagnosis view shows for one scope."""
    with db.session() as s:
        cats = s.execute(select(ThreatCategory.id, ThreatCategory.name,
                                ThreatCategory.sort_order)).all()
        cat_names = {i: n for i, n, _ in cats}
        cat_order = {i: o for i, _, o in cats}
        status_rows = s.execute(select(ThreatStatus.id, ThreatStatus.name,
                                       ThreatStatus.sort_order)).all()
        conds = _beat_filter(s, scope)
        counts = _read_counts(s, scope, conds, full=True)
        beats = _rank_beats(s, scope, conds, cat_names, cat_order, counts)
    cat_counts: dict[int, int] = {}
    for (_beat, cat_id), n in counts.pairs.items():
        cat_counts[cat_id] = cat_counts.get(cat_id, 0) + n
    total = sum(cat_counts.values())
    outside = sum(n for (beat_id, _cat), n in counts.pairs.items() if beat_id is None)
    prev = sum(counts.previous.values())
    by_cat, by_status = list(cat_counts.items()), list(counts.by_status.items())
    monthly = {(m.year, m.month): n for m, n in counts.monthly.items()}

    def share(n: int) -> float:
        return n / total if total else 0.0

    # Ties go to the dictionary's order, as in the per-beat top threat.
    categories = [CountRow(cat_names[c], n, share(n))
                  for c, n in sorted(by_cat, key=lambda p: (-p[1], cat_order[p[0]]))]
    st_order = {i: o for i, _, o in status_rows}
    st_names = {i: n for i, n, _ in status_rows}
    statuses = [CountRow(st_names[i], n, share(n))
                for i, n in sorted(by_status, key=lambda p: st_order[p[0]])]
    trend = [(m, monthly.get((m.year, m.month), 0)) for m in _months(scope.date_from,
                                                                      scope.date_to)]
    loads: dict[str, list] = {}
    for b in beats:
        if not b.officer:
            continue
        entry = loads.setdefault(b.officer, [0, 0, 0.0])
        entry[0] += 1
        entry[1] += b.reports
        entry[2] += b.area_km2 or 0.0
    officers = sorted((OfficerLoad(name, n, r, a) for name, (n, r, a) in loads.items()),
                      key=lambda o: (-o.reports, polish_sort_key(o.officer)))
    return Diagnosis(scope, total, prev, outside, categories, statuses, trend, beats, officers)


def ranking_per_km2(beats: list[BeatRanking]) -> list[BeatRanking]:
    """Beats with the most reports per km² first (beats without an area last)."""
    return sorted(beats, key=lambda b: (b.per_km2 is None, -(b.per_km2 or 0.0),
                                        polish_sort_key(b.name)))


@dataclass(frozen=True)
class ScopeChoice:
    kind: str  # "all", "unit", "gmina", "beat"
    id: int | None
    name: str  # the unit's, gmina's or beat's own name ("" for the whole area)

    @property
    def label(self) -> str:
        """Polish label for Qt-free use; the Qt layer builds its own translated one."""
        prefix = {"all": "Cały obszar KMP", "unit": "Jednostka: ", "gmina": "Gmina: ",
                  "beat": "Rejon: "}[self.kind]
        return prefix + self.name


def scope_choices(db: Database) -> list[ScopeChoice]:
    """Units, gminas and beats a diagnosis can be limited to (for the scope picker)."""
    with db.session() as s:
        units = s.execute(select(Unit.id, Unit.name).order_by(Unit.id)).all()
        gminas = s.execute(select(Gmina.id, Gmina.name)).all()
        beats = s.execute(select(Beat.id, Beat.number, Beat.name, Unit.short_name)
                          .join(Unit, Beat.unit_id == Unit.id).order_by(Unit.id, Beat.id)).all()
    out = [ScopeChoice("all", None, "")]
    out += [ScopeChoice("unit", i, n) for i, n in units]
    out += [ScopeChoice("gmina", i, n)
            for i, n in sorted(gminas, key=lambda g: polish_sort_key(g[1]))]
    out += [ScopeChoice("beat", i, f"{u} nr {num} – {name}") for i, num, name, u in beats]
    return out


def scope_for(choice: ScopeChoice, date_from: dt.date, date_to: dt.date,
              statuses: tuple[int, ...] | None = None) -> DiagnosisScope:
    return DiagnosisScope(date_from, date_to,
                          unit_id=choice.id if choice.kind == "unit" else None,
                          gmina_id=choice.id if choice.kind == "gmina" else None,
                          beat_id=choice.id if choice.kind == "beat" else None,
                          statuses=statuses)


def data_period(db: Database) -> tuple[dt.date, dt.date] | None:
    """First and last plausible report date (``desktop.common.limits``), to pick a sensible
    default range: a stored 9999-12-31 must not become the default period."""
    start = dt.datetime.combine(limits.EARLIEST_DATE, dt.time())
    end = dt.datetime.combine(limits.latest_date() + dt.timedelta(days=1), dt.time())
    with db.session() as s:
        lo, hi = s.execute(select(func.min(ThreatReport.reported_at),
                                  func.max(ThreatReport.reported_at))
                           .where(ThreatReport.reported_at >= start,
                                  ThreatReport.reported_at < end)).one()
    if lo is None:
        return None
    return lo.date(), hi.date()


__all__ = ["DiagnosisScope", "Diagnosis", "BeatRanking", "CountRow", "OfficerLoad", "diagnose",
           "top_threat_by_beat", "ranking_per_km2", "scope_choices", "scope_for", "data_period",
           "DEFAULT_EXCLUDED_STATUSES", "StatusChoice", "status_choices", "default_statuses",
           "statuses_label"]
