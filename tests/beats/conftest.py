"""Fixtures of the beats tests: a small hand-made structure on an empty database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from db.models import Beat, Gmina, GminaKind, Officer, OfficerRole, Unit, UnitKind

D = dt.date


@dataclass
class World:
    db: object
    unit: int
    beat1: int
    beat2: int
    host_a: int
    host_b: int
    host_c: int
    traffic_x: int
    traffic_y: int
    other: int
    inactive: int


@pytest.fixture
def world(empty_db) -> World:
    with empty_db.session() as s, s.begin():
        unit = Unit(name="Komenda Miejska Policji w Koninie", short_name="KMP Konin",
                    kind=UnitKind.COMMAND, address="ul. Wyszyńskiego 6, 62-510 Konin")
        g = Gmina(name="Ślesin", kind=GminaKind.URBAN_RURAL)
        s.add_all([unit, g])
        b1 = Beat(number="1", name="Ślesin – centrum", unit=unit, gmina=g)
        b2 = Beat(number="2", name="Żychlin", unit=unit, gmina=g)
        s.add_all([b1, b2])

        def off(first, last, no, role, active=True):
            o = Officer(rank="st. asp.", first_name=first, last_name=last, service_number=no,
                        role=role, unit=unit, mobile="600 100 200",
                        email=f"{no}@kmp-konin.example", active=active)
            s.add(o)
            return o

        people = [off("Anna", "Łęcka", "1", OfficerRole.BEAT_OFFICER),
                  off("Bogdan", "Nowak", "2", OfficerRole.BEAT_OFFICER),
                  off("Cezary", "Żak", "3", OfficerRole.BEAT_OFFICER),
                  off("Xawery", "Ruch", "4", OfficerRole.TRAFFIC),
                  off("Yvonne", "Drogowa", "5", OfficerRole.TRAFFIC),
                  off("Olaf", "Inny", "6", OfficerRole.OTHER),
                  off("Ida", "Nieaktywna", "7", OfficerRole.BEAT_OFFICER, active=False)]
        s.flush()
        ids = [unit.id, b1.id, b2.id] + [p.id for p in people]
    return World(empty_db, *ids)
