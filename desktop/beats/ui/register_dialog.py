"""Dialog adding one line of the street register (a street range or a whole locality)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import HouseSide
from desktop.beats.queries import beat_rows
from desktop.beats.register import RegisterError, add_line
from desktop.beats.street_fields import STREET_FIELDS
from desktop.common.ui import plain
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.fields import add_form_rows
from desktop.common.ui.i18n import tr_label


class RegisterLineDialog(QDialog):
    """Street (empty = whole locality), side and optional number range of one beat."""

    def __init__(self, db: Database, beat_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.saved_id: int | None = None
        self.setWindowTitle(self.tr("Nowy wiersz rejestru ulic"))
        self.beat = QComboBox(self)
        for r in beat_rows(db):
            self.beat.addItem(f"{r.unit} {r.number}. {r.name}", r.id)
        if beat_id is not None:
            self.beat.setCurrentIndex(max(0, self.beat.findData(beat_id)))
        self.locality = QLineEdit(self)
        self.street = QLineEdit(self)
        self.street.setPlaceholderText(self.tr("puste = cała miejscowość"))
        self.side = QComboBox(self)
        for side in HouseSide:
            self.side.addItem(tr_label(side), side)
        self.number_from = QSpinBox(self)
        self.number_to = QSpinBox(self)
        for box in (self.number_from, self.number_to):
            box.setRange(0, 100000)
            box.setSpecialValueText(self.tr("(brak)"))  # 0 = open end
        self.error = plain.plain_label(parent=self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #a00000;")
        form = QFormLayout()  # labels, order and length limits from the register's fields
        add_form_rows(form, STREET_FIELDS, {"beat": self.beat, "locality": self.locality,
                                            "street": self.street, "side": self.side,
                                            "number_from": self.number_from,
                                            "number_to": self.number_to}, ":")
        buttons = ok_cancel_buttons(self, self.tr("Dodaj"), on_ok=self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        beat_id = self.beat.currentData()
        if beat_id is None:
            self.error.setText(self.tr("Wybierz rejon."))
            return
        try:
            self.saved_id = add_line(self._db, int(beat_id), self.locality.text(),
                                     self.street.text(), self.side.currentData(),
                                     self.number_from.value() or None,
                                     self.number_to.value() or None)
        except RegisterError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
