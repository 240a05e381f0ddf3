"""Read-only tables of real data, shown in a tab until its own capability replaces it."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from db.engine import Database
from db.services import overview
from desktop.app.i18n import tr_label
from desktop.app.table_model import SORT_ROLE, Column, RowsTableModel


def _tr(text: str) -> str:
    return QCoreApplication.translate("overview", text)


class ReadOnlyTableTab(QWidget):
    """A caption and a sortable table; rows come from a service function."""

    def __init__(self, caption: str, columns: list[Column], load, parent=None):
        super().__init__(parent)
        self._load = load
        self.model = RowsTableModel(columns, parent=self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SORT_ROLE)
        self.view = QTableView(self)
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.caption = QLabel(caption, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.view)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self._load())


def beats_tab(db: Database) -> QWidget:
    cols = [
        Column(_tr("Jednostka"), lambda r: r.unit),
        Column(_tr("Nr"), lambda r: r.number),
        Column(_tr("Rejon"), lambda r: r.name),
        Column(_tr("Gmina"), lambda r: r.gmina),
        Column(_tr("Dzielnicowy"), lambda r: r.beat_officer),
        Column(_tr("Policjant ruchu drogowego"), lambda r: r.traffic_officer),
        Column(_tr("Powierzchnia [km²]"), lambda r: r.area_km2, True,
               lambda v: f"{v:.2f}".replace(".", ",")),
        Column(_tr("Zgłoszenia KMZB"), lambda r: r.reports, True),
    ]
    return ReadOnlyTableTab(_tr("Rejony służbowe z bieżącym dzielnicowym i policjantem ruchu "
                                "drogowego."), cols, lambda: overview.beat_rows(db))


def partners_tab(db: Database) -> QWidget:
    cols = [
        Column(_tr("Partner"), lambda r: r.name),
        Column(_tr("Rodzaj"), lambda r: tr_label(r.partner_type)),
        Column(_tr("Gmina"), lambda r: r.gmina),
        Column(_tr("Przedstawiciel"), lambda r: r.representative),
        Column(_tr("Funkcja"), lambda r: r.function),
        Column(_tr("Telefon"), lambda r: r.phone),
        Column(_tr("E-mail"), lambda r: r.email),
        Column(_tr("Porozumienie"), lambda r: tr_label(r.signature_status)),
    ]
    return ReadOnlyTableTab(_tr("Partnerzy programu „Razem dla bezpieczeństwa”."), cols,
                            lambda: overview.partner_rows(db))


def reports_tab(db: Database) -> QWidget:
    cols = [
        Column(_tr("Data zgłoszenia"), lambda r: r.reported_at,
               fmt=lambda v: v.strftime("%d.%m.%Y %H:%M")),
        Column(_tr("Kategoria"), lambda r: r.category),
        Column(_tr("Status"), lambda r: r.status),
        Column(_tr("Rejon"), lambda r: r.beat),
        Column(_tr("Szer. geogr."), lambda r: r.lat, True, lambda v: f"{v:.5f}"),
        Column(_tr("Dł. geogr."), lambda r: r.lon, True, lambda v: f"{v:.5f}"),
    ]
    total = overview.count_reports(db)
    return ReadOnlyTableTab(
        _tr("Najnowsze zgłoszenia KMZB (500 z {0}); mapa pojawi się w tej zakładce.")
        .format(total), cols, lambda: overview.latest_reports(db))
