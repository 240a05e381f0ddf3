"""Polish text helpers."""
from desktop.common.text import fold, matches, polish_collation_string, polish_sort_key


def test_fold_removes_diacritics_and_case():
    assert fold("Ślesin") == "slesin"
    assert fold("ŻÓŁĆ gęś") == "zolc ges"


def test_matches_without_diacritics():
    assert matches("slesin", "Gmina Ślesin")
    assert matches("kp slesin", "KP Ślesin", "")
    assert not matches("golina", "Gmina Ślesin")


def test_polish_collation_order():
    words = ["Żary", "Zabrze", "Łódź", "Lublin", "Ślesin", "Sompolno", "Ćmielów", "Cedynia"]
    expected = ["Cedynia", "Ćmielów", "Lublin", "Łódź", "Sompolno", "Ślesin", "Zabrze", "Żary"]
    assert sorted(words, key=polish_sort_key) == expected
    assert sorted(words, key=polish_collation_string) == expected
