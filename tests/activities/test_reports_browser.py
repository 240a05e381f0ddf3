"""The Zgłoszenia tab: the map's filter, SQL search without diacritics, sorting, pages read
as the view scrolls, selection announced to the map, export of every filtered row."""
from __future__ import annotations

import csv
import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus, Unit
from desktop.activities import reports as svc
from desktop.activities.reports import PAGE_SIZE, ReportQuery
from desktop.activities.ui.reports_tab import ReportsModel, ReportsTab
from desktop.app.context import AppContext
from desktop.common.text import matches
from desktop.map.data import ReportFilter, count_reports

HOSTILE = "=cmd|' /C calc'!A0 Źródło"


def _all(db) -> list[dict]:
    """Every report with its texts, read independently of the browser's query."""
    with db.session() as s:
        rows = s.execute(select(ThreatReport.id, ThreatReport.description, ThreatCategory.name,
                                ThreatStatus.name, ThreatReport.reported_at, Beat.number,
                                Beat.name, ThreatReport.source_id, ThreatReport.category_id,
                                Beat.unit_id)
                         .join(ThreatCategory, ThreatReport.category_id == ThreatCategory.id)
                         .join(ThreatStatus, ThreatReport.status_id == ThreatStatus.id)
                         .outerjoin(Beat, ThreatReport.beat_id == Beat.id)).all()
    return [dict(id=r[0], description=r[1] or "", category=r[2], status=r[3], at=r[4],
                 number=r[5] or "", beat=r[6] or "", source=r[7] or "", category_id=r[8],
                 unit=r[9]) for r in rows]


def test_counts_follow_the_maps_filter(sample_db):
    with sample_db.session() as s:
        cats = s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id)).all()
        unit = s.scalars(select(Unit.id).order_by(Unit.id.desc())).first()
    for flt in (ReportFilter(), ReportFilter(categories=tuple(cats[:3])),
                ReportFilter(date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 3, 31)),
                ReportFilter(unit_id=unit), ReportFilter(beat_id=3, statuses=(1,))):
        assert svc.count(sample_db, ReportQuery(flt)) == count_reports(sample_db, flt)
        rows = svc.page(sample_db, ReportQuery(flt), 0, 10_000)
        assert len(rows) == count_reports(sample_db, flt)


def test_search_ignores_case_and_diacritics_like_the_rest_of_the_app(sample_db):
    everything = _all(sample_db)
    for text in ("predkosc", "PRĘDKOŚĆ", "przystanku", "gmina golina", "zrodlo"):
        expected = {r["id"] for r in everything
                    if matches(text, r["description"], r["category"], r["status"], r["number"],
                               r["beat"], r["source"], str(r["id"]))}
        got = {r.id for r in svc.page(sample_db, ReportQuery(text=text), 0, 10_000)}
        assert got == expected, text
    assert svc.count(sample_db, ReportQuery(text="predkosc")) > 0
    assert svc.count(sample_db, ReportQuery(text="x[y](*+?")) == 0  # regex text is literal


def test_sorting_is_done_by_the_database_with_the_id_as_tie_break(sample_db):
    everything = _all(sample_db)
    rows = svc.page(sample_db, ReportQuery(sort="category", descending=False), 0, 10_000)
    assert [r.id for r in rows] == [r["id"] for r in sorted(everything,
                                                           key=lambda r: (r["category"], r["id"]))]
    newest = svc.page(sample_db, ReportQuery(), 0, 5)
    assert [r.reported_at for r in newest] == sorted((r["at"] for r in everything),
                                                     reverse=True)[:5]


def test_model_reads_pages_as_the_view_asks(qtbot, sample_db, qtmodeltester):
    model = ReportsModel(sample_db)
    model.set_query(ReportQuery())
    assert model.total == 2000 and model.rowCount() == PAGE_SIZE and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 2000 and len({model.row_object(i).id for i in range(2000)}) == 2000
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.rowCount() == PAGE_SIZE and model.row_object(0).id == 1
    qtmodeltester.check(model)


def _tab(qtbot, db) -> tuple[ReportsTab, AppContext]:
    ctx = AppContext(db)
    tab = ReportsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    return tab, ctx


def test_tab_filters_searches_sorts_and_announces_the_selected_report(qtbot, sample_db):
    tab, ctx = _tab(qtbot, sample_db)
    assert tab.model.total == 2000 and "2000" in tab.count.text()
    assert not tab.filters.colour.isVisible()  # the map's colour choice has no place here
    first = tab.filters.categories.list.item(0)
    first_id = first.data(Qt.ItemDataRole.UserRole)
    first.setCheckState(Qt.CheckState.Unchecked)
    others = tuple(tab.filters.categories.list.item(i).data(Qt.ItemDataRole.UserRole)
                   for i in range(1, tab.filters.categories.list.count()))
    expected = count_reports(sample_db, ReportFilter(categories=others))
    qtbot.waitUntil(lambda: tab.model.total == expected, timeout=3000)
    assert first_id not in others

    qtbot.keyClicks(tab.search, "predkosc")
    wanted = svc.count(sample_db, ReportQuery(ReportFilter(categories=others), "predkosc"))
    qtbot.waitUntil(lambda: tab.model.total == wanted, timeout=3000)
    assert all("prędkoś" in (r.category + r.description).lower()
               for r in (tab.model.row_object(i) for i in range(tab.model.rowCount())))

    tab.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    ids = [tab.model.row_object(i).id for i in range(tab.model.rowCount())]
    assert ids == sorted(ids)

    with qtbot.waitSignal(ctx.reportSelected, timeout=2000) as chosen:
        tab.view.selectRow(2)
    assert chosen.args == [ids[2]]

    tab.activateWindow()
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(tab.search.hasFocus, timeout=2000)


def test_export_writes_every_filtered_row_formula_safe(qtbot, sample_db, tmp_path):
    with sample_db.session() as s, s.begin():
        r = s.get(ThreatReport, 5)
        assert r is not None
        r.description = HOSTILE
    tab, _ctx = _tab(qtbot, sample_db)
    tab.search.setText("zrodlo")
    tab.apply()
    assert tab.model.total == 1
    tab.search.setText("")
    tab.apply()
    for path in (tmp_path / "z.csv", tmp_path / "z.xlsx"):
        tab.export_to(str(path))
        qtbot.waitUntil(lambda: tab.worker is None, timeout=20000)
        if path.suffix == ".csv":
            assert path.read_bytes().startswith(b"\xef\xbb\xbf")
            with open(path, encoding="utf-8-sig", newline="") as f:
                table = list(csv.reader(f, delimiter=";"))
            values = table[1:]
            hostile = next(line for line in values if line[0] == "5")
            assert hostile[6] == "'" + HOSTILE
        else:
            ws = load_workbook(path).active
            values = list(ws.iter_rows(min_row=2, values_only=True))
            hostile_row = next(i for i, line in enumerate(values, start=2) if line[0] == 5)
            cell = ws.cell(row=hostile_row, column=7)
            assert cell.value == HOSTILE and cell.data_type == "s"
        assert len(values) == 2000  # all rows, not only the page loaded
    assert "Wyeksportowano: 2000" in tab.count.text()


def test_typing_a_search_reads_in_a_job_and_shows_the_newest_result(qtbot, sample_db):
    """Issue 14: the window does not wait for a search over every report."""
    tab, _ctx = _tab(qtbot, sample_db)
    tab.search.setText("zrodlo")
    tab.apply_later()
    assert tab.reader.busy() and tab.model.total == 2000  # nothing read on the UI thread yet
    tab.search.setText("predkosc")
    tab.apply_later()
    qtbot.waitUntil(lambda: not tab.reader.busy(), timeout=20000)
    assert tab.model.total == svc.count(sample_db, ReportQuery(ReportFilter(), "predkosc")) > 0
    assert tab.count.text().endswith(str(tab.model.total))


def test_export_runs_behind_the_progress_dialog_and_its_file_reads_back(qtbot, sample_db,
                                                                       tmp_path):
    from desktop.common.ui.progress import progress_dialog

    tab, _ctx = _tab(qtbot, sample_db)
    path = tmp_path / "zgloszenia.csv"
    path.write_text("starszy plik", encoding="utf-8")  # replaced whole
    tab.export_to(str(path))
    job = tab.worker
    assert job is not None and progress_dialog(job) is not None
    assert not tab.export_button.isEnabled()
    qtbot.waitSignal(job.finished, timeout=20000).wait()
    assert job.result == 2000 and progress_dialog(job) is None
    with open(path, encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert len(table) == 2001 and {int(r[0]) for r in table[1:]} == {r["id"] for r in
                                                                    _all(sample_db)}
    assert not path.with_name(path.name + ".part").exists()
    assert "Wyeksportowano: 2000" in tab.count.text() and tab.export_button.isEnabled()


def test_przerwij_stops_the_export_and_leaves_no_file(qtbot, sample_db, tmp_path,
                                                      monkeypatch):
    """The real export runs; it is held at its first progress report until Przerwij is
    clicked (a quick machine could otherwise end it before the dialog shows). It then goes on,
    writes its file beside the target and meets the cancel before the rename: no file, no
    ``.part``, a Polish message."""
    import threading
    import time

    import shiboken6
    from PySide6.QtWidgets import QPushButton

    from desktop.common.ui.progress import progress_dialog

    gate = threading.Event()
    real = svc.export_reports
    reports = []

    def held(db, query, target, check):
        def report(stage: str, done: int) -> None:
            check(stage, done)
            reports.append((stage, done))
            gate.wait(20)

        return real(db, query, target, report)

    monkeypatch.setattr(svc, "export_reports", held)
    tab, _ctx = _tab(qtbot, sample_db)
    for name in ("z.xlsx", "z.csv"):
        path = tmp_path / name
        gate.clear()
        tab.export_to(str(path))
        job = tab.worker
        assert job is not None
        dialog = progress_dialog(job)
        assert dialog is not None
        qtbot.waitUntil(dialog.isVisible, timeout=20000)
        assert job.running and reports
        button = dialog.findChild(QPushButton)
        assert button.text() == "Przerwij"
        asked = time.monotonic()
        button.click()
        gate.set()
        qtbot.waitSignal(job.finished, timeout=5000).wait()
        assert time.monotonic() - asked < 1.0
        assert job.was_cancelled and job.result is None
        assert list(tmp_path.iterdir()) == []  # neither the file nor its .part
        assert "Eksport przerwano – nie zapisano pliku." in tab.count.text()
        assert tab.export_button.isEnabled() and tab.worker is None
        assert not shiboken6.isValid(dialog) or not dialog.isVisible()


def test_a_stopped_export_leaves_an_older_file_as_it_was(sample_db, tmp_path):
    for name in ("z.csv", "z.xlsx"):
        path = tmp_path / name
        path.write_bytes(b"starszy plik")
        seen = []

        def stop(stage: str, done: int, seen=seen) -> None:
            seen.append(stage)
            if stage == svc.WRITING:
                raise RuntimeError("przerwano")

        with pytest.raises(RuntimeError):
            svc.export_reports(sample_db, ReportQuery(), path, stop)
        assert seen == [svc.READING, svc.WRITING]
        assert path.read_bytes() == b"starszy plik"
        assert not list(tmp_path.glob("*.part"))


def test_an_export_leaves_one_log_line(sample_db, tmp_path, caplog):
    import logging

    from desktop.activities.reports import ReportQuery, export_reports

    path = tmp_path / "wszystkie.csv"
    with caplog.at_level(logging.INFO, logger="razem.activities"):
        count = export_reports(sample_db, ReportQuery(), path)
    lines = [r.getMessage() for r in caplog.records if r.name == "razem.activities"]
    assert count > 0 and len(lines) == 1
    assert lines[0].startswith(f"Eksport zgłoszeń do {path}: {count} wierszy w ")
