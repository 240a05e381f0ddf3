"""The beat table page of the beats tab: beats on a day, their officers and history, and
the assignment actions (assign, substitute, correct, remove, end)."""
from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.models import AssignmentKind, AssignmentRole
from db.services.info import reference_date
from desktop.app.context import AppContext, Change
from desktop.beats.queries import BeatDetail, BeatRow, beat_detail, beat_rows
from desktop.beats.register import register_lines
from desktop.beats.streets import describe_line
from desktop.beats.ui.dialogs import AssignDialog, EndAssignmentDialog
from desktop.common.ui import background, plain
from desktop.common.ui.column_fit import fit_columns
from desktop.common.ui.contact import contact_card_html
from desktop.common.ui.fields import table_columns
from desktop.common.ui.i18n import tr_label
from desktop.common.ui.tables import Column, RowsTableModel, make_table, selected_object
from desktop.organisation.fields import BEAT_SUMMARY_FIELDS

if TYPE_CHECKING:
    pass


def _km2(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


class BeatsPage(QWidget):
    """Beat table (left) and the selected beat's detail with its assignment history (right)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._db = ctx.db
        self.detail: BeatDetail | None = None
        self.streets_of_detail: list[str] = []
        cols = table_columns(BEAT_SUMMARY_FIELDS, fmt={"area_km2": _km2})
        self.model = RowsTableModel(cols, parent=self)
        self.view, self.proxy = make_table(self, self.model, BEAT_SUMMARY_FIELDS.search_text)
        fit_columns(self.view, [2, 3, 4, 5])  # names give way: "Zgł. 12 mies." stays visible
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Szukaj rejonu, gminy lub funkcjonariusza "
                                               "(np. „slesin”)…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_query)
        # "Who was responsible on day D": the table and the detail show the state on this day
        today = reference_date(ctx.db)
        self.date = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.date.dateChanged.connect(lambda _d: self.reload())

        self.info = QTextBrowser(self)
        self.info.setOpenLinks(False)
        hist_cols = [
            Column(self.tr("Rola"), lambda r: tr_label(r.role)),
            Column(self.tr("Rodzaj"), lambda r: tr_label(r.kind)),
            Column(self.tr("Funkcjonariusz"), lambda r: r.officer),
            Column(self.tr("Od"), lambda r: r.valid_from, fmt=_date),
            Column(self.tr("Do"), lambda r: r.valid_to, fmt=_date),
            Column(self.tr("Uwagi"), lambda r: r.note),
        ]
        self.history_model = RowsTableModel(hist_cols, parent=self)
        self.history_view, self.history_proxy = make_table(
            self, self.history_model, lambda r: (r.officer, r.note))
        self.history_view.setSortingEnabled(False)
        fit_columns(self.history_view, [0, 1, 2, 5])  # texts give way to Od/Do
        self.assign_host = QPushButton(self.tr("Przydziel dzielnicowego…"), self)
        self.assign_traffic = QPushButton(self.tr("Przydziel policjanta RD…"), self)
        self.substitute = QPushButton(self.tr("Dodaj zastępstwo…"), self)
        self.end_button = QPushButton(self.tr("Zakończ przydział…"), self)
        self.substitute_traffic = QPushButton(self.tr("Zastępstwo za policjanta RD…"), self)
        self.correct_button = QPushButton(self.tr("Popraw przydział…"), self)
        self.remove_button = QPushButton(self.tr("Usuń przydział…"), self)
        self.substitute_traffic.clicked.connect(
            lambda: self.run_assign(AssignmentRole.TRAFFIC, AssignmentKind.SUBSTITUTE))
        self.correct_button.clicked.connect(lambda: self.run_correct())
        self.remove_button.clicked.connect(self.run_remove)
        self.print_button = QPushButton(self.tr("Karta rejonu…"), self)
        self.assign_host.clicked.connect(
            lambda: self.run_assign(AssignmentRole.BEAT_OFFICER, AssignmentKind.REGULAR))
        self.assign_traffic.clicked.connect(
            lambda: self.run_assign(AssignmentRole.TRAFFIC, AssignmentKind.REGULAR))
        self.substitute.clicked.connect(self._substitute_for_selected)
        self.end_button.clicked.connect(self.run_end)
        self.message = plain.plain_label(parent=self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)

        left = QWidget(self)
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(plain.plain_label(self.tr("Stan na dzień:"), left))
        top.addWidget(self.date)
        lay.addLayout(top)
        lay.addWidget(self.view)
        right = QWidget(self)
        lay = QVBoxLayout(right)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.info, 3)
        lay.addWidget(plain.plain_label(self.tr("Historia przydziałów:"), right))
        lay.addWidget(self.history_view, 2)
        buttons = QGridLayout()  # two columns keep the detail pane narrow
        for i, b in enumerate((self.assign_host, self.assign_traffic, self.substitute,
                               self.substitute_traffic, self.end_button, self.correct_button,
                               self.remove_button, self.print_button)):
            buttons.addWidget(b, i // 2, i % 2)
        lay.addLayout(buttons)
        lay.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        # The table needs ~1,000 px for all its columns; the detail panel wraps its text.
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 360])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.history_view.selectionModel().selectionChanged.connect(self._update_buttons)
        ctx.beatSelected.connect(self.select_beat)
        day, db = self.on_date(), self._db
        background.load(self, lambda: beat_rows(db, day), self._fill, name="rejony")
        # unit, then number (the proxy's sort is stable)
        self.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)

    # -- data --------------------------------------------------------------------------
    def reload(self) -> None:
        self._fill(beat_rows(self._db, self.on_date()))

    def _fill(self, rows: list[BeatRow]) -> None:
        keep = self.current_beat_id()
        with QSignalBlocker(self.view.selectionModel()):
            self.model.set_rows(rows)
        if keep is not None:
            self.select_beat(keep)
        self._show_detail(keep)

    def on_date(self) -> dt.date:
        q = self.date.date()
        return dt.date(q.year(), q.month(), q.day())

    def set_date(self, day: dt.date) -> None:
        self.date.setDate(QDate(day.year, day.month, day.day))

    def current_beat_id(self) -> int | None:
        row = selected_object(self.view)
        return row.id if row is not None else None

    def select_beat(self, beat_id: int) -> None:
        """Select the beat's row (clearing the search if it hides it) without echoing the
        selection back to the context."""
        if beat_id == self.current_beat_id():
            return
        for attempt in range(2):
            for row in range(self.proxy.rowCount()):
                src = self.proxy.mapToSource(self.proxy.index(row, 0))
                if self.model.row_object(src.row()).id == beat_id:
                    with QSignalBlocker(self.view.selectionModel()):
                        self.view.selectRow(row)
                    self.view.scrollTo(self.proxy.index(row, 0))
                    self._show_detail(beat_id)
                    return
            if attempt == 0 and self.search.text():
                self.search.clear()

    def _on_selection(self, *_args) -> None:
        beat_id = self.current_beat_id()
        self._show_detail(beat_id)
        if beat_id is not None:
            self._ctx.beatSelected.emit(beat_id)

    def _show_detail(self, beat_id: int | None) -> None:
        self.detail = (beat_detail(self._db, beat_id, self.on_date()) if beat_id is not None
                       else None)
        self.streets_of_detail = [
            f"{x.locality} – {self.tr('cała miejscowość')}" if x.whole_locality
            else f"{x.locality}, {describe_line(x)}"
            for x in (register_lines(self._db, beat_id) if beat_id is not None else [])]
        self.info.setHtml(self.detail_html(self.detail))
        self.history_model.set_rows(self.detail.history if self.detail else [])
        self._update_buttons()

    def detail_html(self, d: BeatDetail | None) -> str:
        e = html.escape
        if d is None:
            return f"<p><i>{e(self.tr('Wybierz rejon z tabeli.'))}</i></p>"
        area = self.tr("{0} km²").format(_km2(d.area_km2)) if d.area_km2 is not None else "–"
        parts = [
            f"<h3>{e(self.tr('Rejon nr {0}').format(d.number))}: {e(d.name)}</h3>",
            f"<p>{e(d.unit_name)}<br>{e(d.unit_address)}"
            + (f"<br>{e(self.tr('tel. {0}').format(d.unit_phone))}" if d.unit_phone else "")
            + "</p>",
            f"<p>{e(self.tr('Gmina'))}: {e(d.gmina or '–')}; "
            f"{e(self.tr('powierzchnia'))}: {e(area)}</p>",
            contact_card_html(self.tr("Dzielnicowy"), d.beat_officer,
                              self.tr("brak przydziału")),
            contact_card_html(self.tr("Policjant ruchu drogowego"), d.traffic,
                              self.tr("brak przydziału")),
        ]
        if self.streets_of_detail:
            parts.append(f"<p><b>{e(self.tr('Ulice i miejscowości'))}:</b> "
                         + "; ".join(e(x) for x in self.streets_of_detail) + "</p>")
        if d.description:
            parts.append(f"<p class='muted'>{e(d.description)}</p>")
        return "".join(parts)

    # -- actions -----------------------------------------------------------------------
    def _selected_history(self):
        return selected_object(self.history_view)

    def _update_buttons(self, *_args) -> None:
        has_beat = self.detail is not None
        for b in (self.assign_host, self.assign_traffic, self.substitute,
                  self.substitute_traffic, self.print_button):
            b.setEnabled(has_beat)
        h = self._selected_history()
        for b in (self.end_button, self.correct_button, self.remove_button):
            b.setEnabled(has_beat and h is not None)

    def beat_label(self) -> str:
        d = self.detail
        return f"{d.number}. {d.name} ({d.unit_short})" if d else ""

    def make_assign_dialog(self, role: AssignmentRole, kind: AssignmentKind) -> AssignDialog:
        assert self.detail is not None, "the assign buttons need a selected beat"
        return AssignDialog(self._db, self.detail.id, self.beat_label(), role, kind, self)

    def run_assign(self, role: AssignmentRole, kind: AssignmentKind,
                   dialog: AssignDialog | None = None) -> None:
        if self.detail is None:
            return
        dialog = dialog or self.make_assign_dialog(role, kind)
        if dialog.isVisible() or dialog.exec():
            self.after_assign(dialog)

    def after_assign(self, dialog: AssignDialog) -> None:
        result = dialog.result_info
        if result is None:
            return
        text = [self.tr("Zapisano przydział.")]
        if result.closed:
            days = ", ".join(_date(d) for d in result.closed.values())
            text.append(self.tr("Poprzedni przydział zakończono z dniem {0}.").format(days))
        text.extend(result.warnings)
        self.message.setText(" ".join(text))
        self.reload()
        self._ctx.notify(Change.BEATS)

    def _substitute_for_selected(self) -> None:
        h = self._selected_history()
        role = h.role if h is not None else AssignmentRole.BEAT_OFFICER
        self.run_assign(role, AssignmentKind.SUBSTITUTE)

    def run_correct(self) -> None:
        """Correct the selected assignment (dates, officer): beats/corrections.py."""
        from desktop.beats.ui.correction_dialog import CorrectAssignmentDialog

        h = self._selected_history()
        if h is not None:
            dialog = CorrectAssignmentDialog(self._db, h, self)
            if dialog.exec():
                self.after_correct(dialog.warnings)
            else:
                self.reload()

    def after_correct(self, warnings: list[str]) -> None:
        self.message.setText(" ".join([self.tr("Przydział poprawiono."), *warnings]))
        self.reload()
        self._ctx.notify(Change.BEATS)

    def run_remove(self) -> None:
        """Remove the selected assignment entered by mistake, after a question."""
        from desktop.beats.corrections import remove_assignment
        from desktop.beats.rules import RuleError
        from desktop.beats.ui.correction_dialog import confirm_removal
        from desktop.common.conflicts import ConflictError

        h = self._selected_history()
        if h is None or not confirm_removal(h, self):
            return
        try:
            what = remove_assignment(self._db, h.id, h.version or None)
        except (RuleError, ConflictError) as exc:
            self.message.setText(str(exc))
            self.reload()
            return
        self.message.setText(self.tr("Usunięto przydział: {0}.").format(what))
        self.reload()
        self._ctx.notify(Change.BEATS)

    def run_end(self) -> None:
        h = self._selected_history()
        if h is None:
            return
        dialog = EndAssignmentDialog(self._db, h, self)
        if dialog.exec():
            self.message.setText(self.tr("Przydział zakończono; pozostaje w historii."))
            self.reload()
            self._ctx.notify(Change.BEATS)
        elif dialog.stale:  # someone else's newer change was kept: show it
            self.reload()
