"""Correcting an assignment entered by mistake (other dates, another officer); removing one
is asked for in the tab (``confirm_removal``)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import AssignmentKind
from desktop.beats import assignments as svc
from desktop.beats.corrections import correct_assignment
from desktop.beats.officers import list_officers
from desktop.beats.rules import ALLOWED_ROLES, RuleError
from desktop.beats.ui.dialogs import _date_edit, _to_date
from desktop.common.conflicts import ConflictError
from desktop.common.ui import plain
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.conflict_dialog import ask_overwrite
from desktop.common.ui.i18n import tr_label, translator
from desktop.common.ui.plain import plain_label

_tr = translator("beats_corrections")


class CorrectAssignmentDialog(QDialog):
    """The same assignment with corrected dates and/or officer; ``warnings`` after saving."""

    def __init__(self, db: Database, row: svc.HistoryRow, parent: QWidget | None = None):
        super().__init__(parent)
        self._db, self._row = db, row
        self.warnings: list[str] = []
        substitute = row.kind == AssignmentKind.SUBSTITUTE
        self.setWindowTitle(self.tr("Popraw przydział – {0}").format(tr_label(row.role)))
        info = plain_label(self.tr("Popraw przydział wprowadzony z błędem. Inne przydziały "
                              "rejonu się nie zmieniają: poprawiony okres nie może na nie "
                              "nachodzić."), self)
        info.setWordWrap(True)
        self.officer = QComboBox(self)
        for o in list_officers(db):
            if o.id == row.officer_id or (o.active and o.role in ALLOWED_ROLES[row.role]):
                self.officer.addItem(f"{o.name} ({o.unit})" if o.unit else o.name, o.id)
        self.officer.setCurrentIndex(max(0, self.officer.findData(row.officer_id)))
        self.valid_from = _date_edit(self, row.valid_from)
        self.has_end = QCheckBox(self.tr("do dnia"), self)
        self.valid_to = _date_edit(self, row.valid_to or max(dt.date.today(), row.valid_from))
        self.has_end.setChecked(row.valid_to is not None or substitute)
        self.has_end.setEnabled(not substitute)  # a substitute always has an end
        self.valid_to.setEnabled(self.has_end.isChecked())
        self.has_end.toggled.connect(self.valid_to.setEnabled)
        self.error = plain_label("", self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #a00000;")
        form = QFormLayout()
        form.addRow(self.tr("Funkcjonariusz:"), self.officer)
        form.addRow(self.tr("Od dnia:"), self.valid_from)
        form.addRow(self.has_end, self.valid_to)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, self.tr("Zapisz"), on_ok=self.save))

    def save(self) -> None:
        officer_id = int(self.officer.currentData())
        valid_from = _to_date(self.valid_from.date())
        valid_to = _to_date(self.valid_to.date()) if self.has_end.isChecked() else None
        try:
            try:
                self.warnings = correct_assignment(self._db, self._row.id, officer_id,
                                                   valid_from, valid_to,
                                                   self._row.version or None)
            except ConflictError as exc:
                if not ask_overwrite(exc, self):
                    self.reject()
                    return
                self.warnings = correct_assignment(self._db, self._row.id, officer_id,
                                                   valid_from, valid_to, exc.current_version)
        except (RuleError, ConflictError) as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def confirm_removal(row: svc.HistoryRow, parent: QWidget | None) -> bool:
    """Ask before an assignment is removed (nothing is removed without "Tak")."""
    end = row.valid_to.strftime("%d.%m.%Y") if row.valid_to else _tr("bezterminowo")
    return plain.ask(parent, _tr("Usuń przydział"),
        _tr("Usunąć przydział {0} ({1}, {2}) od {3} do {4}? Usuwaj tylko przydział "
            "wprowadzony z błędem – zakończony przydział zostaje w historii przez "
            "„Zakończ przydział…”.").format(row.officer, tr_label(row.role), tr_label(row.kind),
                                           row.valid_from.strftime("%d.%m.%Y"), end))
