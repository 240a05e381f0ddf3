"""A retired beat's number may go to a new beat of the same unit (migration 0007: unique among
current beats only, in the editor and in the database itself); reports are assigned to current
beats only; an import that meets a beat created meanwhile changes nothing."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus
from desktop.beats.boundaries import BoundaryError, read_boundaries
from desktop.beats.boundary_import import ImportOptions, match_beats, save_boundaries
from desktop.organisation.beat_editor import BeatData, create_beat, restore_beat, retire_beat
from desktop.organisation.units import OrganisationError
from desktop.threats.assignment import reassign_reports
from tests.beats.boundary_files import EAST, WEST, geojson_2180


def test_retired_number_is_free_for_a_new_beat_but_not_twice(world):
    with pytest.raises(OrganisationError, match="ma już rejon nr 2"):
        create_beat(world.db, BeatData(world.unit, "2", "Żychlin bis"))
    retire_beat(world.db, world.beat2, dt.date(2024, 1, 1))
    new = create_beat(world.db, BeatData(world.unit, "2", "Żychlin nowy"))
    assert new != world.beat2
    with pytest.raises(OrganisationError, match="ma już rejon nr 2 – „Żychlin nowy”"):
        create_beat(world.db, BeatData(world.unit, "2", "Trzeci"))
    # the old beat cannot come back while its number is taken
    with pytest.raises(OrganisationError, match="ma już rejon nr 2 – „Żychlin nowy”"):
        restore_beat(world.db, world.beat2)
    with world.db.session() as s:
        assert s.get(Beat, world.beat2).retired_on == dt.date(2024, 1, 1)


def test_the_database_itself_allows_one_current_beat_per_number(world):
    retire_beat(world.db, world.beat2, dt.date(2024, 1, 1))
    with world.db.session() as s, s.begin():  # raw rows, past the editor's checks
        s.execute(insert(Beat), [{"unit_id": world.unit, "number": "2", "name": "nowy"}])
    with pytest.raises(IntegrityError), world.db.session() as s, s.begin():
        s.execute(insert(Beat), [{"unit_id": world.unit, "number": "2", "name": "drugi"}])
    with pytest.raises(IntegrityError), world.db.session() as s, s.begin():
        s.execute(insert(Beat), [{"unit_id": world.unit, "number": "1", "name": "drugi"}])


def test_reports_go_to_current_beats_only(world):
    with world.db.session() as s, s.begin():
        for bid in (world.beat1, world.beat2):
            s.get(Beat, bid).boundary = json.dumps(
                {"type": "Polygon", "coordinates": [list(WEST.exterior.coords)]})
        s.add(ThreatReport(source_id="R1", category=s.scalars(select(ThreatCategory)).first(),
                           status=s.scalars(select(ThreatStatus)).first(), lon=18.29,
                           lat=52.37, reported_at=dt.datetime(2024, 3, 1, 12, 0)))
    retire_beat(world.db, world.beat1, dt.date(2024, 1, 1))
    reassign_reports(world.db)
    with world.db.session() as s:
        assert s.scalars(select(ThreatReport.beat_id)).one() == world.beat2


def test_a_beat_created_meanwhile_stops_the_whole_save(world, tmp_path):
    path = geojson_2180(tmp_path / "r.geojson", [({"nr": "1"}, WEST), ({"nr": "101"}, EAST)])
    preview = match_beats(world.db, read_boundaries(path), ImportOptions(create=True))
    assert [f.action for f in preview.features] == ["update", "create"]
    create_beat(world.db, BeatData(world.unit, "101", "Ktoś inny"))  # another workstation
    with pytest.raises(BoundaryError, match="101. Rejon 101 dodano w międzyczasie"):
        save_boundaries(world.db, preview)
    with world.db.session() as s:
        assert s.get(Beat, world.beat1).boundary is None  # nothing half-saved


def test_a_cancelled_save_changes_nothing(world, tmp_path):
    path = geojson_2180(tmp_path / "r.geojson", [({"nr": "1"}, WEST), ({"nr": "2"}, EAST)])
    preview = match_beats(world.db, read_boundaries(path))
    looks = iter([False, True])
    with pytest.raises(BoundaryError, match="Przerwano – nic nie zapisano"):
        save_boundaries(world.db, preview, lambda: next(looks, True))
    with world.db.session() as s:
        assert s.get(Beat, world.beat1).boundary is None
