"""The "Partnerzy" tab driven through its real widgets."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.models import Partner, PartnerType, Signature, SignatureStatus
from desktop.app.context import Change
from desktop.partners import service
from desktop.partners.service import PartnerData
from desktop.partners.ui.model import NO_SIGNATURE
from desktop.partners.ui.partner_dialog import PartnerDialog
from desktop.partners.ui.tab import PartnersTab


def names(tab: PartnersTab) -> list[str]:
    return [r.name for r in tab.proxy.visible_rows()]


def make_tab(qtbot, db) -> PartnersTab:
    tab = PartnersTab(db)
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def test_polish_collation_in_the_table(empty_db, qtbot, qtmodeltester):
    for name in ("Żłobek Miejski", "Zespół Szkół", "Łódzka Fundacja", "Lokalna Grupa",
                 "Śląskie Stowarzyszenie", "Szkoła Podstawowa", "Ośrodek", "Oaza", "Ćma", "Cis"):
        service.create_partner(empty_db, PartnerData(name, PartnerType.NGO))
    tab = make_tab(qtbot, empty_db)
    assert names(tab) == ["Cis", "Ćma", "Lokalna Grupa", "Łódzka Fundacja", "Oaza", "Ośrodek",
                          "Szkoła Podstawowa", "Śląskie Stowarzyszenie", "Zespół Szkół",
                          "Żłobek Miejski"]
    tab.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert names(tab)[0] == "Żłobek Miejski"
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)


def test_search_without_diacritics_filters_and_counts(sample_db, qtbot):
    tab = make_tab(qtbot, sample_db)
    assert "Partnerów: 35" in tab.counts.text()
    assert "samorząd gminy: 14" in tab.counts.text()
    qtbot.keyClicks(tab.search, "slesin")
    assert set(names(tab)) == {"Urząd Miasta i Gminy w Ślesinie", "Przedszkole Samorządowe w Ślesinie"}
    assert "Partnerów: 2" in tab.counts.text()
    tab.search.clear()
    tab.type_filter.setCurrentIndex(tab.type_filter.findData(PartnerType.SCHOOL))
    assert len(names(tab)) == 7 and "szkoła lub przedszkole: 7" in tab.counts.text()
    tab.type_filter.setCurrentIndex(0)
    tab.gmina_filter.setCurrentIndex(tab.gmina_filter.findText("Wilczyn"))
    assert set(names(tab)) == {"Urząd Gminy Wilczyn", "Koło Gospodyń Wiejskich w Wilczynie"}
    tab.gmina_filter.setCurrentIndex(0)
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(SignatureStatus.INVITED))
    assert names(tab) == ["Miejski Zarząd Dróg w Koninie"]
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(NO_SIGNATURE))
    assert names(tab) == []


def test_remove_then_ctrl_z_restores_and_keeps_signatures(sample_db, qtbot):
    tab = make_tab(qtbot, sample_db)
    target = next(r for r in tab.proxy.visible_rows() if r.name == "Urząd Gminy Kramsk")
    assert tab.select_partner(target.id)
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert "Urząd Gminy Kramsk" not in names(tab)
    with sample_db.session() as s:
        assert s.get(Partner, target.id).deleted_at is not None
        assert s.query(Signature).filter_by(partner_id=target.id).count() == 1
    tab.activateWindow()
    qtbot.waitActive(tab)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Urząd Gminy Kramsk" in names(tab)
    with sample_db.session() as s:
        assert s.get(Partner, target.id).deleted_at is None
    assert service.get_partner(sample_db, target.id).signature_status is SignatureStatus.SIGNED
    tab.undo_stack.redo()
    assert "Urząd Gminy Kramsk" not in names(tab)
    tab.show_removed.setChecked(True)
    assert "Urząd Gminy Kramsk" in names(tab)
    assert tab.select_partner(target.id) and tab.restore_button.isEnabled()
    qtbot.mouseClick(tab.restore_button, Qt.MouseButton.LeftButton)
    assert service.get_partner(sample_db, target.id).deleted_at is None


def test_edit_is_undoable(sample_db, qtbot):
    tab = make_tab(qtbot, sample_db)
    row = next(r for r in tab.proxy.visible_rows() if r.name == "Urząd Gminy Skulsk")
    changed = PartnerData(**{**row.data.__dict__, "phone": "600 100 200"})
    from desktop.partners.ui.undo import EditPartnerCommand

    tab.undo_stack.push(EditPartnerCommand(sample_db, tab._changed, row.id, row.data, changed))
    assert service.get_partner(sample_db, row.id).data.phone == "600 100 200"
    tab.undo_stack.undo()
    assert service.get_partner(sample_db, row.id).data.phone == row.data.phone


def fill(dialog: PartnerDialog, qtbot, **values) -> None:
    for key, text in values.items():
        dialog.edits[key].clear()
        dialog.edits[key].insert(text)  # QTest cannot type Polish letters


def test_dialog_validates_email_phone_postal_code(sample_db, qtbot):
    dialog = PartnerDialog(sample_db)
    qtbot.addWidget(dialog)
    fill(dialog, qtbot, name="Fundacja Nowa", email="nie-mail", phone="12ab",
         postal_code="62500")
    dialog.try_accept()
    assert dialog.result() != PartnerDialog.DialogCode.Accepted
    text = dialog.message.text()
    assert "E-mail" in text and "Telefon" in text and "NN-NNN" in text
    fill(dialog, qtbot, email="biuro@fundacja.pl", phone="+48 632 401 234", postal_code="62-500")
    dialog.try_accept()
    assert dialog.result() == PartnerDialog.DialogCode.Accepted


def test_dialog_warns_about_a_likely_duplicate(sample_db, qtbot):
    dialog = PartnerDialog(sample_db)
    qtbot.addWidget(dialog)
    fill(dialog, qtbot, name="urzad gminy  KRAMSK")
    dialog.gmina_combo.setCurrentIndex(dialog.gmina_combo.findText("Kramsk"))
    dialog.try_accept()
    assert dialog.result() != PartnerDialog.DialogCode.Accepted
    assert "Urząd Gminy Kramsk" in dialog.message.text()
    dialog.try_accept()  # saving anyway is the user's choice
    assert dialog.result() == PartnerDialog.DialogCode.Accepted
    # the same name in another gmina is not a duplicate
    other = PartnerDialog(sample_db)
    qtbot.addWidget(other)
    fill(other, qtbot, name="Urząd Gminy Kramsk")
    other.gmina_combo.setCurrentIndex(other.gmina_combo.findText("Rzgów"))
    other.try_accept()
    assert other.result() == PartnerDialog.DialogCode.Accepted


def test_add_through_the_tab_and_undo(empty_db, qtbot, monkeypatch):
    tab = make_tab(qtbot, empty_db)

    def fake_exec(dialog):  # drive the real dialog, but without a modal loop
        fill(dialog, qtbot, name="Stowarzyszenie <b>Ślad</b>", email="a@b.pl")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(PartnerDialog, "exec", fake_exec)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    assert names(tab) == ["Stowarzyszenie <b>Ślad</b>"]
    tab.undo_stack.undo()
    assert names(tab) == []
    tab.undo_stack.redo()
    assert names(tab) == ["Stowarzyszenie <b>Ślad</b>"]
    assert len(service.list_partners(empty_db, include_deleted=True)) == 1
    QApplication.processEvents()


def test_duplicate_warning_escapes_hostile_names(empty_db, qtbot):
    hostile = "<img src=x onerror=alert(1)>"
    service.create_partner(empty_db, PartnerData(hostile, PartnerType.NGO))
    dialog = PartnerDialog(empty_db)
    qtbot.addWidget(dialog)
    fill(dialog, qtbot, name=hostile.upper())
    dialog.try_accept()
    assert dialog.result() != PartnerDialog.DialogCode.Accepted
    assert "&lt;img src=x onerror=alert(1)&gt;" in dialog.message.text()
    assert "<img" not in dialog.message.text()


def test_menu_actions_and_preview_dialog(sample_db, qtbot):
    from desktop.partners.report import build_report
    from desktop.printing.preview import make_preview_dialog

    tab = make_tab(qtbot, sample_db)
    texts = [a.text() for a in tab.menu_actions()]
    assert texts[0] == "Lista sygnatariuszy porozumienia – podgląd wydruku…"
    dialog = make_preview_dialog(tab, build_report(sample_db).document)
    qtbot.addWidget(dialog)
    assert "Lista sygnatariuszy porozumienia nr 1/2017" in dialog.windowTitle()


def test_tab_follows_app_context(sample_db, qtbot):
    from desktop.app.context import AppContext
    from desktop.app.tabs import tab_specs

    ctx = AppContext(sample_db)
    spec = next(s for s in tab_specs() if s.key == "partners")
    tab = spec.factory(ctx)
    qtbot.addWidget(tab)
    topics = []
    ctx.dataChanged.connect(topics.append)
    service.create_partner(sample_db, PartnerData("Fundacja Zewnętrzna", PartnerType.NGO))
    ctx.notify(Change.PARTNERS)  # e.g. a plan added a partner
    assert "Fundacja Zewnętrzna" in names(tab)
    row = next(r for r in tab.proxy.visible_rows() if r.name == "Fundacja Zewnętrzna")
    tab.select_partner(row.id)
    tab.remove_selected()
    assert topics == [Change.PARTNERS, Change.PARTNERS]


def test_edit_dialog_shows_signature_history(sample_db, qtbot):
    row = next(r for r in service.list_partners(sample_db)
               if r.name == "Przedsiębiorstwo Komunikacji Miejskiej w Koninie")
    dialog = PartnerDialog(sample_db, row.data, row.id)
    qtbot.addWidget(dialog)
    assert dialog.history.text() == "nr 1/2017: podpisane (15.03.2018, Aneks nr 1)"
    assert dialog.data() == row.data
    new = PartnerDialog(sample_db)
    qtbot.addWidget(new)
    assert new.history.text() == "" and new.history.isHidden()


def test_agreement_list_saved_as_pdf_in_a_child_process(sample_db, qtbot, tmp_path):
    """*Zapisz jako PDF* of the agreement list: the file chosen in the real file dialog, the
    pages laid out and written in a PDF child process behind a progress dialog (it was
    written on the UI thread), read back whole; no Qt call in the job's thread."""
    from desktop.common.ui.jobs import Job
    from tests.modal import answer_later
    from tests.partners.pdf_text import page_texts
    from tests.printing.qtcalls import worker_qt_calls

    tab = make_tab(qtbot, sample_db)
    target = tmp_path / "lista"

    def choose(file_dialog):
        file_dialog.selectFile(str(target))
        file_dialog.accept()

    answer_later(choose)
    with worker_qt_calls() as seen:
        tab.save_agreement_list_pdf()
        job = tab.findChild(Job)
        assert job is not None and job.name == "zapis PDF"
        qtbot.waitUntil(lambda: job.result is not None or job.failure is not None,
                        timeout=60000)
    assert job.failure is None
    assert seen.threads and seen.calls == []
    pdf = tmp_path / "lista.pdf"
    texts = page_texts(pdf)
    assert job.result == len(texts)
    assert "Lista sygnatariuszy porozumienia nr 1/2017" in texts[0]
    assert texts[-1].count("Strona") == 1 and f"Strona {len(texts)} z {len(texts)}" in texts[-1]
    assert not list(tmp_path.glob("*.part"))
