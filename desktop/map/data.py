"""What the map shows, read from the database in one short session.

Reports travel to the page as columns of small integers in one binary block (coordinates in
1e-5 degrees, indices into the dictionaries, days since 1970-01-01; see
:mod:`desktop.map.reports`): about 21 bytes a report instead of the ~780 a folium Marker with
a popup costs. Filters then run in the page.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

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
from desktop.map.blockcache import read_reports
from desktop.map.pagedata import REPORTS_FILE as REPORTS_FILE  # re-exported
from desktop.map.pagedata import BeatChoice as BeatChoice
from desktop.map.pagedata import Choice as Choice
from desktop.map.pagedata import MapData as MapData
from desktop.map.pagedata import assemble, people_by_beat
from desktop.map.pagedata import data_script as data_script
from desktop.map.pagedata import geometry_bounds as geometry_bounds
from desktop.map.pagedata import reports_block as reports_block
from desktop.map.reports import COORD_SCALE as COORD_SCALE  # re-exported
from desktop.map.reports import Indexes

EPOCH = dt.date(1970, 1, 1)


def day_number(value: dt.date | dt.datetime) -> int:
    if isinstance(value, dt.datetime):
        value = value.date()
    return (value - EPOCH).days


@dataclass(frozen=True)
class ReportFilter:
    """What the user picked beside the map. ``None`` in a list field means "all"."""

    categories: tuple[int, ...] | None = None
    statuses: tuple[int, ...] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    unit_id: int | None = None
    beat_id: int | None = None

    def to_json(self) -> str:
        return json.dumps({
            "categories": list(self.categories) if self.categories is not None else None,
            "statuses": list(self.statuses) if self.statuses is not None else None,
            "dayFrom": day_number(self.date_from) if self.date_from else None,
            "dayTo": day_number(self.date_to) if self.date_to else None,
            "unit": self.unit_id,
            "beat": self.beat_id,
        })


def filter_reports(q: Select, flt: ReportFilter) -> Select:
    """``q`` (a select from ThreatReport) restricted as the map's filter says; shared by the
    page count and the reports browser, so both apply the same filter."""
    if flt.categories is not None:
        q = q.where(ThreatReport.category_id.in_(flt.categories))
    if flt.statuses is not None:
        q = q.where(ThreatReport.status_id.in_(flt.statuses))
    if flt.date_from is not None:
        q = q.where(ThreatReport.reported_at >= dt.datetime.combine(flt.date_from, dt.time()))
    if flt.date_to is not None:
        end = dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time())
        q = q.where(ThreatReport.reported_at < end)
    if flt.beat_id is not None:
        q = q.where(ThreatReport.beat_id == flt.beat_id)
    elif flt.unit_id is not None:
        q = q.where(ThreatReport.beat_id.in_(select(Beat.id).where(Beat.unit_id == flt.unit_id)))
    return q


def count_reports(db: Database, flt: ReportFilter) -> int:
    """How many reports a filter lets through (the page must show the same number)."""
    q = filter_reports(select(func.count()).select_from(ThreatReport), flt)
    with db.session() as s:
        return s.scalar(q) or 0


def report_point(db: Database, report_id: int) -> dict | None:
    """Where a report is and what the page shows beside it (None when it is gone)."""
    with db.session() as s:
        row = s.execute(select(ThreatReport.lat, ThreatReport.lon, ThreatCategory.name,
                               ThreatReport.reported_at)
                        .join(ThreatCategory, ThreatReport.category_id == ThreatCategory.id)
                        .where(ThreatReport.id == report_id)).first()
    if row is None:
        return None
    lat, lon, category, at = row
    return {"id": report_id, "lat": lat, "lon": lon,
            "label": f"{category} ({at:%d.%m.%Y})"}


def _people(s, on: dt.date) -> dict[tuple[int, str], dict]:
    q = (select(Assignment.beat_id, Assignment.role, Officer.rank, Officer.first_name,
                Officer.last_name, Officer.phone, Officer.mobile, Officer.email)
         .join(Officer)
         .where(Assignment.kind == AssignmentKind.REGULAR, Assignment.valid_from <= on,
                or_(Assignment.valid_to.is_(None), Assignment.valid_to >= on))
         .order_by(Assignment.valid_from))
    return people_by_beat((beat_id, AssignmentRole(role).value, *officer)
                          for beat_id, role, *officer in s.execute(q))


def load_map_data(db: Database, on: dt.date | None = None) -> MapData:
    """Read beats, outlines, dictionaries and all reports (short session, plain data out)."""
    on = on or dt.date.today()
    with db.session() as s:
        units = [Choice(i, n) for i, n in s.execute(select(Unit.id, Unit.name).order_by(Unit.id))]
        gmina_rows = s.execute(select(Gmina.id, Gmina.name, Gmina.boundary)
                               .order_by(Gmina.id)).all()
        categories = [Choice(i, n, a) for i, n, a in s.execute(
            select(ThreatCategory.id, ThreatCategory.name, ThreatCategory.active)
            .order_by(ThreatCategory.sort_order, ThreatCategory.id))]
        statuses = [Choice(i, n, a) for i, n, a in s.execute(
            select(ThreatStatus.id, ThreatStatus.name, ThreatStatus.active)
            .order_by(ThreatStatus.sort_order, ThreatStatus.id))]
        people = _people(s, on)
        beat_rows = s.execute(select(Beat.id, Beat.number, Beat.name, Beat.unit_id,
                                     Beat.gmina_id, Beat.boundary)
                              .where(Beat.retired_on.is_(None) | (Beat.retired_on > on))
                              .order_by(Beat.unit_id, Beat.id)).all()
        indexes = Indexes({c.id: i for i, c in enumerate(categories)},
                          {c.id: i for i, c in enumerate(statuses)},
                          {row.id: i for i, row in enumerate(beat_rows)})
        # From the disk cache when the reports are unchanged (desktop.map.blockcache).
        reports, mark, cached = read_reports(s, db.url, indexes)
    data = assemble(units, gmina_rows, categories, statuses, people, beat_rows, len(reports))
    data.reports, data.mark, data.indexes, data.cached = reports, mark, indexes, cached
    return data


def county_outlines() -> list[dict]:
    """Outlines of the city of Konin and powiat koniński (shipped, public PRG data)."""
    import resources

    raw = json.loads(resources.path("data", "konin_area.geojson").read_text(encoding="utf-8"))
    return [f for f in raw["features"]
            if f["geometry"]["type"] in ("Polygon", "MultiPolygon")]


def filter_choices(db: Database) -> MapData:
    """Only the dictionaries the filter panel lists (units, categories, statuses, beats):
    for panels that filter reports without drawing them (the reports browser)."""
    with db.session() as s:
        units = [Choice(i, n) for i, n in s.execute(select(Unit.id, Unit.name).order_by(Unit.id))]
        categories = [Choice(i, n, a) for i, n, a in s.execute(
            select(ThreatCategory.id, ThreatCategory.name, ThreatCategory.active)
            .order_by(ThreatCategory.sort_order, ThreatCategory.id))]
        statuses = [Choice(i, n, a) for i, n, a in s.execute(
            select(ThreatStatus.id, ThreatStatus.name, ThreatStatus.active)
            .order_by(ThreatStatus.sort_order, ThreatStatus.id))]
        beats = [BeatChoice(i, u, f"{number} {name}".strip()) for i, number, name, u in s.execute(
            select(Beat.id, Beat.number, Beat.name, Beat.unit_id).order_by(Beat.unit_id, Beat.id))]
    return MapData(units, [], categories, statuses, beats, {})
