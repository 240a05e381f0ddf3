"""Street names, house-number ranges, the address matcher, overlaps and gaps (Qt-free)."""
from __future__ import annotations

import pytest

from db.models import HouseSide
from desktop.beats.streets import (
    RangeLine,
    StreetIndex,
    check_addresses,
    describe_line,
    find_overlaps,
    parse_address,
    parse_house_number,
    street_key,
)

A, E, O = HouseSide.ALL, HouseSide.EVEN, HouseSide.ODD  # noqa: E741  (as the sides read)


@pytest.mark.parametrize("a, b", [
    ("al. 1 Maja", "Aleje 1 Maja"),
    ("Al. 1 Maja", "1 MAJA"),
    ("ul. Ślesińska", "slesinska"),
    ("pl. Wolności", "Plac Wolności"),
    ("ul. ks. Jerzego Popiełuszki", "Księdza Jerzego Popiełuszki"),
    ("ul. Św. Barbary", "Świętej Barbary"),
    ("os. Zatorze", "Osiedle Zatorze"),
    ("ul. Jana  Pawła   II", "Jana Pawła II"),
    ("ul. Curie-Skłodowskiej", "Curie Skłodowskiej"),
])
def test_street_names_normalise_to_the_same_key(a, b):
    assert street_key(a) == street_key(b)


def test_different_streets_stay_different():
    assert street_key("ul. 3 Maja") != street_key("al. 1 Maja")
    assert street_key("ul. Kolejowa") != street_key("ul. Dworcowa")


@pytest.mark.parametrize("text, number, suffix", [("9", 9, ""), ("9a", 9, "a"),
                                                   ("12B", 12, "b"), ("15/3", 15, "")])
def test_house_numbers(text, number, suffix):
    h = parse_house_number(text)
    assert (h.number, h.suffix) == (number, suffix)


@pytest.mark.parametrize("text", ["", "a9", "dziewięć", "9 ab", "-3"])
def test_bad_house_numbers(text):
    assert parse_house_number(text) is None


def test_parse_address_forms():
    a = parse_address("al. 1 Maja 9", "Konin")
    assert (a.locality, a.street, a.number.number) == ("Konin", "al. 1 Maja", 9)
    a = parse_address("Golina, ul. Kolejowa 12a")
    assert (a.locality, a.street, str(a.number)) == ("Golina", "ul. Kolejowa", "12a")
    a = parse_address("Kramsk 12")
    assert (a.locality, a.street, a.number.number) == ("Kramsk", "", 12)


def line(beat, street, side=A, f=None, t=None, loc="Konin"):
    return RangeLine(beat, loc, street, side, f, t)


# "ul. Rybnicka (numery parzyste od 48 i nieparzyste od 25)"
RYBNICKA = [line(1, "ul. Rybnicka", E, 48), line(1, "ul. Rybnicka", O, 25),
            line(2, "ul. Rybnicka", E, None, 46), line(2, "ul. Rybnicka", O, None, 23)]


@pytest.mark.parametrize("number, beat", [(48, 1), (50, 1), (25, 1), (27, 1), (46, 2),
                                          (2, 2), (23, 2), (1, 2)])
def test_sides_and_ranges_with_boundaries(number, beat):
    index = StreetIndex(RYBNICKA)
    found = index.match(parse_address(f"ul. Rybnicka {number}", "Konin"))
    assert [x.beat_id for x in found] == [beat]


def test_matcher_al_1_maja_and_whole_localities():
    lines = [line(1, "Aleje 1 Maja", A, 1, 40), line(2, "Aleje 1 Maja", A, 41),
             RangeLine(5, "Kramsk", "", A, None, None),
             line(3, "ul. Kardynała Stefana Wyszyńskiego")]
    index = StreetIndex(lines)
    assert [x.beat_id for x in index.match(parse_address("al. 1 Maja 9", "Konin"))] == [1]
    assert [x.beat_id for x in index.match(parse_address("AL. 1 MAJA 40", "konin"))] == [1]
    assert [x.beat_id for x in index.match(parse_address("al. 1 Maja 41", "Konin"))] == [2]
    assert [x.beat_id for x in index.match(parse_address("Kramsk, ul. Polna 3"))] == [5]
    assert [x.beat_id for x in index.match(parse_address("Kramsk 7"))] == [5]
    assert [x.beat_id for x in index.match(parse_address("ul. Wyszyńskiego 6", "Konin"))] == [3]
    assert index.match(parse_address("ul. Nieznana 1", "Konin")) == []


def test_describe_line_in_polish():
    assert describe_line(line(1, "ul. Rybnicka", E, 48)) == "ul. Rybnicka (parzyste od 48)"
    assert describe_line(line(1, "ul. 3 Maja", A, None, 31)) == "ul. 3 Maja (do 31)"
    assert describe_line(line(1, "ul. Kolejowa")) == "ul. Kolejowa (całość)"
    assert describe_line(RangeLine(1, "Kramsk", "", A, None, None)) == \
        "Kramsk (cała miejscowość)"


def test_overlaps_respect_sides_and_bounds():
    assert find_overlaps(RYBNICKA) == []
    clash = RYBNICKA + [line(3, "Rybnicka", E, 40, 48)]
    found = find_overlaps(clash)
    # even 40-48 meets beat 2 (even up to 46) at 40 and beat 1 (even from 48) at 48
    assert sorted((o.first.beat_id, o.second.beat_id, o.example) for o in found) == [
        (1, 3, "Konin, ul. Rybnicka 48"), (2, 3, "Konin, ul. Rybnicka 40")]
    # even vs odd never overlap; touching bounds 1-40 / 41- do not
    assert find_overlaps([line(1, "Kolejowa", E), line(2, "ul. Kolejowa", O)]) == []
    assert find_overlaps([line(1, "al. 1 Maja", A, 1, 40), line(2, "Aleje 1 Maja", A, 41)]) == []
    assert len(find_overlaps([line(1, "al. 1 Maja", A, 1, 41),
                              line(2, "Aleje 1 Maja", A, 41)])) == 1
    # a whole locality in one beat and its street in another
    whole = [RangeLine(5, "Ślesin", "", A, None, None), line(6, "ul. Kolejowa", loc="Slesin")]
    assert len(find_overlaps(whole)) == 1
    # the same beat listing a street twice is not an overlap
    assert find_overlaps([line(1, "Kolejowa"), line(1, "Kolejowa", O)]) == []


def test_gaps_and_overlaps_for_a_list_of_addresses():
    lines = RYBNICKA + [line(3, "Rybnicka", E, 40, 48)]
    checks = check_addresses(lines, ["ul. Rybnicka 48", "ul. Rybnicka 25", "ul. Kolejowa 1"],
                             "Konin")
    assert [c.beat_ids for c in checks] == [(1, 3), (1,), ()]
    checks = check_addresses(lines, ["ul. Rybnicka 47", "Rybnicka 44"], "Konin")
    assert [c.beat_ids for c in checks] == [(1,), (2, 3)]
