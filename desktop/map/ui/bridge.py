"""The one object the page sees through QWebChannel: typed slots and signals, JSON payloads."""
from __future__ import annotations

import json
import logging

from PySide6.QtCore import QObject, QUrl, Signal, Slot

log = logging.getLogger("razem.map")


class MapBridge(QObject):
    """Page -> app: ``pageReady``, ``beatClicked``, ``filterApplied`` (slots).
    App -> page: ``filterChanged(json)``, ``centreRequested(beat_id)``,
    ``reportRequested(json)`` (a report to show), ``colourModeChanged(mode)`` (signals the page's script connects to).

    Calls made before the page is ready are kept and replayed when it says it is.
    """

    # to the page
    filterChanged = Signal(str)
    centreRequested = Signal(int)
    reportRequested = Signal(str)
    colourModeChanged = Signal(str)
    reportsAdded = Signal(str)  # new reports only, as a base64 block (desktop.map.reports)
    # to the rest of the application
    ready = Signal(dict)
    beatChosen = Signal(int)
    filterResult = Signal(dict)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.is_ready = False
        self.state: dict = {}  # what the page said when it was last ready
        self._filter_json: str | None = None
        self._centre: int | None = None
        self._colour: str | None = None
        self._report: str | None = None
        self._page: str | None = None  # the path of the page loading (None: any page)

    def reset(self, url: str = "") -> None:
        """A new page is loading (``url``): queue until it reports ready. A page being
        replaced may still report ready after this (its channel connected late): that
        report is ignored, or the queue would go to a page about to go away."""
        self.is_ready = False
        self._page = QUrl(url).path() if url else None

    # --- app -> page -------------------------------------------------------------------
    def send_filter(self, filter_json: str) -> None:
        self._filter_json = filter_json
        if self.is_ready:
            self.filterChanged.emit(filter_json)

    def centre_on(self, beat_id: int) -> None:
        self._centre = beat_id
        if self.is_ready:
            self.centreRequested.emit(beat_id)

    def show_report(self, report_json: str) -> None:
        """Centre on one report ({"id", "lat", "lon", "label"}) and mark it."""
        self._report = report_json
        if self.is_ready:
            self.reportRequested.emit(report_json)

    def set_colour_mode(self, mode: str) -> None:
        self._colour = mode
        if self.is_ready:
            self.colourModeChanged.emit(mode)

    def add_reports(self, block: str) -> bool:
        """Send reports added since the page was built; False if no page is ready for them."""
        if not self.is_ready:
            return False
        self.reportsAdded.emit(block)
        return True

    # --- page -> app -------------------------------------------------------------------
    @Slot(str)
    def pageReady(self, state_json: str) -> None:
        state = _parse(state_json)
        if self._page is not None and state.get("page", self._page) != self._page:
            log.info("Mapa: gotowość strony zastępowanej (%s) pominięta", state.get("page"))
            return
        self.is_ready = True
        if self._colour is not None:
            self.colourModeChanged.emit(self._colour)
        if self._filter_json is not None:
            self.filterChanged.emit(self._filter_json)
        if self._centre is not None:
            self.centreRequested.emit(self._centre)
        if self._report is not None:
            self.reportRequested.emit(self._report)
        self.state = state
        self.ready.emit(dict(self.state))

    @Slot(int)
    def beatClicked(self, beat_id: int) -> None:
        self._centre = beat_id
        self.beatChosen.emit(beat_id)

    @Slot(str)
    def filterApplied(self, result_json: str) -> None:
        self.filterResult.emit(_parse(result_json))


def _parse(text: str) -> dict:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
