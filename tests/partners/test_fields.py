"""One field list drives the partner's labels, table and export columns and length limits."""
from __future__ import annotations

import csv
from dataclasses import fields as dataclass_fields

import openpyxl
import pytest
from sqlalchemy import String

from db.models import Partner, PartnerType
from desktop.common.columns import max_length
from desktop.partners import exchange, service
from desktop.partners.fields import EDITABLE, FIELDS, SEARCHABLE, TABLE, TEXT_LIMITS
from desktop.partners.service import PartnerData
from desktop.partners.validation import validate_fields

# Columns the user never edits: keys, bookkeeping (row version), the soft-removal mark.
NOT_EDITABLE = {"id", "created_at", "updated_at", "deleted_at", "version"}


def test_every_editable_model_column_is_in_the_field_list():
    model_columns = {c.key for c in Partner.__table__.columns} - NOT_EDITABLE
    listed = {f.column.property.columns[0].key for f in EDITABLE}
    assert listed == model_columns
    # ...and the service's editable data holds exactly those columns
    assert {f.name for f in dataclass_fields(PartnerData)} == model_columns


def test_length_limits_are_the_models_string_lengths():
    strings = {c.key: c.type.length for c in Partner.__table__.columns
               if type(c.type) is String}
    assert strings and strings == TEXT_LIMITS
    assert max_length(Partner.notes) is None and max_length(Partner.partner_type) is None


@pytest.mark.parametrize("name", sorted(TEXT_LIMITS))
def test_validation_rejects_one_character_over_the_model_length(name):
    limit = TEXT_LIMITS[name]
    base = {"name": "Urząd Gminy"}
    assert not [e for e in validate_fields({**base, name: "x" * limit}) if "dłuższy" in e.message]
    errors = validate_fields({**base, name: "x" * (limit + 1)})
    assert [(e.field, e.message) for e in errors if "dłuższy" in e.message] == [
        (name, f"tekst dłuższy niż {limit} znaków")]


def test_export_and_table_columns_follow_the_field_list(empty_db, tmp_path, qapp):
    from desktop.partners.ui.model import partner_columns

    service.create_partner(empty_db, PartnerData("Szkoła Podstawowa nr 1", PartnerType.SCHOOL,
                                                 city="Konin", notes="uwaga"))
    rows = service.list_partners(empty_db)
    exchange.export_csv(tmp_path / "p.csv", rows)
    with open(tmp_path / "p.csv", encoding="utf-8-sig", newline="") as f:
        header, line = list(csv.reader(f, delimiter=";"))
    assert header == [f.label for f in FIELDS]
    assert dict(zip(header, line))["Miejscowość"] == "Konin"
    exchange.export_xlsx(tmp_path / "p.xlsx", rows)
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    assert [c.value for c in ws[1]] == header
    assert [c.title for c in partner_columns()] == [f.label for f in TABLE]
    assert SEARCHABLE == ("name", "gmina", "address", "city", "representative",
                          "representative_function", "phone", "email")
    assert [f.name for f in EDITABLE] == exchange.IMPORT_FIELDS


def test_dialog_has_one_labelled_widget_per_editable_field(qtbot, empty_db):
    from PySide6.QtWidgets import QFormLayout

    from desktop.partners.ui.partner_dialog import TEXT_FIELDS, PartnerDialog

    dialog = PartnerDialog(empty_db)
    qtbot.addWidget(dialog)
    form = dialog.findChild(QFormLayout)
    labels = [form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget().text()
              for i in range(form.rowCount())][:len(EDITABLE)]
    assert labels == [f.form_label or f.label for f in EDITABLE]
    assert set(TEXT_FIELDS) == set(TEXT_LIMITS)


def test_agreement_and_signature_lengths_come_from_the_model(empty_db):
    """Every text of an agreement and a signature is checked against its column (the annex
    number and the coordinators were not checked at all before)."""
    from db.models import Agreement, Signature
    from desktop.partners import agreements

    assert max_length(Agreement.police_coordinator) == 200
    with pytest.raises(agreements.AgreementError, match="najwyżej 200 znaków"):
        agreements.save_agreement(empty_db, agreements.AgreementData(
            "Porozumienie", police_coordinator="x" * 201))
    aid = agreements.save_agreement(empty_db, agreements.AgreementData(
        "Porozumienie", police_coordinator="x" * 200))
    pid = service.create_partner(empty_db, PartnerData("Fundacja", PartnerType.NGO))
    limit = max_length(Signature.annex_number)
    with pytest.raises(agreements.AgreementError, match=f"najwyżej {limit} znaków"):
        agreements.save_signature(empty_db, aid, agreements.SignatureData(
            pid, annex_number="A" * (limit + 1)))
    assert agreements.list_signatures(empty_db, aid) == []


def test_officer_limits_come_from_the_model():
    from db.models import Officer, OfficerRole
    from desktop.beats.officers import OfficerData, OfficerError, validate

    limit = max_length(Officer.last_name)
    with pytest.raises(OfficerError) as caught:
        validate(OfficerData("Jan", "x" * (limit + 1), "123", OfficerRole.BEAT_OFFICER))
    assert caught.value.problems["last_name"] == f"Tekst jest za długi (najwyżej {limit} znaków)."
