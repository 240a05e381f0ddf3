"""Real widgets read each record's field list: table headers are the list's headers in order,
form labels its labels, and every text editor takes no more characters than the model's
``String(n)`` (issue #9, item 6)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit

from desktop.activities.fields import ACTIVITY_FIELDS
from desktop.app.context import AppContext
from desktop.beats.officer_fields import OFFICER_FIELDS
from desktop.beats.street_fields import STREET_FIELDS
from desktop.common.fields import FieldList
from desktop.organisation.fields import (
    BEAT_FIELDS,
    BEAT_SUMMARY_FIELDS,
    GMINA_FIELDS,
    UNIT_FIELDS,
)
from desktop.partners.agreement_fields import AGREEMENT_FIELDS, SIGNATURE_FIELDS
from desktop.partners.fields import FIELDS as PARTNER_FIELDS

pytestmark = pytest.mark.engines("sqlite")


def _headers(model) -> list[str]:
    return [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]


def _form_labels(form: QFormLayout) -> list[str]:
    out = []
    for i in range(form.rowCount()):
        item = form.itemAt(i, QFormLayout.ItemRole.LabelRole)
        if item is not None and item.widget() is not None:
            out.append(item.widget().text())
    return out


def _assert_limits(fields: FieldList, edits: dict[str, QLineEdit]) -> None:
    """Every text field has an editor, and its maxLength is the model's length."""
    limits = fields.text_limits()
    assert limits and set(limits) <= set(edits)
    assert {name: edits[name].maxLength() for name in limits} == limits


def test_officer_roster_and_dialog_follow_the_list(qtbot, sample_db):
    from desktop.beats.ui.dialogs import OfficerDialog
    from desktop.beats.ui.roster import OfficerRoster

    roster = OfficerRoster(sample_db)
    qtbot.addWidget(roster)
    assert _headers(roster.model) == [f.header for f in OFFICER_FIELDS.table]
    assert _headers(roster.model)[:4] == ["Stopień", "Nazwisko", "Imię", "Nr służbowy"]
    dialog = OfficerDialog(sample_db)
    qtbot.addWidget(dialog)
    _assert_limits(OFFICER_FIELDS, {n: getattr(dialog, n) for n in (
        "rank", "last_name", "first_name", "service_number", "phone", "mobile", "email")})
    assert _form_labels(dialog.findChild(QFormLayout)) == [
        f.form_text + ":" for f in OFFICER_FIELDS.editable]
    # Typing past the limit stops at it: the dialog cannot hand the database a longer text.
    limit = OFFICER_FIELDS.by_name["service_number"].max_length
    qtbot.keyClicks(dialog.service_number, "7" * (limit + 5))
    assert dialog.service_number.text() == "7" * limit


def test_agreement_and_signature_dialogs_follow_the_lists(qtbot, sample_db):
    from desktop.partners.ui.agreements_dialog import AgreementsDialog, signature_columns
    from desktop.partners.ui.signature_dialog import SignatureDialog

    dialog = AgreementsDialog(sample_db)
    qtbot.addWidget(dialog)
    _assert_limits(AGREEMENT_FIELDS, dialog.fields)
    form = next(f for f in dialog.findChildren(QFormLayout)
                if "Tytuł" in _form_labels(f))
    assert _form_labels(form) == [f.form_text for f in AGREEMENT_FIELDS.editable]
    assert _headers(dialog.signatures) == [f.header for f in SIGNATURE_FIELDS.table]
    assert [c.title for c in signature_columns()] == [
        "Partner", "Rodzaj", "Podpisujący", "Funkcja", "Status", "Data", "Aneks"]
    sig = SignatureDialog([])
    qtbot.addWidget(sig)
    _assert_limits(SIGNATURE_FIELDS, {"signatory": sig.signatory,
                                      "signatory_function": sig.function,
                                      "annex_number": sig.annex, "note": sig.note})


def test_street_register_page_and_dialog_follow_the_list(qtbot, sample_db):
    from desktop.beats.ui.register_dialog import RegisterLineDialog
    from desktop.beats.ui.streets_page import StreetsPage

    page = StreetsPage(sample_db)
    qtbot.addWidget(page)
    assert _headers(page.model) == [f.header for f in STREET_FIELDS.table] == [
        "Rejon", "Miejscowość", "Ulica i numery"]
    dialog = RegisterLineDialog(sample_db)
    qtbot.addWidget(dialog)
    _assert_limits(STREET_FIELDS, {"locality": dialog.locality, "street": dialog.street})
    assert _form_labels(dialog.findChild(QFormLayout)) == [
        f.form_text + ":" for f in STREET_FIELDS.editable]


def test_organisation_tables_and_dialogs_follow_the_lists(qtbot, sample_db):
    from desktop.organisation.ui.dialogs import BeatDialog, GminaDialog, UnitDialog
    from desktop.organisation.ui.tab import OrganisationTab

    tab = OrganisationTab(AppContext(sample_db))
    qtbot.addWidget(tab)
    assert _headers(tab.units.model) == [f.header for f in UNIT_FIELDS.table]
    assert _headers(tab.gminas.model) == [f.header for f in GMINA_FIELDS.table]
    assert _headers(tab.beats.model) == [f.header for f in BEAT_FIELDS.table]
    unit = UnitDialog(sample_db)
    gmina = GminaDialog(sample_db)
    beat = BeatDialog(sample_db)
    for d in (unit, gmina, beat):
        qtbot.addWidget(d)
    _assert_limits(UNIT_FIELDS, {n: getattr(unit, n) for n in
                                 ("name", "short_name", "address", "phone")})
    _assert_limits(GMINA_FIELDS, {"teryt": gmina.teryt, "name": gmina.name})
    _assert_limits(BEAT_FIELDS, {"number": beat.number, "name": beat.name})
    assert "Kod TERYT:" in _form_labels(gmina.form)
    assert "Jednostka nadrzędna:" in _form_labels(unit.form)


def test_beats_tab_table_follows_the_summary_list(qtbot, sample_db):
    from desktop.beats.ui.beats_page import BeatsPage

    page = BeatsPage(AppContext(sample_db))
    qtbot.addWidget(page)
    assert _headers(page.model) == [f.header for f in BEAT_SUMMARY_FIELDS.table] == [
        "Jednostka", "Nr", "Rejon", "Gmina", "Dzielnicowy", "Policjant ruchu drogowego",
        "Pow. [km²]", "Zgł. 12 mies."]


def test_activities_tab_and_dialog_follow_the_list(qtbot, sample_db):
    from desktop.activities.ui.dialog import ActivityDialog
    from desktop.activities.ui.tab import ActivitiesTab

    tab = ActivitiesTab(AppContext(sample_db))
    qtbot.addWidget(tab)
    assert _headers(tab.model) == [f.header for f in ACTIVITY_FIELDS.table]
    dialog = ActivityDialog(sample_db)
    qtbot.addWidget(dialog)
    _assert_limits(ACTIVITY_FIELDS, {"title": dialog.title, "place": dialog.place})


def test_partner_dialog_editors_take_the_models_lengths(qtbot, empty_db):
    from desktop.partners.ui.partner_dialog import PartnerDialog

    dialog = PartnerDialog(empty_db)
    qtbot.addWidget(dialog)
    _assert_limits(PARTNER_FIELDS, dialog.edits)
