"""List of priority action plans (for a unit, with its stations), with editing and prints."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.app.context import AppContext, Change
from desktop.common.document import Orientation, PagedDocument, PageDecor
from desktop.common.ui import background, plain
from desktop.common.ui.i18n import tr_label, translator
from desktop.common.ui.tables import Column, RowsTableModel, make_table
from desktop.threats.plans import delete_plan, list_plans, load_plan, measure, unit_choices
from desktop.threats.report_html import REPORT_CSS, plan_section_html, plans_list_html
from desktop.threats.ui.plan_dialog import PlanDialog

_tr = translator("threats")


class PlansPanel(QWidget):
    """Plans table; ``edit_requested`` opens PlanDialog (``dialog_factory`` lets tests drive
    the dialog without a modal loop)."""

    def __init__(self, ctx: AppContext, parent=None, dialog_factory=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.dialog_factory = dialog_factory or (lambda plan, beat_id: PlanDialog(
            self.db, plan, beat_id, self))
        self.unit_combo = QComboBox(self)
        self.unit_combo.addItem(_tr("Wszystkie jednostki"), None)
        self.model = RowsTableModel([
            Column(_tr("Jednostka"), lambda r: r.unit),
            Column(_tr("Nr"), lambda r: r.beat_number),
            Column(_tr("Rejon"), lambda r: r.beat_name),
            Column(_tr("Dzielnicowy"), lambda r: r.officer),
            Column(_tr("Zagrożenie"), lambda r: r.category),
            Column(_tr("Okres"), lambda r: f"{r.period_from:%Y-%m-%d}",
                   fmt=lambda v: dt.date.fromisoformat(v).strftime("%d.%m.%Y")),
            Column(_tr("Koniec"), lambda r: f"{r.period_to:%Y-%m-%d}",
                   fmt=lambda v: dt.date.fromisoformat(v).strftime("%d.%m.%Y")),
            Column(_tr("Działania"), lambda r: r.actions, True),
            Column(_tr("Ocena"), lambda r: tr_label(r.evaluation) if r.evaluation else
                   _tr("nie oceniono")),
            Column(_tr("Partnerzy"), lambda r: r.partners),
        ], parent=self)
        self.view, _ = make_table(self, self.model, sort_column=None)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.new_button = QPushButton(_tr("Nowy plan…"), self)
        self.edit_button = QPushButton(_tr("Edytuj…"), self)
        self.delete_button = QPushButton(_tr("Usuń"), self)
        self.print_plan_button = QPushButton(_tr("Drukuj plan…"), self)
        self.print_list_button = QPushButton(_tr("Drukuj listę planów…"), self)
        self.new_button.clicked.connect(self.new_plan)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.print_plan_button.clicked.connect(self.print_plan)
        self.print_list_button.clicked.connect(self.print_list)
        bar = QHBoxLayout()
        bar.addWidget(plain.plain_label(_tr("Jednostka:"), self))
        bar.addWidget(self.unit_combo, 1)
        for b in (self.new_button, self.edit_button, self.delete_button, self.print_plan_button,
                  self.print_list_button):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.unit_combo.currentIndexChanged.connect(self.reload)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        db = self.db
        # The units and the plans of all units: read in the window's start-up job (issue 14).
        background.load(self, lambda: (unit_choices(db), list_plans(db, unit_id=None)),
                        self._fill_first, name="plany")

    def _fill_first(self, read: tuple[list[tuple[int, str]], list]) -> None:
        units, plans = read
        blocked = self.unit_combo.blockSignals(True)
        try:
            for uid, name in units:
                self.unit_combo.addItem(name, uid)
        finally:
            self.unit_combo.blockSignals(blocked)
        self.model.set_rows(plans)
        self._update_buttons()

    def reload(self) -> None:
        self.model.set_rows(list_plans(self.db, unit_id=self.unit_combo.currentData()))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        for b in (self.edit_button, self.delete_button, self.print_plan_button):
            b.setEnabled(has)

    def selected(self):
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        proxy = self.view.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        source = proxy.mapToSource(rows[0])
        return self.model.row_object(source.row())

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)

    # -- editing --------------------------------------------------------------------------
    def _run_dialog(self, plan, beat_id=None) -> None:
        dialog = self.dialog_factory(plan, beat_id)
        if dialog.exec() and dialog.saved_id is not None:
            self.reload()
            self.ctx.notify(Change.PLANS)

    def new_plan(self) -> None:
        self._run_dialog(None)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._run_dialog(load_plan(self.db, row.id))

    def delete_selected(self, confirm: bool = True) -> None:
        row = self.selected()
        if row is None:
            return
        if confirm and not plain.ask(
                self, _tr("Usuń plan"),
                _tr("Usunąć plan dla rejonu {0} ({1})?").format(row.beat_name, row.category)):
            return
        delete_plan(self.db, row.id)
        self.reload()
        self.ctx.notify(Change.PLANS)

    # -- prints ---------------------------------------------------------------------------
    def _document(self, title: str, html: str, landscape: bool = False) -> PagedDocument:
        decor = PageDecor(_tr("KMP w Koninie – Razem dla bezpieczeństwa"), title,
                          _tr("Wygenerowano {0}").format(
                              dt.datetime.now().strftime("%d.%m.%Y %H:%M")),
                          Orientation.LANDSCAPE if landscape else Orientation.PORTRAIT)
        return PagedDocument(title, html, REPORT_CSS, decor)

    def list_document(self) -> PagedDocument:
        scope = self.unit_combo.currentText()
        return self._document(_tr("Plany działań priorytetowych"),
                              plans_list_html(self.model._rows, scope), landscape=True)

    def plan_document(self) -> PagedDocument | None:
        row = self.selected()
        if row is None:
            return None
        plan = load_plan(self.db, row.id)
        m = measure(self.db, plan.beat_id, plan.category_id, plan.period_from, plan.period_to)
        html = plan_section_html(plan, _tr("rejon {0} – {1}").format(row.beat_number,
                                                                      row.beat_name),
                                 row.officer, row.category, m)
        return self._document(_tr("Plan działania priorytetowego"), html)

    def _preview(self, document: PagedDocument | None) -> None:
        from desktop.printing.preview import make_preview_dialog

        if document is not None:
            make_preview_dialog(self, document).exec()

    def print_list(self) -> None:
        self._preview(self.list_document())

    def print_plan(self) -> None:
        self._preview(self.plan_document())



