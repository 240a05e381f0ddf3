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


def test_startup_collects_rarely_then_freezes_and_restores_the_thresholds():
    from desktop.common import gcpause

    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    try:
        gcpause.begin_startup()
        gcpause.begin_startup()  # once: a second call keeps the first saved thresholds
        assert gcpause.in_startup()
        assert gc.get_threshold() == gcpause.STARTUP_THRESHOLDS
        made = [[i] for i in range(1000)]  # objects the start-up made, alive after it
        gcpause.end_startup()
        assert not gcpause.in_startup()
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() >= frozen + len(made)
        gcpause.end_startup()  # a second end changes nothing
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_ending_a_startup_that_never_began_changes_nothing():
    from desktop.common import gcpause

    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    gcpause.end_startup()
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
