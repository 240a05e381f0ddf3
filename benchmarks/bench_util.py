"""Small helpers the benchmark scripts share: sizes such as ``10k``/``1M`` and timing.

Imported as ``bench_util`` with this folder on ``sys.path`` (a script run as
``python benchmarks/x.py`` has it there already).
"""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def parse_size(text: str) -> int:
    """``"10k"`` -> 10000, ``"1M"`` -> 1000000, ``"2.5k"`` -> 2500, ``"300"`` -> 300."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def seconds(fn: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def elapsed(fn: Callable[..., Any], *args: Any, **kw: Any) -> tuple[float, Any]:
    """(wall seconds, result) of one call ``fn(*args, **kw)``."""
    start = time.perf_counter()
    result = fn(*args, **kw)
    return time.perf_counter() - start, result


def wall_times(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall seconds of each of ``repeat`` calls."""
    return [seconds(fn) for _ in range(repeat)]


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall seconds of ``repeat`` calls."""
    return statistics.median(wall_times(fn, repeat))


def median_wall_cpu(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds of this process) of ``repeat`` calls."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)
