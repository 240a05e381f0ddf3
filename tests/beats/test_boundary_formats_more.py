"""KMZ and ZIP-with-KML archives, DBF encodings as .cpg files write them, attribute guesses."""
from __future__ import annotations

import zipfile

import pytest

from desktop.beats.boundaries import BoundaryError, read_boundaries
from desktop.beats.boundary_fields import guess_name_field, guess_number_field, number_key
from desktop.beats.boundary_formats import encoding_name
from tests.beats.boundary_files import EAST, WEST, kml_text, shapefile_zip


@pytest.mark.parametrize("text, codec", [
    ("1250", "cp1250"), ("CP1250", "cp1250"), ("ANSI 1250", "cp1250"), ("windows-1250", "cp1250"),
    ("UTF-8", "utf-8"), ("utf8", "utf-8"), ("65001", "utf-8"), ("88592", "iso8859-2"),
    ("ISO-8859-2", "iso8859-2"), ("852", "cp852")])
def test_encoding_names(text, codec):
    assert encoding_name(text) == codec


def test_kmz_without_doc_kml_and_zip_holding_a_kml(tmp_path):
    empty = tmp_path / "pusty.kmz"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("ikona.png", b"x")
    with pytest.raises(BoundaryError, match="nie zawiera pliku doc.kml"):
        read_boundaries(empty)
    odd = tmp_path / "rejony.kmz"
    with zipfile.ZipFile(odd, "w") as z:  # one KML under another name is fine
        z.writestr("rejony.kml", kml_text([("Rejon 3", WEST)]))
    assert [f.number for f in read_boundaries(odd).features] == ["3"]
    packed = tmp_path / "rejony.zip"
    with zipfile.ZipFile(packed, "w") as z:
        z.writestr("doc.kml", kml_text([("Rejon 4", EAST)]))
    preview = read_boundaries(packed)
    assert preview.source_format == "KML (ZIP)" and preview.features[0].number == "4"


def test_unknown_cpg_is_reported_and_the_text_still_read(tmp_path):
    path = shapefile_zip(tmp_path / "r.zip", [("1", "Łężyn", WEST)], cpg=b"klingon")
    preview = read_boundaries(path)
    assert any("nieznane kodowanie „klingon”" in w for w in preview.warnings)
    assert any("Windows-1250" in w for w in preview.warnings)
    assert preview.features[0].name == "Łężyn"


def test_attribute_guesses():
    assert guess_number_field(["ID", "NR_REJ", "NAZWA_REJONU"], []) == "NR_REJ"
    assert guess_name_field(["ID", "NR_REJ", "NAZWA_REJONU"], "NR_REJ") == "NAZWA_REJONU"
    props = [{"id": "a", "opis": "Rejon 5 Zatorze"}, {"id": "b", "opis": "RD 6"}]
    assert guess_number_field(["id", "opis"], props) == "opis"
    assert guess_number_field(["kod", "opis"], [{"kod": 7, "opis": "Rejon 7"}]) == "kod"
    assert number_key("007") == number_key("7") and number_key("12A") == number_key("12a")
