"""Before the window (issue 14): the window's modules are imported in a thread while the UI
thread's event loop runs; a module that fails there is left for the UI thread to report."""
from __future__ import annotations

import sys

import pytest

from desktop.app.preload import MODULES, import_window_modules


def test_imports_the_modules_and_returns_when_done(qapp):
    sys.modules.pop("tabnanny", None)
    import_window_modules(("tabnanny",))
    assert "tabnanny" in sys.modules
    assert "desktop.startup" in MODULES and "db.models" in MODULES


def test_a_failing_module_is_logged_and_raised_again_by_the_ui_thread(qapp, caplog):
    import_window_modules(("desktop.no_such_module",))
    assert "wczytywanie modułów okna" in caplog.text
    with pytest.raises(ModuleNotFoundError):
        __import__("desktop.no_such_module")
