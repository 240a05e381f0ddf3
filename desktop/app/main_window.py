"""The main window: three tabs, menus Plik and Pomoc, and a status bar naming the database."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget

from db.engine import Database, describe
from db.services.info import SAMPLE_KEY, get_info, reference_date
from desktop.app.about import show_about
from desktop.app.context import AppContext
from desktop.app.tabs import tab_specs


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class MainWindow(QMainWindow):
    """Holds the tabs; owns no session (tabs go through the service layer)."""

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.ctx = AppContext(db, self)
        # Qt adds the application's display name ("Razem dla bezpieczeństwa") after the
        # title unless the title already ends with it: name it once, at the end.
        self.setWindowTitle(_tr("KMP w Koninie – Razem dla bezpieczeństwa"))
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
        self._add_access_keys()

    def _add_access_keys(self) -> None:
        """Alt+letter for every menu entry and every button of each tab; the menu bar's
        letters stay free for the menus."""
        from desktop.common.ui.access_keys import add_access_keys, add_menu_access_keys

        bar = [a.text() for a in self.menuBar().actions()]
        taken = "".join(t[t.index("&") + 1] for t in bar if "&" in t)
        for action in self.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu):
                add_menu_access_keys(menu)
        for widget in self.tab_by_key.values():
            add_access_keys(widget, taken)

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None or screen.width() >= 1400:
            self.resize(1280, 800)
        else:  # small station monitors: use the screen
            self.resize(int(screen.width() * 0.95), int(screen.height() * 0.92))

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_tr("&Plik"))
        self._add_tab_commands(file_menu)
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

    def _add_tab_commands(self, menu) -> None:
        """Ctrl+P prints and Ctrl+F finds in the tab that is shown (tabs that can offer
        ``print_current()`` / ``focus_search()``)."""
        self.print_action = QAction(_tr("&Drukuj z bieżącej karty…"), self)
        self.print_action.setShortcut(QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(lambda: self._call_tab("print_current"))
        self.find_action = QAction(_tr("Z&najdź w bieżącej karcie"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(lambda: self._call_tab("focus_search"))
        menu.addAction(self.print_action)
        menu.addAction(self.find_action)
        menu.addSeparator()
        self.tabs.currentChanged.connect(self._update_tab_commands)
        self._update_tab_commands()

    def _update_tab_commands(self, _index: int = 0) -> None:
        tab = self.tabs.currentWidget()
        self.print_action.setEnabled(hasattr(tab, "print_current"))
        self.find_action.setEnabled(hasattr(tab, "focus_search"))

    def _call_tab(self, name: str) -> None:
        method = getattr(self.tabs.currentWidget(), name, None)
        if method is not None:
            method()

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
        self.database_label = QLabel(text, self)
        self.database_label.setToolTip(sample or "")
        self.statusBar().addPermanentWidget(self.database_label)
