"""Importer: every input variant, broken files, idempotent re-import, all-or-nothing."""
from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from db.models import ThreatCategory, ThreatReport, ThreatStatus
from desktop.threats.importer import ImportCancelled, import_reports
from desktop.threats.mapping import ColumnMapping, guess_mapping
from desktop.threats.readers import ImportFileError, read_table

from .conftest import HOSTILE

KMZB_HEADER = "ID;Typ;Status;TERYT;Data utworzenia;Data zdarzenia;Data modyfikacji;X;Y;Opis"
# Konin city centre in EPSG:2180 (easting, northing) and in WGS84.
E, N = 448780.6, 484036.3
LON, LAT = 18.25, 52.22


def reports(db):
    with db.session() as s:
        return {r.source_id: r for r in s.scalars(select(ThreatReport))}


def count(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(ThreatReport))


def kmzb_csv(rows: int = 3, extra: str = "") -> str:
    lines = [KMZB_HEADER]
    for i in range(rows):
        lines.append(f"K-{i};Akty wandalizmu;Potwierdzone;3062011;1520244000000;1520244000000;"
                     f"1520330400000;{E + i * 10:.1f};{N:.1f};opis {i}")
    return "\n".join(lines) + "\n" + extra


def test_kmzb_csv_epoch_ms_and_epsg2180(empty_db, write_file):
    path = write_file("kmzb.csv", kmzb_csv(3))
    result = import_reports(empty_db, path)
    assert (result.added, result.updated, result.refused) == (3, 0, 0)
    assert result.crs_used == 2180
    r = reports(empty_db)["K-0"]
    # 2018-03-05 10:00 UTC is 11:00 in Warsaw (CET).
    assert r.reported_at == dt.datetime(2018, 3, 5, 11, 0)
    assert r.event_date == dt.date(2018, 3, 5)
    assert r.modified_at == dt.datetime(2018, 3, 6, 11, 0)
    assert r.lon == pytest.approx(LON, abs=1e-5) and r.lat == pytest.approx(LAT, abs=1e-5)
    assert r.teryt == "3062011" and r.description == "opis 0"


def test_reimport_updates_instead_of_doubling(empty_db, write_file):
    path = write_file("kmzb.csv", kmzb_csv(3))
    import_reports(empty_db, path)
    changed = write_file("kmzb2.csv", kmzb_csv(3).replace("Potwierdzone", "Niepotwierdzone")
                         + "K-9;Żebractwo;Nowe;3062;2018-04-01;;;448800;484100;\n")
    result = import_reports(empty_db, changed)
    assert (result.added, result.updated, result.refused) == (1, 3, 0)
    assert count(empty_db) == 4
    with empty_db.session() as s:
        names = set(s.scalars(select(ThreatStatus.name).join(
            ThreatReport, ThreatReport.status_id == ThreatStatus.id)))
    assert names == {"Niepotwierdzone", "Nowe"}


def test_windows1250_comma_delimiter_decimal_commas_polish_dates(empty_db, write_file):
    text = ('Kategoria,Status,Data zgłoszenia,Szerokość,Długość,Opis\n'
            '"Spożywanie alkoholu w miejscach niedozwolonych",Nowe,05.03.2018 14:30,'
            '"52,22","18,25","Łąka przy ulicy Żółkiewskiego"\n')
    path = write_file("cp1250.csv", text, encoding="cp1250")
    result = import_reports(empty_db, path)
    assert result.added == 1, result.refusals
    (r,) = reports(empty_db).values()
    assert r.reported_at == dt.datetime(2018, 3, 5, 14, 30)
    assert (r.lat, r.lon) == (52.22, 18.25)
    assert r.description == "Łąka przy ulicy Żółkiewskiego"
    assert "Windows-1250" in " ".join(result.notes)


def test_utf8_bom_tab_delimiter_iso_dates(empty_db, write_file):
    text = "\ufeffTyp\tData utworzenia\tlat\tlon\nŻebractwo\t2018-03-05T08:15:00\t52.2\t18.26\n"
    result = import_reports(empty_db, write_file("bom.tsv", text))
    assert result.added == 1, result.refusals
    (r,) = reports(empty_db).values()
    assert r.reported_at == dt.datetime(2018, 3, 5, 8, 15)
    assert r.source_id.startswith("H-")  # synthetic, stable id
    assert import_reports(empty_db, write_file("bom2.tsv", text)).updated == 1
    assert count(empty_db) == 1


def test_xlsx_with_native_dates(empty_db, tmp_path):
    path = tmp_path / "r.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Typ", "Status", "Data utworzenia", "X", "Y"])
    ws.append(["X-1", "Kłusownictwo", "Nowe", dt.datetime(2018, 5, 1, 9, 0), LON, LAT])
    ws.append(["X-2", "Kłusownictwo", "Nowe", "01.05.2018", "18,3", "52,2"])
    wb.save(path)
    result = import_reports(empty_db, path)
    assert (result.added, result.refused) == (2, 0), result.refusals
    assert reports(empty_db)["X-1"].reported_at == dt.datetime(2018, 5, 1, 9, 0)


def test_geojson_points(empty_db, write_file):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "G-1", "geometry": {"type": "Point", "coordinates": [LON, LAT]},
         "properties": {"Typ": "Wypalanie traw", "Data utworzenia": 1520244000000}},
        {"type": "Feature", "geometry": None, "properties": {"Typ": "Wypalanie traw",
                                                             "Data utworzenia": "2018-01-01"}},
    ]}
    result = import_reports(empty_db, write_file("r.geojson", json.dumps(doc)))
    assert result.added == 1
    assert [r.line for r in result.refusals] == [2]
    assert "współrzędne" in result.refusals[0].reason


def test_geojson_in_epsg2180_named_crs(empty_db, write_file):
    doc = {"type": "FeatureCollection",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}},
           "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [E, N]},
                         "properties": {"Typ": "Wypalanie traw", "Data utworzenia": "2018-01-01"}}]}
    result = import_reports(empty_db, write_file("r.geojson", json.dumps(doc)))
    assert result.crs_used == 2180 and result.added == 1


def test_refusals_per_row_with_reasons(empty_db, write_file):
    text = KMZB_HEADER + "\n" + "\n".join([
        f"A;Akty wandalizmu;Nowe;;2018-01-01;;;{E};{N};ok",
        f"B;Kategoria zmyślona;Nowe;;2018-01-01;;;{E};{N};",
        f"C;Akty wandalizmu;Nowe;;32.13.2018;;;{E};{N};",
        f"D;Akty wandalizmu;Nowe;;2018-01-01;;;abc;{N};",
        "E;Akty wandalizmu;Nowe;;2018-01-01;;;10;10;",
        f"A;Akty wandalizmu;Nowe;;2018-01-01;;;{E};{N};dup",
        f"F;Akty wandalizmu;Dziwny;;2018-01-01;;;{E};{N};",
    ]) + "\n"
    result = import_reports(empty_db, write_file("bad.csv", text))
    assert result.added == 1
    reasons = {r.source_id: r.reason for r in result.refusals}
    assert set(reasons) == {"B", "C", "D", "E", "F"}
    assert "nieznana kategoria" in reasons["B"]
    assert "nierozpoznana data" in reasons["C"]
    assert "nie jest liczbą" in reasons["D"]
    assert "poza Polską" in reasons["E"]
    # A repeated id is the newer state of the same report, not a refusal: the later row wins.
    assert result.superseded == 1 and reports(empty_db)["A"].description == "dup"
    assert "nieznany status" in reasons["F"]
    assert [r.line for r in result.refusals] == sorted(r.line for r in result.refusals)


def test_unknown_category_mapped_or_added(empty_db, write_file):
    text = f"Typ;Data utworzenia;X;Y\nPsy bez smyczy;2018-01-01;{E};{N}\n{HOSTILE};2018-01-02;{E};{N}\n"
    path = write_file("u.csv", text)
    mapping = guess_mapping(read_table(path).columns)
    mapping.category_map = {"psy bez smyczy": "Wałęsające się bezpańskie psy"}
    mapping.add_unknown_categories = True
    result = import_reports(empty_db, path, mapping)
    assert result.added == 2 and result.new_categories == [HOSTILE]
    with empty_db.session() as s:
        cats = set(s.scalars(select(ThreatCategory.name).join(
            ThreatReport, ThreatReport.category_id == ThreatCategory.id)))
    assert cats == {"Wałęsające się bezpańskie psy", HOSTILE}


def test_file_cut_off_in_the_middle(empty_db, write_file):
    full = kmzb_csv(4).encode("utf-8")
    cut = full[: full.rindex(b";Akty") + 6]  # last row stops inside the category
    result = import_reports(empty_db, write_file("cut.csv", cut))
    assert result.added == 3
    assert len(result.refusals) == 1 and "niepełny" in result.refusals[0].reason


def test_utf8_cut_inside_multibyte_character(empty_db, write_file):
    data = (f"Typ;Data utworzenia;X;Y\nŻebractwo;2018-01-01;{E};{N}\nŻebractwo;2018;Ł").encode()
    data = data[:-1]  # half of 'Ł'
    result = import_reports(empty_db, write_file("cut8.csv", data))
    assert result.added == 1 and result.refused == 1
    assert "plik urwany w środku znaku" in result.notes
    assert "niepełny" in result.refusals[0].reason


@pytest.mark.parametrize("name,content,message", [
    ("empty.csv", b"", "pusty"),
    ("one.csv", b"abc\ndef\n", "separatora"),
    ("broken.xlsx", b"PK\x03\x04 cut off", "XLSX"),
    ("cut.geojson", b'{"type": "FeatureCollection", "features": [{"type": ', "urwany"),
    ("list.geojson", b'[1, 2]', "FeatureCollection"),
    ("binary.csv", b"\x00\x01\x02;\x00", "CSV"),
])
def test_unreadable_files_give_polish_error_and_write_nothing(empty_db, write_file, name,
                                                              content, message):
    with pytest.raises(ImportFileError, match=message):
        import_reports(empty_db, write_file(name, content))
    assert count(empty_db) == 0


def test_missing_required_columns(empty_db, write_file):
    path = write_file("m.csv", "Opis;Status\na;Nowe\n")
    with pytest.raises(ImportFileError, match="Kategoria"):
        import_reports(empty_db, path)


def test_strict_mode_writes_nothing_when_a_row_is_refused(empty_db, write_file):
    path = write_file("s.csv", kmzb_csv(2) + f"Z;Nieznana;Nowe;;2018-01-01;;;{E};{N};\n")
    with pytest.raises(ImportFileError, match="Odrzucono 1 wiersz .*nic nie zapisano"):
        import_reports(empty_db, path, strict=True)
    assert count(empty_db) == 0
    bad = "".join(f"Z{i};Nieznana;Nowe;;2018-01-01;;;{E};{N};\n" for i in range(22))
    with pytest.raises(ImportFileError, match="Odrzucono 22 wiersze "):
        import_reports(empty_db, write_file("t.csv", kmzb_csv(2) + bad), strict=True)


def test_cancel_during_write_leaves_nothing(empty_db, write_file, monkeypatch):
    import desktop.threats.importer as importer

    monkeypatch.setattr(importer, "WRITE_CHUNK", 2)
    path = write_file("c.csv", kmzb_csv(10))
    stages = []

    def cancelled():
        return len([s for s in stages if s == "Zapisywanie zgłoszeń"]) >= 2

    with pytest.raises(ImportCancelled):
        import_reports(empty_db, path, progress=lambda p, s: stages.append(s),
                       cancelled=cancelled)
    assert stages.count("Zapisywanie zgłoszeń") == 2  # two chunks were written, then undone
    assert count(empty_db) == 0


def test_failure_mid_write_rolls_back_new_categories(empty_db, write_file):
    path = write_file("f.csv", f"Typ;Data utworzenia;X;Y\nNowa kategoria;2018-01-01;{E};{N}\n")
    mapping = guess_mapping(read_table(path).columns)
    mapping.add_unknown_categories = True
    with pytest.raises(ImportCancelled):
        import_reports(empty_db, path, mapping, cancelled=_cancel_after(1))
    with empty_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ThreatCategory)
                        .where(ThreatCategory.name == "Nowa kategoria")) == 0


def _cancel_after(calls: int):
    state = {"n": 0}

    def cancelled():
        state["n"] += 1
        return state["n"] > calls

    return cancelled


def test_mapping_json_roundtrip_and_swap_xy(empty_db, write_file):
    # Geodetic order: X = northing, Y = easting.
    path = write_file("g.csv", f"Typ;Data utworzenia;X;Y\nŻebractwo;2018-01-01;{N};{E}\n")
    mapping = ColumnMapping.from_json(guess_mapping(read_table(path).columns).to_json())
    mapping.crs, mapping.swap_xy = "2180", True
    result = import_reports(empty_db, path, mapping)
    assert result.added == 1
    (r,) = reports(empty_db).values()
    assert r.lon == pytest.approx(LON, abs=1e-5)


def test_swap_xy_for_degrees(empty_db, write_file):
    path = write_file("d.csv", "Typ;Data utworzenia;X;Y\nŻebractwo;2018-01-01;52,22;18,25\n")
    mapping = guess_mapping(read_table(path).columns)
    mapping.crs = "4326"  # forced: no guessing, (52.22, 18.25) as lon/lat is not in Poland
    assert import_reports(empty_db, path, mapping).refused == 1
    mapping.swap_xy = True
    result = import_reports(empty_db, path, mapping)
    assert result.added == 1
    (r,) = reports(empty_db).values()
    assert (r.lon, r.lat) == (18.25, 52.22)


def test_latitude_and_longitude_in_the_wrong_order_are_recognised(empty_db, write_file):
    path = write_file("d.csv", "Typ;Data utworzenia;lon;lat\nŻebractwo;2018-01-01;52,22;18,25\n")
    result = import_reports(empty_db, path)
    assert result.added == 1
    assert "zamieniono kolejność długości i szerokości geograficznej" in result.notes
    (r,) = reports(empty_db).values()
    assert (r.lon, r.lat) == (18.25, 52.22)
