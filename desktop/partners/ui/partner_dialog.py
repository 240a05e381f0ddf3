"""Dialog to add or edit a partner: field validation and a likely-duplicate warning."""
from __future__ import annotations

from dataclasses import asdict
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import PartnerType
from desktop.common.ui import plain
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.fields import limit_lengths
from desktop.common.ui.i18n import tr_label, translator
from desktop.partners import service
from desktop.partners.agreements import partner_history
from desktop.partners.fields import EDITABLE, FIELDS, FIELDS_CONTEXT, TEXT_LIMITS
from desktop.partners.service import PartnerData
from desktop.partners.ui.combo import add_none_item, current_value, find_value
from desktop.partners.validation import validate_fields

_tr = translator("partners")


# One-line edits for the model's String(n) columns, in the field list's order.
TEXT_FIELDS = tuple(f.name for f in EDITABLE if f.name in TEXT_LIMITS)


class PartnerDialog(QDialog):
    """Edits ``PartnerData`` without saving it; the caller saves through an undo command.

    A likely duplicate (same name and gmina, ignoring case and diacritics) is shown as a
    warning on the first "Zapisz"; pressing it again saves anyway.
    """

    def __init__(self, db: Database, data: PartnerData | None = None,
                 partner_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.partner_id = partner_id
        self._acknowledged_duplicate: tuple | None = None
        self.setWindowTitle(_tr("Edycja partnera") if partner_id else _tr("Nowy partner"))
        self.setMinimumWidth(560)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        self.type_combo = QComboBox(self)
        for t in PartnerType:
            self.type_combo.addItem(tr_label(t), t)
        self.gmina_combo = QComboBox(self)
        add_none_item(self.gmina_combo, _tr("(bez gminy)"))
        for g in service.list_gminas(db):
            self.gmina_combo.addItem(g.name, g.id)
        for key in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(key)
            self.edits[key] = edit
        limit_lengths(FIELDS, self.edits)  # the model's String(n)
        self.edits["postal_code"].setPlaceholderText("62-500")
        self.edits["email"].setPlaceholderText("sekretariat@gmina.pl")
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(60)
        widgets: dict[str, QWidget] = {"partner_type": self.type_combo,
                                       "gmina": self.gmina_combo, "notes": self.notes,
                                       **self.edits}
        for f in EDITABLE:  # the field list's order and labels
            form.addRow(QCoreApplication.translate(FIELDS_CONTEXT, f.form_label or f.label),
                        widgets[f.name])
        # Tab follows the form from top to bottom (the combos were created first).
        ordered = [widgets[f.name] for f in EDITABLE]
        for first, second in zip(ordered, ordered[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.message = plain.rich_label(self)  # HTML built here, every data value escaped
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)  # data in it is escaped
        self.message.setStyleSheet("color: #a00000;")
        self.message.hide()
        self.buttons = ok_cancel_buttons(self, _tr("Zapisz"), on_ok=self.try_accept)
        self.history = plain.plain_label(parent=self)
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.history.setWordWrap(True)
        if partner_id is not None:
            self.history.setText(self._history_text(partner_id))
        form.addRow(_tr("Porozumienia"), self.history)
        form.setRowVisible(self.history, partner_id is not None)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if data is not None:
            self.set_data(data)
        add_access_keys(self)  # Alt+letter for every button

    def _history_text(self, partner_id: int) -> str:
        lines = []
        for h in partner_history(self.db, partner_id):
            when = h.signed_on.strftime("%d.%m.%Y") if h.signed_on else ""
            extra = ", ".join(x for x in (when, h.annex_number) if x)
            lines.append(f"{h.agreement}: {tr_label(h.status)}" + (f" ({extra})" if extra else ""))
        return "\n".join(lines) or _tr("nie jest stroną żadnego porozumienia")

    def set_data(self, data: PartnerData) -> None:
        values = asdict(data)
        for key, edit in self.edits.items():
            edit.setText(values[key])
        self.type_combo.setCurrentIndex(self.type_combo.findData(data.partner_type))
        gmina = find_value(self.gmina_combo, data.gmina_id)
        self.gmina_combo.setCurrentIndex(max(gmina, 0))
        self.notes.setPlainText(data.notes)

    def data(self) -> PartnerData:
        return PartnerData(
            partner_type=PartnerType(self.type_combo.currentData()), gmina_id=current_value(self.gmina_combo),
            notes=self.notes.toPlainText().strip(),
            **{key: edit.text().strip() for key, edit in self.edits.items()},
        )

    def _show(self, html: str) -> None:
        self.message.setText(html)
        self.message.show()

    def try_accept(self) -> None:
        data = self.data()
        errors = validate_fields(asdict(data))
        for edit in self.edits.values():
            edit.setStyleSheet("")
        if errors:
            for e in errors:
                if e.field in self.edits:
                    self.edits[e.field].setStyleSheet("border: 1px solid #c00000;")
            self._show("<br/>".join(escape(str(e)) for e in errors))
            first = self.edits.get(errors[0].field)
            if first is not None:
                first.setFocus()
            return
        key = (data.name.casefold(), data.gmina_id)
        duplicates = service.find_duplicates(self.db, data.name, data.gmina_id, self.partner_id)
        if duplicates and self._acknowledged_duplicate != key:
            self._acknowledged_duplicate = key
            names = ", ".join(escape(f"{d.name} ({d.gmina or _tr('bez gminy')})")
                              for d in duplicates)
            self._show(_tr("Uwaga: w rejestrze jest już podobny partner: {0}. Kliknij "
                           "„Zapisz” jeszcze raz, aby mimo to zapisać.").format(names))
            return
        self.accept()
