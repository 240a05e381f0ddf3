"""What every tab gets: the open database and the signals tabs use to talk to each other."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from db.engine import Database


class AppContext(QObject):
    """Passed to every tab's constructor instead of any global.

    beatSelected(beat_id): a beat was chosen somewhere (map, table); others follow.
    dataChanged(topic): data of a kind ("beats", "officers", "partners", "reports") changed.
    """

    beatSelected = Signal(int)
    dataChanged = Signal(str)

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
