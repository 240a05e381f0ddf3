"""Editor of one priority action plan: beat, period, diagnosed threat and the reports behind
it, goal, actions with deadlines, partners from the register, evaluation with the measure the
app computes."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import PlanEvaluation
from desktop.common.conflicts import ConflictError
from desktop.common.ui import plain
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.conflict_dialog import ask_overwrite
from desktop.common.ui.dates import to_date
from desktop.common.ui.i18n import tr_label, translator
from desktop.threats.plans import (
    ActionData,
    PlanData,
    PlanError,
    PlanPartnerData,
    beat_choices,
    category_choices,
    diagnosed_reports,
    draft_plan,
    half_year_periods,
    measure,
    officer_choices,
    parse_deadline,
    partner_choices,
    save_plan,
)

_tr = translator("threats")


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _combo(parent, items: list[tuple[int, str]], empty: str | None) -> QComboBox:
    combo = QComboBox(parent)
    if empty is not None:
        combo.addItem(empty, None)
    for i, label in items:
        combo.addItem(label, i)
    return combo


def _select(combo: QComboBox, value) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class PlanDialog(QDialog):
    """``saved_id`` is set after a successful save; errors show in ``error_label``."""

    ACTION_COLUMNS = 4

    def __init__(self, db: Database, plan: PlanData | None = None, beat_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.saved_id: int | None = None
        beats = beat_choices(db)
        if plan is None:
            start, end = half_year_periods(dt.date.today().year)[0]
            plan = PlanData(beat_id=beat_id or (beats[0][0] if beats else 0),
                            period_from=start, period_to=end)
        self.plan_id = plan.id
        self.plan_version = plan.version  # the version the form was filled from
        self.setWindowTitle(_tr("Plan działania priorytetowego") if plan.id is None
                            else _tr("Plan działania priorytetowego – edycja"))
        self._fit_to_screen(820, 760)

        self.beat_combo = _combo(self, beats, None)
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
        self.half_year = QComboBox(self)
        self.half_year.addItem(_tr("(okres ręcznie)"), None)
        this_year = dt.date.today().year
        for year in range(this_year - 9, this_year + 2):
            for start, end in half_year_periods(year):
                self.half_year.addItem(f"{start:%d.%m.%Y} – {end:%d.%m.%Y}", (start, end))
        self.half_year.currentIndexChanged.connect(self._half_year_chosen)
        self.officer_combo = _combo(self, officer_choices(db), _tr("(brak)"))
        self.category_combo = _combo(self, category_choices(db, plan.category_id),
                                     _tr("(bez kategorii KMZB)"))
        self.draft_button = QPushButton(_tr("Wypełnij z diagnozy"), self)
        self.draft_button.clicked.connect(self.fill_from_diagnosis)
        self.problem = QPlainTextEdit(self)
        self.problem.setMaximumHeight(70)
        self.reports_label = plain.plain_label(parent=self)
        self.reports_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reports_label.setWordWrap(True)
        self.goal = QPlainTextEdit(self)
        self.goal.setMaximumHeight(60)

        self.action_table = QTableWidget(0, self.ACTION_COLUMNS, self)

        self.action_table.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
        self.action_table.setHorizontalHeaderLabels([_tr("Działanie"), _tr("Termin (dd.mm.rrrr)"),
                                                _tr("Odpowiedzialny"), _tr("Wykonane")])
        self.action_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.ACTION_COLUMNS):  # "Termin (dd.mm.rrrr)" shown whole
            self.action_table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)
        self.action_table.setMinimumHeight(110)
        self.action_table.verticalHeader().hide()
        add = QPushButton(_tr("Dodaj działanie"), self)
        remove = QPushButton(_tr("Usuń działanie"), self)
        add.clicked.connect(lambda: self.add_action(ActionData("")))
        remove.clicked.connect(self.remove_action)

        self.partners = QListWidget(self)
        self.partners.setMaximumHeight(120)
        chosen = {p.partner_id: p.role for p in plan.partners}
        self._roles = dict(chosen)
        choices = partner_choices(db)
        # Partners taking part first, then the rest of the register.
        for pid, name in [c for c in choices if c[0] in chosen] + \
                [c for c in choices if c[0] not in chosen]:
            item = QListWidgetItem(name, self.partners)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setCheckState(Qt.CheckState.Checked if pid in chosen else Qt.CheckState.Unchecked)

        self.measure_label = plain.plain_label(parent=self)
        self.measure_label.setWordWrap(True)
        self.evaluation = QComboBox(self)
        self.evaluation.addItem(_tr("nie oceniono"), None)
        for value in PlanEvaluation:
            self.evaluation.addItem(tr_label(value), value.value)  # Qt turns str enums to str
        self.use_measure = QPushButton(_tr("Przyjmij ocenę wyliczoną"), self)
        self.use_measure.clicked.connect(self.accept_suggestion)
        self.evaluation_note = QLineEdit(self)
        self.error_label = plain.plain_label(parent=self)
        self.error_label.setStyleSheet("color: #a00000;")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow(_tr("Rejon"), self.beat_combo)
        period = QHBoxLayout()
        period.addWidget(self.half_year)
        period.addWidget(plain.plain_label(_tr("od"), self))
        period.addWidget(self.date_from)
        period.addWidget(plain.plain_label(_tr("do"), self))
        period.addWidget(self.date_to)
        form.addRow(_tr("Okres"), period)
        form.addRow(_tr("Dzielnicowy"), self.officer_combo)
        threat = QHBoxLayout()
        threat.addWidget(self.category_combo, 1)
        threat.addWidget(self.draft_button)
        form.addRow(_tr("1. Zdiagnozowane zagrożenie"), threat)
        form.addRow(_tr("Charakterystyka"), self.problem)
        form.addRow("", self.reports_label)
        form.addRow(_tr("2. Cel"), self.goal)
        action_buttons = QHBoxLayout()
        action_buttons.addWidget(add)
        action_buttons.addWidget(remove)
        action_buttons.addStretch()
        evaluation = QHBoxLayout()
        evaluation.addWidget(self.evaluation)
        evaluation.addWidget(self.use_measure)
        evaluation.addWidget(self.evaluation_note, 1)

        buttons = ok_cancel_buttons(self, _tr("Zapisz"), on_ok=self.save)
        # The form scrolls; the message and the buttons stay at the bottom of the dialog, so
        # they are reachable on 1366×768 and at 150 % scaling (1280×720 logical pixels).
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        layout.addLayout(form)
        layout.addWidget(plain.plain_label(_tr("3. Działania (termin i osoba odpowiedzialna)"), self))
        layout.addWidget(self.action_table, 1)
        layout.addLayout(action_buttons)
        layout.addWidget(plain.plain_label(_tr("4. Partnerzy biorący udział"), self))
        layout.addWidget(self.partners)
        layout.addWidget(plain.plain_label(_tr("5. Ewaluacja"), self))
        layout.addWidget(self.measure_label)
        layout.addLayout(evaluation)
        self.scroll_area.setWidget(content)
        outer = QVBoxLayout(self)
        outer.addWidget(self.scroll_area, 1)
        outer.addWidget(self.error_label)
        outer.addWidget(buttons)
        self.buttons = buttons

        self.set_plan(plan)
        for signal in (self.beat_combo.currentIndexChanged, self.category_combo.currentIndexChanged,
                       self.date_from.dateChanged, self.date_to.dateChanged):
            signal.connect(self.update_measure)
        self.update_measure()
        add_access_keys(self)  # Alt+letter for every button

    def _fit_to_screen(self, width: int, height: int) -> None:
        """The preferred size, or less on a small (or scaled) screen: never off screen."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() - 40)
            height = min(height, screen.height() - 60)  # room for the title bar
        self.resize(width, height)

    # -- data in and out ------------------------------------------------------------------
    def set_plan(self, plan: PlanData) -> None:
        _select(self.beat_combo, plan.beat_id)
        self.date_from.setDate(_qdate(plan.period_from))
        self.date_to.setDate(_qdate(plan.period_to))
        _select(self.officer_combo, plan.officer_id)
        _select(self.category_combo, plan.category_id)
        self.problem.setPlainText(plan.problem)
        self.goal.setPlainText(plan.goal)
        self.action_table.setRowCount(0)
        for action in plan.actions:
            self.add_action(action)
        _select(self.evaluation, plan.evaluation.value if plan.evaluation else None)
        self.evaluation_note.setText(plan.evaluation_note)

    def add_action(self, action: ActionData) -> None:
        row = self.action_table.rowCount()
        self.action_table.insertRow(row)
        deadline = f"{action.deadline:%d.%m.%Y}" if action.deadline else ""
        for col, text in enumerate((action.description, deadline, action.responsible)):
            self.action_table.setItem(row, col, QTableWidgetItem(text))
        done = QTableWidgetItem()
        done.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        done.setCheckState(Qt.CheckState.Checked if action.done else Qt.CheckState.Unchecked)
        self.action_table.setItem(row, 3, done)

    def remove_action(self) -> None:
        row = self.action_table.currentRow()
        if row >= 0:
            self.action_table.removeRow(row)

    def collect(self) -> PlanData:
        """The plan as edited; raises PlanError for unreadable deadlines."""
        actions = []
        for row in range(self.action_table.rowCount()):
            cells = [self.action_table.item(row, c) for c in range(3)]
            description, deadline_text, responsible = (c.text() if c else "" for c in cells)
            if not any(t.strip() for t in (description, deadline_text, responsible)):
                continue
            deadline = None
            if deadline_text.strip():
                try:
                    deadline = parse_deadline(deadline_text)
                except PlanError as exc:
                    raise PlanError(_tr("Działanie nr {0}: termin – {1}").format(
                        row + 1, exc)) from None
            done_item = self.action_table.item(row, 3)
            done = done_item is not None and done_item.checkState() == Qt.CheckState.Checked
            actions.append(ActionData(description, deadline, responsible, done))
        partners = []
        for i in range(self.partners.count()):
            item = self.partners.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                pid = item.data(Qt.ItemDataRole.UserRole)
                partners.append(PlanPartnerData(pid, item.text(), self._roles.get(pid, "")))
        return PlanData(
            id=self.plan_id, beat_id=self.beat_combo.currentData(),
            period_from=to_date(self.date_from.date()), period_to=to_date(self.date_to.date()),
            officer_id=self.officer_combo.currentData(),
            category_id=self.category_combo.currentData(), problem=self.problem.toPlainText(),
            goal=self.goal.toPlainText(), evaluation=self.evaluation_value(),
            evaluation_note=self.evaluation_note.text(), actions=actions, partners=partners,
            version=self.plan_version)

    def evaluation_value(self) -> PlanEvaluation | None:
        data = self.evaluation.currentData()
        return PlanEvaluation(data) if data else None

    # -- behaviour ------------------------------------------------------------------------
    def _half_year_chosen(self) -> None:
        period = self.half_year.currentData()
        if period:
            self.date_from.setDate(_qdate(period[0]))
            self.date_to.setDate(_qdate(period[1]))

    def fill_from_diagnosis(self) -> None:
        start = to_date(self.date_from.date())
        draft = draft_plan(self.db, self.beat_combo.currentData(), start,
                           to_date(self.date_to.date()))
        _select(self.category_combo, draft.category_id)
        if draft.officer_id is not None:
            _select(self.officer_combo, draft.officer_id)
        if draft.problem:
            self.problem.setPlainText(draft.problem)

    def current_measure(self):
        beat = self.beat_combo.currentData()
        if beat is None:
            return None
        return measure(self.db, beat, self.category_combo.currentData(),
                       to_date(self.date_from.date()), to_date(self.date_to.date()))

    def update_measure(self) -> None:
        m = self.current_measure()
        category = self.category_combo.currentData()
        if m is None:
            self.measure_label.setText("")
            return
        change = "–" if m.change_pct is None else f"{m.change:+d} ({m.change_pct:+.1f}%)".replace(
            ".", ",")
        text = _tr("Zgłoszenia w okresie planu: {0}; w okresie poprzednim tej samej długości: "
                   "{1}; zmiana: {2}. Ocena wyliczona: {3}.").format(
            m.during, m.before, change,
            tr_label(m.suggested) if m.suggested is not None
            else _tr("brak (nie było zgłoszeń ani przed planem, ani w jego okresie)"))
        if not m.finished:
            text += " " + _tr("Okres planu jeszcze trwa.")
        self.measure_label.setText(text)
        if category is None:
            self.reports_label.setText(_tr("Wybierz kategorię, aby zobaczyć zgłoszenia, na "
                                           "których opiera się diagnoza."))
            return
        reports = diagnosed_reports(self.db, self.beat_combo.currentData(), category,
                                    to_date(self.date_from.date()))
        dates = ", ".join(f"{r.reported_at:%d.%m.%Y}" for r in reports[:8])
        more = "…" if len(reports) > 8 else ""
        self.reports_label.setText(_tr("Zgłoszenia tej kategorii w rejonie w półroczu przed "
                                       "planem: {0}{1}").format(
            len(reports), f" ({dates}{more})" if reports else ""))

    def accept_suggestion(self) -> None:
        m = self.current_measure()
        if m is not None:
            _select(self.evaluation, m.suggested.value if m.suggested is not None else None)
            if not self.evaluation_note.text().strip():
                self.evaluation_note.setText(_tr("Zgłoszenia w okresie planu: {0}, w okresie "
                                                 "poprzednim: {1}.").format(m.during, m.before))

    def save(self) -> None:
        try:
            plan = self.collect()
            try:
                self.saved_id = save_plan(self.db, plan)
            except ConflictError as exc:  # saved on another workstation since it was opened
                if not ask_overwrite(exc, self):
                    return
                plan.version = exc.current_version
                self.saved_id = save_plan(self.db, plan)
        except (PlanError, ConflictError) as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()
