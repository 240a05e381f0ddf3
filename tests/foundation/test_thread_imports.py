"""No Qt module is imported off the UI thread (issue 14 start-up, found by CI): PySide6 creates
its Python types lazily, on a module's first ``from PySide6.QtX import Y``, and the tabs'
import thread doing that while the UI thread built the partners tab crashed the process with
a segmentation fault. The threads now import only the Qt-free modules the window and the tabs
depend on; the Qt modules are imported by the UI thread."""
from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication

from desktop.app.preload import MODULES, is_qt_module, qt_free_dependencies
from desktop.app.tabs import tab_specs
from tests.app_process import run_app_script

_CHILD = r"""
import sys, threading, time

seen = []

def hook(event, args):
    if event == "import":
        thread = threading.current_thread()
        if thread is not threading.main_thread():
            seen.append((thread.name, args[0]))

sys.addaudithook(hook)
from desktop.app.application import create_application

app = create_application()
from desktop.app.launch import open_main_window

launched = open_main_window(sys.argv[1])
window = launched.window
end = time.monotonic() + 90
while window.startup_pending() and time.monotonic() < end:
    app.processEvents()
    time.sleep(0.005)
from desktop.app.preload import is_qt_module
result = {
    "pending": window.startup_pending(),
    "built": sorted(window.tab_by_key.built()),
    "threads": sorted({name for name, _ in seen}),
    "off_ui": sorted({m for name, m in seen if name.startswith("razem-")}),
    "qt_off_ui": sorted({f"{name}: {m}" for name, m in seen if is_qt_module(m)}),
}
"""


@pytest.mark.engines("sqlite")
def test_a_real_start_imports_no_qt_module_off_the_ui_thread(sample_db, tmp_path):
    seen = run_app_script(_CHILD, sample_db.url, data_dir=tmp_path / "home", timeout=180)
    assert not seen["pending"] and seen["built"] == sorted(s.key for s in tab_specs())
    # The threads did their work (the models, the tabs' services) ...
    assert {"razem-preload", "razem-tab-imports"} <= set(seen["threads"]), seen["threads"]
    project = [m for m in seen["off_ui"] if m.startswith(("desktop", "db"))]
    assert "db.base" in project and "desktop.partners.validation" in project, " ".join(project)
    # ... and no thread imported a Qt module.
    assert seen["qt_off_ui"] == [], seen["qt_off_ui"]


def test_the_dependencies_are_found_without_importing_anything(qapp):
    modules = [s.module for s in tab_specs()] + list(MODULES)
    before = set(sys.modules)
    found = qt_free_dependencies(modules)
    assert not set(sys.modules) - before
    assert found and not [m for m in found if is_qt_module(m)]
    # Through the Qt modules to their services (the partners tab's, the diagnosis's):
    assert {"desktop.partners.service", "desktop.threats.diagnosis", "db.models"} <= set(found)
    # A class named in "from a import B" is not a module; the Qt layer is recognised.
    assert not [m for m in found if m.rsplit(".", 1)[-1][:1].isupper()]
    assert is_qt_module("desktop.common.ui.jobs") and is_qt_module("desktop.app.launch")
    assert is_qt_module("desktop.beats.ui.tab") and is_qt_module("PySide6.QtCharts")
    assert not is_qt_module("desktop.common.document") and not is_qt_module("db.models")
    assert QApplication.instance() is not None


_FIRST_TAB = r"""
import sys, threading, time

on_ui = []

def hook(event, args):
    if event == "import" and threading.current_thread() is threading.main_thread():
        on_ui.append(args[0])

from desktop.app.application import create_application

app = create_application()
from desktop.app.launch import open_main_window

# from the frame shown on (the frame's own modules are the UI thread's, imported before)
launched = open_main_window(sys.argv[1], on_shown=lambda _w: sys.addaudithook(hook))
window = launched.window
result = {"first": window.first_tab_key(), "on_ui": on_ui}
"""


@pytest.mark.engines("sqlite")
@pytest.mark.parametrize("key", ["beats", "diagnosis"])
def test_the_tab_the_window_opens_on_has_its_services_imported_off_the_ui_thread(
        sample_db, tmp_path, key):
    """Closed on the beats tab, the window opened on it with the tab's services (numpy,
    pyproj, the address register…) imported by the UI thread in attach(): 0.15–0.45 s of
    stall right after the database was opened. They are now imported with the database
    layer, in the preload thread, while the database opens."""
    home = tmp_path / "home"
    home.mkdir()
    index = [s.key for s in tab_specs()].index(key)
    (home / "okno.ini").write_text(f"[window]\ntab={index}\n", encoding="utf-8")
    seen = run_app_script(_FIRST_TAB, sample_db.url, data_dir=home, timeout=180)
    assert seen["first"] == key
    module = next(s.module for s in tab_specs() if s.key == key)
    services = set(qt_free_dependencies([module]))
    assert services, module
    assert not services & set(seen["on_ui"]), sorted(services & set(seen["on_ui"]))
