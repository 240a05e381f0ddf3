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


def test_polish_plural():
    from desktop.common.text import plural

    forms = ("rejon", "rejony", "rejonów")
    assert [plural(n, *forms) for n in (1, 2, 5, 12, 22, 24, 25, 104, 112)] == [
        "1 rejon", "2 rejony", "5 rejonów", "12 rejonów", "22 rejony", "24 rejony", "25 rejonów",
        "104 rejony", "112 rejonów"]
    forms = ("zgłoszenie", "zgłoszenia", "zgłoszeń")
    assert [plural(n, *forms) for n in (0, 1, 2, 5, 12, 13, 22, 112, 373, 1001)] == [
        "0 zgłoszeń", "1 zgłoszenie", "2 zgłoszenia", "5 zgłoszeń", "12 zgłoszeń",
        "13 zgłoszeń", "22 zgłoszenia", "112 zgłoszeń", "373 zgłoszenia", "1001 zgłoszeń"]

