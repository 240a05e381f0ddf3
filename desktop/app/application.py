"""QApplication set-up and the GUI entry point."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

import resources


def _register_map_scheme() -> None:
    from desktop.map.ui.scheme import register_scheme, restrict_webrtc

    register_scheme()
    restrict_webrtc()


# Functions that must run before the QApplication exists (custom URL schemes for the
# web view are silently ignored when registered later). Capabilities append to this list.
PRE_APP_HOOKS: list[Callable[[], None]] = [_register_map_scheme]
_prepared = False


def prepare_qt() -> None:
    """Run once, before the QApplication is created (the app and the tests both call it)."""
    global _prepared
    if _prepared:
        return
    _prepared = True
    # Chromium refuses to start as root without this; harmless elsewhere.
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    for hook in PRE_APP_HOOKS:
        hook()


def install_fonts_and_translations(app: QApplication) -> None:
    """Register the shipped DejaVu fonts (Polish glyphs on any workstation) and load Qt's own
    Polish translations so standard dialogs say 'Tak', 'Anuluj' ..."""
    families = []
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resources.path("fonts", name)))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    QLocale.setDefault(QLocale(QLocale.Language.Polish, QLocale.Country.Poland))
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for base in ("qtbase_pl", "qtwebengine_pl"):
        translator = QTranslator(app)
        if translator.load(base, qt_dir):
            app.installTranslator(translator)
    if families and not QFontDatabase.families():
        app.setFont(QFont(families[0]))


def create_application(argv: list[str] | None = None) -> QApplication:
    prepare_qt()
    existing = QApplication.instance()
    if existing is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    else:
        assert isinstance(existing, QApplication), "a QCoreApplication already exists"
        app = existing
    app.setApplicationName("Razem")
    app.setOrganizationName("KMP Konin")
    app.setApplicationDisplayName(app.translate("app", "Razem dla bezpieczeństwa"))
    icon = resources.ROOT / "icons" / "razem.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_fonts_and_translations(app)
    return app


def run_gui(database_url: str | None) -> int:
    """Show the main window, open the database (with the first-start choice on a new one)
    and attach it (desktop.app.launch); run until the window is closed."""
    # The window's code is imported before the QApplication exists (55-80 ms: the window's
    # modules and PySide6's Qt namespace); from the QApplication on, the UI thread runs its
    # event loop in turns of well under 0.1 s (issue 14; benchmarks/startup_probe.py starts
    # the same way). The window is shown no later for it.
    from desktop.app.crash import install_crash_dialog, install_qt_message_handler
    from desktop.app.launch import open_main_window

    app = create_application()
    install_qt_message_handler()
    install_crash_dialog()
    launched = open_main_window(database_url)
    window, opened = launched.window, launched.opened
    if opened is None:
        return 0 if launched.closed_early else 1
    if opened.backup:
        window.statusBar().showMessage(
            app.translate("app", "Przed aktualizacją schematu zapisano kopię bazy: {0}")
            .format(opened.backup), 15000)
    try:
        return app.exec()
    finally:
        window.close()
        opened.db.dispose()
