"""Filter widgets beside the map: categories, statuses, date range, unit and beat."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.common.ui import plain
from desktop.common.ui.dates import to_date
from desktop.map.data import BeatChoice, Choice, MapData, ReportFilter

DEBOUNCE_MS = 150
_ACTIVE_ROLE = Qt.ItemDataRole.UserRole + 1


class CheckList(QWidget):
    """A list of checkable dictionary entries with "all" / "none" buttons."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.setAccessibleName(title)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        all_button = QPushButton(self.tr("Wszystkie"), self)
        none_button = QPushButton(self.tr("Żadne"), self)
        all_button.clicked.connect(lambda: self.set_all(True))
        none_button.clicked.connect(lambda: self.set_all(False))
        buttons = QHBoxLayout()
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        box = QGroupBox(title, self)
        inner = QVBoxLayout(box)
        inner.addWidget(self.list)
        inner.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)

    def set_choices(self, choices: list[Choice]) -> None:
        """Keep what the user ticked; an entry new to the list, or just retired or restored,
        is ticked unless retired."""
        known = {self.list.item(i).data(Qt.ItemDataRole.UserRole):
                 (self.list.item(i).checkState() == Qt.CheckState.Checked,
                  self.list.item(i).data(_ACTIVE_ROLE))
                 for i in range(self.list.count())}
        self.list.blockSignals(True)
        self.list.clear()
        for choice in choices:
            label = choice.name if choice.active else self.tr("{0} (wycofane)").format(choice.name)
            item = QListWidgetItem(label)
            item.setToolTip(plain.plain_tooltip(label))
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setData(_ACTIVE_ROLE, choice.active)
            was_checked, was_active = known.get(choice.id, (choice.active, choice.active))
            checked = was_checked if was_active == choice.active else choice.active
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def set_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            self.list.item(i).setCheckState(state)
        self.list.blockSignals(False)
        self.changed.emit()

    def selected(self) -> tuple[int, ...] | None:
        """Checked ids, or None when everything is checked (no restriction)."""
        items = [self.list.item(i) for i in range(self.list.count())]
        ids = tuple(it.data(Qt.ItemDataRole.UserRole) for it in items
                    if it.checkState() == Qt.CheckState.Checked)
        return None if len(ids) == len(items) else ids


class FilterPanel(QWidget):
    """Emits ``filterChanged(ReportFilter)`` (debounced) and ``colourModeChanged(str)``."""

    filterChanged = Signal(object)
    colourModeChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._beats: list[BeatChoice] = []
        self.categories = CheckList(self.tr("Kategorie zagrożeń"), self)
        self.statuses = CheckList(self.tr("Statusy"), self)
        self.use_dates = QCheckBox(self.tr("Tylko zgłoszenia z okresu"), self)
        self.date_from = QDateEdit(self)
        self.date_to = QDateEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd.MM.yyyy")
            edit.setEnabled(False)
        self.date_from.setDate(QDate(2018, 1, 1))
        self.date_to.setDate(QDate(2018, 12, 31))
        self.unit = QComboBox(self)
        self.beat = QComboBox(self)
        self.colour = QComboBox(self)
        self.colour.addItem(self.tr("jednostki"), "unit")
        self.colour.addItem(self.tr("gminy"), "gmina")
        self.summary = plain.plain_label(parent=self)
        self.setMinimumWidth(300)
        self.summary.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.use_dates)
        form.addRow(self.tr("Od:"), self.date_from)
        form.addRow(self.tr("Do:"), self.date_to)
        form.addRow(self.tr("Jednostka:"), self.unit)
        form.addRow(self.tr("Rejon:"), self.beat)
        form.addRow(self.tr("Kolor rejonów wg:"), self.colour)
        layout = QVBoxLayout(self)
        layout.addWidget(self.categories, 3)
        layout.addWidget(self.statuses, 2)
        layout.addLayout(form)
        layout.addWidget(self.summary)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.filterChanged.emit(self.current()))
        self.categories.changed.connect(self._timer.start)
        self.statuses.changed.connect(self._timer.start)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.use_dates.toggled.connect(self._timer.start)
        self.date_from.dateChanged.connect(self._timer.start)
        self.date_to.dateChanged.connect(self._timer.start)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self.beat.currentIndexChanged.connect(self._timer.start)
        self.colour.currentIndexChanged.connect(
            lambda: self.colourModeChanged.emit(self.colour.currentData()))

    def set_colour_mode(self, mode: str) -> None:
        index = self.colour.findData(mode)
        if index >= 0:
            self.colour.blockSignals(True)
            self.colour.setCurrentIndex(index)
            self.colour.blockSignals(False)

    def set_choices(self, data: MapData) -> None:
        """Fill the lists from freshly loaded map data, keeping what the user picked."""
        self.categories.set_choices(data.categories)
        self.statuses.set_choices(data.statuses)
        self._beats = data.beats
        unit_id = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(self.tr("wszystkie"), None)
        for unit in data.units:
            self.unit.addItem(unit.name, unit.id)
        self.unit.setCurrentIndex(max(0, self.unit.findData(unit_id)))
        self.unit.blockSignals(False)
        self._fill_beats()

    def _fill_beats(self) -> None:
        beat_id = self.beat.currentData()
        unit_id = self.unit.currentData()
        self.beat.blockSignals(True)
        self.beat.clear()
        self.beat.addItem(self.tr("wszystkie"), None)
        for beat in self._beats:
            if unit_id is None or beat.unit_id == unit_id:
                self.beat.addItem(beat.label, beat.id)
        self.beat.setCurrentIndex(max(0, self.beat.findData(beat_id)))
        self.beat.blockSignals(False)

    def _unit_changed(self) -> None:
        self._fill_beats()
        self._timer.start()

    def current(self) -> ReportFilter:
        dates = self.use_dates.isChecked()
        return ReportFilter(
            categories=self.categories.selected(),
            statuses=self.statuses.selected(),
            date_from=to_date(self.date_from.date()) if dates else None,
            date_to=to_date(self.date_to.date()) if dates else None,
            unit_id=self.unit.currentData(),
            beat_id=self.beat.currentData(),
        )

    def show_result(self, result: dict) -> None:
        shown, total = result.get("shown"), result.get("total")
        if isinstance(shown, int) and isinstance(total, int):
            self.summary.setText(self.tr("Na mapie: {0} z {1} zgłoszeń").format(shown, total))



def beside_filters(owner: QWidget, filters: FilterPanel, main: QWidget,
                   above: QHBoxLayout | None = None, below: QWidget | None = None) -> None:
    """Lay out a tab as the map does: the filter panel on the left of a splitter the user can
    drag, ``main`` on the right taking the spare height, with a row ``above`` and a widget
    ``below`` it when given."""
    right = QWidget(owner)
    right_layout = QVBoxLayout(right)
    right_layout.setContentsMargins(0, 0, 0, 0)
    if above is not None:
        right_layout.addLayout(above)
    right_layout.addWidget(main, 1)
    if below is not None:
        right_layout.addWidget(below)
    splitter = QSplitter(owner)
    splitter.addWidget(filters)
    splitter.addWidget(right)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([280, 900])
    layout = QHBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
