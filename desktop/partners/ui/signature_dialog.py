"""Dialog for one partner's signature on an agreement (signatory, date, status, annex)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.models import SignatureStatus
from desktop.common.ui import plain
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.fields import form_label, limit_lengths
from desktop.common.ui.i18n import tr_label, translator
from desktop.partners.agreement_fields import SIGNATURE_FIELDS
from desktop.partners.agreements import AgreementError, SignatureData, check_signature
from desktop.partners.service import PartnerRow

_tr = translator("partners")


def to_qdate(value: dt.date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate.currentDate()


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class OptionalDate(QWidget):
    """A date that may be left empty (checkbox off)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.enabled = QCheckBox(self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd.MM.yyyy")
        self.enabled.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)

    def set_value(self, value) -> None:
        self.enabled.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(to_qdate(value))

    def value(self):
        return from_qdate(self.edit.date()) if self.enabled.isChecked() else None


class SignatureDialog(QDialog):
    """Edits ``SignatureData``; partners are chosen from the register (not removed ones)."""

    def __init__(self, partners: list[PartnerRow], data: SignatureData | None = None,
                 parent: QWidget | None = None, agreement_signed_on: dt.date | None = None):
        super().__init__(parent)
        self.agreement_signed_on = agreement_signed_on
        self.setWindowTitle(_tr("Podpis porozumienia"))
        self.partner = QComboBox(self)
        for p in partners:
            self.partner.addItem(p.name, p.id)
        self.signatory = QLineEdit(self)
        self.function = QLineEdit(self)
        self.status = QComboBox(self)
        for st in SignatureStatus:
            self.status.addItem(tr_label(st), st.value)
        self.has_date = QCheckBox(_tr("podpisano dnia"), self)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        self.annex = QLineEdit(self)
        self.annex.setPlaceholderText(_tr("np. Aneks nr 1 (puste = pierwotne podpisanie)"))
        self.note = QLineEdit(self)
        self.message = plain.plain_label(parent=self)
        self.message.setStyleSheet("color: #a00000;")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        form = QFormLayout()  # labels and length limits from the signature's field list
        edits = {"signatory": self.signatory, "signatory_function": self.function,
                 "annex_number": self.annex, "note": self.note}
        limit_lengths(SIGNATURE_FIELDS, edits)
        for name, widget in (("partner_id", self.partner), ("signatory", self.signatory),
                             ("signatory_function", self.function), ("status", self.status)):
            form.addRow(form_label(SIGNATURE_FIELDS, name), widget)
        form.addRow(self.has_date, self.date)  # the date is optional: a box, not a label
        form.addRow(form_label(SIGNATURE_FIELDS, "annex_number"), self.annex)
        form.addRow(form_label(SIGNATURE_FIELDS, "note"), self.note)
        buttons = ok_cancel_buttons(self, on_ok=self.try_accept)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.has_date.toggled.connect(self.date.setEnabled)
        self.partner.currentIndexChanged.connect(self._fill_from_partner)
        self._partners = {p.id: p for p in partners}
        if data is None:
            # A new signature: no date until the user ticks it; then today, never 01.01.2000.
            self.status.setCurrentIndex(self.status.findData(SignatureStatus.SIGNED.value))
            self.has_date.setChecked(False)
            self.date.setEnabled(False)
            self.date.setDate(QDate.currentDate())
            self._fill_from_partner()
        else:
            self.set_data(data)
            self.partner.setEnabled(False)  # another partner = another signature
        add_access_keys(self)  # Alt+letter for every button

    def _fill_from_partner(self) -> None:
        p = self._partners.get(self.partner.currentData())
        if p is not None:
            self.signatory.setText(p.data.representative)
            self.function.setText(p.data.representative_function)

    def set_data(self, d: SignatureData) -> None:
        self.partner.setCurrentIndex(max(0, self.partner.findData(d.partner_id)))
        self.signatory.setText(d.signatory)
        self.function.setText(d.signatory_function)
        self.status.setCurrentIndex(self.status.findData(d.status.value))
        self.has_date.setChecked(d.signed_on is not None)
        self.date.setEnabled(d.signed_on is not None)
        self.date.setDate(to_qdate(d.signed_on))
        self.annex.setText(d.annex_number)
        self.note.setText(d.note)

    def data(self) -> SignatureData:
        return SignatureData(
            partner_id=self.partner.currentData(), signatory=self.signatory.text().strip(),
            signatory_function=self.function.text().strip(),
            signed_on=from_qdate(self.date.date()) if self.has_date.isChecked() else None,
            status=SignatureStatus(self.status.currentData()),
            annex_number=self.annex.text().strip(), note=self.note.text().strip())

    def try_accept(self) -> None:
        d = self.data()
        if d.partner_id is None:
            self.message.setText(_tr("Wybierz partnera."))
            return
        try:
            check_signature(d, self.agreement_signed_on)
        except AgreementError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
