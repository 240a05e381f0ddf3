"""What "Twój dzielnicowy" publishes: official contacts only, the regular officers, the
current priorities, the unit's address (or its parent's)."""
from __future__ import annotations

import dataclasses

import pytest

from db.models import Officer, Unit
from desktop.publish import content
from desktop.publish.content import (
    OFFICER_NEVER,
    OFFICER_PUBLISHED,
    UNIT_NEVER,
    UNIT_PUBLISHED,
    OfficialContact,
    OfficialUnit,
    PublishError,
    collect,
    official_contact,
    unit_beats,
)
from desktop.publish.leaflet import document
from desktop.publish.site import build_site
from tests.publish.town import ON, RESPONSIBLE, SERVICE_NUMBERS


def test_every_officer_and_unit_column_is_classified_published_or_never():
    """A new column stays unpublished until someone decides it is an official contact."""
    officer_cols = {c.name for c in Officer.__table__.columns}
    assert set(OFFICER_PUBLISHED) | OFFICER_NEVER == officer_cols
    assert not set(OFFICER_PUBLISHED) & OFFICER_NEVER
    unit_cols = {c.name for c in Unit.__table__.columns}
    assert set(UNIT_PUBLISHED) | UNIT_NEVER == unit_cols
    assert not set(UNIT_PUBLISHED) & UNIT_NEVER
    assert [f.name for f in dataclasses.fields(OfficialContact)] == list(OFFICER_PUBLISHED)
    assert [f.name for f in dataclasses.fields(OfficialUnit)] == list(UNIT_PUBLISHED)
    assert "service_number" in OFFICER_NEVER


def test_official_contact_takes_only_the_published_columns():
    o = Officer(rank="asp.", first_name="Anna", last_name="Łęcka", service_number="123456",
                phone=" 47 1 ", mobile="", email="a@kmp.example")
    c = official_contact(o)
    assert c == OfficialContact("asp.", "Anna", "Łęcka", "47 1", "", "a@kmp.example")
    assert c.name == "asp. Anna Łęcka"
    assert "123456" not in repr(c)


def test_collect_reads_the_regular_officers_streets_and_current_priorities(town):
    (item,) = collect(town.db, [town.beat1], ON)
    # a substitute covers 20.09-20.10 but the leaflet names the regular dzielnicowy
    assert item.beat_officer.name == "st. asp. Żaneta Gęślińska"
    assert item.traffic.name == "st. asp. Ryszard Drogowy"
    assert item.unit.address == "ul. Wyszyńskiego 6, 62-510 Konin" and item.parent_unit is None
    assert [loc for loc, _ in item.streets] == ["Konin", "Łężyn"]  # Polish order
    assert item.streets[1][1] == ("cała miejscowość",)
    assert "Żeromskiego" in item.streets[0][1][0]
    (p,) = item.priorities  # the plan of February-July is over on 1 October
    assert (p.problem, p.goal) == ("Psy bez nadzoru", "Mniej zgłoszeń o psach")
    assert p.actions[0][0] == "Debata społeczna w Łężynie"
    assert p.partners == ("Stowarzyszenie „Bezpieczny Łężyn”",)
    assert "<svg" in item.map_svg and "Brak granic" not in item.map_svg
    assert item.sample is False


def test_a_station_without_address_shows_its_command(town):
    (item,) = collect(town.db, [town.station_beat], ON)
    assert item.beat_officer is None and item.traffic is None
    # a station without address and phone shows its command's
    assert item.parent_unit == OfficialUnit("Komenda Miejska Policji w Koninie", "KMP Konin",
                                            "ul. Wyszyńskiego 6, 62-510 Konin", "47 771 12 00")


def test_unit_beats_leave_out_retired_beats_and_keep_number_order(town):
    assert unit_beats(town.db, town.command, ON) == [town.beat1, town.beat2]
    assert unit_beats(town.db, town.station, ON) == [town.station_beat]
    assert content.find_unit(town.db, "kp slesin") == town.station
    with pytest.raises(PublishError, match="Nie ma jednostki"):
        content.find_unit(town.db, "KP Nigdzie")
    with pytest.raises(PublishError, match="Nie ma rejonu"):
        collect(town.db, [town.beat1, 999_999], ON)
    with pytest.raises(PublishError):
        collect(town.db, [], ON)


def test_no_personal_data_beyond_official_contacts_anywhere(town):
    items = collect(town.db, unit_beats(town.db, town.command, ON), ON)
    texts = list(build_site(items).values()) + [document(items).html]
    for text in texts:
        for number in SERVICE_NUMBERS:
            assert number not in text
        assert RESPONSIBLE not in text  # the plan's responsible person
        assert "Prezes Prywatny" not in text and "600 999 999" not in text  # partner's people
        assert "nie publikować" not in text  # the beat's internal description
        assert "użytkownik" not in text  # no login name of whoever printed it
    page = "".join(texts)
    assert "żaneta.gęślińska@kmp-konin.example" in page and "600 100 200" in page
