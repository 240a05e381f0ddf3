"""`razem import-beats`: boundary files whose beats are not in the database yet, numbers only in
KML placemark names, chosen attributes, KMZ, Windows-1250 Shapefiles, invalid geometry; one
line per created / updated / refused feature and the exit codes (0 saved, 2 arguments or file,
3 everything refused)."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Beat
from desktop.beats.boundary_fields import number_in
from desktop.cli import main
from desktop.common.geo import from_geojson
from tests.beats.boundary_files import EAST, NORTH, WEST, geojson_2180, kml, kmz, shapefile_zip


def run(world, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["import-beats", "--database", world.db.url, *[str(a) for a in args]])
    out, err = capsys.readouterr()
    return code, out, err


def beats(db) -> dict[str, tuple[str, bool, object]]:
    """number -> (name, has a boundary, retired_on) of every beat."""
    with db.session() as s:
        return {b.number: (b.name, b.boundary is not None, b.retired_on)
                for b in s.scalars(select(Beat))}


def test_unknown_beat_number_is_refused_without_create(world, capsys, tmp_path):
    """The defect: "nie ma rejonu nr 101" refused the whole file. Without --create it is still
    refused, but with its reason, a hint, and exit code 3; nothing is written."""
    path = geojson_2180(tmp_path / "rejony.geojson", [({"nr": 101, "nazwa": "Starówka"}, WEST)])
    code, out, err = run(world, capsys, path)
    assert code == 3
    assert "odrzucono: Obiekt 1 (nr 101): nie ma rejonu nr 101 – zaznacz „Utwórz brakujące " \
           "rejony” (--create)" in err
    assert "nie zapisano nic" in err
    assert set(beats(world.db)) == {"1", "2"}


def test_create_makes_missing_beats_and_updates_existing_ones(world, capsys, tmp_path):
    path = geojson_2180(tmp_path / "rejony.geojson", [
        ({"nr": 101, "nazwa": "Starówka"}, WEST),
        ({"nr": "1", "nazwa": "inna nazwa"}, EAST),
        ({"nr": 102}, NORTH)])
    code, out, err = run(world, capsys, path, "--create", "--unit", "kmp konin")
    assert code == 0, err
    assert "utworzono: rejon KMP Konin 101. Starówka" in out
    assert "utworzono: rejon KMP Konin 102. Rejon 102" in out
    assert "zaktualizowano: rejon KMP Konin 1. Ślesin – centrum" in out
    assert "Granice rejonów: utworzono 2, zaktualizowano 1, odrzucono 0." in out
    now = beats(world.db)
    assert now["101"] == ("Starówka", True, None) and now["102"][0] == "Rejon 102"
    assert now["1"] == ("Ślesin – centrum", True, None)  # the name of an existing beat stays
    with world.db.session() as s:
        b = s.scalars(select(Beat).where(Beat.number == "101")).one()
        assert from_geojson(b.boundary).equals_exact(WEST, 1e-6) and 4 < b.area_km2 < 4.6
        new_ids = [str(i) for i in s.scalars(select(Beat.id).where(Beat.number.in_(["101",
                                                                                "102"])))]
        created = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.table_name == "beats", AuditEntry.action == "insert",
            AuditEntry.record_id.in_(new_ids)))
    assert created == 2  # audited like any edit


def test_kml_with_numbers_only_in_placemark_names(world, capsys, tmp_path):
    """The defect: a KML with numbers only in the placemark names was refused ("brak numeru
    rejonu")."""
    path = kml(tmp_path / "rejony.kml", [("Rejon 1 Ślesin", WEST), ("Rejon 101 Starówka", EAST),
                                        ("RD 7 – Osiedle", NORTH)])
    code, out, err = run(world, capsys, path, "--create")
    assert code == 0, err
    assert "brak numeru" not in err
    assert "numer z atrybutu „name”, nazwa z „name”" in out
    assert "zaktualizowano: rejon KMP Konin 1. Ślesin – centrum" in out
    assert "utworzono: rejon KMP Konin 101. Starówka" in out
    assert "utworzono: rejon KMP Konin 7. Osiedle" in out


def test_kml_placemark_without_any_number_is_refused_with_the_reason(world, capsys, tmp_path):
    path = kml(tmp_path / "rejony.kml", [("Zatorze", WEST)])
    code, _, err = run(world, capsys, path, "--create")
    assert code == 3
    assert "brak numeru rejonu w atrybucie „name” („Zatorze”)" in err


def test_kmz_is_read(world, capsys, tmp_path):
    path = kmz(tmp_path / "rejony.kmz", [("Rejon 2 Żychlin", EAST)])
    code, out, _ = run(world, capsys, path)
    assert code == 0 and "KMZ" in out and "zaktualizowano: rejon KMP Konin 2. Żychlin" in out
    assert beats(world.db)["2"][1]


@pytest.mark.parametrize("cpg", [b"1250", b"CP1250", b"ANSI 1250", b"windows-1250"])
def test_shapefile_with_cpg_in_windows_1250(world, capsys, tmp_path, cpg):
    path = shapefile_zip(tmp_path / "rejony.zip", [("11", "Śródmieście", WEST),
                                                   ("12", "Łężyn", EAST)], cpg=cpg)
    code, out, err = run(world, capsys, path, "--create")
    assert code == 0, err
    assert "utworzono: rejon KMP Konin 11. Śródmieście" in out
    assert "utworzono: rejon KMP Konin 12. Łężyn" in out
    assert "uwaga" not in out


def test_shapefile_in_utf8_with_cpg(world, capsys, tmp_path):
    path = shapefile_zip(tmp_path / "rejony.zip", [("11", "Śródmieście", WEST)],
                         encoding="utf-8", cpg=b"UTF-8")
    code, out, _ = run(world, capsys, path, "--create")
    assert code == 0 and "11. Śródmieście" in out


def test_shapefile_without_cpg_falls_back_to_cp1250_with_a_warning(world, capsys, tmp_path):
    path = shapefile_zip(tmp_path / "rejony.zip", [("11", "Łężyn", WEST)], cpg=None)
    code, out, _ = run(world, capsys, path, "--create")
    assert code == 0 and "11. Łężyn" in out
    assert "uwaga: Plik .dbf nie podaje kodowania znaków" in out and "CP1250" in out


def test_shapefile_encoding_chosen_by_the_user(world, capsys, tmp_path):
    path = shapefile_zip(tmp_path / "rejony.zip", [("11", "Łężyn", WEST)], cpg=None)
    code, out, _ = run(world, capsys, path, "--create", "--encoding", "cp1250")
    assert code == 0 and "11. Łężyn" in out and "uwaga" not in out
    code, _, err = run(world, capsys, path, "--encoding", "klingon")
    assert code == 2 and "Nieznane kodowanie znaków „klingon”" in err


def test_number_and_name_fields_chosen_by_the_user(world, capsys, tmp_path):
    path = shapefile_zip(tmp_path / "rejony.zip", [("RD 21", "Zatorze", WEST)],
                         fields=("KOD", "OPIS"))
    code, out, err = run(world, capsys, path, "--create", "--number-field", "kod",
                         "--name-field", "opis")
    assert code == 0, err
    assert "utworzono: rejon KMP Konin 21. Zatorze" in out
    code, _, err = run(world, capsys, path, "--number-field", "NR")
    assert code == 2 and "W pliku nie ma atrybutu „NR” – są: KOD, OPIS." in err


def test_invalid_geometry_refused_or_repaired_with_a_warning_naming_the_beat(world, capsys,
                                                                               tmp_path):
    bow_tie = {"type": "Polygon", "coordinates": [[[18.28, 52.36], [18.31, 52.38],
                                                   [18.31, 52.36], [18.28, 52.38],
                                                   [18.28, 52.36]]]}
    two_points = {"type": "Polygon", "coordinates": [[[18.28, 52.36], [18.31, 52.38],
                                                      [18.28, 52.36], [18.31, 52.38],
                                                      [18.28, 52.36]]]}
    flat = {"type": "Polygon", "coordinates": [[[18.28, 52.36], [18.29, 52.37],
                                                [18.30, 52.38], [18.28, 52.36]]]}
    abroad = {"type": "Polygon", "coordinates": [[[2.30, 48.85], [2.35, 48.85],
                                                  [2.35, 48.87], [2.30, 48.85]]]}
    path = tmp_path / "zle.geojson"  # WGS84
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nr": n}, "geometry": g}
        for n, g in (("101", bow_tie), ("102", two_points), ("103", flat), ("104", abroad))]}),
        encoding="utf-8")
    code, out, err = run(world, capsys, path, "--create")
    assert code == 0, err
    assert "uwaga: Rejon 101: granica poprawiona (samoprzecięcie) w punkcie" in out
    assert "utworzono: rejon KMP Konin 101. Rejon 101" in out
    assert "Obiekt 2 (nr 102): za mało punktów: granica ma 2 różne punkty" in err
    assert "Obiekt 3 (nr 103): wielokąt o zerowej powierzchni" in err
    assert "Obiekt 4 (nr 104): współrzędne poza Polską" in err
    assert "odrzucono 3." in out
    assert set(beats(world.db)) == {"1", "2", "101"}


def test_retired_beats_number_is_reused_by_a_new_beat(world, capsys, tmp_path):
    from desktop.organisation.beat_editor import retire_beat

    retire_beat(world.db, world.beat2, dt.date(2020, 1, 1))
    path = geojson_2180(tmp_path / "r.geojson", [({"nr": "2", "nazwa": "Żychlin nowy"}, EAST)])
    code, _, err = run(world, capsys, path)
    assert code == 3 and "nie ma rejonu nr 2 w jednostce" not in err
    assert "nie ma rejonu nr 2 (rejon nr 2 wycofano z dniem 01.01.2020)" in err
    code, out, err = run(world, capsys, path, "--create")
    assert code == 0, err
    assert "utworzono: rejon KMP Konin 2. Żychlin nowy" in out
    with world.db.session() as s:
        rows = s.execute(select(Beat.name, Beat.retired_on, Beat.boundary)
                         .where(Beat.number == "2").order_by(Beat.id)).all()
    assert [(r[0], r[1], r[2] is not None) for r in rows] == [
        ("Żychlin", dt.date(2020, 1, 1), False), ("Żychlin nowy", None, True)]


def test_unknown_unit_and_unreadable_file_exit_2(world, capsys, tmp_path):
    path = geojson_2180(tmp_path / "r.geojson", [({"nr": "1"}, WEST)])
    code, _, err = run(world, capsys, path, "--unit", "KP Nigdzie")
    assert code == 2 and "Nie ma jednostki „KP Nigdzie” (są: KMP Konin)" in err
    bad = tmp_path / "zle.kmz"
    bad.write_bytes(b"to nie zip")
    code, _, err = run(world, capsys, bad)
    assert code == 2 and "To nie jest poprawny plik KMZ" in err


@pytest.mark.parametrize("text, number", [("Rejon 101 Starówka", "101"), ("RD 7 – Osiedle", "7"),
                                          ("12a", "12a"), ("nr 3/4", "3"), ("Zatorze", "")])
def test_number_inside_a_name(text, number):
    assert number_in(text) == number
