"""What every tab gets: the open database and the signals tabs use to talk to each other."""
from __future__ import annotations

import enum
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:  # the window frame is shown before SQLAlchemy is imported (issue 14)
    from db.engine import Database


class Change(enum.Flag):
    """What kind of data changed. Senders name one or more; listeners subscribe to a set.

    A flag, not a string: a misspelt topic is an AttributeError where it is written, and
    ``AppContext.subscribe`` refuses anything else at connect time.
    """

    BEATS = enum.auto()  # beats, their boundaries, units and gminas
    OFFICERS = enum.auto()  # the roster and assignments
    PARTNERS = enum.auto()  # partners, agreements, signatures
    REPORTS = enum.auto()  # KMZB reports (imports, reassignment)
    PLANS = enum.auto()  # priority action plans
    DICTIONARIES = enum.auto()  # KMZB categories and statuses
    ACTIVITIES = enum.auto()  # the activities log (meetings, debates, patrols ...)

    @classmethod
    def everything(cls) -> Change:
        result = cls(0)
        for member in cls:
            result |= member
        return result


class AppContext(QObject):
    """Passed to every tab's constructor instead of any global.

    beatSelected(beat_id): a beat was chosen somewhere (map, table); others follow.
    reportSelected(report_id): a KMZB report was chosen (reports browser); the map shows it.
    tabRequested(key): a tab asks the window to bring another tab forward (e.g. "map").
    dataChanged(Change): data of one or more kinds changed; use ``notify`` and ``subscribe``.
    settingsChanged(key): Plik › Ustawienia… applied the page with this key (e.g. "map").
    """

    beatSelected = Signal(int)
    reportSelected = Signal(int)
    tabRequested = Signal(str)
    dataChanged = Signal(object)  # always a Change (notify() checks)
    settingsChanged = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db

    def notify(self, change: Change) -> None:
        """Tell every subscriber that data of the kinds in ``change`` changed."""
        if not isinstance(change, Change) or not change:
            raise TypeError(f"notify() needs a non-empty Change, not {change!r}")
        self.dataChanged.emit(change)

    def subscribe(self, topics: Change, slot: Callable[[Change], None],
                  receiver: QObject | None = None) -> None:
        """Call ``slot(change)`` whenever a change touching ``topics`` is notified.

        ``receiver`` (usually the listening widget) ties the connection to its lifetime.
        """
        if not isinstance(topics, Change) or not topics:
            raise TypeError(f"subscribe() needs a non-empty Change, not {topics!r}")

        subscription = _Subscription(topics, slot, receiver or self)
        self.dataChanged.connect(subscription.deliver)


class _Subscription(QObject):
    """One subscriber's filter; a child of the receiver, so it goes away with it."""

    def __init__(self, topics: Change, slot: Callable[[Change], None], parent: QObject):
        super().__init__(parent)
        self._topics = topics
        self._slot = slot

    @Slot(object)
    def deliver(self, change: Change) -> None:
        if change & self._topics:
            self._slot(change)
