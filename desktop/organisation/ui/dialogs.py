"""Forms of the Organizacja tab: a unit, a gmina, a beat, the day a beat is retired from.

Each form checks through its service and shows the Polish problems under the fields; nothing
is saved until every field is right. ``saved_id`` holds the record's id after acceptance.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import GminaKind
from desktop.common.conflicts import ConflictError
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.conflict_dialog import ask_overwrite
from desktop.common.ui.fields import form_label, limit_lengths
from desktop.common.ui.i18n import tr_label
from desktop.common.ui.plain import plain_label
from desktop.organisation.beat_editor import BeatData, BeatEntry, create_beat, update_beat
from desktop.organisation.fields import BEAT_FIELDS, GMINA_FIELDS, UNIT_FIELDS
from desktop.organisation.units import (
    GminaData,
    GminaRow,
    OrganisationError,
    UnitData,
    UnitRow,
    list_gminas,
    list_units,
    save_gmina,
    save_unit,
)


class _Form(QDialog):
    """A form with a problems label and Zapisz/Anuluj; subclasses implement ``_save``."""

    def __init__(self, db: Database, title: str, parent: QWidget | None):
        super().__init__(parent)
        self._db = db
        self.saved_id: int | None = None
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = plain_label("", self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # names come from data
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, self.tr("Zapisz"), on_ok=self.save))

    def _line(self, label: str, value: str = "") -> QLineEdit:
        edit = QLineEdit(value, self)
        self.form.addRow(label, edit)
        return edit

    def _combo(self, label: str, items: Sequence[tuple[str, object]],
               current: object) -> QComboBox:
        combo = QComboBox(self)
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        self.form.addRow(label, combo)
        return combo

    def save(self) -> None:
        try:
            self.saved_id = self._save()
        except OrganisationError as exc:
            self.error.setText("\n".join(exc.problems.values()))
            return
        except ConflictError as exc:
            self.error.setText(str(exc))
            return
        self.accept()

    def _save(self) -> int:
        raise NotImplementedError

    def _write(self, action, version: int | None) -> None:
        """``action(expected_version)``; a change saved meanwhile elsewhere is shown (theirs
        against mine) and overwritten only when the user says so."""
        try:
            action(version)
        except ConflictError as exc:
            if exc.deleted or not ask_overwrite(exc, self):
                raise
            action(exc.current_version)


class UnitDialog(_Form):
    """Komenda (no parent), komisariat or posterunek (with a parent)."""

    def __init__(self, db: Database, row: UnitRow | None = None, parent: QWidget | None = None):
        super().__init__(db, self.tr("Jednostka") if row else self.tr("Nowa jednostka"), parent)
        self._id = row.id if row else None
        self._version = row.version if row else None
        d = row.data() if row else UnitData("", "")
        self.name = self._line(form_label(UNIT_FIELDS, "name", ":"), d.name)
        self.short_name = self._line(form_label(UNIT_FIELDS, "short_name", ":"), d.short_name)
        parents = [(self.tr("— brak (komenda) —"), None)] + [
            (u.short_name or u.name, u.id) for u in list_units(db) if u.id != self._id]
        self.parent_unit = self._combo(form_label(UNIT_FIELDS, "parent_id", ":"), parents,
                                       d.parent_id)
        self.address = self._line(form_label(UNIT_FIELDS, "address", ":"), d.address)
        self.phone = self._line(form_label(UNIT_FIELDS, "phone", ":"), d.phone)
        limit_lengths(UNIT_FIELDS, {"name": self.name, "short_name": self.short_name,
                                    "address": self.address, "phone": self.phone})

    def _save(self) -> int:
        data = UnitData(self.name.text(), self.short_name.text(), self.parent_unit.currentData(),
                        self.address.text(), self.phone.text())
        if self._id is None:
            return save_unit(self._db, None, data)
        self._write(lambda version: save_unit(self._db, self._id, data, version), self._version)
        return self._id


class GminaDialog(_Form):
    def __init__(self, db: Database, row: GminaRow | None = None,
                 parent: QWidget | None = None):
        super().__init__(db, self.tr("Gmina") if row else self.tr("Nowa gmina"), parent)
        self._id = row.id if row else None
        self._version = row.version if row else None
        d = row.data() if row else GminaData("", GminaKind.RURAL)
        self.teryt = self._line(form_label(GMINA_FIELDS, "teryt", ":"), d.teryt)
        self.teryt.setPlaceholderText(self.tr("7 cyfr, np. 3010011"))
        self.name = self._line(form_label(GMINA_FIELDS, "name", ":"), d.name)
        limit_lengths(GMINA_FIELDS, {"teryt": self.teryt, "name": self.name})
        self.kind = self._combo(form_label(GMINA_FIELDS, "kind", ":"),
                                [(tr_label(k), k) for k in GminaKind], d.kind)
        units = [(self.tr("— brak —"), None)] + [(u.short_name or u.name, u.id)
                                                  for u in list_units(db)]
        self.unit = self._combo(form_label(GMINA_FIELDS, "unit_id", ":"), units, d.unit_id)

    def _save(self) -> int:
        data = GminaData(self.name.text(), self.kind.currentData(), self.teryt.text(),
                         self.unit.currentData())
        if self._id is None:
            return save_gmina(self._db, None, data)
        self._write(lambda version: save_gmina(self._db, self._id, data, version), self._version)
        return self._id


class BeatDialog(_Form):
    """A new beat, or an existing one edited (renumbered, renamed, moved)."""

    def __init__(self, db: Database, row: BeatEntry | None = None,
                 parent: QWidget | None = None):
        super().__init__(db, self.tr("Rejon") if row else self.tr("Nowy rejon"), parent)
        self._row = row
        units = [(u.short_name or u.name, u.id) for u in list_units(db)]
        self.unit = self._combo(form_label(BEAT_FIELDS, "unit_id", ":"), units,
                                row.unit_id if row else None)
        self.number = self._line(form_label(BEAT_FIELDS, "number", ":"), row.number if row else "")
        self.name = self._line(form_label(BEAT_FIELDS, "name", ":"), row.name if row else "")
        limit_lengths(BEAT_FIELDS, {"number": self.number, "name": self.name})
        all_gminas = list_gminas(db)
        gminas = [(self.tr("— brak —"), None)] + [(g.name, g.id) for g in all_gminas]
        self.gmina = self._combo(form_label(BEAT_FIELDS, "gmina_id", ":"), gminas,
                                 row.gmina_id if row else None)
        self.other_gminas = QListWidget(self)
        self.other_gminas.setMaximumHeight(110)
        chosen = set(row.other_gmina_ids) if row else set()
        for g in all_gminas:
            item = QListWidgetItem(g.name, self.other_gminas)
            item.setData(Qt.ItemDataRole.UserRole, g.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if g.id in chosen
                               else Qt.CheckState.Unchecked)
        self.other_gminas.setToolTip(self.tr("Zaznacz gminy, które rejon obejmuje oprócz "
                                             "gminy głównej (ich partnerzy trafią do karty "
                                             "rejonu)."))
        self.form.addRow(form_label(BEAT_FIELDS, "other_gmina_ids", ":"), self.other_gminas)
        self.gmina.currentIndexChanged.connect(self._main_gmina_changed)
        self._main_gmina_changed()
        self.description = QPlainTextEdit(row.description if row else "", self)
        self.description.setMaximumHeight(90)
        self.form.addRow(form_label(BEAT_FIELDS, "description", ":"), self.description)

    def _main_gmina_changed(self) -> None:
        """The main gmina is not offered again among the further ones."""
        main = self.gmina.currentData()
        for i in range(self.other_gminas.count()):
            item = self.other_gminas.item(i)
            is_main = item.data(Qt.ItemDataRole.UserRole) == main
            flags = item.flags()
            item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled if is_main
                          else flags | Qt.ItemFlag.ItemIsEnabled)
            if is_main:
                item.setCheckState(Qt.CheckState.Unchecked)

    def checked_other_gminas(self) -> tuple[int, ...]:
        items = (self.other_gminas.item(i) for i in range(self.other_gminas.count()))
        return tuple(sorted(int(item.data(Qt.ItemDataRole.UserRole)) for item in items
                            if item.checkState() == Qt.CheckState.Checked))

    def data(self) -> BeatData:
        return BeatData(self.unit.currentData() or 0, self.number.text(), self.name.text(),
                        self.gmina.currentData(), self.description.toPlainText(),
                        self.checked_other_gminas())

    def _save(self) -> int:
        if self._row is None:
            return create_beat(self._db, self.data())
        try:
            update_beat(self._db, self._row.id, self.data(), self._row.version)
        except ConflictError as exc:
            if not ask_overwrite(exc, self):
                raise
            update_beat(self._db, self._row.id, self.data(), exc.current_version)
        return self._row.id


class RetireDialog(QDialog):
    """The first day without the beat."""

    def __init__(self, label: str, day: dt.date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Wycofanie rejonu"))
        text = plain_label(self.tr("Rejon {0} zniknie z bieżących wykazów i mapy od wybranego dnia; "
                              "jego historia (przydziały, zgłoszenia, plany) zostaje. Bieżące "
                              "przydziały skończą się dzień wcześniej.").format(label), self)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        self.date = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd.MM.yyyy")
        form = QFormLayout()
        form.addRow(self.tr("Wycofany od dnia:"), self.date)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self, self.tr("Wycofaj")))

    def day(self) -> dt.date:
        q = self.date.date()
        return dt.date(q.year(), q.month(), q.day())
