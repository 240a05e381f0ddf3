"""Start-up builds only the tab the window opens on; the others follow after it is shown, or
at once when opened or looked up (issue 14, item 1). A database at the newest revision opens
without Alembic."""
from __future__ import annotations

import importlib
import inspect
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from desktop.app.main_window import MainWindow
from desktop.app.tabs import tab_specs
from desktop.common.ui.jobs import Job, run_job
from tests.app_process import run_app_script


def _plik_texts(window: MainWindow) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_only_the_opening_tab_is_built_before_the_event_loop_then_all(qtbot, sample_db):
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    keys = [spec.key for spec in tab_specs()]
    assert list(window.tab_by_key.built()) == ["map"]
    assert window.startup_pending() >= len(keys) - 1
    # Titles and order are there from the start.
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert len(titles) == len(keys) and titles[0] == "Mapa"

    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
    assert sorted(window.tab_by_key.built()) == sorted(keys)
    for i, key in enumerate(keys):  # every built tab stands in its own page's place
        assert window.tabs.widget(i) is window.tab_by_key[key]
        assert window.tab_by_key[key].objectName() == f"tab_{key}"
    # Tabs' Plik entries arrive in tab order, with access keys, before "Ustawienia…".
    texts = _plik_texts(window)
    beats = window.tab_by_key["beats"].menu_actions()[0].text().replace("&", "")
    partners = window.tab_by_key["partners"].menu_actions()[0].text().replace("&", "")
    assert texts.index(beats) < texts.index(partners) < texts.index("Ustawienia…")
    menu = window.menuBar().actions()[0].menu()
    assert all("&" in a.text() for a in menu.actions() if not a.isSeparator())


def test_the_other_tabs_wait_until_the_map_is_drawn(qtbot, sample_db, monkeypatch):
    from desktop.app import main_window

    monkeypatch.setattr(main_window, "FIRST_TAB_WAIT_MS", 120_000)  # only the map's signal
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    built_when_drawn: list[list[str]] = []
    map_tab = window.tab_by_key["map"]
    map_tab.firstShown.connect(lambda: built_when_drawn.append(list(window.tab_by_key.built())))
    with qtbot.waitSignal(map_tab.map.mapReady, timeout=60000):
        pass
    assert built_when_drawn == [["map"]]  # nothing else competed with the map for the CPU
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
    assert sorted(window.tab_by_key.built()) == sorted(spec.key for spec in tab_specs())
    map_tab.map.mapReady.emit({})  # a later map (a rebuild) starts nothing again
    assert built_when_drawn == [["map"]]


def test_the_other_tabs_follow_after_a_while_if_the_map_is_never_drawn(qtbot, sample_db,
                                                                       monkeypatch):
    from desktop.app import main_window
    from desktop.map.ui.view import MapView

    monkeypatch.setattr(main_window, "FIRST_TAB_WAIT_MS", 300)
    monkeypatch.setattr(MapView, "build", lambda self, *a, **k: None)  # the map never comes
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
    assert len(window.tab_by_key.built()) == len(tab_specs())


def test_opening_or_looking_up_a_tab_builds_it_at_once(qtbot, sample_db):
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    keys = [spec.key for spec in tab_specs()]
    assert "organisation" not in window.tab_by_key.built()
    window.tabs.setCurrentIndex(keys.index("organisation"))
    built = window.tab_by_key.built()
    assert "organisation" in built
    assert window.tabs.currentWidget() is built["organisation"]
    assert window.tabs.currentIndex() == keys.index("organisation")
    assert "partners" not in window.tab_by_key.built()
    partners = window.tab_by_key["partners"]  # a lookup builds it
    assert window.tabs.indexOf(partners) == keys.index("partners")
    assert window.tabs.currentIndex() == keys.index("organisation")  # the shown tab stays
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)


def test_each_tab_names_the_module_its_factory_imports():
    for spec in tab_specs():
        assert spec.module, spec.key
        importlib.import_module(spec.module)
        assert f"from {spec.module} import" in inspect.getsource(spec.factory), spec.key


def test_newest_file_revision_is_alembics_head():
    from db.migrate import head_revision, newest_file_revision

    assert newest_file_revision() == head_revision()


def test_a_database_at_the_newest_revision_opens_without_alembic(sample_db, tmp_path):
    code = ("import sys\n"
            "from desktop.startup import open_database\n"
            "opened = open_database(sys.argv[1])\n"
            "opened.db.dispose()\n"
            "result = [m for m in ('alembic', 'numpy', 'pyproj', 'shapely') if m in sys.modules]\n")
    assert run_app_script(code, sample_db.url, data_dir=tmp_path / "home") == []


@contextmanager
def _long_job(monkeypatch, idle_wait: float) -> Iterator[Job]:
    """A job running until the block ends, with the tabs' wait for idle workers set."""
    from desktop.app import lazy_tabs

    monkeypatch.setattr(lazy_tabs, "IDLE_WAIT_S", idle_wait)
    release = threading.Event()
    job = run_job(lambda ctl: release.wait(60), name="test: długa praca")
    try:
        yield job
    finally:
        release.set()


def test_a_tab_is_built_in_the_background_only_while_no_worker_runs(qtbot, sample_db,
                                                                    monkeypatch):
    """A worker holding the GIL made each Python call of a tab's construction wait for it
    (issue 14): the window builds the next tab when no job runs, or after IDLE_WAIT_S."""
    with _long_job(monkeypatch, 120.0) as job:
        window = MainWindow(sample_db)
        qtbot.addWidget(window)
        map_tab = window.tab_by_key["map"]
        with qtbot.waitSignal(map_tab.map.mapReady, timeout=60000):
            pass
        qtbot.wait(1500)
        assert list(window.tab_by_key.built()) == ["map"]  # the job still runs
    qtbot.waitUntil(lambda: not job.running, timeout=10000)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
    assert sorted(window.tab_by_key.built()) == sorted(s.key for s in tab_specs())


def test_a_long_job_does_not_keep_the_tabs_from_being_built(qtbot, sample_db, monkeypatch):
    with _long_job(monkeypatch, 0.2) as job:
        window = MainWindow(sample_db)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: not window.tab_by_key.unbuilt(), timeout=30000)
        assert job.running
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)


def test_opened_on_another_tab_the_map_is_built_last(qtbot, sample_db):
    from desktop.app.main_window import window_settings

    keys = [spec.key for spec in tab_specs()]
    window_settings().setValue("window/tab", keys.index("beats"))
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    assert list(window.tab_by_key.built()) == ["beats"]
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=60000)
    order = list(window.tab_by_key.built())
    assert order[0] == "beats" and order[-1] == "map"
    assert sorted(order) == sorted(keys)


def test_the_other_tabs_imports_start_once_the_first_tab_is_filled(qtbot, sample_db,
                                                                   monkeypatch):
    """The import thread ran beside the first tab's reads and first paint (a 0.14-0.18 s
    stall opened on the diagnosis, issue 14): it starts when no load is pending."""
    from desktop.app.lazy_tabs import LazyTabs
    from desktop.common.ui import background

    pending_then: list[int] = []
    original = LazyTabs.import_ahead

    def import_ahead(self) -> None:
        pending_then.append(background.pending())
        original(self)

    monkeypatch.setattr(LazyTabs, "import_ahead", import_ahead)
    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=60000)
    assert pending_then == [0]
