"""The shipped KMZB dictionary file merged into an existing database (issue #10): a malformed
file is refused whole with a Polish line per bad entry, before anything is written — the
database (every table, the audit log too) is unchanged, also when the refusal happens inside
a start-up transaction that had other work in it."""
from __future__ import annotations

import pytest

from db.models import ThreatCategory
from db.services.dictionaries import DictionaryFileError, kmzb_source, sync_dictionaries
from desktop.threats.dictionaries import add_entry
from tests.db_snapshot import assert_unchanged, snapshot


def _bad() -> dict:
    data = kmzb_source()
    data["version"] = "2031-01"
    data["statuses"] = data["statuses"] + ["", "Nowe"]  # empty; a repeat of entry 1
    data["categories"] = data["categories"] + ["Hulajnogi na chodnikach", 17, "x" * 201,
                                               "  AKTY   wandalizmu "]
    return data


def test_each_bad_entry_is_named_and_nothing_changes(empty_db):
    add_entry(empty_db, "category", "Psy bez smyczy")  # the user's own entry stays as it was
    before = snapshot(empty_db)
    statuses, categories = len(kmzb_source()["statuses"]), len(kmzb_source()["categories"])
    with pytest.raises(DictionaryFileError) as caught, empty_db.session() as s, s.begin():
        s.add(ThreatCategory(name="Dodana w tej samej transakcji", active=True))
        sync_dictionaries(s, _bad())
    lines = str(caught.value).splitlines()
    assert lines[0] == "Plik słowników KMZB jest błędny – słowników nie zmieniono:"
    assert lines[1:] == [
        f"status nr {statuses + 1}: pusta nazwa.",
        f"status nr {statuses + 2}: „Nowe” powtarza pozycję nr 1.",
        f"kategoria nr {categories + 2}: nazwa nie jest tekstem (17).",
        f"kategoria nr {categories + 3}: nazwa ma ponad 200 znaków.",
        f"kategoria nr {categories + 4}: „  AKTY   wandalizmu ” powtarza pozycję nr "
        f"{kmzb_source()['categories'].index('Akty wandalizmu') + 1}."]
    assert_unchanged(empty_db, before)


@pytest.mark.parametrize(("data", "message"), [
    ([], "nie jest obiektem JSON"),
    ({"statuses": "Nowe", "categories": []}, "„statuses” nie jest listą"),
    ({"statuses": [], "categories": [], "road_categories": [None]},
     "kategoria drogowa nr 1: nazwa nie jest tekstem"),
])
def test_a_file_of_the_wrong_shape_is_refused_in_polish(empty_db, data, message):
    before = snapshot(empty_db)
    with pytest.raises(DictionaryFileError, match=message), empty_db.session() as s, s.begin():
        sync_dictionaries(s, data)
    assert_unchanged(empty_db, before)


def test_the_good_part_of_a_newer_file_still_applies_once_it_is_corrected(empty_db):
    data = _bad()
    data["statuses"] = data["statuses"][:-2]
    data["categories"] = data["categories"][:-3]
    with empty_db.session() as s, s.begin():
        result = sync_dictionaries(s, data)
    assert result.added == ["kategoria: Hulajnogi na chodnikach"]
