"""A small hand-made command for the publication tests (fixture ``town``): a command with an address and a
station without one, beats with boundaries and streets, regular officers, a substitute, a
current and an old priority plan, and hostile text in the places residents will read."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from db.models import (
    AssignmentKind,
    AssignmentRole,
    Beat,
    Gmina,
    GminaKind,
    HouseSide,
    Officer,
    OfficerRole,
    Partner,
    PartnerType,
    PlanAction,
    PlanPartner,
    PriorityPlan,
    StreetRange,
    Unit,
    UnitKind,
)
from desktop.beats import assignments as svc

D = dt.date
ON = D(2018, 10, 1)
HOSTILE = "<script>alert(1)</script><img src=http://evil.example/x.png onerror=alert(2)>"
SQUARE = ('{"type":"Polygon","coordinates":[[[18.2,52.2],[18.3,52.2],[18.3,52.3],[18.2,52.3],'
          '[18.2,52.2]]]}')
EAST = ('{"type":"Polygon","coordinates":[[[18.3,52.2],[18.4,52.2],[18.4,52.3],[18.3,52.3],'
        '[18.3,52.2]]]}')
RESPONSIBLE = "Zdzisław Odpowiedzialny"  # the plan's responsible person: never published
SERVICE_NUMBERS = ("731945", "731946", "731947", "731948")


@dataclass
class Town:
    db: object
    command: int
    station: int
    beat1: int
    beat2: int
    retired: int
    station_beat: int


@pytest.fixture
def town(empty_db) -> Town:
    db = empty_db
    with db.session() as s, s.begin():
        command = Unit(name="Komenda Miejska Policji w Koninie", short_name="KMP Konin",
                       kind=UnitKind.COMMAND, address="ul. Wyszyńskiego 6, 62-510 Konin",
                       phone="47 771 12 00")
        station = Unit(name="Komisariat Policji w Ślesinie", short_name="KP Ślesin",
                       kind=UnitKind.STATION, parent=command)
        g = Gmina(name="Ślesin", kind=GminaKind.URBAN_RURAL)
        s.add_all([command, station, g])
        b1 = Beat(number="1", name="Łężyn – śródmieście", unit=command, gmina=g,
                  boundary=SQUARE, description="opis wewnętrzny: nie publikować")
        b2 = Beat(number="2", name=HOSTILE, unit=command, gmina=g, boundary=EAST)
        old = Beat(number="3", name="Wycofany", unit=command, gmina=g, retired_on=D(2018, 6, 1))
        sb = Beat(number="1", name="Ślesin", unit=station, gmina=g)
        s.add_all([b1, b2, old, sb])

        def off(first, last, no, role, **kw):
            o = Officer(rank="st. asp.", first_name=first, last_name=last, service_number=no,
                        role=role, unit=command, phone="47 771 25 95", mobile="600 100 200",
                        email=f"{first.lower()}.{last.lower()}@kmp-konin.example", **kw)
            s.add(o)
            return o

        host = off("Żaneta", "Gęślińska", SERVICE_NUMBERS[0], OfficerRole.BEAT_OFFICER)
        sub = off("Zenon", "Zastępczy", SERVICE_NUMBERS[1], OfficerRole.BEAT_OFFICER)
        traffic = off("Ryszard", "Drogowy", SERVICE_NUMBERS[2], OfficerRole.TRAFFIC)
        evil = off("Jan", HOSTILE, SERVICE_NUMBERS[3], OfficerRole.BEAT_OFFICER)
        partner = Partner(name="Stowarzyszenie „Bezpieczny Łężyn”", partner_type=PartnerType.NGO,
                          gmina=g, representative="Prezes Prywatny", phone="600 999 999")
        s.add(partner)
        s.flush()
        s.add_all([
            StreetRange(beat_id=b1.id, locality="Konin", street="ul. Żeromskiego",
                        street_key="zeromskiego", side=HouseSide.EVEN, number_from=2,
                        number_to=40),
            StreetRange(beat_id=b1.id, locality="Łężyn", street="", street_key=""),
        ])
        plan = PriorityPlan(beat_id=b1.id, officer_id=host.id, problem="Psy bez nadzoru",
                            goal="Mniej zgłoszeń o psach", period_from=D(2018, 8, 1),
                            period_to=D(2019, 1, 31))
        plan.actions.append(PlanAction(description="Debata społeczna w Łężynie",
                                       deadline=D(2018, 9, 15), responsible=RESPONSIBLE))
        plan.partners.append(PlanPartner(partner=partner))
        s.add(plan)
        s.add(PriorityPlan(beat_id=b1.id, problem="Stary problem", goal="Dawny cel",
                           period_from=D(2018, 2, 1), period_to=D(2018, 7, 31)))
        ids = (command.id, station.id, b1.id, b2.id, old.id, sb.id, host.id, sub.id,
               traffic.id, evil.id)
    command_id, station_id, b1, b2, old, sb, host, sub, traffic, evil = ids
    svc.assign(db, b1, host, AssignmentRole.BEAT_OFFICER, D(2018, 1, 1))
    svc.assign(db, b1, sub, AssignmentRole.BEAT_OFFICER, D(2018, 9, 20), D(2018, 10, 20),
               kind=AssignmentKind.SUBSTITUTE)
    svc.assign(db, b1, traffic, AssignmentRole.TRAFFIC, D(2018, 1, 1))
    svc.assign(db, b2, evil, AssignmentRole.BEAT_OFFICER, D(2018, 1, 1))
    return Town(db, command_id, station_id, b1, b2, old, sb)
