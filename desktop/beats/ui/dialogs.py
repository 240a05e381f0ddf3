"""Dialogs of the beats tab: assign an officer (regular or substitute), add/edit an officer."""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import AssignmentKind, AssignmentRole, OfficerRole
from desktop.beats import assignments as svc
from desktop.beats.officer_fields import OFFICER_FIELDS
from desktop.beats.officers import (
    OfficerData,
    OfficerError,
    create_officer,
    list_officers,
    units,
    update_officer,
)
from desktop.beats.rules import ALLOWED_ROLES, RuleError
from desktop.common.conflicts import ConflictError
from desktop.common.text import officer_picker_label, polish_sort_key
from desktop.common.ui import plain
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.conflict_dialog import ask_overwrite
from desktop.common.ui.fields import add_form_rows
from desktop.common.ui.i18n import tr_label


def _to_date(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _date_edit(parent: QWidget, day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy")
    return edit


class AssignDialog(QDialog):
    """Assign an officer to a beat in a role, as a regular assignment or a substitute.

    The rules are explained above the form; a refused assignment shows the Polish reason in the
    dialog and nothing is saved. ``result_info`` holds the service result after acceptance.
    """

    def __init__(self, db: Database, beat_id: int, beat_label: str, role: AssignmentRole,
                 kind: AssignmentKind = AssignmentKind.REGULAR, parent: QWidget | None = None):
        super().__init__(parent)
        self._db, self._beat_id, self._role, self._kind = db, beat_id, role, kind
        self.result_info: svc.AssignResult | None = None
        substitute = kind == AssignmentKind.SUBSTITUTE
        what = (self.tr("Zastępstwo") if substitute else self.tr("Przydział")) + " – " + \
            tr_label(role)
        self.setWindowTitle(f"{what}: {beat_label}")
        rules = self.tr(
            "Zasady: w rejonie jest jednego dnia najwyżej jeden dzielnicowy i jeden policjant "
            "ruchu drogowego. Nowy przydział kończy poprzedni dzień przed swoim początkiem. "
            "Zastępstwo (np. na czas urlopu) ma datę końca i nie kończy przydziału. "
            "Policjant ruchu drogowego musi być z Wydziału Ruchu Drogowego i może obsługiwać "
            "kilka rejonów.")
        info = plain.plain_label(rules, self)
        info.setWordWrap(True)
        self.officer = QComboBox(self)
        fitting = ALLOWED_ROLES[role]
        # "Nazwisko Imię (stopień) – jednostka", by surname: typing a surname finds it.
        fitting_rows = [r for r in list_officers(db, include_inactive=False)
                        if r.role in fitting]
        for row in sorted(fitting_rows, key=lambda r: (polish_sort_key(r.last_name),
                                                       polish_sort_key(r.first_name))):
            self.officer.addItem(officer_picker_label(row.rank, row.first_name, row.last_name)
                                 + f" – {row.unit}", row.id)
        today = dt.date.today()
        self.valid_from = _date_edit(self, today)
        self.has_end = QCheckBox(self.tr("do dnia"), self)
        self.valid_to = _date_edit(self, today + dt.timedelta(days=13))
        self.has_end.setChecked(substitute)
        self.has_end.setEnabled(not substitute)
        self.valid_to.setEnabled(substitute)
        self.has_end.toggled.connect(self.valid_to.setEnabled)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("np. urlop wypoczynkowy") if substitute else "")
        self.error = plain.plain_label(parent=self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a00000;")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow(self.tr("Funkcjonariusz:"), self.officer)
        form.addRow(self.tr("Od dnia:"), self.valid_from)
        form.addRow(self.has_end, self.valid_to)
        form.addRow(self.tr("Uwagi:"), self.note)
        self.buttons = ok_cancel_buttons(self, self.tr("Zapisz"), on_ok=self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        if self.officer.count() == 0:
            self.error.setText(self.tr("Brak aktywnych funkcjonariuszy, którzy mogą pełnić tę "
                                       "rolę – dodaj ich w zakładce Funkcjonariusze."))

    def select_officer(self, officer_id: int) -> None:
        self.officer.setCurrentIndex(self.officer.findData(officer_id))

    def save(self) -> None:
        officer_id = self.officer.currentData()
        if officer_id is None:
            self.error.setText(self.tr("Wybierz funkcjonariusza."))
            return
        valid_to = _to_date(self.valid_to.date()) if self.has_end.isChecked() else None
        try:
            self.result_info = svc.assign(self._db, self._beat_id, int(officer_id), self._role,
                                          _to_date(self.valid_from.date()), valid_to,
                                          self.note.text().strip(), self._kind)
        except RuleError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class EndAssignmentDialog(QDialog):
    """Set the last day of an assignment (the record stays in the history)."""

    def __init__(self, db: Database, row: svc.HistoryRow, parent: QWidget | None = None):
        super().__init__(parent)
        self._db, self._row = db, row
        self.stale = False  # a newer change made elsewhere was kept ("Anuluj" in the conflict)
        self.setWindowTitle(self.tr("Zakończ przydział"))
        text = plain.plain_label(self.tr("Przydział {0} ({1}) od {2}. Ostatni dzień:").format(
            row.officer, tr_label(row.role), row.valid_from.strftime("%d.%m.%Y")), self)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)  # names come from data
        self.last_day = _date_edit(self, max(dt.date.today(), row.valid_from))
        self.error = plain.plain_label(parent=self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #a00000;")
        buttons = ok_cancel_buttons(self, self.tr("Zakończ"), on_ok=self.save)
        layout = QVBoxLayout(self)
        for w in (text, self.last_day, self.error, buttons):
            layout.addWidget(w)

    def save(self) -> None:
        last_day = _to_date(self.last_day.date())
        try:
            try:
                svc.end_assignment(self._db, self._row.id, last_day, self._row.version or None)
            except ConflictError as exc:  # changed elsewhere since the history was shown
                if not ask_overwrite(exc, self):
                    self.stale = True  # the caller shows what is stored now
                    self.reject()
                    return
                svc.end_assignment(self._db, self._row.id, last_day, exc.current_version)
        except (RuleError, ConflictError) as exc:
            self.error.setText(str(exc))
            return
        self.accept()


ROLE_CHOICES = [OfficerRole.BEAT_OFFICER, OfficerRole.TRAFFIC,
                OfficerRole.HEAD_OF_BEAT_OFFICERS, OfficerRole.OTHER]


class OfficerDialog(QDialog):
    """Add or edit an officer; every invalid field is named in Polish and nothing is saved."""

    def __init__(self, db: Database, officer_id: int | None = None,
                 data: OfficerData | None = None, parent: QWidget | None = None,
                 version: int | None = None):
        super().__init__(parent)
        self._db, self._officer_id = db, officer_id
        self._version = version  # the version the form was filled from
        self.stale = False  # a newer change made elsewhere was kept ("Anuluj" in the conflict)
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("Nowy funkcjonariusz") if officer_id is None
                            else self.tr("Edycja funkcjonariusza"))
        edits = {name: QLineEdit(self) for name in
                 ("rank", "last_name", "first_name", "service_number")}  # the list's order
        self.rank, self.last_name = edits["rank"], edits["last_name"]
        self.first_name, self.service_number = edits["first_name"], edits["service_number"]
        self.role = QComboBox(self)
        for role in ROLE_CHOICES:
            self.role.addItem(tr_label(role), role)
        self.unit = QComboBox(self)
        self.unit.addItem(self.tr("(brak)"), None)
        for uid, name in units(db):
            self.unit.addItem(name, uid)
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText("63 240 12 00")
        self.mobile = QLineEdit(self)
        self.mobile.setPlaceholderText("600 123 456")
        self.email = QLineEdit(self)
        self.email.setPlaceholderText("imie.nazwisko@po.policja.gov.pl")
        self.error = plain.plain_label(parent=self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #a00000;")
        form = QFormLayout()
        # Labels, order and length limits from the officer's field list.
        add_form_rows(form, OFFICER_FIELDS, {**edits, "role": self.role, "unit_id": self.unit,
                                             "phone": self.phone, "mobile": self.mobile,
                                             "email": self.email}, ":")
        buttons = ok_cancel_buttons(self, self.tr("Zapisz"), on_ok=self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._active = True
        if data is not None:
            self._active = data.active
            self.rank.setText(data.rank)
            self.first_name.setText(data.first_name)
            self.last_name.setText(data.last_name)
            self.service_number.setText(data.service_number)
            self.role.setCurrentIndex(self.role.findData(data.role))
            self.unit.setCurrentIndex(max(0, self.unit.findData(data.unit_id)))
            self.phone.setText(data.phone)
            self.mobile.setText(data.mobile)
            self.email.setText(data.email)

    def data(self) -> OfficerData:
        return OfficerData(self.first_name.text(), self.last_name.text(),
                           self.service_number.text(), self.role.currentData(),
                           self.rank.text(), self.unit.currentData(), self.phone.text(),
                           self.mobile.text(), self.email.text(), self._active)

    def save(self) -> None:
        try:
            if self._officer_id is None:
                self.saved_id = create_officer(self._db, self.data())
            else:
                try:
                    update_officer(self._db, self._officer_id, self.data(), self._version)
                except ConflictError as exc:
                    if not ask_overwrite(exc, self):
                        self.stale = True  # the caller shows what is stored now
                        self.reject()
                        return
                    update_officer(self._db, self._officer_id, self.data(), exc.current_version)
                self.saved_id = self._officer_id
        except (OfficerError, ConflictError) as exc:
            self.error.setText("\n".join(exc.problems.values()) if isinstance(exc, OfficerError)
                               else str(exc))
            return
        self.accept()


def escape(text: str) -> str:
    return html.escape(text or "")
