"""Helpers for the threat tests: small files written in the shapes KMZB and users produce."""
from __future__ import annotations

from pathlib import Path

import pytest

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def write_file(tmp_path):
    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write


def square(lon0: float, lat0: float, size: float = 0.01) -> list:
    return [[lon0, lat0], [lon0 + size, lat0], [lon0 + size, lat0 + size], [lon0, lat0 + size],
            [lon0, lat0]]


@pytest.fixture
def small_world(empty_db):
    """A hand-made area: command KMP with station KP Golina; three square beats side by side
    at lat 52.20, lon 18.20/18.21/18.22 (0.01° each), officers, and 14 reports whose counts
    the tests know by heart (see REPORTS)."""
    import datetime as dt
    import json

    from sqlalchemy import select

    from db.models import (
        Assignment,
        AssignmentRole,
        Beat,
        Gmina,
        GminaKind,
        Officer,
        OfficerRole,
        ThreatCategory,
        ThreatReport,
        ThreatStatus,
        Unit,
        UnitKind,
    )

    with empty_db.session() as s, s.begin():
        kmp = Unit(name="KMP Test", short_name="KMP", kind=UnitKind.COMMAND)
        kp = Unit(name="KP Test", short_name="KP", kind=UnitKind.STATION, parent=kmp)
        g1 = Gmina(name="Alfa", kind=GminaKind.URBAN)
        g2 = Gmina(name="Beta", kind=GminaKind.RURAL)
        beats = []
        for i, (unit, gmina) in enumerate([(kmp, g1), (kmp, g1), (kp, g2)]):
            poly = {"type": "Polygon", "coordinates": [square(18.20 + 0.01 * i, 52.20)]}
            beats.append(Beat(number=str(i + 1), name=f"Rejon {i + 1}", unit=unit, gmina=gmina,
                              boundary=json.dumps(poly), area_km2=[1.0, 2.0, 4.0][i]))
        s.add_all(beats)
        o1 = Officer(first_name="Jan", last_name="Nowak", service_number="1",
                     role=OfficerRole.BEAT_OFFICER, rank="st. asp.")
        o2 = Officer(first_name="Anna", last_name="Zając", service_number="2",
                     role=OfficerRole.BEAT_OFFICER, rank="asp.")
        s.add_all([o1, o2])
        # Jan hosts beats 1 and 3, Anna beat 2.
        for beat, officer in ((beats[0], o1), (beats[1], o2), (beats[2], o1)):
            s.add(Assignment(beat=beat, officer=officer, role=AssignmentRole.BEAT_OFFICER,
                             valid_from=dt.date(2017, 1, 1)))
        s.flush()
        cat = {c.name: c.id for c in s.scalars(select(ThreatCategory))}
        st = {x.name: x.id for x in s.scalars(select(ThreatStatus))}
        rows = []
        for n, (beat_idx, category, status, when) in enumerate(REPORTS):
            rows.append(dict(
                source_id=f"T{n}", category_id=cat[category], status_id=st[status],
                reported_at=dt.datetime.fromisoformat(when), lat=52.205,
                lon=18.205 + 0.01 * (beat_idx if beat_idx is not None else 5),
                beat_id=beats[beat_idx].id if beat_idx is not None else None))
        from sqlalchemy import insert

        s.execute(insert(ThreatReport), rows)
        ids = {"kmp": kmp.id, "kp": kp.id, "alfa": g1.id, "beta": g2.id,
               "beats": [b.id for b in beats]}
    return empty_db, ids


PSY = "Wałęsające się bezpańskie psy"
ALK = "Spożywanie alkoholu w miejscach niedozwolonych"
PARK = "Nieprawidłowe parkowanie"
# (beat index or None, category, status, reported_at). Period under test: 2018-01-01..2018-03-31
# (90 days); the previous period is 2017-10-03..2017-12-31.
REPORTS = [
    (0, PSY, "Nowe", "2018-01-05 10:00"),
    (0, PSY, "Potwierdzone", "2018-01-20 10:00"),
    (0, ALK, "Potwierdzone", "2018-02-01 00:00"),
    (0, PSY, "Nowe", "2018-03-31 23:59"),       # last minute of the period: counted
    (1, ALK, "Nowe", "2018-02-10 12:00"),
    (1, ALK, "Niepotwierdzone", "2018-02-11 12:00"),
    (1, PARK, "Nowe", "2018-03-01 08:00"),
    (2, PARK, "Nowe", "2018-01-02 09:00"),
    (2, PSY, "Nowe", "2018-01-03 09:00"),       # tie in beat 3: parkowanie comes first (sort order)
    (None, PSY, "Nowe", "2018-03-15 09:00"),    # outside every beat
    (0, PSY, "Nowe", "2018-04-01 00:00"),       # after the period
    (0, PSY, "Nowe", "2017-12-31 23:00"),       # previous period
    (1, ALK, "Nowe", "2017-10-03 00:00"),       # previous period, first day
    (2, ALK, "Nowe", "2017-10-02 23:59"),       # before the previous period
]
