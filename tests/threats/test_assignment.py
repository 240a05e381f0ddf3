"""Reports to beats: holes (the city inside the county), shared edges, points outside."""
from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import insert, select

from db.models import Beat, ThreatReport, Unit, UnitKind
from desktop.threats.assignment import reassign_reports, reports_outside_beats
from desktop.threats.importer import import_reports

# County: 18.0..18.4 x 52.0..52.4 with a hole (the city) 18.1..18.2 x 52.1..52.2.
COUNTY = {"type": "Polygon", "coordinates": [
    [[18.0, 52.0], [18.4, 52.0], [18.4, 52.4], [18.0, 52.4], [18.0, 52.0]],
    [[18.1, 52.1], [18.2, 52.1], [18.2, 52.2], [18.1, 52.2], [18.1, 52.1]]]}
CITY = {"type": "Polygon", "coordinates": [
    [[18.1, 52.1], [18.2, 52.1], [18.2, 52.2], [18.1, 52.2], [18.1, 52.1]]]}


def _beats(db, county_first: bool):
    with db.session() as s, s.begin():
        unit = Unit(name="KMP", kind=UnitKind.COMMAND)
        specs = [("county", COUNTY), ("city", CITY)]
        if not county_first:
            specs.reverse()
        beats = {name: Beat(number=name, name=name, unit=unit, boundary=json.dumps(g))
                 for name, g in specs}
        s.add_all(beats.values())
        s.flush()
        return {name: b.id for name, b in beats.items()}


POINTS = {  # name: (lon, lat)
    "in_city": (18.15, 52.15),
    "in_county": (18.3, 52.3),
    "on_city_edge": (18.2, 52.15),   # on the hole's edge = the city's edge
    "on_outer_edge": (18.4, 52.3),
    "outside": (18.6, 52.3),
}


def _with_reports(db):
    with db.session() as s, s.begin():
        s.execute(insert(ThreatReport), [
            dict(source_id=name, category_id=1, status_id=1, reported_at=dt.datetime(2018, 1, 1),
                 lon=lon, lat=lat) for name, (lon, lat) in POINTS.items()])


def _assigned(db):
    with db.session() as s:
        return dict(s.execute(select(ThreatReport.source_id, ThreatReport.beat_id)).all())


def test_holes_edges_and_outside(empty_db):
    ids = _beats(empty_db, county_first=True)
    _with_reports(empty_db)
    summary = reassign_reports(empty_db)
    assert (summary.reports, summary.changed, summary.outside) == (5, 4, 1)
    got = _assigned(empty_db)
    assert got["in_city"] == ids["city"]          # inside the hole: not the county
    assert got["in_county"] == ids["county"]
    assert got["on_city_edge"] == ids["county"]   # shared edge: the beat listed first
    assert got["on_outer_edge"] == ids["county"]  # a boundary point still belongs
    assert got["outside"] is None
    assert [r.source_id for r in reports_outside_beats(empty_db)] == ["outside"]
    assert reassign_reports(empty_db).changed == 0  # idempotent


def test_shared_edge_goes_to_first_listed_beat(empty_db):
    ids = _beats(empty_db, county_first=False)
    _with_reports(empty_db)
    reassign_reports(empty_db)
    assert _assigned(empty_db)["on_city_edge"] == ids["city"]


def test_import_assigns_beats_and_lists_outside(empty_db, write_file):
    ids = _beats(empty_db, county_first=True)
    lines = ["ID;Typ;Data utworzenia;lon;lat"] + [
        f"{name};Żebractwo;2018-01-01;{lon};{lat}" for name, (lon, lat) in POINTS.items()]
    result = import_reports(empty_db, write_file("p.csv", "\n".join(lines) + "\n"))
    assert result.added == 5
    assert result.outside_beats == [(6, "outside")]
    assert _assigned(empty_db)["in_city"] == ids["city"]


def test_sample_database_reassignment_is_stable(sample_db):
    """The sample's reports were assigned by the same function: nothing changes."""
    summary = reassign_reports(sample_db)
    assert summary.reports == 2000 and summary.changed == 0
    with sample_db.session() as s:
        assert s.scalar(select(Beat.id).limit(1)) is not None
