"""The diagnosis's report-status filter: a button "Statusy: 5 z 7" opening a checkable list
(the same choice as the map's status list). Starts at the documented default, which leaves out
"Niepotwierdzone" and "Żart lub pomyłka" (``diagnosis.DEFAULT_EXCLUDED_STATUSES``)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QToolButton, QWidgetAction

from desktop.threats.diagnosis import StatusChoice, default_statuses, statuses_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("threats", text)


class StatusPicker(QToolButton):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.choices: list[StatusChoice] = []
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.list = QListWidget(self)
        self.list.setAccessibleName(_tr("Statusy zgłoszeń"))
        self.list.itemChanged.connect(self._on_item_changed)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.list)
        menu.addAction(action)
        menu.addSeparator()
        menu.addAction(_tr("Domyślne (bez niepotwierdzonych i żartów)"), self.reset)
        menu.addAction(_tr("Wszystkie statusy"), lambda: self.set_selected(None))
        self.setMenu(menu)
        self._update_text()

    def set_choices(self, choices: list[StatusChoice]) -> None:
        """New dictionary: keeps the ticks of known statuses, new ones follow the default."""
        known = {c.id for c in self.choices}
        old = self.selected()
        default = default_statuses(choices)
        keep = {c.id for c in choices
                if (c.id in known and (old is None or c.id in old))
                or (c.id not in known and (default is None or c.id in default))}
        self.choices = list(choices)
        self._fill(keep)

    def reset(self) -> None:
        self.set_selected(default_statuses(self.choices))

    def set_selected(self, ids: tuple[int, ...] | None) -> None:
        self._fill({c.id for c in self.choices} if ids is None else set(ids))
        self.changed.emit()

    def selected(self) -> tuple[int, ...] | None:
        """Ticked ids, or None when every status is ticked."""
        ids = tuple(self.list.item(i).data(Qt.ItemDataRole.UserRole)
                    for i in range(self.list.count())
                    if self.list.item(i).checkState() == Qt.CheckState.Checked)
        return None if len(ids) == self.list.count() else ids

    def label(self) -> str:
        """The chosen statuses in words, printed on every output."""
        return statuses_label(self.choices, self.selected())

    def _fill(self, checked: set[int]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for c in self.choices:
            item = QListWidgetItem(c.name)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.id in checked
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setMinimumWidth(self.list.sizeHintForColumn(0) + 40)
        self.list.blockSignals(False)
        self._update_text()

    def _on_item_changed(self, _item) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        n = self.list.count()
        ticked = sum(1 for i in range(n)
                     if self.list.item(i).checkState() == Qt.CheckState.Checked)
        self.setText(_tr("&Statusy: {0} z {1}").format(ticked, n))
        self.setToolTip(_tr("Uwzględnione statusy: {0}").format(self.label()))
