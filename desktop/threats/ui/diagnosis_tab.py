"""The "Diagnoza zagrożeń" tab: scope and period, counts, trend chart, rankings, the biggest
threat in each beat (printable), XLSX export, report import and priority plans."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.app.context import AppContext, Change
from desktop.common.document import Orientation, PagedDocument, PageDecor
from desktop.common.text import plural
from desktop.common.ui import background, plain
from desktop.common.ui.dates import to_date
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import JobFailure
from desktop.common.ui.latest import LatestRead
from desktop.common.ui.tables import Column, RowsTableModel, make_table
from desktop.threats.assignment import reports_outside_beats
from desktop.threats.diagnosis import (
    BeatRanking,
    Diagnosis,
    DiagnosisScope,
    ScopeChoice,
    data_period,
    default_statuses,
    diagnose,
    ranking_per_km2,
    scope_choices,
    scope_for,
    status_choices,
    top_threat_by_beat,
)
from desktop.threats.ui.chart import TrendChart
from desktop.threats.ui.status_picker import StatusPicker

_tr = translator("threats")


def _dec(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}".replace(".", ",")


def _pct(value: float) -> str:
    return _dec(100 * value, 1) + "%"


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def default_period(db) -> tuple[dt.date, dt.date]:
    """The last twelve months that have reports (calendar months), else the current year."""
    period = data_period(db)
    end = period[1] if period else dt.date.today()
    months = end.year * 12 + end.month - 1 - 11
    start = dt.date(months // 12, months % 12 + 1, 1)
    return start, end


def _read(db, scope: DiagnosisScope) -> tuple:
    """Everything the tab shows for a scope (any thread: no widgets)."""
    top = top_threat_by_beat(db, DiagnosisScope(scope.date_from, scope.date_to,
                                                 statuses=scope.statuses))
    return diagnose(db, scope), top, reports_outside_beats(db)


def _first_read(db) -> tuple:
    """What the tab shows when it opens: the default period, the statuses (the default ones
    ticked), the scopes (the first chosen) and the diagnosis for them (any thread)."""
    start, end = default_period(db)
    statuses = status_choices(db)
    scopes = scope_choices(db)
    scope = scope_for(scopes[0], start, end, default_statuses(statuses))
    return (start, end), statuses, scopes, scope, _read(db, scope)


class DiagnosisTab(QWidget):
    """Everything of the diagnosis for one scope and period; reloads on dataChanged."""

    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.diagnosis: Diagnosis | None = None
        self.top_rows: list[BeatRanking] = []

        self.scope_combo = QComboBox(self)
        self.scope_combo.setMinimumContentsLength(28)
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.status_picker = StatusPicker(self)
        self.import_button = QPushButton(_tr("Importuj zgłoszenia…"), self)
        self.export_button = QPushButton(_tr("Eksport do XLSX…"), self)
        self.print_button = QPushButton(_tr("Drukuj: największe zagrożenie…"), self)

        bar = QHBoxLayout()
        bar.addWidget(plain.plain_label(_tr("Zakres:"), self))
        bar.addWidget(self.scope_combo, 1)
        bar.addWidget(plain.plain_label(_tr("od"), self))
        bar.addWidget(self.date_from)
        bar.addWidget(plain.plain_label(_tr("do"), self))
        bar.addWidget(self.date_to)
        bar.addWidget(self.status_picker)
        bar.addStretch()
        bar.addWidget(self.import_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.print_button)

        self.summary = plain.plain_label(parent=self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("diagnosisSummary")

        count_cols = [Column(_tr("Zgłoszenia"), lambda r: r.count, True),
                      Column(_tr("Udział"), lambda r: r.share, True, _pct)]
        self.category_model = RowsTableModel(
            [Column(_tr("Kategoria"), lambda r: r.name)] + count_cols, parent=self)
        self.status_model = RowsTableModel(
            [Column(_tr("Status"), lambda r: r.name)] + count_cols, parent=self)
        self.chart = TrendChart(self)

        beat_cols = [
            Column(_tr("Jednostka"), lambda r: r.unit),
            Column(_tr("Nr"), lambda r: r.number),
            Column(_tr("Rejon"), lambda r: r.name),
            Column(_tr("Dzielnicowy"), lambda r: r.officer),
        ]
        self.ranking_model = RowsTableModel(beat_cols + [
            Column(_tr("Powierzchnia [km²]"), lambda r: r.area_km2, True, _dec),
            Column(_tr("Zgłoszenia"), lambda r: r.reports, True),
            Column(_tr("Na km²"), lambda r: r.per_km2, True, _dec),
            Column(_tr("Poprzedni okres"), lambda r: r.previous, True),
            Column(_tr("Zmiana"), lambda r: r.change, True, lambda v: f"{v:+d}"),
        ], parent=self)
        self.officer_model = RowsTableModel([
            Column(_tr("Dzielnicowy"), lambda r: r.officer),
            Column(_tr("Rejony"), lambda r: r.beats, True),
            Column(_tr("Zgłoszenia"), lambda r: r.reports, True),
            Column(_tr("Powierzchnia [km²]"), lambda r: r.area_km2, True, _dec),
        ], parent=self)
        self.top_model = RowsTableModel(beat_cols + [
            Column(_tr("Zgłoszenia"), lambda r: r.reports, True),
            Column(_tr("Największe zagrożenie"), lambda r: r.top_category),
            Column(_tr("Liczba"), lambda r: r.top_count, True),
            Column(_tr("Udział"), lambda r: r.top_share, True, _pct),
        ], parent=self)

        upper = QSplitter(Qt.Orientation.Horizontal, self)
        counts = QSplitter(Qt.Orientation.Vertical, upper)
        self.category_view, _ = make_table(counts, self.category_model, sort_column=None)
        self.status_view, _ = make_table(counts, self.status_model, sort_column=None)
        counts.addWidget(self.category_view)
        counts.addWidget(self.status_view)
        counts.setSizes([300, 150])
        upper.addWidget(counts)
        upper.addWidget(self.chart)
        upper.setSizes([450, 550])

        self.lower_tabs = QTabWidget(self)
        self.ranking_view, _ = make_table(self, self.ranking_model, sort_column=None)
        self.officer_view, _ = make_table(self, self.officer_model, sort_column=None)
        self.top_view, _ = make_table(self, self.top_model, sort_column=None)
        self.lower_tabs.addTab(self.ranking_view, _tr("Ranking rejonów (zgłoszenia na km²)"))
        self.lower_tabs.addTab(self.officer_view, _tr("Obciążenie dzielnicowych"))
        self.lower_tabs.addTab(self.top_view, _tr("Największe zagrożenie w rejonach (wszystkie)"))
        self.outside_model = RowsTableModel([
            # Formatted by hand: strftime writes year 1 as "1", and any stored date must show.
            Column(_tr("Data zgłoszenia"), lambda r: r.reported_at,
                   fmt=lambda v: f"{v.day:02}.{v.month:02}.{v.year:04} {v.hour:02}:{v.minute:02}"),
            Column(_tr("Kategoria"), lambda r: r.category),
            Column(_tr("Identyfikator"), lambda r: r.source_id),
            Column(_tr("Szerokość"), lambda r: r.lat, True, lambda v: _dec(v, 5)),
            Column(_tr("Długość"), lambda r: r.lon, True, lambda v: _dec(v, 5)),
        ], parent=self)
        self.outside_view, _ = make_table(self, self.outside_model, sort_column=None)
        self.lower_tabs.addTab(self.outside_view, _tr("Zgłoszenia poza rejonami"))
        self.plans = self._make_plans_panel()
        self.lower_tabs.addTab(self.plans, _tr("Plany działań priorytetowych"))

        # The first showing lays out and paints the tab in one turn of the event loop and
        # measures the beat ranking's columns in a later one: together they held the window
        # for 0.09-0.16 s (issue 14). Until then its columns keep Qt's default widths.
        self._fit_pending = True
        self.ranking_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive)

        main = QSplitter(Qt.Orientation.Vertical, self)
        main.addWidget(upper)
        main.addWidget(self.lower_tabs)
        main.setSizes([360, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(main, 1)

        # The user's changes are read in a job (the newest wins): the window never waits for
        # a diagnosis of a million reports (issue 14). ``refresh()`` reads at once.
        self.reader = LatestRead(self, self._fill, name="diagnoza", on_failure=self._failed)
        self.scope_combo.currentIndexChanged.connect(self.refresh_later)
        self.date_from.dateChanged.connect(self.refresh_later)
        self.date_to.dateChanged.connect(self.refresh_later)
        self.status_picker.changed.connect(self.refresh_later)
        self.import_button.clicked.connect(self.open_import)
        self.export_button.clicked.connect(self.export_xlsx)
        self.print_button.clicked.connect(self.print_top_threats)
        for view, model in ((self.ranking_view, self.ranking_model),
                            (self.top_view, self.top_model)):
            view.doubleClicked.connect(
                lambda index, v=view, m=model: self._beat_activated(v, m, index))
        ctx.subscribe(Change.everything(), self._on_data_changed, self)
        ctx.beatSelected.connect(self.select_beat)
        db = self.db
        # The period, the statuses, the scopes and the first diagnosis: read in the window's
        # start-up job, not on the UI thread (issue 14).
        background.load(self, lambda: _first_read(db), self._fill_first, name="diagnoza")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_pending:
            self._fit_pending = False
            # A timer, not a posted call: it runs after the paint already asked for.
            QTimer.singleShot(1, self, self._fit_ranking)

    def _fit_ranking(self) -> None:
        """The beat ranking's columns fitted to their contents, as every table's are."""
        self.ranking_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)

    # -- building blocks ----------------------------------------------------------------
    def _make_plans_panel(self):
        from desktop.threats.ui.plans_panel import PlansPanel

        return PlansPanel(self.ctx, self)

    def _fill_first(self, first: tuple) -> None:
        """The widgets get the default period, statuses and scopes, then the diagnosis read
        for them (read again should the widgets give another scope)."""
        (start, end), statuses, scopes, scope, read = first
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            blocked = edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(blocked)
        self.status_picker.set_choices(statuses)
        self._fill_scopes(scopes)
        if self.scope() != scope:
            read = _read(self.db, self.scope())
        self._fill(read)

    def _fill_scopes(self, choices: list[ScopeChoice] | None = None) -> None:
        self.scope_combo.blockSignals(True)
        current = self.scope_combo.currentData()
        self.scope_combo.clear()
        labels = {"all": _tr("Cały obszar KMP"), "unit": _tr("Jednostka: {0}"),
                  "gmina": _tr("Gmina: {0}"), "beat": _tr("Rejon: {0}")}
        for choice in scope_choices(self.db) if choices is None else choices:
            self.scope_combo.addItem(labels[choice.kind].format(choice.name), choice)
        if current is not None:
            for i in range(self.scope_combo.count()):
                c = self.scope_combo.itemData(i)
                if (c.kind, c.id) == (current.kind, current.id):
                    self.scope_combo.setCurrentIndex(i)
        self.scope_combo.blockSignals(False)

    def menu_actions(self) -> list[QAction]:
        out = []
        for text, slot in ((_tr("Importuj zgłoszenia KMZB…"), self.open_import),
                           (_tr("Eksport diagnozy do XLSX…"), self.export_xlsx),
                           (_tr("Drukuj: największe zagrożenie w rejonach…"),
                            self.print_top_threats),
                           (_tr("Przypisz zgłoszenia do rejonów na nowo"),
                            self.reassign_reports)):
            action = QAction(text, self)
            action.triggered.connect(slot)
            out.append(action)
        return out

    # -- state ----------------------------------------------------------------------------
    def scope(self) -> DiagnosisScope:
        start = to_date(self.date_from.date())
        end = to_date(self.date_to.date())
        if end < start:
            start, end = end, start
        statuses = self.status_picker.selected()
        choice = self.scope_combo.currentData()
        if choice is None:
            return DiagnosisScope(start, end, statuses=statuses)
        return scope_for(choice, start, end, statuses)

    def scope_label(self) -> str:
        return self.scope_combo.currentText()

    def refresh(self) -> None:
        self._fill(_read(self.db, self.scope()))

    def refresh_later(self) -> None:
        """Read the diagnosis for the widgets' scope in a job and show it when it arrives."""
        db, scope = self.db, self.scope()
        self.reader.request(lambda: _read(db, scope))

    def _settled(self) -> None:
        """Exports and prints use the scope shown: a result still to come is read now."""
        if self.reader.busy():
            self.refresh()

    def _failed(self, failure: JobFailure) -> None:
        """The read failed (the log has the details): the summary says so, no modal box
        pops up over whatever the user does meanwhile."""
        self.summary.setText(_tr("Nie udało się odczytać diagnozy: {0}").format(failure.message))

    def _fill(self, read: tuple) -> None:
        d, top_rows, outside = read
        self.diagnosis = d
        self.category_model.set_rows(d.by_category)
        self.status_model.set_rows(d.by_status)
        self.chart.set_trend(d.monthly)
        self.ranking_model.set_rows(ranking_per_km2(d.beats))
        self.officer_model.set_rows(d.officers)
        self.top_rows = top_rows
        self.top_model.set_rows(self.top_rows)
        self.summary.setText(self._summary_text(d))
        self.outside_model.set_rows(outside)

    def _summary_text(self, d: Diagnosis) -> str:
        prev = d.scope.previous()
        if d.change_pct is None:
            change = _tr("brak zgłoszeń w poprzednim okresie")
        else:
            change = f"{d.change:+d} ({_dec(d.change_pct, 1)}%)"
        top = d.top
        top_text = (_tr("{0} ({1}, {2})").format(
            top.name, plural(top.count, _tr("zgłoszenie"), _tr("zgłoszenia"), _tr("zgłoszeń")),
            _pct(top.share))
                    if top else _tr("brak zgłoszeń"))
        text = _tr("Zgłoszenia: {0}. Poprzedni okres ({1} – {2}): {3}, zmiana: {4}. "
                   "Największe zagrożenie: {5}.").format(
            d.total, f"{prev.date_from:%d.%m.%Y}", f"{prev.date_to:%d.%m.%Y}",
            d.previous_total, change, top_text)
        if d.outside_beats:
            text += " " + _tr("Poza rejonami: {0}.").format(d.outside_beats)
        text += " " + _tr("Uwzględnione statusy: {0}.").format(self.status_picker.label())
        return text

    def _on_data_changed(self, change: Change) -> None:
        if change & (Change.BEATS | Change.OFFICERS | Change.PARTNERS | Change.REPORTS):
            self.plans.reload()  # names and evaluations shown in the list may have changed
        if change & ~Change.PARTNERS:
            if change & Change.BEATS:
                self._fill_scopes()
            if change & Change.DICTIONARIES:
                self.status_picker.set_choices(status_choices(self.db))
            self.refresh()

    def _beat_activated(self, view, model, index) -> None:
        """Double click on a beat: every tab (map, beats, this one) follows it."""
        row = model.row_object(view.model().mapToSource(index).row())
        self.ctx.beatSelected.emit(row.beat_id)

    def select_beat(self, beat_id: int) -> None:
        for i in range(self.scope_combo.count()):
            c = self.scope_combo.itemData(i)
            if c.kind == "beat" and c.id == beat_id:
                self.scope_combo.setCurrentIndex(i)
                return

    # -- actions --------------------------------------------------------------------------
    def export_xlsx(self, path: str | None = None) -> str | None:
        from desktop.threats.export import write_diagnosis_xlsx

        self._settled()
        diagnosis = self.diagnosis
        if diagnosis is None:  # nothing computed yet: nothing to export
            return None
        if not path:
            path, _ = save_file_name(self, _tr("Eksport diagnozy"),
                                                  "diagnoza.xlsx", _tr("Skoroszyt Excel (*.xlsx)"))
            if not path:
                return None
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            write_diagnosis_xlsx(path, diagnosis, self.scope_label(),
                                 self.status_picker.label())
        except OSError as exc:
            plain.message(self, plain.Icon.Critical, _tr("Nie zapisano"),
                          _tr("Nie udało się zapisać pliku {0}:\n{1}").format(path, exc))
            return None
        return path

    def top_threats_document(self) -> PagedDocument:
        from desktop.threats.report_html import REPORT_CSS, top_threats_html

        self._settled()
        s = self.scope()
        html = top_threats_html(self.top_rows, _tr("wszystkie rejony"), s.date_from, s.date_to,
                                self.status_picker.label())
        decor = PageDecor(_tr("KMP w Koninie – Razem dla bezpieczeństwa"),
                          _tr("Diagnoza zagrożeń"),
                          _tr("Wygenerowano {0}").format(dt.datetime.now().strftime(
                              "%d.%m.%Y %H:%M")),
                          Orientation.LANDSCAPE)
        return PagedDocument(_tr("Największe zagrożenie w rejonach"), html, REPORT_CSS, decor)

    def print_current(self) -> None:
        """Ctrl+P: the biggest threat in each beat (print preview)."""
        self.print_top_threats()

    def focus_search(self) -> None:
        """Ctrl+F: the scope picker (type a beat's, gmina's or unit's name)."""
        self.scope_combo.setFocus()

    def print_top_threats(self) -> None:
        from desktop.printing.preview import make_preview_dialog

        make_preview_dialog(self, self.top_threats_document()).exec()

    def reassign_reports(self, interactive: bool = True):
        """After beat boundaries changed: every report to the beat that contains it now."""
        from desktop.threats.assignment import reassign_reports

        summary = reassign_reports(self.db)
        if summary.changed:
            self.ctx.notify(Change.REPORTS)
        if interactive:
            plain.message(self, plain.Icon.Information, _tr("Przypisanie zgłoszeń"), _tr(
                "Zgłoszenia: {0}, zmieniono rejon: {1}, poza wszystkimi rejonami: {2}.").format(
                summary.reports, summary.changed, summary.outside))
        return summary

    def open_import(self) -> None:
        from desktop.organisation.ui.sample_guard import confirm_import_into_sample

        if not confirm_import_into_sample(self.db, self):
            return
        from desktop.threats.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.db, self)
        if dialog.exec() and dialog.result_summary is not None:
            self.ctx.notify(Change.REPORTS)
