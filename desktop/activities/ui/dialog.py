"""The dialog adding or editing one activity: kind, topic, date and time, place, beats,
officers, partners, attendance, threat categories, outcome, follow-up and priority plan."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import ActivityKind
from desktop.activities.fields import ACTIVITY_FIELDS
from desktop.activities.service import (
    MAX_ATTENDANCE,
    ActivityError,
    ActivityInput,
    ActivityRow,
    create_activity,
    plan_choices,
    update_activity,
)
from desktop.common.conflicts import ConflictError
from desktop.common.text import matches
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.conflict_dialog import ask_overwrite
from desktop.common.ui.fields import form_label, limit_lengths
from desktop.common.ui.i18n import tr_label
from desktop.common.ui.plain import plain_label
from desktop.threats.plans import beat_choices, category_choices, officer_choices, partner_choices


class Picker(QWidget):
    """A checkable list with a search line (diacritics ignored): beats, officers, partners,
    categories."""

    def __init__(self, title: str, choices: list[tuple[int, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Szukaj…"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        for cid, name in choices:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.search.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = plain_label(title, self)
        caption.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(caption)
        layout.addWidget(self.search)
        layout.addWidget(self.list)

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _filter(self, text: str) -> None:
        for item in self._items():
            item.setHidden(not matches(text, item.text()))

    def ensure(self, choices: tuple[tuple[int, str], ...]) -> None:
        """Add entries the list lacks (a removed partner, an inactive officer still linked to
        the activity being edited), so that editing keeps them."""
        present = {item.data(Qt.ItemDataRole.UserRole) for item in self._items()}
        for cid, name in choices:
            if cid not in present:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, cid)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                self.list.addItem(item)

    def set_checked(self, ids: tuple[int, ...]) -> None:
        wanted = set(ids)
        for item in self._items():
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole)
                               in wanted else Qt.CheckState.Unchecked)

    def checked(self) -> tuple[int, ...]:
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in self._items()
                     if item.checkState() == Qt.CheckState.Checked)


def _qdt(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def _py(edit: QDateTimeEdit) -> dt.datetime:
    v = edit.dateTime()
    d, t = v.date(), v.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


class ActivityDialog(QDialog):
    """``saved`` holds the stored row after OK; errors are shown in the dialog (plain text)."""

    def __init__(self, db: Database, row: ActivityRow | None = None,
                 parent: QWidget | None = None, start: dt.datetime | None = None):
        super().__init__(parent)
        self.db = db
        self.row = row
        self.saved: ActivityRow | None = None
        self.setWindowTitle(self.tr("Edycja działania") if row else self.tr("Nowe działanie"))
        self.kind = QComboBox(self)
        for kind in ActivityKind:
            self.kind.addItem(tr_label(kind), kind)
        self.title = QLineEdit(self)
        self.starts = QDateTimeEdit(self)
        self.ends = QDateTimeEdit(self)
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.has_end = QCheckBox(self.tr("Koniec:"), self)
        self.has_end.toggled.connect(self.ends.setEnabled)
        self.place = QLineEdit(self)
        self.attendance = QSpinBox(self)
        self.attendance.setRange(-1, MAX_ATTENDANCE)
        self.attendance.setSpecialValueText(self.tr("nie podano"))
        self.plan = QComboBox(self)
        self.plan.addItem(self.tr("(bez planu)"), None)
        for pid, _beat, text in plan_choices(db):
            self.plan.addItem(text, pid)
        self.outcome = QPlainTextEdit(self)
        self.follow_up = QPlainTextEdit(self)
        for text_edit in (self.outcome, self.follow_up):
            text_edit.setTabChangesFocus(True)
            text_edit.setMaximumHeight(70)
        self.beats = Picker(form_label(ACTIVITY_FIELDS, "beat_ids"), beat_choices(db), self)
        self.officers = Picker(form_label(ACTIVITY_FIELDS, "officer_ids"), officer_choices(db),
                               self)
        self.partners = Picker(form_label(ACTIVITY_FIELDS, "partner_ids"), partner_choices(db),
                               self)
        self.categories = Picker(self.tr("Zagrożenia, których dotyczyło"),
                                 category_choices(db), self)
        self.error = plain_label("", self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")

        form = QFormLayout()  # labels and length limits from the activity's field list
        limit_lengths(ACTIVITY_FIELDS, {"title": self.title, "place": self.place})
        for name, widget in (("kind", self.kind), ("title", self.title),
                             ("starts_at", self.starts)):
            form.addRow(form_label(ACTIVITY_FIELDS, name, ":"), widget)
        form.addRow(self.has_end, self.ends)  # the end is optional: a box, not a label
        rest: list[tuple[str, QWidget]] = [
            ("place", self.place), ("attendance", self.attendance), ("plan_id", self.plan),
            ("outcome", self.outcome), ("follow_up", self.follow_up)]
        for name, other in rest:
            form.addRow(form_label(ACTIVITY_FIELDS, name, ":"), other)
        pickers = QGridLayout()
        pickers.addWidget(self.beats, 0, 0)
        pickers.addWidget(self.officers, 0, 1)
        pickers.addWidget(self.partners, 1, 0)
        pickers.addWidget(self.categories, 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(pickers, 1)
        layout.addWidget(self.error)
        self.buttons = ok_cancel_buttons(self, self.tr("Zapisz"), on_ok=self._ok)
        layout.addWidget(self.buttons)
        self.resize(820, 760)
        self._fill(row, start)

    def _fill(self, row: ActivityRow | None, start: dt.datetime | None) -> None:
        if row is None:
            when = start or dt.datetime.now().replace(second=0, microsecond=0)
            self.starts.setDateTime(_qdt(when))
            self.ends.setDateTime(_qdt(when + dt.timedelta(hours=2)))
            self.has_end.setChecked(False)
            self.ends.setEnabled(False)
            self.attendance.setValue(-1)
            return
        self.kind.setCurrentIndex(self.kind.findData(row.kind))
        self.title.setText(row.title)
        self.starts.setDateTime(_qdt(row.starts_at))
        self.has_end.setChecked(row.ends_at is not None)
        self.ends.setEnabled(row.ends_at is not None)
        self.ends.setDateTime(_qdt(row.ends_at or row.starts_at + dt.timedelta(hours=2)))
        self.place.setText(row.place)
        self.attendance.setValue(-1 if row.attendance is None else row.attendance)
        self.plan.setCurrentIndex(max(0, self.plan.findData(row.plan_id)))
        self.outcome.setPlainText(row.outcome)
        self.follow_up.setPlainText(row.follow_up)
        for picker, linked in ((self.beats, row.beats), (self.officers, row.officers),
                               (self.partners, row.partners),
                               (self.categories, row.categories)):
            picker.ensure(tuple((n.id, n.name) for n in linked))
        self.beats.set_checked(tuple(b.id for b in row.beats))
        self.officers.set_checked(tuple(o.id for o in row.officers))
        self.partners.set_checked(tuple(p.id for p in row.partners))
        self.categories.set_checked(tuple(c.id for c in row.categories))

    def data(self) -> ActivityInput:
        attendance = self.attendance.value()
        return ActivityInput(
            kind=ActivityKind(self.kind.currentData()), title=self.title.text(), starts_at=_py(self.starts),
            ends_at=_py(self.ends) if self.has_end.isChecked() else None,
            place=self.place.text(), beat_ids=self.beats.checked(),
            officer_ids=self.officers.checked(), partner_ids=self.partners.checked(),
            category_ids=self.categories.checked(),
            attendance=None if attendance < 0 else attendance,
            outcome=self.outcome.toPlainText(), follow_up=self.follow_up.toPlainText(),
            plan_id=self.plan.currentData())

    def _ok(self) -> None:
        self.save()

    def save(self, expected_version: int | None = None) -> bool:
        """Validate and store; True (and the dialog accepted) when saved."""
        data = self.data()
        try:
            if self.row is None:
                self.saved = create_activity(self.db, data)
            else:
                version = self.row.version if expected_version is None else expected_version
                self.saved = update_activity(self.db, self.row.id, data, version)
        except ActivityError as exc:
            self.error.setText(str(exc))
            return False
        except ConflictError as exc:
            if exc.current_version is not None and self.ask_overwrite(exc):
                return self.save(exc.current_version)
            self.error.setText(str(exc))
            return False
        self.accept()
        return True

    def ask_overwrite(self, error: ConflictError) -> bool:
        return ask_overwrite(error, self)
