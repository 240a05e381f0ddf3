"""While the window's frame is shown (issue 14, desktop.app.launch): the modules the database
and the window's attach() need — SQLAlchemy, the models, the start-up code — are imported in a
thread while the UI thread keeps its event loop running, so the window answers (and the
heartbeat of benchmarks/startup_probe.py ticks) instead of standing still for the few hundred
milliseconds the imports take.

Only **Qt-free** modules are imported off the UI thread. PySide6 creates its Python types
lazily, on a module's first ``from PySide6.QtX import Y``; a thread doing that while the UI
thread builds widgets crashed the process (a segmentation fault in CI: the tabs' import thread
in ``activities/ui/reports_tab.py`` while the UI thread built the partners tab). So a thread is
given the Qt modules' project dependencies outside the Qt layer (``ui`` packages,
``desktop.app``, ``desktop.printing``, ``desktop.common.ui``; tests/foundation/test_architecture
keeps everything else Qt-free), read from their compiled code, and the Qt modules themselves
are imported afterwards by the UI thread, which by then only has their small bodies left.
``LazyTabs.import_ahead`` uses the same functions. A module that fails to import here is
imported again by the UI thread, which then reports the error as before.
"""
from __future__ import annotations

import dis
import importlib
import logging
import sys
import threading
from collections.abc import Iterable
from importlib.machinery import ModuleSpec
from types import CodeType

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QAbstractScrollArea

log = logging.getLogger("razem.startup")
# Everything the window's attach() and the database opening need (the main window's own
# module is imported before: it is the frame shown first).
MODULES = ("db.models", "db.engine", "desktop.app.startup_dialog", "desktop.startup",
           "desktop.organisation.station", "desktop.backup.ui.actions",
           "desktop.yearreport.ui.menu")
PROJECT = ("desktop", "db")
QT_TOP = ("PySide6", "shiboken6", "pytestqt")


def is_qt_module(name: str) -> bool:
    """True for a module of the Qt layer (or Qt itself): never imported off the UI thread."""
    parts = name.split(".")
    if parts[0] in QT_TOP:
        return True
    if parts[0] != "desktop":
        return False
    return "ui" in parts[1:] or parts[1:2] in (["app"], ["printing"])


def _spec(name: str, cache: dict[str, ModuleSpec | None]) -> ModuleSpec | None:
    """The module's spec found WITHOUT importing anything (``importlib.util.find_spec`` would
    import the parent packages, and ``a.b.C`` would run the Qt module ``a.b``): each finder
    of ``sys.meta_path`` is asked with the parent's search path (the frozen build's finder
    included)."""
    if name in cache:
        return cache[name]
    spec: ModuleSpec | None = None
    module = sys.modules.get(name)
    if module is not None:
        spec = getattr(module, "__spec__", None)
    else:
        parent, _, _last = name.rpartition(".")
        path: list[str] | None = None
        ok = True
        if parent:
            parent_spec = _spec(parent, cache)
            locations = parent_spec.submodule_search_locations if parent_spec else None
            ok = locations is not None
            path = list(locations) if locations is not None else None
        if ok:
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                if find is None:
                    continue
                try:
                    spec = find(name, path)
                except (ImportError, ValueError, TypeError):
                    spec = None
                if spec is not None:
                    break
    cache[name] = spec
    return spec


def _code(spec: ModuleSpec) -> CodeType | None:
    get_code = getattr(spec.loader, "get_code", None)
    if get_code is None:
        return None
    try:
        code = get_code(spec.name)
    except (ImportError, OSError, SyntaxError):
        return None
    return code if isinstance(code, CodeType) else None


def _imported_names(code: CodeType) -> list[str]:
    """The absolute module names a module's top level imports (``import a.b``, ``from a import
    b`` gives ``a`` and ``a.b``); imports inside functions are left to run when called."""
    names: list[str] = []
    current = ""
    for ins in dis.get_instructions(code):
        if ins.opname == "IMPORT_NAME":
            current = str(ins.argval)
            names.append(current)
        elif ins.opname == "IMPORT_FROM" and current:
            names.append(f"{current}.{ins.argval}")
    return names


def qt_free_dependencies(modules: Iterable[str]) -> list[str]:
    """The project modules outside the Qt layer that ``modules`` import at their top level,
    followed through the Qt-layer modules among them (a Qt-free module in ``modules`` is its
    own answer, a project's or not). Nothing is imported to find them; the answer is safe to
    import in any thread."""
    found: list[str] = []
    seen: set[str] = set()
    specs: dict[str, ModuleSpec | None] = {}
    given = list(modules)
    todo = list(given)
    while todo:
        name = todo.pop(0)
        if name in seen or (name not in given and name.split(".")[0] not in PROJECT):
            continue
        seen.add(name)
        spec = _spec(name, specs)
        if spec is None:  # "a.b" naming a class or function of a, or no such module
            continue
        if not is_qt_module(name):
            found.append(name)
            continue
        code = _code(spec)
        if code is not None:
            todo.extend(n for n in _imported_names(code) if n not in seen)
    return found


def import_qt_free(modules: Iterable[str]) -> None:
    """Import the Qt-free dependencies of ``modules`` (call it in a thread); a module that fails
    is logged and left for the UI thread to import and report."""
    for name in qt_free_dependencies(modules):
        try:
            importlib.import_module(name)
        except Exception:
            log.exception("wczytywanie modułu %s", name)


def warm_up() -> None:
    """What PySide6 does once per process on first use, done while the UI thread only waits
    for the imports: a scroll area's ``viewport()`` first called takes 10–16 ms (every table
    of the first tab asks for it while the tab is built, in one long turn)."""
    area = QAbstractScrollArea()
    area.viewport()
    area.deleteLater()


def import_window_modules(modules: tuple[str, ...] = MODULES,
                          after: threading.Event | None = None, wait: float = 0.0) -> None:
    """Import the Qt-free part of ``modules`` in a thread, then the rest on this (the UI)
    thread; return when it is done (the event loop runs meanwhile). Needs the QApplication.
    ``after``: the thread first waits for it (at most ``wait`` seconds)."""
    done = threading.Event()

    def run() -> None:
        try:
            if after is not None:
                after.wait(wait)
            import_qt_free(modules)
        finally:
            done.set()

    threading.Thread(target=run, name="razem-preload", daemon=True).start()
    loop = QEventLoop()
    QTimer.singleShot(100, warm_up)
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: loop.quit() if done.is_set() else None)
    poll.start()
    if not done.is_set():
        loop.exec()
    poll.stop()
    for name in modules:
        if is_qt_module(name):
            try:
                importlib.import_module(name)
            except Exception:  # imported again where it is used, which reports it
                log.exception("wczytywanie modułów okna")
