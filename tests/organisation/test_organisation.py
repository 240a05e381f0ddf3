"""Units, gminas and beats edited on a real (empty) database: validation in Polish, beats
retired (never deleted) once they have history, the version check against lost updates."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import Assignment, AssignmentRole, GminaKind, Officer, OfficerRole, UnitKind
from desktop.beats.assignments import assign
from desktop.beats.queries import beat_rows
from desktop.common.conflicts import ConflictError
from desktop.organisation.beat_editor import (
    BeatData,
    create_beat,
    delete_beat,
    list_beats,
    restore_beat,
    retire_beat,
    update_beat,
)
from desktop.organisation.units import (
    GminaData,
    OrganisationError,
    UnitData,
    delete_gmina,
    delete_unit,
    list_gminas,
    list_units,
    save_gmina,
    save_unit,
)


def test_units_with_parent_address_and_phone(station):
    db, kmp = station
    golina = save_unit(db, None, UnitData("Komisariat Policji w Golinie", "KP Golina", kmp,
                                          "ul. Poznańska 1, 62-590 Golina", "+48 63 241 10 00"))
    rows = {r.id: r for r in list_units(db)}
    assert rows[golina].kind == UnitKind.STATION and rows[golina].parent == "KMP Konin"
    assert rows[golina].phone == "63 241 10 00" and rows[kmp].kind == UnitKind.COMMAND
    with pytest.raises(OrganisationError) as err:
        save_unit(db, None, UnitData("komisariat policji w golinie", "", None, "", "12"))
    assert set(err.value.problems) == {"name", "short_name", "phone"}
    assert "już jest" in err.value.problems["name"]
    with pytest.raises(OrganisationError, match="podlegać sobie"):
        save_unit(db, kmp, UnitData("Komenda Miejska Policji w Koninie", "KMP Konin", golina))
    with pytest.raises(OrganisationError, match="jednostki podległe"):
        delete_unit(db, kmp)
    delete_unit(db, golina)
    assert [r.id for r in list_units(db)] == [kmp]


def test_gminas_with_teryt_kind_and_unit(station):
    db, kmp = station
    gid = save_gmina(db, None, GminaData("Ślesin", GminaKind.URBAN_RURAL, "30 10 08 3", kmp))
    [row] = list_gminas(db)
    assert (row.id, row.teryt, row.unit) == (gid, "3010083", "KMP Konin")
    with pytest.raises(OrganisationError) as err:
        save_gmina(db, None, GminaData("ślesin", GminaKind.RURAL, "301008"))
    assert "7 cyfr" in err.value.problems["teryt"] and "już jest" in err.value.problems["name"]
    with pytest.raises(OrganisationError, match="ma już gmina Ślesin"):
        save_gmina(db, None, GminaData("Kramsk", GminaKind.RURAL, "3010083"))
    create_beat(db, BeatData(kmp, "1", "Ślesin", gid))
    with pytest.raises(OrganisationError, match="mają ją: rejony"):
        delete_gmina(db, gid)


def _officer(db, number: str) -> int:
    with db.session() as s, s.begin():
        o = Officer(first_name="Jan", last_name=f"K{number}", service_number=number,
                    role=OfficerRole.BEAT_OFFICER)
        s.add(o)
        s.flush()
        return o.id


def test_beats_numbered_uniquely_per_unit_renumbered_retired_and_deleted(station):
    db, kmp = station
    golina = save_unit(db, None, UnitData("Komisariat Policji w Golinie", "KP Golina", kmp))
    b1 = create_beat(db, BeatData(kmp, "1", "Starówka"))
    create_beat(db, BeatData(golina, "1", "Golina"))  # the same number in another unit is fine
    with pytest.raises(OrganisationError) as err:
        create_beat(db, BeatData(kmp, " 1 ", "Inny"))
    assert "KMP Konin ma już rejon nr 1 – „Starówka”" in err.value.problems["number"]
    with pytest.raises(OrganisationError) as err:
        create_beat(db, BeatData(kmp, "", " "))
    assert set(err.value.problems) == {"number", "name"}

    [entry] = [b for b in list_beats(db) if b.id == b1]
    v2 = update_beat(db, b1, BeatData(kmp, "101", "Starówka"), entry.version)
    with pytest.raises(ConflictError):  # a second workstation with the old version
        update_beat(db, b1, BeatData(kmp, "102", "Starówka"), entry.version)

    officer = _officer(db, "A1")
    assign(db, b1, officer, AssignmentRole.BEAT_OFFICER, dt.date(2026, 1, 1))
    with pytest.raises(OrganisationError, match="ma historię"):
        delete_beat(db, b1)
    ended = retire_beat(db, b1, dt.date(2026, 7, 1), v2)
    assert ended == 1
    with db.session() as s:
        a = s.scalar(select(Assignment).where(Assignment.beat_id == b1))
        assert a is not None and a.valid_to == dt.date(2026, 6, 30)
    # gone from the current list from the retirement day, still there before it
    assert b1 not in [r.id for r in beat_rows(db, dt.date(2026, 7, 1))]
    assert b1 in [r.id for r in beat_rows(db, dt.date(2026, 6, 30))]
    assert [b.retired_on for b in list_beats(db) if b.id == b1] == [dt.date(2026, 7, 1)]
    restore_beat(db, b1)
    assert b1 in [r.id for r in beat_rows(db, dt.date(2026, 8, 1))]

    spare = create_beat(db, BeatData(kmp, "7", "Pomyłka"))
    delete_beat(db, spare)
    assert spare not in [b.id for b in list_beats(db)]


def test_retire_refuses_when_a_later_assignment_exists(station):
    db, kmp = station
    beat = create_beat(db, BeatData(kmp, "3", "Zatorze"))
    assign(db, beat, _officer(db, "B2"), AssignmentRole.BEAT_OFFICER, dt.date(2026, 9, 1))
    with pytest.raises(OrganisationError, match="zaczynający się 01.09.2026"):
        retire_beat(db, beat, dt.date(2026, 8, 1))
    assert [b.retired_on for b in list_beats(db) if b.id == beat] == [None]
