"""Readers of PRG address points: the register's two GML structures and the CSV, with
Polish letters, refused rows with reasons, and hostile files refused with a Polish message."""
from __future__ import annotations

from pathlib import Path

import pytest

from desktop.addresses.prg import PrgError, read_prg
from desktop.common import limits

from .prg_fixture import GOLINA, KONIN, Pt, csv_text, gml_2012, gml_2021

FIXTURES = Path(__file__).parent.parent / "fixtures" / "prg"


def _key(points):
    return [(p.prg_id, p.teryt, p.locality, p.street, p.number, p.postal_code,
             round(p.easting, 2), round(p.northing, 2)) for p in points]


def test_the_three_formats_give_the_same_points():
    new = read_prg(FIXTURES / "konin_2021.gml")
    old = read_prg(FIXTURES / "konin_2012.gml")
    table = read_prg(FIXTURES / "konin.csv")  # Windows-1250, decimal commas
    assert (new.kind, old.kind, table.kind) == ("GML (model 2021)", "GML (model 2012)", "CSV")
    assert _key(new.points) == _key(old.points) == _key(table.points)
    assert not new.refused and not old.refused and not table.refused
    by_number = {(p.locality, p.number): p for p in new.points}
    # forward links resolved; the street kind gives the type word; Polish letters kept
    assert by_number[("Konin", "12")].street == "ul. Kolejowa"
    assert by_number[("Konin", "1")].street == "Plac Wolności"
    assert by_number[("Konin", "9")].street == "Aleje 1 Maja"
    assert by_number[("Golina", "3b")].street == "ul. Świętojańska"
    assert by_number[("Golina", "3b")].teryt == GOLINA
    assert by_number[("Koło", "15")].street == "ul. Toruńska"
    # Konin in PUWG 1992: easting ~450 km, northing ~490 km (model 2012 writes them swapped)
    p = by_number[("Konin", "9")]
    assert p.teryt == KONIN and 440_000 < p.easting < 460_000 and 480_000 < p.northing < 500_000


def _pt(key, number="1", teryt=KONIN, postal="62-510", street="Kolejowa", e=450000.0,
        n=490000.0):
    return Pt(key, "Konin", teryt, street, "1", number, postal, e, n, "")


def test_bad_rows_are_refused_with_reasons_and_the_rest_kept(tmp_path):
    points = [_pt("ok"), _pt("no-number", number=""), _pt("bad-teryt", teryt="30620"),
              _pt("postal", postal="62500"), _pt("letters", number="abc")]
    path = tmp_path / "a.gml"
    text = gml_2021(points + [points[0]])  # the same id twice
    path.write_text(text, "utf-8")
    read = read_prg(path)
    assert [p.number for p in read.points] == ["1"]
    reasons = [r.reason for r in read.refused]
    assert reasons == ["brak numeru porządkowego",
                       "niepoprawny kod TERYT gminy „30620” (7 cyfr)",
                       "niepoprawny kod pocztowy „62500” (np. 62-500)",
                       "„abc” nie jest numerem porządkowym (np. 12, 12a)",
                       "ten sam identyfikator punktu występuje w pliku drugi raz"]
    assert read.refused_count == 5


def test_a_link_to_a_missing_street_and_a_point_outside_poland_are_refused(tmp_path):
    text = gml_2021([_pt("a"), _pt("b", number="2"), _pt("far", number="3", e=120000.0,
                                                          n=140000.0)])
    # drop the street feature: the points now link to nothing
    start = text.index("<gml:featureMember><prgad:AD_UlicaPlac")
    end = text.index("</gml:featureMember>", start) + len("</gml:featureMember>")
    path = tmp_path / "a.gml"
    path.write_text(text[:start] + text[end:], "utf-8")
    read = read_prg(path)
    assert not read.points and read.refused_count == 3
    assert {r.reason for r in read.refused} == {"odnośnik do ulicy, której nie ma w pliku"}
    far = tmp_path / "far.csv"
    far.write_text(csv_text([_pt("a"), _pt("b", number="2"), _pt("c", number="3"),
                             _pt("far", number="4", e=880000.0, n=800000.0)]), "utf-8")
    read = read_prg(far)
    assert len(read.points) == 3
    assert [r.reason for r in read.refused] == ["współrzędne poza Polską"]


def test_comma_separated_utf8_csv(tmp_path):
    text = csv_text([_pt("ż", street="Żeglarska", number="7A")]).replace(";", ",")
    text = text.replace("450000,00", "450000.00").replace("490000,00", "490000.00")
    path = tmp_path / "a.csv"
    path.write_text(text, "utf-8-sig")
    (p,) = read_prg(path).points
    assert (p.street, p.number, p.easting, p.northing) == ("ul. Żeglarska", "7A", 450000.0,
                                                          490000.0)


HOSTILE_GML = {
    "malformed": ('<?xml version="1.0"?><gml:FeatureCollection '
                  'xmlns:gml="http://www.opengis.net/gml/3.2"><gml:featureMember>',
                  "nie jest poprawnym plikiem GML"),
    "laughs": ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
               '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
               '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
               '<lolz>&lol3;</lolz>', "deklaracje DTD lub encji"),
    "not-prg": ('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>',
                "nie zawiera punktów adresowych PRG"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_GML))
def test_hostile_gml_is_refused_in_polish(tmp_path, name):
    text, message = HOSTILE_GML[name]
    path = tmp_path / f"{name}.gml"
    path.write_text(text, "utf-8")
    with pytest.raises(PrgError, match=message):
        read_prg(path)


def test_wrong_coordinate_system_is_refused(tmp_path):
    points = [_pt("a"), _pt("b", number="2")]
    wgs = tmp_path / "wgs.gml"
    wgs.write_text(gml_2012(points, srs="urn:ogc:def:crs:EPSG::4326"), "utf-8")
    with pytest.raises(PrgError, match="EPSG:2180"):
        read_prg(wgs)
    degrees = tmp_path / "deg.csv"
    degrees.write_text(csv_text([_pt("a", e=18.25, n=52.22), _pt("b", e=18.26, n=52.23)]),
                       "utf-8")
    with pytest.raises(PrgError, match="nie są w układzie EPSG:2180"):
        read_prg(degrees)
    zone = tmp_path / "pl2000.csv"  # PL-2000 zone 6 coordinates
    zone.write_text(csv_text([_pt("a", e=6_460_000.0, n=5_790_000.0)]), "utf-8")
    with pytest.raises(PrgError, match="PL-2000"):
        read_prg(zone)


@pytest.mark.parametrize("kind", ["gml", "csv"])
def test_too_many_points_refuse_the_file(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(limits, "MAX_ADDRESS_POINTS", 3)
    points = [_pt(str(i), number=str(i + 1)) for i in range(5)]
    path = tmp_path / f"many.{kind}"
    path.write_text(gml_2021(points) if kind == "gml" else csv_text(points), "utf-8")
    with pytest.raises(PrgError, match="więcej niż 3 punktów adresowych"):
        read_prg(path)


def test_empty_and_headerless_files(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(PrgError, match="jest pusty"):
        read_prg(empty)
    wrong = tmp_path / "w.csv"
    wrong.write_text("rejon;miejscowosc\n1;Konin\n", "utf-8")
    with pytest.raises(PrgError, match="brak kolumn lokalny_id, teryt_gmina"):
        read_prg(wrong)
    with pytest.raises(PrgError, match="Nie można otworzyć"):
        read_prg(tmp_path / "missing.gml")


def test_gml_declared_in_windows_1250(tmp_path):
    text = gml_2021([Pt("a", "Ślęża", KONIN, "Żółwia", "1", "1", "62-510", 450000.0,
                        490000.0, "")]).replace('encoding="UTF-8"', 'encoding="windows-1250"')
    path = tmp_path / "cp1250.gml"
    path.write_bytes(text.encode("cp1250"))
    (p,) = read_prg(path).points
    assert (p.locality, p.street) == ("Ślęża", "ul. Żółwia")
