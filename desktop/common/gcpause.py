"""Pause Python's cyclic garbage collector around a burst of short-lived objects.

Laying out and painting a long print creates hundreds of thousands of small wrapper objects
(text blocks, lines, cells); every 700 of them start a collection, and every hundredth one
walks every object of the running application (the whole GUI). A print of a unit's 48 beat
summaries spent about a tenth of its time there, freeing nothing (the wrappers are freed by
reference counting). Cycles made meanwhile wait for the first collection after the pause.
"""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # nested or concurrent pauses (a worker and the UI thread may both print)
_disabled_here = False  # whether the outermost pause turned the collector off


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off; it is turned on again when the last
    concurrent pause ends (and stays off if it was off before the first)."""
    global _depth, _disabled_here
    with _lock:
        if _depth == 0:
            _disabled_here = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _disabled_here:
                gc.enable()
                _disabled_here = False


# Start-up (issue 14). While the window starts, the imports, the ORM and the tabs' first
# data make a few hundred thousand objects that all live as long as the program. With the
# default thresholds (700, 10, 10) a 100k-report start ran ~330 collections, 170–315 ms in
# all, three of them full ones of 25–107 ms, each holding the GIL (so the window stood still)
# and freeing almost nothing. During the start the young generation is collected far less
# often and a full collection waits; when the start is over, what it made is moved out of
# the collector's sight (gc.freeze) and the thresholds are what they were, so a later full
# collection walks only what was made since.
STARTUP_THRESHOLDS = (20_000, 50, 1_000)
_startup_saved: tuple[int, int, int] | None = None


def begin_startup() -> None:
    """Collect rarely until :func:`end_startup` (called once the window has started)."""
    global _startup_saved
    with _lock:
        if _startup_saved is None:
            _startup_saved = gc.get_threshold()
            gc.set_threshold(*STARTUP_THRESHOLDS)


def end_startup() -> None:
    """The start-up's objects frozen (never walked again; a cycle among them that is garbage
    stays: a one-off of about 400 of the ~150,000 tracked objects at 100k reports, measured:
    functions and classes the imports dropped), the thresholds restored."""
    global _startup_saved
    with _lock:
        if _startup_saved is None:
            return
        gc.freeze()
        gc.set_threshold(*_startup_saved)
        _startup_saved = None


def in_startup() -> bool:
    return _startup_saved is not None
