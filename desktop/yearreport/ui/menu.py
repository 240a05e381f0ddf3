"""The menu entry "Sprawozdanie z realizacji programu…" (issue 15). Kept apart from the
dialog so the main window can add it without importing the report's content and printing
code at start-up (issue 14); the dialog is imported when the entry is first used."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from db.engine import Database
from desktop.common.ui.i18n import translator

if TYPE_CHECKING:
    from desktop.yearreport.ui.dialog import ReportDialog

_tr = translator("yearreport")


class ReportMenuEntry:
    """The menu entry "Sprawozdanie z realizacji programu…"; ``dialog`` is the one opened
    last (tests drive it)."""

    def __init__(self, db: Database, parent: QWidget, menu: QMenu,
                 before: QAction | None = None):
        self.db, self.parent = db, parent
        self.dialog: ReportDialog | None = None
        self.action = QAction(_tr("Sprawozdanie z realizacji programu…"), parent)
        self.action.triggered.connect(self.open_dialog)
        if before is not None:
            menu.insertAction(before, self.action)
            menu.insertSeparator(before)
        else:
            menu.addAction(self.action)

    def open_dialog(self) -> ReportDialog:
        from desktop.yearreport.ui.dialog import ReportDialog

        self.dialog = ReportDialog(self.db, self.parent)
        self.dialog.open()
        return self.dialog
