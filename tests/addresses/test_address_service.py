"""Import of PRG address points on both engines, the lookup by point-in-beat and the
consistency check against the street register."""
from __future__ import annotations

import csv

import pytest
from sqlalchemy import select

from db.models import AddressPoint
from desktop.addresses.prg import PrgCancelled, PrgError
from desktop.addresses.service import (
    DISAGREES,
    OUTSIDE,
    check_consistency,
    export_check_csv,
    find_officer,
    import_addresses,
)
from desktop.beats.register import find_officer as find_in_register

from .prg_fixture import KONIN, csv_text, gml_2012, gml_2021, konin_points


def _rows(db):
    with db.session() as s:
        return sorted((p.prg_id, p.teryt, p.locality, p.street, p.number, p.postal_code,
                       round(p.easting, 2), round(p.northing, 2), round(p.lon, 6),
                       round(p.lat, 6)) for p in s.scalars(select(AddressPoint)))


@pytest.fixture
def points(sample_db):
    return konin_points(sample_db)


@pytest.fixture
def imported(sample_db, points, tmp_path):
    path = tmp_path / "konin.gml"
    path.write_text(gml_2021(points), "utf-8")
    import_addresses(sample_db, path)
    return sample_db


def test_import_then_reimport_updates_instead_of_duplicating(sample_db, points, tmp_path):
    path = tmp_path / "konin.gml"
    path.write_text(gml_2021(points), "utf-8")
    seen = []
    first = import_addresses(sample_db, path, progress=lambda pct, text: seen.append(pct))
    assert (first.added, first.updated, first.unchanged, first.removed) == (10, 0, 0, 0)
    assert first.gminas == ("3010023", "3011011", "3023011", KONIN)
    assert seen[0] == 0 and seen[-1] == 100
    before = _rows(sample_db)
    assert len(before) == 10
    again = import_addresses(sample_db, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 10)
    assert _rows(sample_db) == before
    # The same points from the old model: the ids match, only the status changes.
    old = tmp_path / "konin_2012.gml"
    old.write_text(gml_2012(points), "utf-8")
    summary = import_addresses(sample_db, old)
    assert (summary.added, summary.updated) == (0, 10)
    assert _rows(sample_db) == before


def test_reimport_of_a_gmina_removes_what_left_the_register(imported, points, tmp_path):
    # Konin only, without Plac Wolności 1: that point goes, other gminas stay.
    konin = [p for p in points if p.teryt == KONIN and p.key != "plac1"]
    path = tmp_path / "konin.csv"
    path.write_text(csv_text(konin), "utf-8")
    summary = import_addresses(imported, path)
    assert (summary.removed, summary.imported, summary.added, summary.gminas) == (1, 6, 0, (KONIN,))
    left = {r[4] + r[2] for r in _rows(imported)}
    assert "1Konin" not in left and "3bGolina" in left and len(left) == 9


def test_refused_rows_are_listed_and_not_removed(imported, points, tmp_path):
    konin = [p for p in points if p.teryt == KONIN]
    text = csv_text(konin).replace(";Źródlana;", ";Źródlana;").replace(";4;62-500", ";;62-500")
    path = tmp_path / "k.csv"
    path.write_text(text, "cp1250")
    summary = import_addresses(imported, path)
    assert summary.refused_count == 1
    assert summary.refused[0].reason == "brak numeru porządkowego"
    assert summary.removed == 0  # a refused row is not "gone from the register"
    assert len(_rows(imported)) == 10


HOSTILE = {
    "malformed.gml": "<?xml version='1.0'?><gml:FeatureCollection xmlns:gml='x'><a>",
    "laughs.gml": ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbbbbbb">'
                   '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><a>&c;</a>'),
    "degrees.csv": "lokalny_id;teryt_gmina;miejscowosc;ulica;numer_porzadkowy;x_epsg_2180;"
                   "y_epsg_2180\nx1;3062011;Konin;ul. Kolejowa;1;18.25;52.22\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_leave_the_database_unchanged(imported, tmp_path, name):
    before = _rows(imported)
    path = tmp_path / name
    path.write_text(HOSTILE[name], "utf-8")
    with pytest.raises(PrgError):
        import_addresses(imported, path)
    assert _rows(imported) == before


def test_too_many_points_leave_the_database_unchanged(imported, points, tmp_path,
                                                      monkeypatch):
    from desktop.common import limits

    monkeypatch.setattr(limits, "MAX_ADDRESS_POINTS", 5)
    before = _rows(imported)
    path = tmp_path / "many.gml"
    path.write_text(gml_2021(points), "utf-8")
    with pytest.raises(PrgError, match="więcej niż 5"):
        import_addresses(imported, path)
    assert _rows(imported) == before


def test_cancel_while_saving_rolls_back(imported, points, tmp_path):
    before = _rows(imported)
    moved = [p.__class__(**{**p.__dict__, "easting": p.easting + 1}) for p in points]
    path = tmp_path / "moved.gml"
    path.write_text(gml_2021(moved), "utf-8")
    calls = []

    def cancelled() -> bool:  # cancel once the write has begun (after "Zapis …")
        return bool(calls) and calls[-1] >= 70

    with pytest.raises(PrgCancelled):
        import_addresses(imported, path, progress=lambda pct, _t: calls.append(pct),
                         cancelled=cancelled)
    assert calls[-1] >= 70
    assert _rows(imported) == before


def test_lookup_answers_by_point_and_falls_back_to_the_register(imported):
    db = imported
    # Kolejowa 12: the register says beat 2 (even numbers), the point lies in beat 5.
    assert [r.beat.split(".")[0] for r in find_in_register(db, "Konin", "ul. Kolejowa", "12")] \
        == ["2"]
    (hit,) = find_officer(db, "konin", "Kolejowa", "12")
    assert hit.beat.startswith("5. Konin – rejon 5")
    assert hit.matched == "punkt adresowy PRG: Konin, ul. Kolejowa 12, 62-510"
    assert hit.beat_officer is not None
    # A street the register does not know, found by its registered point.
    (hit,) = find_officer(db, "Konin", "ul. Źródlana", "4")
    assert hit.beat.startswith("4.") and "PRG" in hit.matched
    # 7A written as "7 a"; Golina (a whole-locality beat) by its point too.
    (hit,) = find_officer(db, "Konin", "Przemysłowa", "7 a")
    assert hit.beat.startswith("5.")
    (hit,) = find_officer(db, "Golina", "Świętojańska", "3B")
    assert hit.beat.startswith("1. Gmina Golina") and "PRG" in hit.matched
    # Not registered: the street register answers.
    (hit,) = find_officer(db, "Konin", "Aleje 1 Maja", "30")
    assert hit.beat.startswith("1.") and hit.matched == "Aleje 1 Maja (od 1 do 40)"
    # Registered but outside every beat, unknown to the register: no beat.
    assert find_officer(db, "Koło", "ul. Toruńska", "15") == []


def test_check_lists_outside_and_disagreeing_addresses(imported, tmp_path):
    report = check_consistency(imported)
    assert report.checked == 10
    assert sorted((r.problem, r.address, r.geometry_beat, r.register_beat)
                  for r in report.rows) == [
        (DISAGREES, "Konin, ul. Kolejowa 12", "KMP Konin 5", "KMP Konin 2"),
        (OUTSIDE, "Koło, ul. Toruńska 15", "", ""),
        (OUTSIDE, "Słupca, ul. Żwirki i Wigury 2", "", ""),
    ]
    path = tmp_path / "check.csv"
    assert export_check_csv(report, path) == 3
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0][:3] == ["problem", "adres", "kod_pocztowy"]
    assert {r[1] for r in rows[1:]} >= {"Koło, ul. Toruńska 15"}


def test_check_csv_cells_never_start_a_formula(empty_db, tmp_path):
    from desktop.addresses.service import CheckReport, CheckRow

    report = CheckReport(1, (CheckRow(OUTSIDE, "=HYPERLINK(\"x\")", "", "", "", "", 1.0,
                                      2.0),))
    path = tmp_path / "c.csv"
    export_check_csv(report, path)
    text = path.read_text("utf-8-sig")
    assert ";=HYPERLINK" not in text and "HYPERLINK" in text
