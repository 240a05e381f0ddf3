"""Validation rules and the partner service without Qt."""
from __future__ import annotations

import pytest

from db.models import PartnerType
from desktop.partners import service
from desktop.partners.service import PartnerData, PartnerNotFound, PartnerValidationError
from desktop.partners.validation import (
    duplicate_key,
    email_error,
    phone_error,
    postal_code_error,
    validate_fields,
)


@pytest.mark.parametrize("value, ok", [
    ("", True), ("sekretariat@gmina.pl", True), ("a.b-c@urzad.konin.pl", True),
    ("brak-malpy.pl", False), ("a@b", False), ("a b@c.pl", False), ("a@@b.pl", False),
])
def test_email(value, ok):
    assert (email_error(value) is None) is ok


@pytest.mark.parametrize("value, ok", [
    ("", True), ("63 240 12 34", True), ("+48 632 401 234", True), ("(63) 240-12-34", True),
    ("600100200", True), ("12345", False), ("63 240 12 3x", False), ("+48 63 240 12 34 5678", False),
])
def test_phone(value, ok):
    assert (phone_error(value) is None) is ok


@pytest.mark.parametrize("value, ok", [
    ("", True), ("62-500", True), ("62500", False), ("6-2500", False), ("62-5000", False),
    ("ab-cde", False),
])
def test_postal_code(value, ok):
    assert (postal_code_error(value) is None) is ok


def test_name_required_and_lengths():
    fields = {e.field for e in validate_fields({"name": "  ", "city": "x" * 121})}
    assert fields == {"name", "city"}


def test_duplicate_key_ignores_case_diacritics_and_punctuation():
    assert duplicate_key("Urząd Gminy  Ślesin", 3) == duplicate_key("urzad gminy – SLESIN", 3)
    assert duplicate_key("Urząd Gminy Ślesin", 3) != duplicate_key("Urząd Gminy Ślesin", 4)
    assert duplicate_key("Stowarzyszenie „Bezpieczny Konin”", None) == \
        duplicate_key("stowarzyszenie bezpieczny konin", None)


def test_service_rules(empty_db):
    pid = service.create_partner(empty_db, PartnerData("  Fundacja Łąka ", PartnerType.NGO,
                                                       email=" biuro@laka.pl "))
    row = service.get_partner(empty_db, pid)
    assert row.name == "Fundacja Łąka" and row.data.email == "biuro@laka.pl"
    with pytest.raises(PartnerValidationError) as err:
        service.update_partner(empty_db, pid, PartnerData("Fundacja Łąka", PartnerType.NGO,
                                                          postal_code="62500"))
    assert "NN-NNN" in str(err.value)
    assert service.get_partner(empty_db, pid).data.postal_code == ""  # nothing saved
    with pytest.raises(PartnerValidationError, match="gminy"):
        service.create_partner(empty_db, PartnerData("X", PartnerType.NGO, gmina_id=999))
    with pytest.raises(PartnerNotFound):
        service.remove_partner(empty_db, 999)
    assert [d.id for d in service.find_duplicates(empty_db, "FUNDACJA LAKA", None)] == [pid]
    assert service.find_duplicates(empty_db, "Fundacja Łąka", None, exclude_id=pid) == []
    service.remove_partner(empty_db, pid)
    assert service.find_duplicates(empty_db, "Fundacja Łąka", None) == []
    assert service.list_partners(empty_db) == []
    service.restore_partner(empty_db, pid)
    assert [r.id for r in service.list_partners(empty_db)] == [pid]
    assert service.type_counts(service.list_partners(empty_db)) == {PartnerType.NGO: 1}
