"""The activities log service on the real sample database: validation with Polish messages,
nothing half-saved, filters, diacritics-free search, versions and conflicts."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from activity_helpers import WHEN
from sqlalchemy import func, select

from db.models import Activity, ActivityKind, activity_beats, activity_officers
from desktop.activities.service import (
    ActivityError,
    ActivityFilter,
    ActivityInput,
    create_activity,
    delete_activity,
    get_activity,
    list_activities,
    update_activity,
)
from desktop.common.conflicts import ConflictError


def _input(world, **changes) -> ActivityInput:
    base = ActivityInput(
        kind=ActivityKind.MEETING, title="Dzielnicowy bliżej nas – Ślesin", starts_at=WHEN,
        ends_at=WHEN + dt.timedelta(hours=2), place="Świetlica w Ślesinie",
        beat_ids=(world.beat,), officer_ids=(world.officer,), partner_ids=(world.partner,),
        category_ids=(world.category,), attendance=31, outcome="Wskazano miejsca zagrożeń.",
        follow_up="Patrole w weekendy.", plan_id=world.plan)
    return dataclasses.replace(base, **changes)


def _count(db) -> tuple[int, int, int]:
    with db.session() as s:
        return (s.scalar(select(func.count()).select_from(Activity)),
                s.scalar(select(func.count()).select_from(activity_beats)),
                s.scalar(select(func.count()).select_from(activity_officers)))


def test_create_and_read_back_everything(sample_db, world):
    row = create_activity(sample_db, _input(world, title="  Spotkanie  "))
    again = get_activity(sample_db, row.id)
    assert again == row and row.version == 1 and row.title == "Spotkanie"
    assert [b.id for b in row.beats] == [world.beat]
    assert [o.id for o in row.officers] == [world.officer]
    assert [p.id for p in row.partners] == [world.partner]
    assert [c.id for c in row.categories] == [world.category]
    assert row.attendance == 31 and row.plan_id == world.plan and row.plan
    assert row.to_input() == _input(world, title="Spotkanie")


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": "   "}, "Podaj temat działania."),
    ({"title": "x" * 301}, "najwyżej 300 znaków"),
    ({"beat_ids": ()}, "co najmniej jeden rejon"),
    ({"officer_ids": ()}, "co najmniej jednego funkcjonariusza"),
    ({"ends_at": WHEN - dt.timedelta(minutes=1)}, "nie może być wcześniejszy"),
    ({"attendance": -3}, "Liczba uczestników"),
    ({"kind": ActivityKind.JOINT_ACTION, "partner_ids": ()}, "wymaga wskazania partnera"),
    ({"kind": ActivityKind.TRAFFIC_PATROL}, "Wydziału Ruchu Drogowego"),
    ({"beat_ids": (999_999,)}, "rejon już nie istnieje"),
    ({"partner_ids": (999_999,)}, "partner już nie istnieje"),
    ({"plan_id": 999_999}, "plan działania priorytetowego już nie istnieje"),
])
def test_bad_input_has_a_polish_message_and_changes_nothing(sample_db, world, changes, message):
    before = _count(sample_db)
    with pytest.raises(ActivityError, match=message):
        create_activity(sample_db, _input(world, **changes))
    assert _count(sample_db) == before


def test_plan_must_belong_to_one_of_the_beats(sample_db, world):
    with pytest.raises(ActivityError, match="dotyczy innego rejonu"):
        create_activity(sample_db, _input(world, beat_ids=(world.other_beat,)))
    row = create_activity(sample_db, _input(world, beat_ids=(world.other_beat, world.beat)))
    assert {b.id for b in row.beats} == {world.other_beat, world.beat}


def test_traffic_patrol_with_the_traffic_officer_is_accepted(sample_db, world):
    row = create_activity(sample_db, _input(world, kind=ActivityKind.TRAFFIC_PATROL,
                                            officer_ids=(world.officer, world.traffic)))
    assert row.kind is ActivityKind.TRAFFIC_PATROL


def test_update_raises_version_even_for_links_only_and_refuses_stale_versions(sample_db, world):
    row = create_activity(sample_db, _input(world))
    changed = update_activity(sample_db, row.id, _input(world, partner_ids=()), row.version)
    assert changed.version == row.version + 1 and changed.partners == ()
    with pytest.raises(ConflictError) as caught:
        update_activity(sample_db, row.id, _input(world, title="Moja zmiana"), row.version)
    assert caught.value.current_version == changed.version
    assert any(d.label == "Temat" for d in caught.value.differences)
    assert get_activity(sample_db, row.id).title == row.title
    # overwrite on purpose: save over the version now stored
    final = update_activity(sample_db, row.id, _input(world, title="Moja zmiana"),
                            caught.value.current_version)
    assert final.title == "Moja zmiana"


def test_delete_removes_links_and_refuses_stale_or_missing(sample_db, world):
    before = _count(sample_db)
    row = create_activity(sample_db, _input(world))
    newer = update_activity(sample_db, row.id, _input(world, attendance=5), row.version)
    with pytest.raises(ConflictError):
        delete_activity(sample_db, row.id, row.version)
    delete_activity(sample_db, row.id, newer.version)
    assert _count(sample_db) == before
    with pytest.raises(ConflictError, match="usunął"):
        delete_activity(sample_db, row.id, newer.version)
    with pytest.raises(ConflictError, match="usunął"):
        update_activity(sample_db, row.id, _input(world), newer.version)


def test_filters_and_search_ignore_diacritics(sample_db, world):
    mine = create_activity(sample_db, _input(world))
    everything = list_activities(sample_db)
    assert everything[0].id == mine.id  # newest first (2019 after the sample's 2018)
    assert [r.starts_at for r in everything] == sorted((r.starts_at for r in everything),
                                                       reverse=True)

    def ids(**kw) -> set[int]:
        return {r.id for r in list_activities(sample_db, ActivityFilter(**kw))}

    def expected(pred) -> set[int]:
        return {r.id for r in everything if pred(r)}

    assert ids(date_from=dt.date(2019, 3, 14), date_to=dt.date(2019, 3, 14)) == {mine.id}
    assert ids(date_from=dt.date(2018, 6, 1), date_to=dt.date(2018, 6, 30)) == expected(
        lambda r: dt.date(2018, 6, 1) <= r.starts_at.date() <= dt.date(2018, 6, 30))
    assert ids(beat_id=world.beat) == expected(lambda r: world.beat in {b.id for b in r.beats})
    assert ids(kind=ActivityKind.DEBATE) == expected(lambda r: r.kind is ActivityKind.DEBATE)
    assert ids(officer_id=world.officer) == expected(
        lambda r: world.officer in {o.id for o in r.officers})
    assert ids(partner_id=world.partner) == expected(
        lambda r: world.partner in {p.id for p in r.partners})
    assert mine.id in ids(text="swietlica slesinie")
    assert ids(text="SWIETLICA ŚLESINIE") == ids(text="świetlica slesinie")
    assert ids(text="swietlica nieistniejace") == set()
    assert len(ids(kind=ActivityKind.DEBATE)) > 0


def test_sample_has_a_deterministic_set_of_2018_activities(sample_db):
    rows = list_activities(sample_db)
    assert len(rows) == 72
    assert all(r.starts_at.year == 2018 for r in rows)
    assert {r.kind for r in rows} == set(ActivityKind)
    assert any(r.plan_id is not None for r in rows)
    patrols = [r for r in rows if r.kind is ActivityKind.TRAFFIC_PATROL]
    assert patrols and all(len(r.officers) >= 2 for r in patrols)


def test_a_partner_removed_from_the_register_is_refused_for_new_links(sample_db, world):
    from db.models import Partner

    kept = create_activity(sample_db, _input(world))
    with sample_db.session() as s, s.begin():
        partner = s.get(Partner, world.partner)
        assert partner is not None
        partner.deleted_at = dt.datetime(2019, 4, 1)
    with pytest.raises(ActivityError, match="usunięty z rejestru"):
        create_activity(sample_db, _input(world))
    # the activity that already had it keeps it when edited
    again = update_activity(sample_db, kept.id, _input(world, attendance=40), kept.version)
    assert [p.id for p in again.partners] == [world.partner]
