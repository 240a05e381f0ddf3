"""The window's tabs, built when first needed (issue 14: the window is shown after building
only the tab it opens on).

Every tab gets an empty page in the QTabWidget at once (so titles and order are there from the
start); the tab's widget is built and takes its page's place when it is asked for
(``tabs["beats"]``), when the user opens the page, or by :meth:`LazyTabs.build_next`, which the window calls once per
event-loop turn after it is shown until every tab exists. Each widget is built inside
``background.deferred()``: its first reads run off the UI thread.

In the background, a tab is built only while no worker runs Python (no job, no tab load
waiting to be filled, the import thread done): a worker holding the GIL makes each of the many
Python calls a widget's construction and first layout make wait up to the interpreter's
switch interval, and a 40 ms build stood 150–300 ms (measured with perf, issue 14). Its
module is imported in one turn and the tab built in the next.
"""
from __future__ import annotations

import importlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.app import preload
from desktop.app.context import AppContext
from desktop.app.tabs import TabSpec
from desktop.common.ui import background, jobs

log = logging.getLogger("razem.startup")
# A background build waits at most this long for the workers to finish (a long job the user
# started must not keep the tabs from being built ahead).
IDLE_WAIT_S = 3.0
# After the first tab is filled, the UI thread draws it and fits its columns (Python calls
# for every cell shown): the other tabs' imports start this long after the workers went idle.
SETTLE_S = 0.1


class LazyTabs(Mapping[str, QWidget]):
    """key → the tab's widget; looking a tab up builds it. ``built()`` lists only the tabs
    that exist (the window's own bookkeeping must not build them all)."""

    def __init__(self, ctx: AppContext | None, tabs: QTabWidget, specs: list[TabSpec],
                 on_built: Callable[[str, QWidget], None]):
        self._ctx = ctx
        self._tabs = tabs
        self._specs = {spec.key: spec for spec in specs}
        self._on_built = on_built
        self._built: dict[str, QWidget] = {}
        self._importer: threading.Thread | None = None
        self._pages: dict[str, QWidget] = {}  # key -> what is in the QTabWidget now
        self._waiting_since: float | None = None  # build_next waiting for idle workers
        self._idle_since: float | None = None  # since when no worker has been busy
        for spec in specs:
            page = QWidget(tabs)
            page.setObjectName(f"page_{spec.key}")
            self._pages[spec.key] = page
            tabs.addTab(page, self._title(spec))
        tabs.currentChanged.connect(self._page_opened)

    # Mapping -----------------------------------------------------------------------------
    def __getitem__(self, key: str) -> QWidget:
        if key not in self._specs:
            raise KeyError(key)
        return self.build(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    @staticmethod
    def _title(spec: TabSpec) -> str:
        return QCoreApplication.translate("tabs", spec.title)

    def attach(self, ctx: AppContext) -> None:
        """The context (the database) the tabs are built with: none is built before it (the
        window's frame is shown first, issue 14)."""
        self._ctx = ctx

    # Building ----------------------------------------------------------------------------
    def built(self) -> dict[str, QWidget]:
        """The tabs built so far, in the order they were built."""
        return dict(self._built)

    def unbuilt(self) -> int:
        return len(self._specs) - len(self._built)

    def key_at(self, index: int) -> str | None:
        page = self._tabs.widget(index)
        for key, candidate in self._pages.items():
            if candidate is page:
                return key
        return None

    def modules(self, keys: list[str]) -> tuple[str, ...]:
        """The modules these tabs' factories import (``TabSpec.module``)."""
        return tuple(self._specs[k].module for k in keys if self._specs[k].module)

    def page(self, key: str) -> QWidget:
        """What stands in the QTabWidget for this tab: its widget, or the empty page."""
        return self._pages[key]

    def widget_at(self, index: int) -> QWidget | None:
        """The built tab on page ``index`` (None: not built yet)."""
        key = self.key_at(index)
        return self._built.get(key) if key is not None else None

    def build(self, key: str) -> QWidget:
        widget = self._built.get(key)
        if widget is not None:
            return widget
        if self._ctx is None:
            raise RuntimeError(f"tab {key!r} asked for before the database is attached")
        spec = self._specs[key]
        with background.deferred():
            widget = spec.factory(self._ctx)
            widget.setObjectName(f"tab_{key}")
            self._built[key] = widget
            self._replace(key, widget)
            self._on_built(key, widget)
        return widget

    def _replace(self, key: str, widget: QWidget) -> None:
        """The built widget takes the empty page's place; the same tab stays current and no
        currentChanged is seen (the page and the widget are one tab to everyone else)."""
        page = self._pages[key]
        index = self._tabs.indexOf(page)
        current = self._tabs.currentIndex()
        blocked = self._tabs.blockSignals(True)
        try:
            self._tabs.removeTab(index)
            self._tabs.insertTab(index, widget, self._title(self._specs[key]))
            self._tabs.setCurrentIndex(current)
        finally:
            self._tabs.blockSignals(blocked)
        self._pages[key] = widget
        page.deleteLater()

    def import_ahead(self) -> None:
        """Import the Qt-free modules the tabs not built yet depend on in a thread (one, started
        once): the UI thread then only imports the tabs' small Qt modules and builds widgets,
        and keeps answering while the rest loads. Qt modules are never imported off the UI
        thread (``desktop.app.preload``: PySide6 creates its types lazily, and a thread doing
        so while the UI thread builds widgets crashed the process)."""
        if self._importer is not None:
            return
        modules = [s.module for k, s in self._specs.items() if s.module and k not in self._built]

        def run() -> None:
            for name in modules:
                preload.import_qt_free([name])

        self._importer = threading.Thread(target=run, name="razem-tab-imports", daemon=True)
        self._importer.start()

    def build_next(self) -> bool | None:
        """One step of building the tabs not built yet (the ``build_late`` ones last): True
        when a step was done (the tab's module imported, or the tab built), None when the
        workers are busy (try again later), False when all tabs exist."""
        todo = [k for k, s in self._specs.items() if k not in self._built and not s.build_late]
        todo += [k for k, s in self._specs.items() if k not in self._built and s.build_late]
        if not todo:
            self._waiting_since = None
            return False
        spec = self._specs[todo[0]]
        now = time.monotonic()
        if self._workers_busy():
            self._idle_since = None
            if self._waiting_since is None:
                self._waiting_since = now
            if now - self._waiting_since < IDLE_WAIT_S:
                return None
            log.info("karta %s budowana mimo pracy w tle", spec.key)
        else:
            if self._idle_since is None:
                self._idle_since = now
            if self._importer is None and now - self._idle_since < SETTLE_S:
                return None  # the first tab's paint and column fitting after its fill
        self._waiting_since = None
        if self._importer is None:
            # The other tabs' Qt-free modules, in a thread: it starts once the first tab is
            # filled and drawn (not beside its reads and first paint); the builds wait for it.
            self.import_ahead()
            return None
        if spec.module and spec.module not in sys.modules:
            try:  # the tab's own Qt module: one turn; its widgets: the next
                importlib.import_module(spec.module)
                return True
            except Exception:  # build() imports it again and reports the error
                log.exception("wczytywanie modułu karty %s", spec.key)
        self.build(spec.key)
        return True

    def _workers_busy(self) -> bool:
        importing = self._importer is not None and self._importer.is_alive()
        return importing or jobs.running_jobs() > 0 or background.pending() > 0

    def _page_opened(self, index: int) -> None:
        key = self.key_at(index)
        if key is not None and key not in self._built and self._ctx is not None:
            self.build(key)  # before attach(): the window builds the current tab then
