"""The sample generator: deterministic, beats tile the area, reports realistic and inside."""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools

import pytest
import shapely
from sqlalchemy import func, select

from db.models import (
    Agreement,
    Assignment,
    AssignmentRole,
    Beat,
    Gmina,
    Partner,
    PartnerType,
    Signature,
    SignatureStatus,
    ThreatCategory,
    ThreatReport,
)
from db.services.info import is_sample
from desktop.common.geo import from_geojson
from desktop.sample.generator import SampleSpec, generate
from desktop.sample.geometry import load_area
from desktop.startup import open_database


def _fingerprint(db) -> str:
    h = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in ("beats", "officers", "assignments", "partners", "signatures",
                      "threat_reports"):
            cols = "*" if table != "threat_reports" else (
                "source_id, category_id, status_id, reported_at, event_date, lat, lon, beat_id")
            order = "id"
            for row in conn.exec_driver_sql(f"SELECT {cols} FROM {table} ORDER BY {order}"):
                # created_at/updated_at differ between runs; drop datetime-now columns
                h.update(repr([v for v in row if not _is_now(v)]).encode())
    return h.hexdigest()


def _is_now(v) -> bool:
    return isinstance(v, str) and v.startswith(dt.date.today().isoformat())


def _make(tmp_path, name, **spec):
    opened = open_database(f"sqlite:///{(tmp_path / name).as_posix()}")
    with opened.db.session() as s, s.begin():
        generate(s, SampleSpec(**spec))
    return opened.db


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    a = _make(tmp_path, "a.db", reports=500, seed=11)
    b = _make(tmp_path, "b.db", reports=500, seed=11)
    c = _make(tmp_path, "c.db", reports=500, seed=12)
    assert _fingerprint(a) == _fingerprint(b)
    assert _fingerprint(a) != _fingerprint(c)
    for db in (a, b, c):
        db.dispose()


def _beat_geoms(db):
    with db.session() as s:
        return {b.name: from_geojson(b.boundary) for b in s.scalars(select(Beat))}


def test_beats_tile_the_area_without_overlaps_or_gaps(sample_db):
    area = load_area()
    whole = area.whole
    geoms = _beat_geoms(sample_db)
    assert len(geoms) == 24
    assert sum(1 for n in geoms if n.startswith("Konin")) == 10
    assert sum(1 for n in geoms if n.startswith("Gmina")) == 14
    for name, g in geoms.items():
        assert g.is_valid and g.geom_type in ("Polygon", "MultiPolygon"), name
        assert g.area > 0
        # inside the area (tolerance ~1 m for floating point on shared edges)
        assert g.difference(whole.buffer(1e-5)).is_empty, name
    for (n1, g1), (n2, g2) in itertools.combinations(geoms.items(), 2):
        assert g1.intersection(g2).area < 1e-9, (n1, n2)
    union = shapely.union_all(list(geoms.values()))
    assert abs(union.area - whole.area) / whole.area < 1e-6


def test_city_beats_lie_in_the_city_and_rural_beats_in_the_county(sample_db):
    area = load_area()
    with sample_db.session() as s:
        for beat in s.scalars(select(Beat)):
            g = from_geojson(beat.boundary)
            target = area.city if beat.gmina.name == "Konin" else area.county
            assert g.difference(target.buffer(1e-5)).is_empty, beat.name
            assert beat.area_km2 == pytest.approx(beat.area_km2) and beat.area_km2 > 1


def test_every_beat_has_a_current_beat_officer_and_traffic_officer(sample_db):
    on = dt.date(2018, 12, 1)
    with sample_db.session() as s:
        for beat in s.scalars(select(Beat)):
            current = [a for a in beat.assignments
                       if a.valid_from <= on and (a.valid_to is None or a.valid_to >= on)]
            roles = sorted(a.role.value for a in current)
            assert roles == ["dzielnicowy", "traffic"], beat.name
            traffic = next(a for a in current if a.role is AssignmentRole.TRAFFIC)
            assert traffic.officer.role.value == "traffic"
        history = s.scalar(select(func.count()).select_from(Assignment)
                           .where(Assignment.valid_to.is_not(None)))
        assert history > 0  # some beats changed hands: history is in the sample


def test_reports_inside_area_with_realistic_mix_and_dates(sample_db):
    area = load_area()
    with sample_db.session() as s:
        rows = s.execute(select(ThreatReport.lon, ThreatReport.lat, ThreatReport.reported_at,
                                ThreatReport.beat_id, ThreatCategory.name)
                         .join(ThreatCategory)).all()
    assert len(rows) == 2000
    lon = [r[0] for r in rows]
    lat = [r[1] for r in rows]
    assert shapely.contains_xy(area.whole.buffer(1e-6), lon, lat).all()
    assert all(dt.datetime(2017, 1, 1) <= r[2] < dt.datetime(2019, 1, 1) for r in rows)
    assert all(r[3] is not None for r in rows)
    counts = {}
    for r in rows:
        counts[r[4]] = counts.get(r[4], 0) + 1
    top = max(counts, key=counts.get)
    assert top == "Nieprawidłowe parkowanie"
    assert len(counts) >= 15


def test_programme_partners_and_signed_agreement(sample_db):
    with sample_db.session() as s:
        partners = s.scalars(select(Partner)).all()
        names = {p.name for p in partners}
        types = [p.partner_type for p in partners]
        agreement = s.scalars(select(Agreement)).one()
        signed = s.scalar(select(func.count()).select_from(Signature)
                          .where(Signature.status == SignatureStatus.SIGNED))
        gminas = s.scalar(select(func.count()).select_from(Gmina))
        assert is_sample(s)
    assert types.count(PartnerType.GMINA) == 14
    assert types.count(PartnerType.CITY) == 1 and types.count(PartnerType.COUNTY) == 1
    assert {"Szkoła Policji w Pile", "Komenda Wojewódzka Policji w Poznaniu"} <= names
    assert PartnerType.SCHOOL in types and PartnerType.NGO in types
    assert agreement.signed_on == dt.date(2017, 12, 13) and agreement.number
    assert signed >= 30
    assert gminas == 15


def test_more_beats_go_to_the_city(tmp_path):
    db = _make(tmp_path, "big.db", reports=100, seed=3, beats=30)
    geoms = _beat_geoms(db)
    assert len(geoms) == 30 and sum(n.startswith("Konin") for n in geoms) == 16
    db.dispose()


@pytest.mark.parametrize("spec", [{"beats": 10}, {"reports": -1}])
def test_bad_spec_refused_in_polish(spec):
    with pytest.raises(ValueError, match="Liczba"):
        SampleSpec(**spec)


def test_sample_describes_the_programme_year(sample_db, empty_db):
    from db.services.info import reference_date

    assert reference_date(sample_db) == dt.date(2018, 12, 31)
    assert reference_date(empty_db) == dt.date.today()
