"""Officer roster: contact validation and add / edit / deactivate on a real database."""
from __future__ import annotations

import datetime as dt

import pytest

from db.models import AssignmentRole, OfficerRole
from desktop.beats import assignments as svc
from desktop.beats.officers import (
    OfficerData,
    OfficerError,
    create_officer,
    get_officer,
    is_valid_email,
    list_officers,
    normalise_phone,
    set_active,
    update_officer,
)

D = dt.date


@pytest.mark.parametrize("raw, expected", [
    ("600123456", "600 123 456"),
    ("+48 600-123-456", "600 123 456"),
    ("0048 600 123 456", "600 123 456"),
    ("63 240 12 00", "63 240 12 00"),
    ("(63) 240-12-00", "63 240 12 00"),
    ("0 63 240 12 00", "63 240 12 00"),
    ("47 771 12 00", "47 771 12 00"),
    ("", ""),
])
def test_polish_phone_formats_are_accepted_and_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "600 123 45", "6001234567", "+49 600 123 456",
                                 "abc", "600 123 456 wew. 2", "023 456 789"])
def test_bad_phones_are_refused(raw):
    assert normalise_phone(raw) is None


def test_email_validation():
    assert is_valid_email("jan.kowalski@po.policja.gov.pl")
    for bad in ["jan", "jan@", "@policja.pl", "jan kowalski@policja.pl", "jan@policja",
                "<img src=x onerror=alert(1)>@x.pl"]:
        assert not is_valid_email(bad), bad


def _data(**kw) -> OfficerData:
    base = dict(first_name="Jan", last_name="Żółkiewski", service_number="9001",
                role=OfficerRole.BEAT_OFFICER, rank="sierż.", mobile="+48600100200",
                email="jan.zolkiewski@kmp-konin.example")
    base.update(kw)
    return OfficerData(**base)


def test_create_edit_and_list(world):
    oid = create_officer(world.db, _data(unit_id=world.unit))
    row = get_officer(world.db, oid)
    assert row.mobile == "600 100 200" and row.unit == "KMP Konin" and row.active
    update_officer(world.db, oid, _data(unit_id=world.unit, phone="632401200", rank="st. sierż."))
    row = get_officer(world.db, oid)
    assert row.phone == "63 240 12 00" and row.rank == "st. sierż."


def test_validation_lists_every_problem_and_saves_nothing(world):
    before = len(list_officers(world.db))
    with pytest.raises(OfficerError) as info:
        create_officer(world.db, _data(first_name=" ", mobile="12", email="zly@", phone="x"))
    assert set(info.value.problems) == {"first_name", "mobile", "email", "phone"}
    assert "polskim numerem" in info.value.problems["mobile"]
    assert len(list_officers(world.db)) == before


def test_duplicate_service_number_is_refused(world):
    create_officer(world.db, _data())
    with pytest.raises(OfficerError, match="numerze służbowym"):
        create_officer(world.db, _data(first_name="Inny"))
    other = create_officer(world.db, _data(service_number="9002"))
    with pytest.raises(OfficerError, match="numerze służbowym"):
        update_officer(world.db, other, _data(service_number="9001"))


def test_officer_beats_are_listed(world):
    svc.assign(world.db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER, D(2018, 1, 1))
    svc.add_substitute(world.db, world.beat2, world.host_a, AssignmentRole.BEAT_OFFICER,
                       D(2018, 5, 1), D(2018, 5, 10))
    rows = {r.id: r for r in list_officers(world.db, on=D(2018, 5, 5))}
    assert rows[world.host_a].beats == "1. Ślesin – centrum; 2. Żychlin – zastępstwo"
    rows = {r.id: r for r in list_officers(world.db, on=D(2018, 5, 11))}
    assert rows[world.host_a].beats == "1. Ślesin – centrum"


def test_deactivation_ends_open_assignments_and_keeps_history(world):
    a = svc.assign(world.db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER,
                   D(2018, 1, 1))
    assert set_active(world.db, world.host_a, False, on=D(2018, 6, 30)) == 1
    assert not get_officer(world.db, world.host_a).active
    hist = svc.history(world.db, world.beat1)
    assert [(h.id, h.valid_to) for h in hist] == [(a.assignment_id, D(2018, 6, 30))]
    from desktop.beats.rules import RuleError
    with pytest.raises(RuleError, match="nieaktywny"):
        svc.assign(world.db, world.beat2, world.host_a, AssignmentRole.BEAT_OFFICER,
                   D(2018, 7, 1))
    set_active(world.db, world.host_a, True)
    assert get_officer(world.db, world.host_a).active


def test_role_change_refused_while_assignments_do_not_fit(world):
    svc.assign(world.db, world.beat1, world.traffic_x, AssignmentRole.TRAFFIC, D(2018, 1, 1))
    row = get_officer(world.db, world.traffic_x)
    data = row.data()
    data.role = OfficerRole.BEAT_OFFICER
    with pytest.raises(OfficerError, match="nowa funkcja nie pasuje"):
        update_officer(world.db, world.traffic_x, data)


def test_roster_is_in_polish_alphabetical_order(world):
    names = [r.last_name for r in list_officers(world.db)]
    # Drogowa, Inny, Łęcka (Ł after L, before N), Nieaktywna, Nowak, Ruch, Żak
    assert names == ["Drogowa", "Inny", "Łęcka", "Nieaktywna", "Nowak", "Ruch", "Żak"]
