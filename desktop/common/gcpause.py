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
