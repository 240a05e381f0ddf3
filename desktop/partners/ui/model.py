"""Table model and filter of the partner register."""
from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from db.models import PartnerType, SignatureStatus
from desktop.common.text import matches
from desktop.common.ui.i18n import tr_label, translator
from desktop.common.ui.tables import SORT_ROLE, Column, RowsTableModel
from desktop.partners.fields import FIELDS_CONTEXT, SEARCHABLE, TABLE, display_value
from desktop.partners.service import PartnerRow

NO_SIGNATURE = "none"  # status filter value: partner not on the latest agreement


_tr = translator("partners")


def _column_value(name: str):
    return lambda r: display_value(r, name, tr_label)


def partner_columns() -> list[Column]:
    """The register's columns: the fields marked ``in_table`` in the field list."""
    return [Column(QCoreApplication.translate(FIELDS_CONTEXT, f.label), _column_value(f.name))
            for f in TABLE]


class PartnerTableModel(RowsTableModel):
    """Rows are ``PartnerRow``; removed partners (shown on request) are grey and italic."""

    def __init__(self, parent=None):
        super().__init__(partner_columns(), parent=parent)

    def rows(self) -> list[PartnerRow]:
        return [self.row_object(i) for i in range(self.rowCount())]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
                                        Qt.ItemDataRole.ToolTipRole):
            row: PartnerRow = self.row_object(index.row())
            if row.deleted_at is None:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#888888")
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                return font
            return _tr("Usunięty z rejestru {0}").format(row.deleted_at.strftime("%d.%m.%Y %H:%M"))
        return super().data(index, role)


class PartnerFilterModel(QSortFilterProxyModel):
    """Filters by type, gmina, signature status and a diacritics-insensitive search text;
    sorts in Polish alphabetical order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._type: PartnerType | None = None
        self._gmina_id: int | None = None
        self._status: SignatureStatus | str | None = None
        self._text = ""

    def set_filters(self, *, partner_type: PartnerType | None = None, gmina_id: int | None = None,
                    status: SignatureStatus | str | None = None, text: str = "") -> None:
        # Combo boxes hand back enum members as their plain string values.
        if partner_type is not None:
            partner_type = PartnerType(partner_type)
        if status is not None and status != NO_SIGNATURE:
            status = SignatureStatus(status)
        self.beginFilterChange()
        self._type, self._gmina_id, self._status, self._text = partner_type, gmina_id, status, text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _rows_model(self) -> PartnerTableModel:
        return cast(PartnerTableModel, self.sourceModel())

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        row: PartnerRow = self._rows_model().row_object(source_row)
        if self._type is not None and row.partner_type is not self._type:
            return False
        if self._gmina_id is not None and row.data.gmina_id != self._gmina_id:
            return False
        if self._status == NO_SIGNATURE:
            if row.signature_status is not None:
                return False
        elif self._status is not None and row.signature_status is not self._status:
            return False
        if self._text:
            return matches(self._text, *(display_value(row, name) for name in SEARCHABLE))
        return True

    def visible_rows(self) -> list[PartnerRow]:
        model = self._rows_model()
        return [model.row_object(self.mapToSource(self.index(i, 0)).row())
                for i in range(self.rowCount())]
