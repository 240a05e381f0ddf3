"""One field list per editable record: its length limits are the model's ``String(n)``, its
export headers are its labels, and a too-long value is refused in Polish with the database
unchanged (issue #9, item 6)."""
from __future__ import annotations

import csv

import openpyxl
import pytest
from sqlalchemy import Enum, String, func, select

from db.activities import Activity
from db.models import (
    Agreement,
    Beat,
    Gmina,
    GminaKind,
    Officer,
    OfficerRole,
    Partner,
    PartnerType,
    Signature,
    SignatureStatus,
    StreetRange,
    Unit,
)
from desktop.activities.fields import ACTIVITY_FIELDS
from desktop.beats.officer_fields import OFFICER_FIELDS
from desktop.beats.street_fields import CSV_HEADER, STREET_FIELDS
from desktop.common.fields import Field, FieldList, display, too_long_message
from desktop.organisation.fields import BEAT_FIELDS, GMINA_FIELDS, UNIT_FIELDS
from desktop.partners.agreement_fields import AGREEMENT_FIELDS, SIGNATURE_FIELDS
from desktop.partners.fields import FIELDS as PARTNER_FIELDS

# Every editable record: its field list, its model, and text columns nobody types in.
RECORDS = {
    "partner": (PARTNER_FIELDS, Partner, set()),
    "officer": (OFFICER_FIELDS, Officer, set()),
    "agreement": (AGREEMENT_FIELDS, Agreement, set()),
    "signature": (SIGNATURE_FIELDS, Signature, set()),
    "street": (STREET_FIELDS, StreetRange, {"street_key"}),  # derived from the street
    "unit": (UNIT_FIELDS, Unit, set()),
    "gmina": (GMINA_FIELDS, Gmina, set()),
    "beat": (BEAT_FIELDS, Beat, set()),
    "activity": (ACTIVITY_FIELDS, Activity, set()),
}


def _string_lengths(model: type) -> dict[str, int]:
    return {c.key: c.type.length for c in model.__table__.columns
            if isinstance(c.type, String) and not isinstance(c.type, Enum) and c.type.length}


@pytest.mark.parametrize("record", sorted(RECORDS))
def test_every_text_column_is_in_the_list_with_the_models_length(record):
    fields, model, derived = RECORDS[record]
    limits = fields.text_limits()
    by_column = {fields.by_name[name].column.key: limit for name, limit in limits.items()}
    assert by_column == {k: v for k, v in _string_lengths(model).items() if k not in derived}
    for f in fields:  # every stored field belongs to the record's own model
        if f.column is not None:
            assert f.column.class_ is model, f.name


@pytest.mark.parametrize("record", sorted(RECORDS))
def test_too_long_is_one_character_over_the_limit(record):
    fields, _model, _derived = RECORDS[record]
    for name, limit in fields.text_limits().items():
        assert fields.too_long({name: "x" * limit}) == []
        assert fields.too_long({name: " " + "x" * limit + " "}) == []  # spaces are stripped
        assert fields.too_long({name: "x" * (limit + 1)}) == [(name, limit)]
        label = fields.by_name[name].label
        assert fields.length_problems({name: "x" * (limit + 1)}) == {
            name: f"{label}: {too_long_message(limit)}"}


def test_the_generic_list_refuses_duplicate_names_and_shows_enums_by_label():
    with pytest.raises(ValueError, match="duplicate"):
        FieldList("x", (Field("a", "A"), Field("a", "B")))
    assert display(OfficerRole.BEAT_OFFICER) == "dzielnicowy"
    assert display(True) == "tak" and display(False) == "nie" and display(3) == 3
    assert too_long_message(40) == "tekst dłuższy niż 40 znaków"


def test_officer_too_long_is_refused_in_polish_and_nothing_is_saved(empty_db):
    from desktop.beats.officers import OfficerData, OfficerError, create_officer

    limit = Officer.__table__.c.email.type.length
    with pytest.raises(OfficerError) as caught:
        create_officer(empty_db, OfficerData("Jan", "Nowak", "123", OfficerRole.BEAT_OFFICER,
                                             email="a" * limit + "@policja.gov.pl"))
    assert caught.value.problems["email"] == f"Tekst jest za długi (najwyżej {limit} znaków)."
    with empty_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Officer)) == 0


def test_unit_and_gmina_too_long_are_refused_in_polish_and_nothing_is_saved(empty_db):
    from desktop.organisation.units import (
        GminaData,
        OrganisationError,
        UnitData,
        save_gmina,
        save_unit,
    )

    with empty_db.session() as s:
        units = s.scalar(select(func.count()).select_from(Unit))
        gminas = s.scalar(select(func.count()).select_from(Gmina))
    limit = Unit.__table__.c.short_name.type.length
    with pytest.raises(OrganisationError) as caught:
        save_unit(empty_db, None, UnitData("Komenda Testowa", "K" * (limit + 1)))
    assert caught.value.problems == {
        "short_name": f"Nazwa skrócona: tekst dłuższy niż {limit} znaków"}
    limit = Gmina.__table__.c.name.type.length
    with pytest.raises(OrganisationError) as caught:
        save_gmina(empty_db, None, GminaData("G" * (limit + 1), GminaKind.RURAL))
    assert caught.value.problems["name"] == f"Gmina: tekst dłuższy niż {limit} znaków"
    with empty_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Unit)) == units
        assert s.scalar(select(func.count()).select_from(Gmina)) == gminas


def test_street_line_too_long_is_refused_in_polish_and_the_register_unchanged(sample_db,
                                                                               tmp_path):
    from desktop.beats.register import RegisterError, add_line, import_csv, register_lines

    before = register_lines(sample_db)
    beat_id = before[0].beat_id
    limit = StreetRange.__table__.c.locality.type.length
    with pytest.raises(RegisterError, match=f"^Miejscowość: tekst dłuższy niż {limit} znaków"):
        add_line(sample_db, beat_id, "M" * (limit + 1), "Polna")
    path = tmp_path / "ulice.csv"
    with sample_db.session() as s:
        beat = s.get(Beat, beat_id)
        number, unit = beat.number, s.get(Unit, beat.unit_id).name
    street_limit = StreetRange.__table__.c.street.type.length
    path.write_text(f"jednostka;rejon;miejscowosc;ulica\n{unit};{number};Konin;"
                    f"{'U' * (street_limit + 1)}\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=f"Ulica: tekst dłuższy niż {street_limit} znaków"):
        import_csv(sample_db, path)
    assert register_lines(sample_db) == before


@pytest.mark.engines("sqlite")
def test_street_export_header_is_the_lists_file_names(sample_db, tmp_path):
    from desktop.beats.register import export_csv

    export_csv(sample_db, tmp_path / "r.csv")
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f, delimiter=";"))
    assert header == CSV_HEADER == [f.synonyms[0] for f in STREET_FIELDS]


@pytest.mark.engines("sqlite")
def test_activity_export_headers_are_the_lists_labels(sample_db, tmp_path):
    from desktop.activities.columns import export_activities
    from desktop.activities.service import list_activities

    rows = list_activities(sample_db)
    export_activities(tmp_path / "a.csv", rows)
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f, delimiter=";"))
    assert header == [f.label for f in ACTIVITY_FIELDS.export] == [
        "Data i godzina", "Koniec", "Rodzaj", "Temat", "Miejsce", "Rejony", "Funkcjonariusze",
        "Partnerzy", "Liczba uczestników", "Kategorie zagrożeń", "Wynik", "Dalsze działania",
        "Plan działania priorytetowego"]
    export_activities(tmp_path / "a.xlsx", rows)
    ws = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    assert [c.value for c in ws[1]] == header


def test_signatories_export_headers_are_the_lists_labels(empty_db, tmp_path):
    import datetime as dt

    from desktop.partners import agreements, service
    from desktop.partners.service import PartnerData
    from desktop.partners.signatories import export_signatories

    aid = agreements.save_agreement(empty_db, agreements.AgreementData("Porozumienie"))
    pid = service.create_partner(empty_db, PartnerData("Fundacja", PartnerType.NGO))
    agreements.save_signature(empty_db, aid, agreements.SignatureData(
        pid, "Anna Nowak", "prezes", dt.date(2025, 3, 1), SignatureStatus.SIGNED,
        note="uwaga"))
    export_signatories(empty_db, aid, tmp_path / "s.csv")
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as f:
        header, line = list(csv.reader(f, delimiter=";"))
    assert header == ["Lp.", *(f.label for f in SIGNATURE_FIELDS.export)]
    assert line == ["1", "Fundacja", "organizacja pozarządowa", "Anna Nowak", "prezes",
                    "podpisane", "01.03.2025", "", "uwaga"]
    export_signatories(empty_db, aid, tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    assert [c.value for c in ws[2]] == header
    assert ws["G3"].value == dt.datetime(2025, 3, 1)  # the date column stays a date


def test_activity_too_long_is_refused_in_polish_and_nothing_is_saved(sample_db):
    import datetime as dt

    from db.models import ActivityKind
    from desktop.activities.service import (
        ActivityError,
        ActivityInput,
        create_activity,
        list_activities,
    )

    before = len(list_activities(sample_db))
    with sample_db.session() as s:
        beat_id = s.scalar(select(Beat.id))
        officer_id = s.scalar(select(Officer.id))
    limit = Activity.__table__.c.place.type.length
    with pytest.raises(ActivityError, match=f"„Miejsce” może mieć najwyżej {limit} znaków"):
        create_activity(sample_db, ActivityInput(
            ActivityKind.MEETING, "Spotkanie", dt.datetime(2025, 5, 1, 17), place="x" * (limit + 1),
            beat_ids=(beat_id,), officer_ids=(officer_id,)))
    assert len(list_activities(sample_db)) == before
