"""Agreements window: the agreements, their data, signatures and the printed list."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.common.conflicts import ConflictError, VersionBook
from desktop.common.ui import plain
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.column_fit import fit_columns
from desktop.common.ui.conflict_dialog import ask_overwrite
from desktop.common.ui.fields import add_form_rows, table_columns
from desktop.common.ui.i18n import translator
from desktop.common.ui.tables import Column, RowsTableModel
from desktop.partners import agreements as svc
from desktop.partners.agreement_fields import AGREEMENT_FIELDS, SIGNATURE_FIELDS
from desktop.partners.agreements import AgreementData, AgreementError
from desktop.partners.report import build_report
from desktop.partners.service import list_partners
from desktop.partners.ui.agreement_undo import (
    DeleteSignatureCommand,
    SaveAgreementCommand,
    SaveSignatureCommand,
)
from desktop.partners.ui.combo import add_none_item, current_value, find_value, item_value
from desktop.partners.ui.signature_dialog import OptionalDate, SignatureDialog
from desktop.printing.preview import make_preview_dialog, save_pdf_with_dialog

_tr = translator("partners")


def signature_columns() -> list[Column]:
    """The signatures table: the signature's field list (``agreement_fields``)."""
    return table_columns(
        SIGNATURE_FIELDS, fmt={"signed_on": lambda v: v.strftime("%d.%m.%Y")},
        value={"partner_id": lambda r: r.partner_name
               + (_tr(" (usunięty z rejestru)") if r.partner_removed else "")})


class AgreementsDialog(QDialog):
    """All agreements; the selected one's data, signatures and its agreement list."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(_tr("Porozumienia"))
        self.resize(1150, 700)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.new_button = QPushButton(_tr("Nowe porozumienie"), self)
        self.delete_button = QPushButton(_tr("Usuń porozumienie"), self)
        self.edition_button = QPushButton(_tr("Nowa edycja…"), self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.new_button)
        left_layout.addWidget(self.delete_button)
        left_layout.addWidget(self.edition_button)

        self.fields = {k: QLineEdit(self) for k in ("title", "number", "place",
                                                     "police_coordinator",
                                                     "partners_coordinator")}
        self.subject = QPlainTextEdit(self)
        self.subject.setFixedHeight(50)
        self.dates = {k: OptionalDate(self) for k in ("signed_on", "valid_from", "valid_to")}
        self.unit = QComboBox(self)
        add_none_item(self.unit, _tr("(brak)"))
        for unit_id, name in svc.list_units(db):
            self.unit.addItem(name, unit_id)
        self.edition = QSpinBox(self)  # the programme's edition (year); the minimum = none
        self.edition.setRange(1999, 2100)
        self.edition.setSpecialValueText(_tr("(bez edycji)"))
        form = QFormLayout()  # labels, order and length limits from the field list
        add_form_rows(form, AGREEMENT_FIELDS, {**self.fields, **self.dates, "unit_id": self.unit,
                                               "subject": self.subject,
                                               "edition_year": self.edition})
        self.save_button = QPushButton(_tr("Zapisz dane porozumienia"), self)

        self.signatures = RowsTableModel(signature_columns(), parent=self)
        self.table = QTableView(self)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
        self.table.setModel(self.signatures)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.table, [0, 2, 3])  # names give way: Status and Data stay visible
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.doubleClicked.connect(lambda _i: self.edit_signature())
        self.add_sig = QPushButton(_tr("Dodaj podpis…"), self)
        self.edit_sig = QPushButton(_tr("Edytuj podpis…"), self)
        self.remove_sig = QPushButton(_tr("Usuń podpis"), self)
        self.preview_button = QPushButton(_tr("Podgląd wydruku…"), self)
        self.pdf_button = QPushButton(_tr("Zapisz listę jako PDF…"), self)
        self.undo_stack = QUndoStack(self)
        self.versions = VersionBook()  # versions this window last saw or wrote
        self.loaded: svc.AgreementRow | None = None  # what the form shows (and its version)
        self.undo_button = QPushButton(_tr("Cofnij"), self)
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        sig_buttons = QHBoxLayout()
        for b in (self.add_sig, self.edit_sig, self.remove_sig, self.undo_button):
            sig_buttons.addWidget(b)
        sig_buttons.addStretch(1)
        sig_buttons.addWidget(self.preview_button)
        sig_buttons.addWidget(self.pdf_button)
        self.export_button = QPushButton(_tr("Eksport sygnatariuszy…"), self)
        self.export_button.setToolTip(_tr("Sygnatariusze z datami podpisania do CSV lub XLSX"))
        sig_buttons.addWidget(self.export_button)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        right_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        right_layout.addWidget(self.table, 1)
        right_layout.addLayout(sig_buttons)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([260, 890])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.list.currentItemChanged.connect(lambda *_: self.show_current())
        self.new_button.clicked.connect(self.new_agreement)
        self.edition_button.clicked.connect(self.new_edition)
        self.delete_button.clicked.connect(self.delete_agreement)
        self.save_button.clicked.connect(self.save)
        self.add_sig.clicked.connect(self.add_signature)
        self.edit_sig.clicked.connect(self.edit_signature)
        self.remove_sig.clicked.connect(self.remove_signature)
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.export_button.clicked.connect(lambda: self.export_signatories())
        self.reload()
        add_access_keys(self)  # Alt+letter for every button

    # -- agreements ----------------------------------------------------------------------
    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def reload(self, select_id: int | None = None) -> None:
        select_id = select_id if select_id is not None else self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        for row in svc.list_agreements(self.db):
            item = QListWidgetItem(row.caption)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setToolTip(_tr("podpisane: {0}, zaproszeni: {1}, wycofani: {2}")
                            .format(row.signed, row.invited, row.withdrawn))
            self.list.addItem(item)
            if row.id == select_id:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self.show_current()

    def show_current(self) -> None:
        agreement_id = self.current_id()
        has = agreement_id is not None
        for w in (self.delete_button, self.add_sig, self.edit_sig, self.remove_sig,
                  self.preview_button, self.pdf_button):
            w.setEnabled(has)
        if agreement_id is None:
            self.set_form(AgreementData(title=""))
            self.signatures.set_rows([])
            return
        self.loaded = svc.get_agreement(self.db, agreement_id)
        self.set_form(self.loaded.data)
        self.signatures.set_rows(svc.list_signatures(self.db, agreement_id))

    def set_form(self, d: AgreementData) -> None:
        for key, edit in self.fields.items():
            edit.setText(getattr(d, key))
        for key, widget in self.dates.items():
            widget.set_value(getattr(d, key))
        self.unit.setCurrentIndex(max(0, find_value(self.unit, d.unit_id)))
        self.subject.setPlainText(d.subject)
        self.edition.setValue(d.edition_year or self.edition.minimum())

    def form_data(self) -> AgreementData:
        values: dict[str, Any] = {k: e.text().strip() for k, e in self.fields.items()}
        values.update({k: w.value() for k, w in self.dates.items()})
        edition = self.edition.value()
        return AgreementData(unit_id=current_value(self.unit),
                             subject=self.subject.toPlainText().strip(),
                             edition_year=None if edition == self.edition.minimum() else edition,
                             **values)

    def _error(self, exc: Exception) -> None:
        plain.message(self, plain.Icon.Warning, _tr("Nie zapisano"), str(exc))

    def resolve_conflict(self, error: ConflictError) -> bool:
        """Someone else saved meanwhile: ask (their changes / overwrite / cancel)."""
        return ask_overwrite(error, self)

    def _push(self, command) -> None:
        try:
            self.undo_stack.push(command)
        except (AgreementError, ConflictError) as exc:
            self._error(exc)

    def save(self) -> None:
        data, agreement_id = self.form_data(), self.current_id()
        try:
            svc.check_agreement(data)
        except AgreementError as exc:
            self._error(exc)
            return
        if agreement_id is None:
            self.reload(svc.save_agreement(self.db, data))
            return
        loaded = self.loaded if self.loaded and self.loaded.id == agreement_id else \
            svc.get_agreement(self.db, agreement_id)
        if loaded.data != data:  # checked against the version the form was filled from
            self._push(SaveAgreementCommand(self.db, self.reload, agreement_id, loaded.data,
                                            data, self.versions, self.resolve_conflict,
                                            loaded.version))

    def new_agreement(self) -> None:
        data = AgreementData(title=_tr("Nowe porozumienie"), unit_id=item_value(self.unit, 1))
        self.reload(svc.save_agreement(self.db, data))
        self.fields["title"].setFocus()
        self.fields["title"].selectAll()

    def new_edition(self) -> None:
        """Start the next year's edition with the selected agreement's partners invited."""
        from desktop.partners.editions import summary_text
        from desktop.partners.ui.edition_dialog import EditionDialog

        dialog = EditionDialog(self.db, self.current_id(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_edition is not None:
            self.reload(dialog.result_edition.agreement_id)
            plain.message(self, plain.Icon.Information, _tr("Nowa edycja programu"),
                          summary_text(dialog.result_edition))

    def delete_agreement(self) -> None:
        agreement_id = self.current_id()
        if agreement_id is None:
            return
        if plain.ask(
            self, _tr("Usunąć porozumienie?"),
            _tr("Usunąć porozumienie „{0}” wraz z jego podpisami? Partnerzy pozostaną w "
                "rejestrze.").format(self.list.currentItem().text())):
            expected = self.loaded.version if self.loaded and self.loaded.id == agreement_id \
                else None
            try:
                svc.delete_agreement(self.db, agreement_id, expected)
            except ConflictError as exc:
                if not self.resolve_conflict(exc):
                    self.reload()
                    return
                svc.delete_agreement(self.db, agreement_id)
            self.undo_stack.clear()  # the commands refer to the deleted agreement
            # Qt accepts None (clears the current item); the stubs lack that overload.
            self.list.setCurrentItem(None)  # type: ignore[call-overload]
            self.reload()

    # -- signatures ----------------------------------------------------------------------
    def _selected_signature(self):
        rows = self.table.selectionModel().selectedRows()
        return self.signatures.row_object(rows[0].row()) if rows else None

    def add_signature(self) -> None:
        agreement_id = self.current_id()
        if agreement_id is None:
            return
        taken = {r.data.partner_id for r in svc.list_signatures(self.db, agreement_id)}
        free = [p for p in list_partners(self.db) if p.id not in taken]
        if not free:
            plain.message(self, plain.Icon.Information, _tr("Porozumienia"),
                          _tr("Wszyscy partnerzy z rejestru są już stronami."))
            return
        dialog = SignatureDialog(free, parent=self,
                                 agreement_signed_on=self._agreement_signed_on())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._save_signature(dialog.data(), None)

    def edit_signature(self) -> None:
        row = self._selected_signature()
        if row is None:
            return
        partner = [p for p in list_partners(self.db, include_deleted=True)
                   if p.id == row.data.partner_id]
        dialog = SignatureDialog(partner, row.data, parent=self,
                                 agreement_signed_on=self._agreement_signed_on())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._save_signature(dialog.data(), row)

    def _agreement_signed_on(self):
        """The saved agreement's date of conclusion (signatures may not be earlier)."""
        agreement_id = self.current_id()
        if agreement_id is None:
            return None
        try:
            return svc.get_agreement(self.db, agreement_id).data.signed_on
        except AgreementError:
            return None

    def _save_signature(self, data, row) -> None:
        try:
            svc.check_signature(data, self._agreement_signed_on())
        except AgreementError as exc:
            self._error(exc)
            return
        agreement_id = self.current_id()
        if agreement_id is None:
            return
        self._push(SaveSignatureCommand(self.db, self.reload, agreement_id,
                                        row.id if row else None, row.data if row else None,
                                        data, self.versions, self.resolve_conflict,
                                        row.version if row else None))

    def remove_signature(self) -> None:
        row = self._selected_signature()
        agreement_id = self.current_id()
        if row is not None and agreement_id is not None:
            self._push(DeleteSignatureCommand(self.db, self.reload, agreement_id, row.id,
                                              row.data, self.versions, self.resolve_conflict,
                                              row.version))

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_stack.undo()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.undo_stack.redo()
        else:
            super().keyPressEvent(event)

    # -- printing ------------------------------------------------------------------------
    def preview(self) -> None:
        report = build_report(self.db, self.current_id())
        make_preview_dialog(self, report.document).exec()

    def export_signatories(self, path: str | None = None) -> str | None:
        """The signatories with their dates to XLSX or CSV (by the chosen file's type)."""
        from desktop.common.ui.file_dialogs import save_file_name
        from desktop.partners.signatories import export_signatories

        agreement_id = self.current_id()
        if agreement_id is None:
            return None
        if not path:
            xlsx, csv_filter = _tr("Skoroszyt Excel (*.xlsx)"), _tr("CSV dla Excela (*.csv)")
            path, chosen = save_file_name(self, _tr("Eksport sygnatariuszy"),
                                          "sygnatariusze.xlsx", f"{xlsx};;{csv_filter}")
            if not path:
                return None
            if chosen == xlsx and not path.lower().endswith(".xlsx"):
                path += ".xlsx"
        if not path.lower().endswith((".xlsx", ".csv")):
            path += ".csv"
        try:
            export_signatories(self.db, agreement_id, path)
        except OSError as exc:
            plain.message(self, QMessageBox.Icon.Critical, _tr("Nie zapisano"),
                          _tr("Nie udało się zapisać pliku {0}:\n{1}").format(path, exc))
            return None
        return path

    def save_pdf(self) -> None:
        report = build_report(self.db, self.current_id())
        save_pdf_with_dialog(self, report.document, report.file_name)
