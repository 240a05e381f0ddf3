"""The beat table query: current officers on a day and the 12-month report window edges."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from db.models import AssignmentRole, ThreatCategory, ThreatReport, ThreatStatus
from desktop.beats import assignments as svc
from desktop.beats.queries import beat_rows, find_beat, twelve_months_before, unit_beat_ids

D = dt.date


def test_twelve_month_window_start():
    assert twelve_months_before(D(2018, 10, 1)) == D(2017, 10, 2)
    assert twelve_months_before(D(2020, 2, 29)) == D(2019, 3, 1)
    assert twelve_months_before(D(2019, 1, 1)) == D(2018, 1, 2)


def test_reports_counted_inside_the_window_only(world):
    with world.db.session() as s, s.begin():
        cat = s.scalars(select(ThreatCategory)).first()
        st = s.scalars(select(ThreatStatus)).first()
        for when in (dt.datetime(2017, 10, 1, 23, 59),  # a day too early
                     dt.datetime(2017, 10, 2, 0, 0),  # first moment inside
                     dt.datetime(2018, 10, 1, 23, 59),  # last moment inside
                     dt.datetime(2018, 10, 2, 0, 0)):  # a day too late
            s.add(ThreatReport(category=cat, status=st, lat=52.3, lon=18.3, reported_at=when,
                               beat_id=world.beat1))
    rows = {r.id: r for r in beat_rows(world.db, D(2018, 10, 1))}
    assert rows[world.beat1].reports_12m == 2 and rows[world.beat2].reports_12m == 0


def test_current_officers_follow_the_day(world):
    svc.assign(world.db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER, D(2018, 1, 1))
    svc.assign(world.db, world.beat1, world.host_b, AssignmentRole.BEAT_OFFICER, D(2018, 7, 1))
    svc.add_substitute(world.db, world.beat1, world.host_c, AssignmentRole.BEAT_OFFICER,
                       D(2018, 8, 1), D(2018, 8, 31))

    def host(day):
        return {r.id: r for r in beat_rows(world.db, day)}[world.beat1].beat_officer

    assert host(D(2017, 12, 31)) == ""
    assert host(D(2018, 6, 30)) == "st. asp. Anna Łęcka"
    assert host(D(2018, 7, 1)) == "st. asp. Bogdan Nowak"
    assert host(D(2018, 8, 1)) == "st. asp. Cezary Żak (zastępstwo za st. asp. Bogdan Nowak)"
    assert host(D(2018, 9, 1)) == "st. asp. Bogdan Nowak"


def test_find_beat_and_unit_beats(world):
    assert find_beat(world.db, "1") == [(world.beat1, "KMP Konin")]
    assert find_beat(world.db, "1", "kmp konin") == [(world.beat1, "KMP Konin")]
    assert find_beat(world.db, "1", "Komenda Miejska Policji w Koninie")
    assert find_beat(world.db, "1", "KP Golina") == []
    assert unit_beat_ids(world.db, "KMP KONIN") == [world.beat1, world.beat2]
    assert unit_beat_ids(world.db, "nic") == []
