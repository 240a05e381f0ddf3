"""Before the window (issue 14): the window's modules are imported while the UI thread's event
loop runs, the Qt-free ones in a thread; a module that fails there is logged and left for the
UI thread to report."""
from __future__ import annotations

import sys

import pytest

from desktop.app.preload import MODULES, import_window_modules


def test_imports_the_modules_and_returns_when_done(qapp):
    sys.modules.pop("tabnanny", None)
    import_window_modules(("tabnanny",))
    assert "tabnanny" in sys.modules
    assert "desktop.startup" in MODULES and "db.models" in MODULES


def test_a_failing_module_is_logged_and_raised_again_by_the_ui_thread(qapp, caplog, tmp_path,
                                                                      monkeypatch):
    (tmp_path / "razem_broken_module.py").write_text("raise RuntimeError('zepsuty')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import_window_modules(("razem_broken_module",))
    assert "wczytywanie modułu razem_broken_module" in caplog.text
    with pytest.raises(RuntimeError, match="zepsuty"):
        __import__("razem_broken_module")
