"""The diagnosis tab on real databases, driven with qtbot."""
from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt

from desktop.app.context import AppContext, Change
from desktop.printing.paged import write_pdf
from desktop.threats.diagnosis import diagnose
from desktop.threats.ui.diagnosis_tab import DiagnosisTab

from .conftest import ALK, PSY


def _text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


@pytest.fixture
def tab(qtbot, sample_db):
    ctx = AppContext(sample_db)
    widget = DiagnosisTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    return widget


def test_sample_view_shows_chart_and_ranking(tab, qtmodeltester, tmp_path):
    d = tab.diagnosis
    assert d.total > 0 and len(tab.chart.values) == 12
    assert sum(tab.chart.values) == d.total
    assert tab.ranking_model.rowCount() == 24 and tab.top_model.rowCount() == 24
    per_km2 = [tab.ranking_model.row_object(i).per_km2 for i in range(24)]
    assert per_km2 == sorted(per_km2, reverse=True)
    for model in (tab.category_model, tab.status_model, tab.ranking_model, tab.officer_model,
                  tab.top_model, tab.outside_model):
        qtmodeltester.check(model)
    assert "Największe zagrożenie" in tab.summary.text()
    tab.show()
    tab.grab().save(str(tmp_path / "diagnosis.png"))
    assert (tmp_path / "diagnosis.png").stat().st_size > 10_000


def _settle(qtbot, tab) -> None:
    """The user's changes are read in a job (issue 14): wait until the newest is shown."""
    qtbot.waitUntil(lambda: not tab.reader.busy(), timeout=20000)


def test_changing_period_and_scope_reloads(tab, qtbot):
    tab.date_from.setDate(QDate(2018, 1, 1))
    tab.date_to.setDate(QDate(2018, 6, 30))
    assert tab.reader.busy()  # the window does not wait for the read
    _settle(qtbot, tab)
    assert len(tab.chart.values) == 6
    assert tab.diagnosis == diagnose(tab.db, tab.scope())
    total_all = tab.diagnosis.total
    beat_index = next(i for i in range(tab.scope_combo.count())
                      if tab.scope_combo.itemData(i).kind == "beat")
    tab.scope_combo.setCurrentIndex(beat_index)
    _settle(qtbot, tab)
    assert tab.ranking_model.rowCount() == 1
    assert 0 < tab.diagnosis.total < total_all
    assert tab.top_model.rowCount() == 24  # the biggest-threat table always lists every beat


def test_beat_selected_elsewhere_follows(tab, qtbot):
    beat = tab.top_rows[3]
    tab.ctx.beatSelected.emit(beat.beat_id)
    assert tab.scope_combo.currentData().id == beat.beat_id
    _settle(qtbot, tab)
    assert tab.diagnosis.scope.beat_id == beat.beat_id


def test_export_xlsx_and_print_top_threats(tab, tmp_path):
    path = tab.export_xlsx(str(tmp_path / "diag"))
    assert path.endswith(".xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb["Podsumowanie"]["B4"].value == tab.diagnosis.total
    pdf = tmp_path / "top.pdf"
    pages = write_pdf(pdf, tab.top_threats_document())
    text = _text(pdf)
    assert "Największe zagrożenie w poszczególnych rejonach" in text
    assert tab.top_rows[0].name in text and f"Strona 1 z {pages}" in text


def test_hand_counted_world_and_hostile_names(qtbot, small_world, tmp_path):
    db, ids = small_world
    from sqlalchemy import update

    from db.models import Beat, Officer

    hostile = "<img src=x onerror=alert(1)>"
    with db.session() as s, s.begin():
        s.execute(update(Beat).where(Beat.id == ids["beats"][0]).values(name=hostile))
        s.execute(update(Officer).where(Officer.last_name == "Nowak").values(last_name=hostile))
    widget = DiagnosisTab(AppContext(db))
    qtbot.addWidget(widget)
    widget.date_from.setDate(QDate(2018, 1, 1))
    widget.date_to.setDate(QDate(2018, 3, 31))
    _settle(qtbot, widget)
    # The documented default leaves out the one "Niepotwierdzone" report, and says so.
    assert widget.diagnosis.total == 9
    assert widget.status_picker.text() == "&Statusy: 5 z 7"
    assert "Uwzględnione statusy: Nowe, Weryfikacja, Potwierdzone," in widget.summary.text()
    assert "Niepotwierdzone" not in widget.summary.text()
    assert "Uwzględnione statusy: Nowe, Weryfikacja" in widget.top_threats_document().html
    assert "Największe zagrożenie: Wałęsające się bezpańskie psy (5 zgłoszeń, " \
        in widget.summary.text()
    widget.status_picker.set_selected((widget.status_picker.choices[0].id,))  # "Nowe" only
    _settle(qtbot, widget)
    assert "bezpańskie psy (4 zgłoszenia, " in widget.summary.text()
    widget.status_picker.set_selected(None)
    _settle(qtbot, widget)
    assert widget.diagnosis.total == 10
    assert "Uwzględnione statusy: wszystkie." in widget.summary.text()
    path = widget.export_xlsx(str(tmp_path / "all.xlsx"))
    summary = {r[0].value: r[1].value for r in openpyxl.load_workbook(path)["Podsumowanie"].rows}
    assert summary["Uwzględnione statusy"] == "wszystkie" and summary["Zgłoszenia"] == 10
    item = widget.status_picker.list.item(4)  # untick "Niepotwierdzone" by hand
    assert item.text() == "Niepotwierdzone"
    item.setCheckState(Qt.CheckState.Unchecked)
    _settle(qtbot, widget)
    assert widget.diagnosis.total == 9
    widget.status_picker.set_selected(None)
    _settle(qtbot, widget)
    assert widget.chart.values == [4, 3, 3]
    assert [widget.category_model.row_object(i).name for i in range(3)] == [
        PSY, ALK, "Nieprawidłowe parkowanie"]
    document = widget.top_threats_document()
    assert hostile not in document.html and "&lt;img src=x" in document.html
    pdf = tmp_path / "h.pdf"
    write_pdf(pdf, document)
    assert hostile in _text(pdf)  # shown as text, not interpreted


def test_reloads_when_reports_change(tab, sample_db):
    from sqlalchemy import delete

    from db.models import ThreatReport

    before = tab.diagnosis.total
    with sample_db.session() as s, s.begin():
        s.execute(delete(ThreatReport).where(ThreatReport.reported_at >= dt.datetime(2018, 6, 1)))
    tab.ctx.notify(Change.REPORTS)
    assert tab.diagnosis.total < before


def test_menu_actions_and_reassignment(tab, sample_db):
    from sqlalchemy import update

    from db.models import ThreatReport

    texts = [a.text() for a in tab.menu_actions()]
    assert "Importuj zgłoszenia KMZB…" in texts and len(texts) == 4
    with sample_db.session() as s, s.begin():
        s.execute(update(ThreatReport).values(beat_id=None))
    tab.ctx.notify(Change.REPORTS)
    assert tab.diagnosis.outside_beats == tab.diagnosis.total
    assert tab.outside_model.rowCount() == 2000
    summary = tab.reassign_reports(interactive=False)
    assert summary.changed == 2000 and summary.outside == 0
    assert tab.diagnosis.outside_beats == 0  # reloaded through dataChanged
    assert tab.outside_model.rowCount() == 0


def test_double_click_on_a_beat_selects_it_everywhere(tab, qtbot):
    from PySide6.QtCore import Qt

    tab.lower_tabs.setCurrentWidget(tab.top_view)
    tab.show()
    view = tab.top_view
    index = view.model().index(2, 2)
    expected = tab.top_model.row_object(view.model().mapToSource(index).row()).beat_id
    rect = view.visualRect(index)
    with qtbot.waitSignal(tab.ctx.beatSelected) as signal:
        # Qt 6 recognises a double click only after a press/release at the same place.
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [expected]
    assert tab.scope_combo.currentData().id == expected
    _settle(qtbot, tab)
    assert tab.ranking_model.rowCount() == 1
