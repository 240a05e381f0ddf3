"""Dane osobowe (RODO): export or erase everything stored about one person."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from db.models import Officer, Partner
from desktop.app.context import AppContext, Change
from desktop.audit import rodo
from desktop.common.text import polish_sort_key
from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import save_file_name


class RodoDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Dane osobowe (RODO)"))
        self.officer_mode = QRadioButton(self.tr("Policjant"), self)
        self.partner_mode = QRadioButton(self.tr("Przedstawiciel partnera"), self)
        self.officer_mode.setChecked(True)
        self.person = QComboBox(self)
        self.person.setEditable(True)
        self.person.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.person.setMinimumWidth(420)
        for button in (self.officer_mode, self.partner_mode):
            button.toggled.connect(self._fill)
        note = plain.plain_label(self.tr(
            "Eksport zapisuje wszystko, co baza przechowuje o tej osobie (JSON lub CSV). "
            "Usunięcie zastępuje jej dane osobowe (imię, nazwisko, numer służbowy, kontakt) "
            "we wszystkich rekordach i w dzienniku zmian; przydziały, plany i podpisy "
            "zostają, przy zanonimizowanej osobie. Usunięcia nie da się cofnąć; kopie "
            "zapasowe sprzed usunięcia nadal zawierają dane."), self)
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        self.export_button = QPushButton(self.tr("Eksportuj dane…"), self)
        self.erase_button = QPushButton(self.tr("Usuń dane osobowe…"), self)
        self.export_button.clicked.connect(lambda *_: self.export())
        self.erase_button.clicked.connect(lambda *_: self.erase())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Kto:"), self.officer_mode)
        form.addRow("", self.partner_mode)
        form.addRow(self.tr("Osoba:"), self.person)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self, *_args) -> None:
        self.person.clear()
        with self.ctx.db.session() as s:
            if self.officer_mode.isChecked():
                rows = [(f"{o.last_name} {o.first_name} ({o.service_number})", o.id)
                        for o in s.scalars(select(Officer))]
            else:
                rows = [(f"{p.representative or '—'} – {p.name}", p.id)
                        for p in s.scalars(select(Partner).where(Partner.deleted_at.is_(None)))]
        for text, ident in sorted(rows, key=lambda r: polish_sort_key(r[0])):
            self.person.addItem(text, ident)

    def _selected(self) -> int | None:
        ident = self.person.currentData()
        return ident if isinstance(ident, int) else None

    def export(self, path: str | None = None) -> bool:
        ident = self._selected()
        if ident is None:
            return False
        if not path:
            path, _ = save_file_name(self, self.tr("Eksport danych osoby"),
                                     "dane-osoby.json",
                                     self.tr("JSON (*.json);;CSV (*.csv)"))
        if not path:
            return False
        try:
            data = (rodo.export_officer(self.ctx.db, ident) if self.officer_mode.isChecked()
                    else rodo.export_representative(self.ctx.db, ident))
            rodo.write_export(data, path)
        except (rodo.PersonNotFound, OSError) as exc:
            plain.message(self, plain.Icon.Warning, self.windowTitle(), str(exc))
            return False
        plain.message(self, plain.Icon.Information, self.windowTitle(),
                      self.tr("Zapisano dane osoby do pliku:\n{0}").format(path))
        return True

    def erase(self) -> bool:
        ident = self._selected()
        if ident is None:
            return False
        if not plain.ask(
                self, self.windowTitle(),
                self.tr("Nieodwracalnie usunąć dane osobowe: {0}?").format(
                    self.person.currentText())):
            return False
        try:
            if self.officer_mode.isChecked():
                result = rodo.erase_officer(self.ctx.db, ident)
                self.ctx.notify(Change.OFFICERS | Change.PLANS)
            else:
                result = rodo.erase_representative(self.ctx.db, ident)
                self.ctx.notify(Change.PARTNERS | Change.PLANS)
        except rodo.PersonNotFound as exc:
            plain.message(self, plain.Icon.Warning, self.windowTitle(), str(exc))
            return False
        self._fill()
        plain.message(self, plain.Icon.Information, self.windowTitle(), self.tr(
            "Zanonimizowano rekordy: {0}, wpisy dziennika zmian: {1}.").format(
                result.records, result.audit_entries))
        return True
