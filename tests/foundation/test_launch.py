"""Start-up in two steps (issue 14): the window's frame is shown with PySide6 alone, before
SQLAlchemy, the models or the database are loaded; the database is opened in the background
and attached; an error while opening reaches the user in Polish and the log."""
from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import web_engine
from desktop.app.launch import open_main_window
from desktop.app.main_window import MainWindow
from desktop.app.tabs import tab_specs
from desktop.common import gcpause
from tests.app_process import run_app_script

_CHILD = r"""
import sys
from desktop.app.application import create_application

app = create_application()
from desktop.app import web_engine
from desktop.app.launch import open_main_window

seen = {}

def shown(window):
    seen["visible"] = window.isVisible()
    seen["tabs"] = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    seen["loaded"] = sorted(m for m in ("sqlalchemy", "db.models", "db.engine", "alembic",
                                        "numpy", "desktop.startup") if m in sys.modules)

launched = open_main_window(sys.argv[1], on_shown=shown)
window = launched.window
seen["attached"] = launched.opened is not None and window.is_attached()
seen["built"] = list(window.tab_by_key.built())
seen["title"] = window.windowTitle()
result = seen
"""


@pytest.mark.engines("sqlite")
def test_the_window_is_shown_before_sqlalchemy_and_the_models_are_imported(sample_db, tmp_path):
    seen = run_app_script(_CHILD, sample_db.url, data_dir=tmp_path / "home")
    assert seen["visible"] and seen["loaded"] == [], seen
    assert seen["tabs"] == ["Mapa", "Rejony i przydziały", "Partnerzy", "Diagnoza zagrożeń",
                            "Zgłoszenia", "Działania", "Organizacja"]
    # ... and then the database is attached and the first tab built, as before.
    assert seen["attached"] and seen["built"] == ["map"]
    assert "DANE PRZYKŁADOWE" in seen["title"]


def _plik(window: MainWindow) -> list[str]:
    return [a.text().replace("&", "") for a in window.file_menu.actions() if not a.isSeparator()]


def test_the_frame_before_the_database_is_usable_and_builds_no_tab(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert not window.is_attached()
    assert window.tabs.count() == len(tab_specs())
    window.tabs.setCurrentIndex(2)  # opening a page waits for the database
    assert window.tab_by_key.built() == {}
    with pytest.raises(RuntimeError):
        window.tab_by_key["beats"]
    assert window.database_label.text() == "Otwieranie bazy danych…"
    assert _plik(window) == ["Drukuj z bieżącej karty…", "Znajdź w bieżącej karcie",
                             "Ustawienia…", "Zakończ"]
    assert not window.settings_action.isEnabled() and not window.about_action.isEnabled()
    assert window.help_action.isEnabled() and window.quit_action.isEnabled()


@pytest.mark.engines("sqlite")
def test_open_main_window_attaches_the_database_and_the_tabs_follow(qtbot, sample_db):
    thresholds = gc.get_threshold()
    launched = open_main_window(sample_db.url)
    window, opened = launched.window, launched.opened
    qtbot.addWidget(window)
    assert opened is not None and window.isVisible() and window.is_attached()
    try:
        assert window.ctx.db is opened.db
        assert list(window.tab_by_key.built()) == ["map"]
        assert window.settings_action.isEnabled() and window.about_action.isEnabled()
        assert window.database_label.text().startswith("Baza: ")
        # Few garbage collections until the tabs are built and filled, then the start-up's
        # objects frozen and the thresholds back (desktop.common.gcpause).
        assert gcpause.in_startup() and gc.get_threshold() == gcpause.STARTUP_THRESHOLDS
        texts = _plik(window)
        # The station's entries between "Ustawienia…" and the report, "Zakończ" last.
        assert texts.index("Ustawienia…") < texts.index("Kopia zapasowa…") < \
            texts.index("Dziennik zmian…") < texts.index("Zakończ") == len(texts) - 1
        qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
        qtbot.waitUntil(lambda: not gcpause.in_startup(), timeout=5000)
        assert gc.get_threshold() == thresholds and gc.get_freeze_count() > 0
        # QtWebEngine was started early, once, by a profile of its own (off the record).
        from PySide6.QtWebEngineCore import QWebEngineProfile

        profiles = window.findChildren(QWebEngineProfile, web_engine.PROFILE_NAME)
        assert len(profiles) == 1 and profiles[0].isOffTheRecord()
        web_engine.start(window)
        assert len(window.findChildren(QWebEngineProfile, web_engine.PROFILE_NAME)) == 1
        assert sorted(window.tab_by_key.built()) == sorted(s.key for s in tab_specs())
        for i, spec in enumerate(tab_specs()):
            assert window.tabs.widget(i) is window.tab_by_key[spec.key]
    finally:
        window.close()
        opened.db.dispose()
        gc.unfreeze()
    assert QApplication.instance().quitOnLastWindowClosed()  # type: ignore[union-attr]
    assert not gcpause.in_startup()


def test_an_error_while_opening_reaches_the_user_in_polish_and_the_log(qtbot, tmp_path,
                                                                      monkeypatch, caplog):
    from desktop.common.ui import plain

    shown = []
    monkeypatch.setattr(plain, "message", lambda parent, icon, title, text:
                        shown.append((parent, title, text)))
    path = tmp_path / "broken.db"
    path.write_bytes(b"\x00garbage" * 500)
    launched = open_main_window(str(path))
    qtbot.addWidget(launched.window)
    assert launched.opened is None and not launched.closed_early
    assert not launched.window.isVisible()  # closed: run_gui then ends with 1
    assert len(shown) == 1
    parent, title, text = shown[0]
    assert parent is launched.window  # over the window the user already sees
    assert title == "Nie można otworzyć bazy"
    assert "nie jest poprawną bazą programu Razem" in text
    assert "otwieranie bazy danych" in caplog.text


@pytest.mark.engines("sqlite")
def test_closing_the_window_while_the_database_opens_ends_cleanly(qtbot, sample_db):
    def close_soon(window: MainWindow) -> None:
        QTimer.singleShot(0, window.close)

    launched = open_main_window(sample_db.url, on_shown=close_soon)
    qtbot.addWidget(launched.window)
    assert launched.closed_early and launched.opened is None
    assert not launched.window.is_attached()
    assert QApplication.instance().quitOnLastWindowClosed()  # type: ignore[union-attr]
