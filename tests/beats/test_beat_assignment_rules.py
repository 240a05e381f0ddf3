"""Assignment rules through the service layer on a real SQLite file."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import Assignment, AssignmentKind, AssignmentRole
from desktop.beats import assignments as svc
from desktop.beats.rules import RuleError, overlaps

D = dt.date
HOST = AssignmentRole.BEAT_OFFICER
TRAFFIC = AssignmentRole.TRAFFIC


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Assignment))


def _get(db, aid) -> Assignment:
    with db.session() as s:
        return s.get(Assignment, aid)


def test_overlaps_is_inclusive_on_both_ends():
    assert overlaps(D(2018, 1, 1), D(2018, 1, 31), D(2018, 1, 31), None)
    assert not overlaps(D(2018, 1, 1), D(2018, 1, 30), D(2018, 1, 31), None)
    assert overlaps(D(2018, 1, 1), None, D(2030, 1, 1), D(2030, 1, 2))


def test_reassignment_ends_previous_the_day_before(world):
    first = svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 1, 1))
    second = svc.assign(world.db, world.beat1, world.host_b, HOST, D(2018, 3, 1))
    assert second.closed == {first.assignment_id: D(2018, 2, 28)}
    assert _get(world.db, first.assignment_id).valid_to == D(2018, 2, 28)
    r = svc.who_was_responsible(world.db, world.beat1, D(2018, 2, 28))
    assert r.beat_officer.acting.officer_id == world.host_a
    r = svc.who_was_responsible(world.db, world.beat1, D(2018, 3, 1))
    assert r.beat_officer.acting.officer_id == world.host_b
    # history is kept: both records still exist
    assert [h.officer_id for h in svc.history(world.db, world.beat1)] == [world.host_b,
                                                                          world.host_a]


def test_reassignment_on_the_same_start_day_is_refused(world):
    svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 1, 1))
    with pytest.raises(RuleError, match="nie mogą się pokrywać"):
        svc.assign(world.db, world.beat1, world.host_b, HOST, D(2018, 1, 1))
    assert _count(world.db) == 1


def test_new_period_before_an_existing_one_may_not_overlap(world):
    svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 3, 1))
    with pytest.raises(RuleError, match="nachodzi"):
        svc.assign(world.db, world.beat1, world.host_b, HOST, D(2018, 1, 1), D(2018, 3, 1))
    ok = svc.assign(world.db, world.beat1, world.host_b, HOST, D(2018, 1, 1), D(2018, 2, 28))
    assert ok.closed == {}


def test_period_inside_an_open_assignment_must_be_a_substitute(world):
    svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 1, 1))
    with pytest.raises(RuleError, match="zastępstwo"):
        svc.assign(world.db, world.beat1, world.host_b, HOST, D(2018, 5, 1), D(2018, 5, 14))
    assert _count(world.db) == 1


def test_same_officer_twice_is_refused(world):
    svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 1, 1))
    with pytest.raises(RuleError, match="jest już dzielnicowym"):
        svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 6, 1))


def test_one_host_and_one_traffic_officer_per_day_independently(world):
    svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 1, 1))
    svc.assign(world.db, world.beat1, world.traffic_x, TRAFFIC, D(2018, 1, 1))
    r = svc.who_was_responsible(world.db, world.beat1, D(2018, 1, 1))
    assert r.beat_officer.acting.officer_id == world.host_a
    assert r.traffic.acting.officer_id == world.traffic_x
    assert svc.who_was_responsible(world.db, world.beat1, D(2017, 12, 31)).traffic.acting is None


def test_role_must_fit(world):
    with pytest.raises(RuleError, match="Wydziału Ruchu Drogowego"):
        svc.assign(world.db, world.beat1, world.host_a, TRAFFIC, D(2018, 1, 1))
    with pytest.raises(RuleError, match="nie jest dzielnicowym"):
        svc.assign(world.db, world.beat1, world.traffic_x, HOST, D(2018, 1, 1))
    with pytest.raises(RuleError, match="nie jest dzielnicowym"):
        svc.assign(world.db, world.beat1, world.other, HOST, D(2018, 1, 1))
    with pytest.raises(RuleError, match="nieaktywny"):
        svc.assign(world.db, world.beat1, world.inactive, HOST, D(2018, 1, 1))
    assert _count(world.db) == 0


def test_traffic_officer_may_cover_several_beats_without_warning(world):
    svc.assign(world.db, world.beat1, world.traffic_x, TRAFFIC, D(2018, 1, 1))
    r = svc.assign(world.db, world.beat2, world.traffic_x, TRAFFIC, D(2018, 1, 1))
    assert r.warnings == []


def test_host_of_two_beats_is_a_warning_not_an_error(world):
    svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 1, 1))
    r = svc.assign(world.db, world.beat2, world.host_a, HOST, D(2018, 6, 1))
    assert len(r.warnings) == 1 and "więcej niż jeden rejon" in r.warnings[0]
    # no overlap in time: no warning
    svc.end_assignment(world.db, r.assignment_id, D(2018, 6, 30))
    r2 = svc.assign(world.db, world.beat2, world.host_b, HOST, D(2018, 7, 1))
    assert r2.warnings == []


def test_substitute_covers_leave_without_ending_the_assignment(world):
    regular = svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 1, 1))
    sub = svc.add_substitute(world.db, world.beat1, world.host_b, HOST, D(2018, 7, 1),
                             D(2018, 7, 14), note="urlop")
    assert sub.closed == {} and sub.warnings == []
    assert _get(world.db, regular.assignment_id).valid_to is None
    for day, acting, is_sub in [(D(2018, 6, 30), world.host_a, False),
                                (D(2018, 7, 1), world.host_b, True),
                                (D(2018, 7, 14), world.host_b, True),
                                (D(2018, 7, 15), world.host_a, False)]:
        r = svc.who_was_responsible(world.db, world.beat1, day).beat_officer
        assert r.acting.officer_id == acting, day
        assert r.is_substitute is is_sub
        assert r.regular.officer_id == world.host_a
    with pytest.raises(RuleError, match="nie mogą się pokrywać"):
        svc.add_substitute(world.db, world.beat1, world.host_c, HOST, D(2018, 7, 14),
                           D(2018, 7, 20))
    with pytest.raises(RuleError, match="sam siebie"):
        svc.add_substitute(world.db, world.beat1, world.host_a, HOST, D(2018, 8, 1),
                           D(2018, 8, 2))
    with pytest.raises(RuleError, match="datę końca"):
        svc.assign(world.db, world.beat1, world.host_c, HOST, D(2018, 8, 1), None,
                   kind=AssignmentKind.SUBSTITUTE)
    # a substitute does not count as an overlap for a later reassignment
    svc.assign(world.db, world.beat1, world.host_c, HOST, D(2018, 9, 1))
    assert _get(world.db, regular.assignment_id).valid_to == D(2018, 8, 31)


def test_substitute_without_a_regular_officer_warns(world):
    r = svc.add_substitute(world.db, world.beat1, world.host_b, HOST, D(2018, 7, 1),
                           D(2018, 7, 2))
    assert r.warnings and "nie ma stałego" in r.warnings[0]


def test_end_assignment_checks_dates_and_keeps_record(world):
    a = svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 1, 10))
    with pytest.raises(RuleError, match="przed swoim początkiem"):
        svc.end_assignment(world.db, a.assignment_id, D(2018, 1, 9))
    svc.end_assignment(world.db, a.assignment_id, D(2018, 1, 10))  # a one-day assignment
    assert svc.who_was_responsible(world.db, world.beat1, D(2018, 1, 10)).beat_officer.acting
    assert svc.who_was_responsible(world.db, world.beat1,
                                   D(2018, 1, 11)).beat_officer.acting is None
    with pytest.raises(RuleError, match="kończy się już"):
        svc.end_assignment(world.db, a.assignment_id, D(2018, 2, 1))
    assert _count(world.db) == 1


def test_end_date_before_start_is_refused(world):
    with pytest.raises(RuleError, match="wcześniejsza"):
        svc.assign(world.db, world.beat1, world.host_a, HOST, D(2018, 2, 1), D(2018, 1, 31))


def test_sample_history_answers_who_was_responsible(sample_db):
    from db.models import Beat
    with sample_db.session() as s:
        beat_ids = list(s.scalars(select(Beat.id).order_by(Beat.id)))
    # in the sample every 4th beat (index 1, 5, ...) changed hands during 2018
    changed = svc.history(sample_db, beat_ids[1])
    hosts = [h for h in changed if h.role == HOST]
    assert len(hosts) == 2
    new, old = hosts
    assert old.valid_to == new.valid_from - dt.timedelta(days=1)
    r = svc.who_was_responsible(sample_db, beat_ids[1], old.valid_to)
    assert r.beat_officer.acting.officer_id == old.officer_id
    r = svc.who_was_responsible(sample_db, beat_ids[1], new.valid_from)
    assert r.beat_officer.acting.officer_id == new.officer_id
