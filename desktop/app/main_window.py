"""The main window: the tabs, menus Plik and Pomoc, a status bar naming the database; its size,
position, splitters and current tab are remembered per user (QSettings, see window_settings).

Start-up in two steps (issue 14): ``MainWindow()`` is the window's frame — title, menus, the
tab bar with every tab's empty page — and needs only PySide6, so it is shown before SQLAlchemy,
the models and the database are loaded; ``attach(db)`` then adds what needs the database (the
tabs' content, the station's menu entries, the status bar). ``MainWindow(db)`` does both."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter, QTabWidget, QWidget

from db.paths import data_dir
from desktop.app.context import AppContext
from desktop.app.lazy_tabs import LazyTabs
from desktop.app.tabs import tab_specs
from desktop.common import gcpause
from desktop.common.document import mark_sample_data
from desktop.common.ui import background, plain
from desktop.common.ui.i18n import translator

if TYPE_CHECKING:  # imported by attach(): the frame is shown without SQLAlchemy
    from db.engine import Database

_tr = translator("MainWindow")
_BUILD_GAP_MS = 15  # between building one tab and the next after start-up
FIRST_TAB_WAIT_MS = 4000  # the other tabs wait this long at most for the first to be drawn


def window_settings() -> QSettings:
    """Per-user window state in an INI file in the user data folder (moves with
    RAZEM_DATA_DIR, so portable installs and tests keep their own)."""
    return QSettings(str(data_dir() / "okno.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    """Holds the tabs; owns no session (tabs go through the service layer)."""

    ctx: AppContext  # from attach()

    def __init__(self, db: Database | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(_tr("Razem dla bezpieczeństwa"))
        self._fit_to_screen()
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self._ready = False  # attached: a tab built from now on is wired up at once
        self._closed = False
        self._tabs_started = False
        # Every tab's empty page now; a tab's widget is built when it is first needed, once
        # the database is attached (``tab_by_key[key]``, the user opening the page, or one
        # per event-loop turn after the first tab is drawn).
        self.tab_by_key: LazyTabs = LazyTabs(None, self.tabs, tab_specs(), self._tab_built)
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.database_label = plain.plain_label(_tr("Otwieranie bazy danych…"), self)
        self.statusBar().addPermanentWidget(self.database_label)
        self._add_menu_access_keys()
        self.restore_window_state()
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        """Give the window its database: the title, the status bar, the menu entries that
        need it, and the tab it shows (built now; its data is read in a job)."""
        self.ctx = AppContext(db, self)
        self._set_title()
        with background.deferred():
            self.ctx.tabRequested.connect(self.show_tab)
            self._build_database_menus()
            self._build_status_bar()
            self._add_menu_access_keys()
            self._ready = True
            self.tab_by_key.attach(self.ctx)
            first = self.tab_by_key.build(self.first_tab_key())
        # The tab the window opens on first: the others are built (and their modules
        # imported) once it is drawn, or after FIRST_TAB_WAIT_MS at the latest; a tab the
        # user opens meanwhile is built at once.
        first_shown = getattr(first, "firstShown", None)
        if first_shown is not None:
            first_shown.connect(self._start_building_tabs)
            QTimer.singleShot(FIRST_TAB_WAIT_MS, self, self._start_building_tabs)
        else:
            QTimer.singleShot(0, self, self._start_building_tabs)

    def first_tab_key(self) -> str:
        """The tab the window opens on (the one it was closed on), built in attach()."""
        return self.tab_by_key.key_at(self.tabs.currentIndex()) or "map"

    def is_attached(self) -> bool:
        return self._ready

    def startup_pending(self) -> int:
        """Tabs not built yet and tab loads started with the window not yet filled in."""
        return background.pending() + self.tab_by_key.unbuilt()

    def _start_building_tabs(self) -> None:
        if self._tabs_started or self._closed:
            return
        self._tabs_started = True
        QTimer.singleShot(_BUILD_GAP_MS, self, self._build_next_tab)

    def _build_next_tab(self) -> None:
        """One step per event-loop turn, a few ms apart (the window answers in between);
        none once the window is closed (the program is ending). When every tab is built and
        filled in, the start-up is over (``gcpause.end_startup``)."""
        if self._closed:
            return
        built = self.tab_by_key.build_next()
        if built is False and not background.pending():
            gcpause.end_startup()
            return
        QTimer.singleShot(_BUILD_GAP_MS if built else 2 * _BUILD_GAP_MS, self,
                          self._build_next_tab)

    def _tab_built(self, key: str, widget: QWidget) -> None:
        """Wire a tab in as it is built: its Plik entries, access keys, shortcuts, splitters."""
        if not self._ready:
            return  # the constructor does it for the first tab once the menus exist
        from desktop.common.ui.access_keys import add_access_keys

        self._add_tab_menu_actions(key, widget)
        add_access_keys(widget, self._menu_letters())
        self._disable_tab_shortcuts(widget)
        self._restore_splitters({k: s for k, s in self._splitters().items()
                                 if k.startswith(f"{key}/")})
        self._update_tab_commands()

    def show_tab(self, key: str) -> None:
        """Bring the tab with this key forward (``ctx.tabRequested``)."""
        if key in self.tab_by_key:
            self.tabs.setCurrentWidget(self.tab_by_key.page(key))

    def _menu_letters(self) -> str:
        bar = [a.text() for a in self.menuBar().actions()]
        return "".join(t[t.index("&") + 1] for t in bar if "&" in t)

    def _add_menu_access_keys(self) -> None:
        """Alt+letter for every menu entry (again as tabs add theirs: existing letters stay);
        each tab's buttons get theirs when it is built, the menu bar's letters kept free."""
        from desktop.common.ui.access_keys import add_menu_access_keys

        for action in self.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu):
                add_menu_access_keys(menu)

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is None or screen.width() >= 1400:
            self.resize(1280, 800)
        else:  # small station monitors: use the screen
            self.resize(int(screen.width() * 0.95), int(screen.height() * 0.92))

    def _build_menus(self) -> None:
        """Plik and Pomoc; the entries that need the database are added by attach() (in the
        same places) and the two that need it to work are disabled until then."""
        file_menu = self.menuBar().addMenu(_tr("&Plik"))
        self.file_menu = file_menu
        self._add_tab_commands(file_menu)
        # One separator per tab, in tab order: a tab's entries go above its own when it is
        # built (empty sections collapse: QMenu hides repeated separators).
        self._tab_sections = {key: file_menu.addSeparator() for key in self.tab_by_key}
        settings = QAction(_tr("&Ustawienia…"), self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.show_settings)
        settings.setEnabled(False)
        file_menu.addAction(settings)
        self.settings_action = settings
        self._station_section = file_menu.addSeparator()  # the station's entries go above
        quit_action = QAction(_tr("&Zakończ"), self)
        # StandardKey.Quit is empty on Windows: Ctrl+Q everywhere (Cmd+Q on macOS).
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
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
        about.triggered.connect(self.show_about)
        about.setEnabled(False)
        help_menu.addAction(about)
        self.about_action = about

    def _build_database_menus(self) -> None:
        from desktop.backup.ui.actions import StationActions
        from desktop.yearreport.ui.menu import ReportMenuEntry

        # Backups, restore, audit log, personal data; daily backup; following other stations.
        self.station = StationActions(self.ctx, self)
        self.file_menu.insertActions(self._station_section, self.station.actions())
        # The programme's report for a period (issue 15): in Plik, before "Zakończ".
        self.report_entry = ReportMenuEntry(self.ctx.db, self, self.file_menu,
                                            self.quit_action)
        self.settings_action.setEnabled(True)
        self.about_action.setEnabled(True)

    def show_about(self) -> None:
        from desktop.app.about import show_about

        show_about(self, self.ctx.db.url)

    def show_settings(self) -> None:
        from desktop.app.settings import SettingsDialog

        SettingsDialog(self.ctx, self).exec()

    def _add_tab_menu_actions(self, key: str, widget: QWidget) -> None:
        actions = getattr(widget, "menu_actions", None)
        if actions:
            section = self._tab_sections[key]
            for action in actions():
                self.file_menu.insertAction(section, action)
            self._add_menu_access_keys()

    def _splitters(self) -> dict[str, QSplitter]:
        """Every splitter of every built tab, named by tab and order of creation (stable)."""
        found = {}
        for key, widget in self.tab_by_key.built().items():
            for i, splitter in enumerate(widget.findChildren(QSplitter)):
                found[f"{key}/{splitter.objectName() or i}"] = splitter
        return found

    def save_window_state(self) -> None:
        store = window_settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.setValue("window/tab", self.tabs.currentIndex())
        for name, splitter in self._splitters().items():
            store.setValue(f"splitters/{name}", splitter.saveState())
        store.sync()

    def restore_window_state(self) -> None:
        store = window_settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)  # Qt keeps it on a screen that still exists
        state = store.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self._restore_splitters(self._splitters(), store)
        try:
            tab = int(store.value("window/tab", 0))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            tab = 0
        if 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)

    def _restore_splitters(self, splitters: dict[str, QSplitter],
                           store: QSettings | None = None) -> None:
        store = store or window_settings()
        for name, splitter in splitters.items():
            saved = store.value(f"splitters/{name}")
            if isinstance(saved, QByteArray):
                # A splitter on a tab not shown yet still has Qt's default size (640×480):
                # give it the window's size first, or the saved sizes are squeezed into it.
                splitter.resize(splitter.size().expandedTo(self.size()))
                splitter.restoreState(saved)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        gcpause.end_startup()
        self.save_window_state()
        super().closeEvent(event)

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

    def _disable_tab_shortcuts(self, widget: QWidget) -> None:
        """A tab's own Ctrl+F/Ctrl+P shortcut (for the tab shown on its own) would make these
        keys ambiguous in the window, and Qt would then run neither."""
        keys = (self.print_action.shortcut(), self.find_action.shortcut())
        for shortcut in widget.findChildren(QShortcut):
            if shortcut.key() in keys:
                shortcut.setEnabled(False)

    def current_tab(self) -> QWidget | None:
        """The tab shown (None while its page is still being built)."""
        return self.tab_by_key.widget_at(self.tabs.currentIndex())

    def _update_tab_commands(self, _index: int = 0) -> None:
        tab = self.current_tab()
        self.print_action.setEnabled(hasattr(tab, "print_current"))
        self.find_action.setEnabled(hasattr(tab, "focus_search"))

    def _call_tab(self, name: str) -> None:
        method = getattr(self.current_tab(), name, None)
        if method is not None:
            method()

    def show_help(self) -> None:
        from desktop.app.help import HelpDialog

        dialog = HelpDialog(self)
        dialog.setModal(False)
        dialog.show()
        self.help_dialog = dialog

    def _set_title(self) -> None:
        """The kind of data is read once here: the title, the status bar and every printout
        (``mark_sample_data``) say "sample" for the fictional data and never for a real one."""
        from db.services.info import KIND_SAMPLE, data_kind
        from desktop.organisation.station import command_name

        with self.ctx.db.session() as s:
            self.sample = data_kind(s) == KIND_SAMPLE
        mark_sample_data(self.sample)
        # Qt appends the application's display name ("Razem dla bezpieczeństwa") unless the
        # title already ends with it: name it once, at the end.
        if self.sample:
            self.setWindowTitle(_tr("KMP w Koninie – DANE PRZYKŁADOWE (fikcyjne) – Razem dla "
                                    "bezpieczeństwa"))
        else:
            name = command_name(self.ctx.db)
            self.setWindowTitle(_tr("{0} – Razem dla bezpieczeństwa").format(name) if name
                                else _tr("Razem dla bezpieczeństwa"))

    def _build_status_bar(self) -> None:
        from db.engine import describe
        from db.services.info import SAMPLE_KEY, get_info, reference_date

        with self.ctx.db.session() as s:
            sample = (get_info(s, SAMPLE_KEY) or _tr("dane przykładowe")) if self.sample else ""
        text = _tr("Baza: {0}").format(describe(self.ctx.db.url))
        if sample:
            on = reference_date(self.ctx.db)
            text += "  •  " + _tr("DANE PRZYKŁADOWE (fikcyjne osoby i zgłoszenia), stan na {0}"
                                  ).format(on.strftime("%d.%m.%Y"))
        self.database_label.setText(text)
        self.database_label.setToolTip(plain.plain_tooltip(sample or ""))
