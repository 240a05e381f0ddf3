"""The "Partnerzy" tab: register with filters, search, counts per type, editing with undo."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database, explain_database_error
from db.models import PartnerType, SignatureStatus
from desktop.common.conflicts import ConflictError, VersionBook
from desktop.common.dbwrite import ATTEMPTS, DatabaseBusy, is_busy, write_with_retry
from desktop.common.ui import background, plain
from desktop.common.ui.column_fit import fit_columns
from desktop.common.ui.conflict_dialog import ask_overwrite
from desktop.common.ui.i18n import tr_label, translator
from desktop.partners import service
from desktop.partners.fields import TABLE
from desktop.partners.service import PartnerRow, PartnerValidationError, type_counts
from desktop.partners.ui.combo import add_none_item, current_value, find_value
from desktop.partners.ui.model import NO_SIGNATURE, PartnerFilterModel, PartnerTableModel
from desktop.partners.ui.partner_dialog import PartnerDialog
from desktop.partners.ui.undo import (
    AddPartnerCommand,
    EditPartnerCommand,
    RemovePartnerCommand,
    RestorePartnerCommand,
)

_tr = translator("partners")


def _read(db: Database, removed: bool) -> tuple:
    return service.list_gminas(db), service.list_partners(db, removed)


class PartnersTab(QWidget):
    """Partner register. ``changed`` is emitted after every saved change (for AppContext)."""

    changed = Signal()
    waiting = Signal(str)  # "Baza zajęta – czekam…" while a save waits for another writer; "" when done
    write_attempts = ATTEMPTS

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.undo_stack = QUndoStack(self)
        self.versions = VersionBook()  # partner versions this window last saw or wrote
        self._emitting = False
        self.model = PartnerTableModel(self)
        self.proxy = PartnerFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_tr("Szukaj (nazwa, przedstawiciel, miejscowość, e-mail…)"))
        self.search.setClearButtonEnabled(True)
        self.type_filter = QComboBox(self)
        add_none_item(self.type_filter, _tr("Wszystkie rodzaje"))
        for t in PartnerType:
            self.type_filter.addItem(tr_label(t), t)
        self.gmina_filter = QComboBox(self)
        self.status_filter = QComboBox(self)
        add_none_item(self.status_filter, _tr("Każdy status"))
        for st in SignatureStatus:
            self.status_filter.addItem(tr_label(st), st)
        self.status_filter.addItem(_tr("bez podpisu"), NO_SIGNATURE)
        self.show_removed = QCheckBox(_tr("Pokaż usuniętych"), self)

        self.view = QTableView(self)
        self.view.setTabKeyNavigation(False)  # Tab leaves the table (keyboard users)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # Long texts give up width so that the signature status (last) stays on screen.
        elastic = {"name", "partner_type", "gmina", "representative", "representative_function",
                   "email"}
        fit_columns(self.view, [i for i, f in enumerate(TABLE) if f.name in elastic])
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.counts = plain.plain_label(parent=self)
        self.counts.setWordWrap(True)
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.wait_label = plain.plain_label(parent=self)
        self.wait_label.setStyleSheet("color: #a06000;")
        self.wait_label.hide()

        self.add_button = QPushButton(_tr("Dodaj…"), self)
        self.edit_button = QPushButton(_tr("Edytuj…"), self)
        self.remove_button = QPushButton(_tr("Usuń"), self)
        self.restore_button = QPushButton(_tr("Przywróć"), self)
        self.agreements_button = QPushButton(_tr("Porozumienia…"), self)
        self.import_button = QPushButton(_tr("Import…"), self)
        self.export_button = QPushButton(_tr("Eksport…"), self)
        self.undo_action = self.undo_stack.createUndoAction(self, _tr("Cofnij"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.redo_action = self.undo_stack.createRedoAction(self, _tr("Ponów"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addActions([self.undo_action, self.redo_action])
        self.undo_button = QPushButton(_tr("Cofnij"), self)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_button.setEnabled(False)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.type_filter, 1)
        filters.addWidget(self.gmina_filter, 1)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.show_removed)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button, self.restore_button,
                  self.undo_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.agreements_button, self.import_button, self.export_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.counts)
        layout.addWidget(self.wait_label)
        layout.addLayout(buttons)

        self.search.textChanged.connect(self.apply_filters)
        for combo in (self.type_filter, self.gmina_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.show_removed.toggled.connect(lambda _on: self.reload())
        self.add_button.clicked.connect(self.add_partner)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.restore_button.clicked.connect(self.restore_selected)
        self.agreements_button.clicked.connect(self.open_agreements)
        self.import_button.clicked.connect(self.open_import)
        self.export_button.clicked.connect(self.export_register)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        db, removed = self.db, self.show_removed.isChecked()
        background.load(self, lambda: _read(db, removed), self._fill, name="partnerzy")

    # -- data ----------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        self._fill(_read(self.db, self.show_removed.isChecked()), select_id)

    def _fill(self, read: tuple, select_id: int | None = None) -> None:
        gminas, partners = read
        selected = select_id if select_id is not None else self._selected_id()
        gmina = current_value(self.gmina_filter)
        self.gmina_filter.blockSignals(True)
        self.gmina_filter.clear()
        add_none_item(self.gmina_filter, _tr("Wszystkie gminy"))
        for g in gminas:
            self.gmina_filter.addItem(g.name, g.id)
        self.gmina_filter.setCurrentIndex(max(0, find_value(self.gmina_filter, gmina)))
        self.gmina_filter.blockSignals(False)
        self.model.set_rows(partners)
        self.apply_filters()
        if selected is not None:
            self.select_partner(selected)
        self._update_buttons()

    def apply_filters(self) -> None:
        self.proxy.set_filters(partner_type=current_value(self.type_filter),
                               gmina_id=current_value(self.gmina_filter),
                               status=current_value(self.status_filter),
                               text=self.search.text())
        self._update_counts()

    def _update_counts(self) -> None:
        rows = [r for r in self.proxy.visible_rows() if r.deleted_at is None]
        parts = [_tr("Partnerów: {0}").format(len(rows))]
        parts += [f"{tr_label(t)}: {n}" for t, n in type_counts(rows).items()]
        self.counts.setText(" · ".join(parts))

    def _selected_row(self) -> PartnerRow | None:
        indexes = self.view.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.row_object(self.proxy.mapToSource(indexes[0]).row())

    def _selected_id(self) -> int | None:
        row = self._selected_row()
        return row.id if row else None

    def select_partner(self, partner_id: int) -> bool:
        for i in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(i, 0))
            if self.model.row_object(source.row()).id == partner_id:
                self.view.selectRow(i)
                self.view.scrollTo(self.proxy.index(i, 0))
                return True
        return False

    def _update_buttons(self) -> None:
        row = self._selected_row()
        active = row is not None and row.deleted_at is None
        self.edit_button.setEnabled(active)
        self.remove_button.setEnabled(active)
        self.restore_button.setEnabled(row is not None and row.deleted_at is not None)

    def _changed(self, partner_id: int) -> None:
        self.reload(partner_id)
        self._emit_changed()

    def _emit_changed(self) -> None:
        self._emitting = True
        try:
            self.changed.emit()
        finally:
            self._emitting = False

    def on_data_changed(self, _change: object = None) -> None:
        """Another part of the window changed partners (AppContext.subscribe)."""
        if not self._emitting:
            self.reload()

    def resolve_conflict(self, error: ConflictError) -> bool:
        """Someone else saved the partner meanwhile: ask (their changes / overwrite / cancel)."""
        busy = QApplication.overrideCursor() is not None  # a save in progress shows a wait cursor
        if busy:
            QApplication.restoreOverrideCursor()
        try:
            return ask_overwrite(error, self)
        finally:
            if busy:
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def _push(self, command) -> bool:
        """Commit first, then record: the command enters the undo history only after its
        change is in the database. A busy database is waited for visibly (busy cursor and
        "Baza zajęta – czekam…") a bounded number of times, then refused with a message."""
        command.on_error = self._command_failed
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_with_retry(command.apply, attempts=self.write_attempts,
                             on_wait=self._waiting_for_database)
        except (PartnerValidationError, service.PartnerNotFound, ConflictError,
                DatabaseBusy) as exc:
            self._show_wait("")
            QApplication.restoreOverrideCursor()
            plain.message(self, plain.Icon.Warning, _tr("Nie zapisano"), str(exc))
            return False
        except BaseException:
            self._show_wait("")
            QApplication.restoreOverrideCursor()
            raise
        self._show_wait("")
        QApplication.restoreOverrideCursor()
        if command.refused is not None:  # "Anuluj" in the conflict dialog: nothing written
            self.reload(command.partner_id)  # show their change
            return False
        self.undo_stack.push(command)
        return True

    def _waiting_for_database(self, attempt: int) -> None:
        self._show_wait(_tr("Baza zajęta – czekam… (próba {0} z {1})")
                        .format(attempt + 1, self.write_attempts))

    def _show_wait(self, text: str) -> None:
        self.wait_label.setText(text)
        self.wait_label.setVisible(bool(text))
        self.waiting.emit(text)
        window = self.window()
        if isinstance(window, QMainWindow):
            if text:
                window.statusBar().showMessage(text)
            else:
                window.statusBar().clearMessage()
        QApplication.processEvents()  # the UI thread is about to wait again: paint it now

    def _command_failed(self, exc: Exception) -> None:
        message = DatabaseBusy().args[0] if is_busy(exc) else str(exc)
        if isinstance(exc, SQLAlchemyError) and not is_busy(exc):
            message = explain_database_error(exc)
        plain.message(self, plain.Icon.Warning, _tr("Nie cofnięto ani nie ponowiono zmiany"),
                      message)
        self.reload()

    # -- actions -------------------------------------------------------------------------
    def add_partner(self) -> None:
        dialog = PartnerDialog(self.db, parent=self)
        if dialog.exec() == PartnerDialog.DialogCode.Accepted:
            self._push(AddPartnerCommand(self.db, self._changed, dialog.data(), self.versions,
                                         self.resolve_conflict))

    def edit_selected(self) -> None:
        row = self._selected_row()
        if row is None or row.deleted_at is not None:
            return
        dialog = PartnerDialog(self.db, row.data, row.id, parent=self)
        if dialog.exec() == PartnerDialog.DialogCode.Accepted and dialog.data() != row.data:
            self._push(EditPartnerCommand(self.db, self._changed, row.id, row.data,
                                          dialog.data(), self.versions, self.resolve_conflict,
                                          row.version))

    def remove_selected(self) -> None:
        row = self._selected_row()
        if row is not None and row.deleted_at is None:
            self._push(RemovePartnerCommand(self.db, self._changed, row.id, row.name,
                                            self.versions, self.resolve_conflict, row.version))

    def restore_selected(self) -> None:
        row = self._selected_row()
        if row is not None and row.deleted_at is not None:
            self._push(RestorePartnerCommand(self.db, self._changed, row.id, row.name,
                                             self.versions, self.resolve_conflict, row.version))

    def open_agreements(self) -> None:
        from desktop.partners.ui.agreements_dialog import AgreementsDialog

        AgreementsDialog(self.db, self).exec()
        self.reload()
        self._emit_changed()

    def open_import(self) -> None:
        from desktop.organisation.ui.sample_guard import confirm_import_into_sample

        if not confirm_import_into_sample(self.db, self):
            return
        from desktop.partners.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.db, self)
        if dialog.exec() == ImportDialog.DialogCode.Accepted:
            self.undo_stack.clear()  # an import is not undoable step by step
            self.reload()
            self._emit_changed()

    def export_register(self) -> None:
        from desktop.partners.ui.exchange_actions import choose_rows, export_with_dialog

        # The search and the filters narrow the table: say so and ask what to export.
        visible = [r for r in self.proxy.visible_rows() if r.deleted_at is None]
        rows = choose_rows(self, visible, service.list_partners(self.db))
        if rows is not None:
            export_with_dialog(self, rows)

    def keyPressEvent(self, event) -> None:
        # The actions' shortcuts need an active window; key presses that reach the tab
        # unhandled (e.g. from the table) are mapped here as well.
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_stack.undo()
        elif event.matches(QKeySequence.StandardKey.Redo):
            self.undo_stack.redo()
        elif event.key() == Qt.Key.Key_Delete and self.remove_button.isEnabled():
            self.remove_selected()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _latest_report(self):
        from desktop.partners.agreements import AgreementError
        from desktop.partners.report import build_report

        try:
            return build_report(self.db)
        except AgreementError as exc:
            plain.message(self, plain.Icon.Information, _tr("Porozumienia"), str(exc))
            return None

    def print_current(self) -> None:
        """Ctrl+P: the list of signatories of the latest agreement (print preview)."""
        self.preview_agreement_list()

    def focus_search(self) -> None:
        """Ctrl+F: the search field."""
        self.search.setFocus()
        self.search.selectAll()

    def preview_agreement_list(self) -> None:
        from desktop.printing.preview import make_preview_dialog

        report = self._latest_report()
        if report is not None:
            make_preview_dialog(self, report.document).exec()

    def save_agreement_list_pdf(self) -> None:
        from desktop.printing.preview import save_pdf_with_dialog

        report = self._latest_report()
        if report is not None:
            save_pdf_with_dialog(self, report.document, report.file_name)

    def menu_actions(self) -> list[QAction]:
        """Shown in the window's Plik menu (the list of the most recent agreement)."""
        preview = QAction(_tr("Lista sygnatariuszy porozumienia – podgląd wydruku…"), self)
        preview.triggered.connect(self.preview_agreement_list)
        pdf = QAction(_tr("Lista sygnatariuszy porozumienia – zapisz jako PDF…"), self)
        pdf.triggered.connect(self.save_agreement_list_pdf)
        agreements = QAction(_tr("Porozumienia i podpisy…"), self)
        agreements.triggered.connect(self.open_agreements)
        return [preview, pdf, agreements]
