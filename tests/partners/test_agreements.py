"""Agreements and signatures: service rules and the agreements window."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrinter

from db.models import PartnerType, SignatureStatus
from desktop.partners import agreements as svc
from desktop.partners import service
from desktop.partners.agreements import AgreementData, AgreementError, SignatureData
from desktop.partners.ui.agreements_dialog import AgreementsDialog
from desktop.partners.ui.signature_dialog import SignatureDialog
from desktop.printing.paged import paint_document

from .pdf_text import page_texts


def test_more_than_one_agreement_and_annex_dates(sample_db):
    first = svc.get_agreement(sample_db)
    assert first.data.number == "1/2017" and first.signed == 34 and first.invited == 1
    second = svc.save_agreement(sample_db, AgreementData(
        title="Porozumienie na rok 2019", number="2/2019", signed_on=dt.date(2019, 2, 1),
        valid_from=dt.date(2019, 2, 1), valid_to=dt.date(2019, 12, 31)))
    pid = service.create_partner(sample_db, service.PartnerData("Fundacja Łąka", PartnerType.NGO))
    svc.save_signature(sample_db, second, SignatureData(pid, "Zofia Żak", "Prezes",
                                                        dt.date(2019, 5, 5), SignatureStatus.SIGNED,
                                                        "Aneks nr 1"))
    assert [a.id for a in svc.list_agreements(sample_db)][0] == second
    sig = svc.list_signatures(sample_db, second)[0]
    assert sig.data.annex_number == "Aneks nr 1" and sig.data.signed_on == dt.date(2019, 5, 5)
    # the register shows the status on the most recent agreement
    assert service.get_partner(sample_db, pid).signature_status is SignatureStatus.SIGNED
    with pytest.raises(AgreementError, match="już stroną"):
        svc.save_signature(sample_db, second, SignatureData(pid, status=SignatureStatus.INVITED))
    with pytest.raises(AgreementError, match="daty podpisania"):
        svc.save_signature(sample_db, first.id, SignatureData(pid, status=SignatureStatus.SIGNED))
    with pytest.raises(AgreementError, match="wcześniejszy"):
        svc.save_agreement(sample_db, AgreementData("X", valid_from=dt.date(2020, 1, 2),
                                                    valid_to=dt.date(2020, 1, 1)))
    assert len(svc.list_agreements(sample_db)) == 2


def test_withdrawn_and_removed_partners_are_not_on_the_list(sample_db, tmp_path, qapp):
    from desktop.partners.report import build_report

    agreement = svc.get_agreement(sample_db)
    sigs = svc.list_signatures(sample_db, agreement.id)
    kramsk = next(s for s in sigs if s.partner_name == "Urząd Gminy Kramsk")
    skulsk = next(s for s in sigs if s.partner_name == "Urząd Gminy Skulsk")
    svc.save_signature(sample_db, agreement.id,
                       SignatureData(**{**kramsk.data.__dict__,
                                        "status": SignatureStatus.WITHDRAWN}), kramsk.id)
    service.remove_partner(sample_db, skulsk.data.partner_id)
    report = build_report(sample_db, agreement.id)
    html = report.document.html
    assert "Urząd Gminy Kramsk" not in html and "Urząd Gminy Skulsk" not in html
    assert report.rows == 33
    # the signature of the removed partner is kept
    assert any(s.partner_removed for s in svc.list_signatures(sample_db, agreement.id))


def test_dialog_shows_agreement_and_edits_it(sample_db, qtbot, qtmodeltester):
    dialog = AgreementsDialog(sample_db)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 1
    assert dialog.signatures.rowCount() == 35
    qtmodeltester.check(dialog.signatures)
    assert dialog.fields["number"].text() == "1/2017"
    assert dialog.dates["valid_to"].value() == dt.date(2018, 12, 31)
    dialog.fields["place"].setText("Konin, sala konferencyjna KMP")
    dialog.save_button.click()
    assert svc.get_agreement(sample_db).data.place == "Konin, sala konferencyjna KMP"
    dialog.new_button.click()
    assert dialog.list.count() == 2
    assert dialog.signatures.rowCount() == 0
    assert dialog.fields["title"].text() == "Nowe porozumienie"


def test_signature_dialog_checks_status_and_date(sample_db, qtbot):
    partners = service.list_partners(sample_db)[:3]
    dialog = SignatureDialog(partners)
    qtbot.addWidget(dialog)
    assert dialog.signatory.text() == partners[0].data.representative
    dialog.has_date.setChecked(False)
    dialog.try_accept()
    assert "daty podpisania" in dialog.message.text()
    dialog.has_date.setChecked(True)
    dialog.date.setDate(QDate(2018, 3, 15))
    dialog.annex.setText("Aneks nr 4")
    dialog.try_accept()
    assert dialog.result() == SignatureDialog.DialogCode.Accepted
    d = dialog.data()
    assert d.signed_on == dt.date(2018, 3, 15) and d.status is SignatureStatus.SIGNED
    assert d.annex_number == "Aneks nr 4" and d.partner_id == partners[0].id


def test_new_signature_date_starts_empty_and_implausible_dates_are_refused(sample_db, qtbot):
    partners = service.list_partners(sample_db)[:3]
    dialog = SignatureDialog(partners, agreement_signed_on=dt.date(2019, 2, 1))
    qtbot.addWidget(dialog)
    # Not ticked, and the date shown is today's, never QDateEdit's 01.01.2000.
    assert not dialog.has_date.isChecked() and not dialog.date.isEnabled()
    assert dialog.date.date() == QDate.currentDate()
    assert dialog.data().signed_on is None
    dialog.has_date.setChecked(True)
    for day, message in ((QDate(1900, 1, 1), "jest nieprawdopodobna"),
                         (QDate.currentDate().addDays(2), "jest nieprawdopodobna"),
                         (QDate(2019, 1, 31), "wcześniejsza niż data zawarcia porozumienia "
                                              "(01.02.2019)")):
        dialog.date.setDate(day)
        dialog.try_accept()
        assert message in dialog.message.text()
        assert dialog.result() != SignatureDialog.DialogCode.Accepted
    dialog.date.setDate(QDate(2019, 2, 1))
    dialog.try_accept()
    assert dialog.result() == SignatureDialog.DialogCode.Accepted


def test_service_refuses_signing_dates_out_of_range(sample_db):
    agreement = svc.get_agreement(sample_db)
    pid = service.create_partner(sample_db, service.PartnerData("Fundacja Wrzos", PartnerType.NGO))
    for day, message in ((dt.date(1900, 1, 1), "nieprawdopodobna"),
                         (dt.date.today() + dt.timedelta(days=1), "nieprawdopodobna"),
                         (agreement.data.signed_on - dt.timedelta(days=1), "wcześniejsza")):
        with pytest.raises(AgreementError, match=message):
            svc.save_signature(sample_db, agreement.id,
                               SignatureData(pid, "Ewa Wrzos", "", day, SignatureStatus.SIGNED))
    assert pid not in {r.data.partner_id for r in svc.list_signatures(sample_db, agreement.id)}
    svc.save_signature(sample_db, agreement.id, SignatureData(
        pid, "Ewa Wrzos", "", agreement.data.signed_on, SignatureStatus.SIGNED))


def test_print_path_paints_the_same_pages(sample_db, tmp_path, qapp):
    """The preview's printer gets the same pages as the PDF (printer set to PDF output)."""
    from desktop.partners.report import build_report

    report = build_report(sample_db)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    pages = paint_document(printer, report.document)
    texts = page_texts(tmp_path / "printer.pdf")
    assert len(texts) == pages >= 2
    assert f"Strona {pages} z {pages}" in texts[-1]
    assert "Lp. Partner Przedstawiciel i funkcja" in texts[-1]


def test_signature_changes_in_the_window_are_undoable(sample_db, qtbot):
    dialog = AgreementsDialog(sample_db)
    qtbot.addWidget(dialog)
    agreement_id = dialog.current_id()
    dialog.table.selectRow(0)
    first = dialog._selected_signature()
    dialog.remove_sig.click()
    assert dialog.signatures.rowCount() == 34
    assert dialog.undo_button.isEnabled()
    dialog.undo_button.click()
    rows = svc.list_signatures(sample_db, agreement_id)
    assert len(rows) == 35
    restored = next(r for r in rows if r.data.partner_id == first.data.partner_id)
    assert restored.data == first.data
    # agreement data: save, then Ctrl+Z
    dialog.fields["number"].setText("1/2017/A")
    dialog.save_button.click()
    assert svc.get_agreement(sample_db, agreement_id).data.number == "1/2017/A"
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert svc.get_agreement(sample_db, agreement_id).data.number == "1/2017"
    assert dialog.fields["number"].text() == "1/2017"
    # a new signature, undone, disappears again
    pid = service.create_partner(sample_db, service.PartnerData("Klub Seniora", PartnerType.NGO))
    dialog._save_signature(SignatureData(pid, "Anna Nowak", "Prezes", dt.date(2018, 4, 1),
                                         SignatureStatus.SIGNED, "Aneks nr 5"), None)
    assert dialog.signatures.rowCount() == 36
    dialog.undo_stack.undo()
    assert dialog.signatures.rowCount() == 35
    dialog.undo_stack.redo()
    assert any(r.data.annex_number == "Aneks nr 5" for r in svc.list_signatures(sample_db, agreement_id))
