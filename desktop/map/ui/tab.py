"""The Mapa tab: filters on the left, the map on the right, linked to the other tabs."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from desktop.app.context import AppContext, Change
from desktop.common.ui import plain
from desktop.map.data import ReportFilter, report_point
from desktop.map.settings import MapSettings, load_settings, save_settings
from desktop.map.tiles import MBTilesError, read_info
from desktop.map.ui import early
from desktop.map.ui.early import translated_page_texts as translated_page_texts
from desktop.map.ui.filters import FilterPanel, beside_filters
from desktop.map.ui.settings_dialog import SETTINGS_KEY
from desktop.map.ui.view import MapView

if TYPE_CHECKING:  # printing (numpy) is imported when a map is printed, not with the tab
    from desktop.map.printmap import MapPrintOptions

REBUILD_TOPICS = Change.BEATS | Change.OFFICERS | Change.REPORTS | Change.DICTIONARIES


class MapTab(QWidget):
    """Owns the map view and the filter panel; talks to other tabs only through the context.

    ``firstShown`` is emitted once, when the first map is drawn (or could not be built): the
    window builds its other tabs only then, so they do not compete with the map for the
    processor at start-up (issue 14)."""

    firstShown = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.settings: MapSettings = load_settings()
        self.filters = FilterPanel(self)
        self.filters.set_colour_mode(self.settings.colour_by)
        # The view made at start-up with its page already loading (desktop.map.ui.early)
        self.map = early.take(ctx.parent(), ctx.db) or MapView(ctx.db, self)
        self.status = plain.plain_label(self.tr("Wczytywanie mapy…"), self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.print_button = QPushButton(self.tr("&Drukuj mapę…"), self)
        self.print_button.setToolTip(self.tr("Obecny widok mapy z legendą, podziałką i "
                                             "źródłami – podgląd wydruku lub PDF (A4/A3)"))
        self.print_button.clicked.connect(self.print_map)
        below = QWidget(self)
        below_row = QHBoxLayout(below)
        below_row.setContentsMargins(0, 0, 0, 0)
        below_row.addWidget(self.status, 1)
        below_row.addWidget(self.print_button)
        beside_filters(self, self.filters, self.map, below=below)

        self._echo: int | None = None  # the beat this tab itself just announced
        self.filters.filterChanged.connect(self.apply_filter)
        self.filters.colourModeChanged.connect(self._colour_mode)
        self.map.bridge.beatChosen.connect(self._beat_clicked)
        self.map.bridge.filterResult.connect(self.filters.show_result)
        self.map.bridge.filterResult.connect(self._show_counts)
        self.map.mapReady.connect(self._ready)
        self.map.buildFailed.connect(self._failed)
        self._first_shown = False
        self.map.mapReady.connect(self._announce_first)
        self.map.buildFailed.connect(self._announce_first)
        self.map.dataLoaded.connect(self.filters.set_choices)
        ctx.beatSelected.connect(self._beat_selected_elsewhere)
        ctx.reportSelected.connect(self.show_report)
        ctx.subscribe(REBUILD_TOPICS, self._data_changed, self)
        self._rebuild_timer = QTimer(self)
        self._rebuild_timer.setSingleShot(True)
        self._rebuild_timer.setInterval(300)
        self._rebuild_timer.timeout.connect(self.rebuild)
        ctx.settingsChanged.connect(self._settings_changed)  # Plik › Ustawienia… › Mapa
        self.rebuild()

    def _announce_first(self, *_args: object) -> None:
        if not self._first_shown:
            self._first_shown = True
            self.firstShown.emit()

    def rebuild(self) -> None:
        self._problems: list[str] = []
        self.status.setText(self.tr("Wczytywanie mapy…"))
        self.map.build(self.settings, translated_page_texts())

    def focus_search(self) -> None:
        """Ctrl+F: the beat picker beside the map (type a beat's name)."""
        self.filters.beat.setFocus()

    def apply_filter(self, flt: ReportFilter) -> None:
        self.map.bridge.send_filter(flt.to_json())

    def _colour_mode(self, mode: str) -> None:
        self.settings = self.settings.with_changes(colour_by=mode)
        save_settings(self.settings)
        self.map.bridge.set_colour_mode(mode)

    def _ready(self, state: dict) -> None:
        self._beat_count = state.get("beats", 0)
        self._show_counts(state)
        self.filters.show_result(state)

    def _show_counts(self, result: dict) -> None:
        """The line under the map: the beats and the reports the filter leaves on the map."""
        shown, total = result.get("shown"), result.get("total", 0)
        beats = getattr(self, "_beat_count", 0)
        if isinstance(shown, int) and shown != total:
            text = self.tr("Rejony: {0}, zgłoszenia na mapie: {1} z {2}.").format(
                beats, shown, total)
        else:
            text = self.tr("Rejony: {0}, zgłoszenia: {1}.").format(beats, total)
        # Keep a problem met on the way (e.g. an unusable tile file) visible.
        self.status.setText(" ".join([text, *self._problems]))

    def _failed(self, message: str) -> None:
        self._problems.append(message)
        self.status.setText(message)  # already a full Polish sentence

    def _beat_clicked(self, beat_id: int) -> None:
        self._echo = beat_id
        self.ctx.beatSelected.emit(beat_id)
        self._echo = None

    def _beat_selected_elsewhere(self, beat_id: int) -> None:
        if beat_id != self._echo:
            self.map.bridge.centre_on(beat_id)

    def show_report(self, report_id: int) -> None:
        """Centre the map on a report chosen elsewhere (the reports browser)."""
        point = report_point(self.ctx.db, report_id)
        if point is not None:
            self.map.bridge.show_report(json.dumps(point))

    def _data_changed(self, change: Change) -> None:
        if change & ~Change.REPORTS & REBUILD_TOPICS or self._rebuild_timer.isActive():
            self._rebuild_timer.start()  # beats, officers, dictionaries: a new page
        else:  # reports only (an import): the new ones go to the page as they are
            self.map.update_reports(self._rebuild_timer.start)

    def _settings_changed(self, key: str) -> None:
        if key == SETTINGS_KEY:
            self.settings = load_settings()
            self.rebuild()

    def print_options(self, state: dict | None) -> MapPrintOptions:
        """What "Drukuj mapę…" starts from: the view's extent, the filter, the basemap file."""
        from desktop.map.printmap import MapPrintOptions

        flt = self.filters.current()
        bounds = None
        if state and isinstance(state.get("bounds"), list) and len(state["bounds"]) == 4:
            bounds = tuple(float(v) for v in state["bounds"])
        where = self.filters.unit.currentText() if flt.unit_id is not None else ""
        title = self.tr("Mapa zagrożeń – {0}").format(where) if where else self.tr("Mapa zagrożeń")
        note = ""
        if self.settings.mbtiles_path:
            try:
                info = read_info(self.settings.mbtiles_path)
                note = info.attribution or info.name
            except MBTilesError:
                note = ""
        return MapPrintOptions(title=title, bounds=bounds, flt=flt,  # type: ignore[arg-type]
                               colour_by=self.settings.colour_by, basemap_note=note,
                               mbtiles_path=self.settings.mbtiles_path)

    def print_map(self) -> None:
        """Ask the page for its current extent, then open the print dialog."""
        page = self.map.page
        if page is None:
            self._open_print_dialog(None)
            return
        page.runJavaScript("JSON.stringify(razem.state())", 0,
                           lambda text: self._open_print_dialog(
                               json.loads(text) if isinstance(text, str) else None))

    def _open_print_dialog(self, state: dict | None) -> None:
        from desktop.map.ui.print_dialog import MapPrintDialog

        dialog = MapPrintDialog(self.ctx.db, self.print_options(state), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.print_dialog = dialog
        dialog.open()

    def shutdown(self) -> None:
        self.map.shutdown()
