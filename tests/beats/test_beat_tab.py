"""The "Rejony i przydziały" tab with real widgets on the sample database."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from db.models import AssignmentKind, AssignmentRole, OfficerRole
from desktop.app.context import AppContext
from desktop.beats import assignments as svc
from desktop.beats.officers import list_officers
from desktop.beats.ui.tab import BeatsTab
from desktop.common.text import polish_sort_key


def _tab(qtbot, db) -> tuple[BeatsTab, AppContext]:
    ctx = AppContext(db)
    tab = BeatsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    return tab, ctx


def _visible_names(page) -> list[str]:
    return [page.proxy.index(r, 2).data() for r in range(page.proxy.rowCount())]


def test_models_pass_the_model_tester(qtbot, qtmodeltester, sample_db):
    tab, _ = _tab(qtbot, sample_db)
    qtmodeltester.check(tab.beats.model)
    qtmodeltester.check(tab.beats.proxy)
    qtmodeltester.check(tab.roster.model)


def test_search_ignores_diacritics(qtbot, sample_db):
    tab, _ = _tab(qtbot, sample_db)
    page = tab.beats
    assert page.proxy.rowCount() == 24
    qtbot.keyClicks(page.search, "slesin")
    names = _visible_names(page)
    assert "Gmina Ślesin" in names and len(names) < 24
    for r in range(page.proxy.rowCount()):  # the gmina or the unit (KP Ślesin) matched
        texts = [page.proxy.index(r, c).data() for c in range(4)]
        assert any("Ślesin" in t for t in texts)
    page.search.clear()
    qtbot.keyClicks(page.search, "SKULSK")
    assert _visible_names(page) == ["Gmina Skulsk"]
    page.search.clear()
    assert page.proxy.rowCount() == 24


def test_sorting_follows_polish_alphabet(qtbot, sample_db):
    tab, _ = _tab(qtbot, sample_db)
    page = tab.beats
    page.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    names = [n for n in _visible_names(page) if n.startswith("Gmina")]
    # Ś after S, Ż/Z at the end: "Gmina Skulsk" < "Gmina Sompolno" < "Gmina Ślesin"
    assert names.index("Gmina Sompolno") < names.index("Gmina Ślesin") < \
        names.index("Gmina Wilczyn")


def test_columns_show_current_officers_area_and_recent_reports(qtbot, sample_db):
    tab, _ = _tab(qtbot, sample_db)
    row = next(r for r in tab.beats.model._rows if r.name == "Gmina Ślesin")
    assert row.beat_officer and row.traffic_officer and row.area_km2 > 10
    headers = [tab.beats.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(tab.beats.model.columnCount())]
    assert headers == ["Jednostka", "Nr", "Rejon", "Gmina", "Dzielnicowy",
                       "Policjant ruchu drogowego", "Pow. [km²]",
                       "Zgł. 12 mies."]


def test_selection_emits_and_follows_beat_selected(qtbot, sample_db):
    tab, ctx = _tab(qtbot, sample_db)
    page = tab.beats
    with qtbot.waitSignal(ctx.beatSelected) as sig:
        page.view.selectRow(3)
    beat_id = sig.args[0]
    assert page.detail.id == beat_id
    assert "Ulice i miejscowości:" in page.info.toPlainText()  # the sample has a register
    other = next(r.id for r in page.model._rows if r.id != beat_id)
    emitted = []
    ctx.beatSelected.connect(emitted.append)
    ctx.beatSelected.emit(other)
    assert page.current_beat_id() == other and page.detail.id == other
    assert emitted == [other]  # selecting from the signal does not echo it again
    # a beat hidden by the search is still found
    qtbot.keyClicks(page.search, "slesin")
    ctx.beatSelected.emit(other)
    assert page.current_beat_id() == other


def test_detail_panel_escapes_hostile_text(qtbot, world):
    from db.models import Beat
    with world.db.session() as s, s.begin():
        s.get(Beat, world.beat1).name = "<img src=x onerror=alert(1)>"
    tab, ctx = _tab(qtbot, world.db)
    ctx.beatSelected.emit(world.beat1)
    html = tab.beats.detail_html(tab.beats.detail)
    assert "<img" not in html and "&lt;img src=x" in html


def test_assign_through_dialog_and_refusal_is_explained(qtbot, world):
    tab, ctx = _tab(qtbot, world.db)
    page = tab.beats
    ctx.beatSelected.emit(world.beat1)
    dialog = page.make_assign_dialog(AssignmentRole.BEAT_OFFICER, AssignmentKind.REGULAR)
    qtbot.addWidget(dialog)
    # only fitting, active officers are offered
    offered = {dialog.officer.itemData(i) for i in range(dialog.officer.count())}
    assert offered == {world.host_a, world.host_b, world.host_c}
    # "Nazwisko Imię (stopień) – jednostka", by surname: typing a surname finds the officer
    labels = [dialog.officer.itemText(i) for i in range(dialog.officer.count())]
    assert labels == sorted(labels, key=polish_sort_key) and "Łęcka" in labels[0] + labels[-1]
    assert all(" (" in t and ") – " in t for t in labels)
    dialog.select_officer(world.host_a)
    dialog.valid_from.setDate(dialog.valid_from.date().addDays(-30))
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    page.after_assign(dialog)
    assert "Łęcka" in page.model._rows[0].beat_officer
    # the same officer again: refused, reason shown, dialog stays open
    again = page.make_assign_dialog(AssignmentRole.BEAT_OFFICER, AssignmentKind.REGULAR)
    qtbot.addWidget(again)
    again.select_officer(world.host_a)
    again.save()
    assert "jest już dzielnicowym" in again.error.text()
    assert again.result_info is None
    assert len(svc.history(world.db, world.beat1)) == 1


def test_substitute_dialog_requires_end_and_shows_in_table(qtbot, world):
    today = dt.date.today()
    svc.assign(world.db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER,
               today - dt.timedelta(days=100))
    tab, ctx = _tab(qtbot, world.db)
    page = tab.beats
    ctx.beatSelected.emit(world.beat1)
    dialog = page.make_assign_dialog(AssignmentRole.BEAT_OFFICER, AssignmentKind.SUBSTITUTE)
    qtbot.addWidget(dialog)
    assert dialog.has_end.isChecked() and not dialog.has_end.isEnabled()
    dialog.select_officer(world.host_b)
    dialog.save()
    page.after_assign(dialog)
    row = next(r for r in page.model._rows if r.id == world.beat1)
    assert "Nowak" in row.beat_officer and "zastępstwo za st. asp. Anna Łęcka" in row.beat_officer
    assert "zastępstwo za" in page.info.toPlainText()


def test_roster_add_with_validation_and_deactivate(qtbot, world):
    tab, _ = _tab(qtbot, world.db)
    roster = tab.roster
    dialog = roster.open_dialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.first_name, "Zofia")
    dialog.last_name.setText("Świątek")  # keyClicks types ASCII only
    qtbot.keyClicks(dialog.service_number, "777")
    qtbot.keyClicks(dialog.mobile, "12 34")
    qtbot.keyClicks(dialog.email, "zofia@")
    dialog.role.setCurrentIndex(dialog.role.findData(OfficerRole.TRAFFIC))
    dialog.save()
    assert "komórkowy" in dialog.error.text() and "e-mail" in dialog.error.text()
    assert not any(r.last_name == "Świątek" for r in list_officers(world.db))
    dialog.mobile.setText("+48 721 000 111")
    dialog.email.setText("zofia.swiatek@kmp-konin.example")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    roster.reload()
    roster.select_officer(dialog.saved_id)
    qtbot.keyClicks(roster.search, "swiatek")
    assert roster.proxy.rowCount() == 1
    roster.select_officer(dialog.saved_id)
    assert roster.current().mobile == "721 000 111"
    roster.toggle_active()
    assert "Dezaktywowano" in roster.message.text()
    assert not any(r.id == dialog.saved_id for r in list_officers(world.db,
                                                                  include_inactive=False))


def test_screenshot(qtbot, sample_db, tmp_path):
    tab, ctx = _tab(qtbot, sample_db)
    tab.show()
    ctx.beatSelected.emit(tab.beats.model._rows[1].id)
    path = tmp_path / "beats_tab.png"
    assert tab.grab().save(str(path))
    assert path.stat().st_size > 10_000
    tab.grab().save("/tmp/beats_tab.png")


def test_print_preview_of_beat_and_unit(qtbot, sample_db):
    tab, ctx = _tab(qtbot, sample_db)
    assert tab.make_preview(unit=False) is None  # nothing selected
    assert len(tab.menu_actions()) == 6
    row = next(r for r in tab.beats.model._rows if r.unit == "KP Golina")
    ctx.beatSelected.emit(row.id)
    ids, name = tab.print_targets(unit=False)
    assert ids == [row.id] and name == f"karta-rejonu-{row.number}.pdf"
    ids, _ = tab.print_targets(unit=True)
    assert row.id in ids and len(ids) == sum(1 for r in tab.beats.model._rows
                                             if r.unit == "KP Golina")
    dialog = tab.make_preview(unit=False)
    qtbot.addWidget(dialog)
    assert "Karta rejonu" in dialog.windowTitle()


def test_preview_dialog_paints_pages(qtbot, sample_db):
    tab, ctx = _tab(qtbot, sample_db)
    ctx.beatSelected.emit(tab.beats.model._rows[0].id)
    dialog = tab.make_preview(unit=False)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.paintRequested, timeout=5000):
        dialog.show()
    dialog.close()


def test_state_on_a_chosen_day_answers_who_was_responsible(qtbot, sample_db):
    tab, ctx = _tab(qtbot, sample_db)
    page = tab.beats
    changed = page.model._rows[1]  # the sample's second beat changed hands during 2018
    hist = [h for h in svc.history(sample_db, changed.id) if h.role == AssignmentRole.BEAT_OFFICER]
    new, old = hist
    page.set_date(old.valid_to)
    row = next(r for r in page.model._rows if r.id == changed.id)
    assert row.beat_officer == old.officer
    page.set_date(new.valid_from)
    row = next(r for r in page.model._rows if r.id == changed.id)
    assert row.beat_officer == new.officer
    ctx.beatSelected.emit(changed.id)
    page.set_date(old.valid_to)
    assert page.detail.beat_officer.name == old.officer
    # reports of the 12 months up to the chosen day (the sample's reports are from 2018)
    page.set_date(dt.date(2018, 12, 31))
    assert sum(r.reports_12m for r in page.model._rows) > 0


def test_unit_summaries_prepared_in_a_worker(qtbot, sample_db, tmp_path):
    from pypdf import PdfReader

    from desktop.printing.paged import write_pdf

    tab, ctx = _tab(qtbot, sample_db)
    row = next(r for r in tab.beats.model._rows if r.unit == "KP Kleczew")
    ctx.beatSelected.emit(row.id)
    docs = []
    tab.start_print(unit=True, on_ready=docs.append)
    qtbot.waitUntil(lambda: tab.print_job is None, timeout=20000)
    tab.wait_for_jobs()
    assert len(docs) == 1 and docs[0].title == "Karty rejonów – KP Kleczew"
    path = tmp_path / "kleczew.pdf"
    pages = write_pdf(path, docs[0])
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())
    assert pages >= 3 and "Karta rejonu nr 3:" in text and "Komisariat Policji w Kleczewie" in text


def test_cancelled_print_job_reports_and_delivers_nothing(qtbot, sample_db):
    tab, ctx = _tab(qtbot, sample_db)
    row = next(r for r in tab.beats.model._rows if r.unit == "KP Kleczew")
    ctx.beatSelected.emit(row.id)
    delivered = []
    job = tab.start_print(unit=True, on_ready=delivered.append)
    job.cancel()  # checked before every beat; the unit has several
    qtbot.waitUntil(lambda: tab.print_job is None, timeout=10000)
    tab.wait_for_jobs()
    assert tab.beats.message.text() == "Przerwano przygotowanie wydruku." and delivered == []
    assert job.was_cancelled


def test_hostile_officer_name_stays_text_in_labels(qtbot, world):
    from PySide6.QtCore import Qt as QtNs

    from desktop.beats.officers import OfficerData, create_officer
    from desktop.beats.ui.dialogs import EndAssignmentDialog

    evil = "<img src=x onerror=alert(1)>"
    oid = create_officer(world.db, OfficerData("Jan", evil, "666", OfficerRole.BEAT_OFFICER))
    svc.assign(world.db, world.beat1, oid, AssignmentRole.BEAT_OFFICER, dt.date(2018, 1, 1))
    tab, _ = _tab(qtbot, world.db)
    row = svc.history(world.db, world.beat1)[0]
    dialog = EndAssignmentDialog(world.db, row)
    qtbot.addWidget(dialog)
    labels = [w for w in dialog.findChildren(type(dialog.error)) if evil in w.text()]
    assert labels and all(w.textFormat() == QtNs.TextFormat.PlainText for w in labels)
    tab.roster.show_inactive.setChecked(True)
    tab.roster.select_officer(oid)
    tab.roster.toggle_active()
    assert evil in tab.roster.message.text()
    assert tab.roster.message.textFormat() == QtNs.TextFormat.PlainText


def test_roster_lists_the_selected_officers_assignments(qtbot, world, qtmodeltester):
    svc.assign(world.db, world.beat1, world.traffic_x, AssignmentRole.TRAFFIC, dt.date(2018, 1, 1))
    a2 = svc.assign(world.db, world.beat2, world.traffic_x, AssignmentRole.TRAFFIC,
                    dt.date(2018, 2, 1))
    svc.end_assignment(world.db, a2.assignment_id, dt.date(2018, 6, 30))
    tab, _ = _tab(qtbot, world.db)
    roster = tab.roster
    roster.select_officer(world.traffic_x)
    model = roster.history_model
    qtmodeltester.check(model)
    got = [(model.index(r, 0).data(), model.index(r, 3).data(), model.index(r, 4).data())
           for r in range(model.rowCount())]
    assert got == [("KMP Konin 2. Żychlin", "01.02.2018", "30.06.2018"),
                   ("KMP Konin 1. Ślesin – centrum", "01.01.2018", "")]
    roster.view.clearSelection()
    assert model.rowCount() == 0


def test_sample_opens_as_of_the_programme_year_with_report_counts(qtbot, sample_db):
    """The sample describes 2018: the tab starts on 31.12.2018, so the 12-month report
    column shows the sample's reports instead of zeros."""
    tab, _ = _tab(qtbot, sample_db)
    page = tab.beats
    assert page.date.date().toPython() == dt.date(2018, 12, 31)
    column = next(c for c in range(page.proxy.columnCount())
                  if page.proxy.headerData(c, Qt.Orientation.Horizontal) == "Zgł. 12 mies.")
    counts = [int(page.proxy.index(r, column).data()) for r in range(page.proxy.rowCount())]
    assert sum(counts) > 0
