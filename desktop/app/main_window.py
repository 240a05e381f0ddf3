"""The main window: three tabs, menus Plik and Pomoc, and a status bar naming the database."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTabWidget

from db.engine import Database, describe
from db.services.info import SAMPLE_KEY, get_info, reference_date
from desktop.app.about import show_about
from desktop.app.context import AppContext
from desktop.app.tabs import tab_specs
from desktop.common.ui import plain


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    """Holds the tabs; owns no session (tabs go through the service layer)."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.ctx = AppContext(db, self)
        self.setWindowTitle(_tr("Razem dla bezpieczeństwa – KMP w Koninie"))
        self._fit_to_screen()

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tab_by_key = {}
        for spec in tab_specs():
            widget = spec.factory(self.ctx)
            widget.setObjectName(f"tab_{spec.key}")
            self.tab_by_key[spec.key] = widget
            self.tabs.addTab(widget, QCoreApplication.translate("tabs", spec.title))
        self.setCentralWidget(self.tabs)

        self._build_menus()
        self._build_status_bar()

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None or screen.width() >= 1400:
            self.resize(1280, 800)
        else:  # small station monitors: use the screen
            self.resize(int(screen.width() * 0.95), int(screen.height() * 0.92))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_tr("&Plik"))
        for widget in self.tab_by_key.values():
            actions = getattr(widget, "menu_actions", None)
            if actions:
                for action in actions():
                    file_menu.addAction(action)
                file_menu.addSeparator()
        quit_action = QAction(_tr("&Zakończ"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.quit_action = quit_action

        help_menu = self.menuBar().addMenu(_tr("Pomo&c"))
        manual = QAction(_tr("&Podręcznik"), self)
        manual.setShortcut(QKeySequence.StandardKey.HelpContents)
        manual.triggered.connect(self.show_help)
        help_menu.addAction(manual)
        self.help_action = manual
        about = QAction(_tr("&O programie"), self)
        about.triggered.connect(lambda: show_about(self, self.ctx.db.url))
        help_menu.addAction(about)
        self.about_action = about

    def show_help(self) -> None:
        from desktop.app.help import HelpDialog

        dialog = HelpDialog(self)
        dialog.setModal(False)
        dialog.show()
        self.help_dialog = dialog

    def _build_status_bar(self) -> None:
        with self.ctx.db.session() as s:
            sample = get_info(s, SAMPLE_KEY)
        text = _tr("Baza: {0}").format(describe(self.ctx.db.url))
        if sample:
            on = reference_date(self.ctx.db)
            text += "  •  " + _tr("DANE PRZYKŁADOWE (fikcyjne osoby i zgłoszenia), stan na {0}"
                                  ).format(on.strftime("%d.%m.%Y"))
        self.database_label = plain.plain_label(text, self)
        self.database_label.setToolTip(plain.plain_tooltip(sample or ""))
        self.statusBar().addPermanentWidget(self.database_label)
