"""gc_paused: the collector is off inside, on again after the last of nested or concurrent
pauses, and left off when it was off before."""
from __future__ import annotations

import gc
import threading

from desktop.common.gcpause import gc_paused


def test_pause_nests_and_restores():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()


def test_overlapping_pauses_of_two_threads_end_with_the_collector_on():
    inside, release = threading.Event(), threading.Event()

    def worker() -> None:
        with gc_paused():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=worker)
    with gc_paused():
        thread.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the worker's pause outlives ours
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_collector_left_off_when_it_was_off():
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collector_back_on_after_an_exception():
    try:
        with gc_paused():
            raise ValueError("stop")
    except ValueError:
        pass
    assert gc.isenabled()
