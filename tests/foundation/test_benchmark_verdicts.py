"""benchmarks/run_all.py marks each measured value against the issue's target for its size."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_run_all():
    spec = importlib.util.spec_from_file_location("run_all", ROOT / "benchmarks" / "run_all.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = module
    spec.loader.exec_module(module)
    return module


def test_verdicts_compare_pairs_and_memory_growth() -> None:
    ra = load_run_all()
    assert ra.verdict("shown", 0.79, "≤ 0.8")
    assert not ra.verdict("shown", 0.81, "≤ 0.8")
    assert ra.verdict("filter", "0.030 / 0.067", "≤ 0.05 / 0.15")
    assert not ra.verdict("filter", "0.030 / 0.160", "≤ 0.05 / 0.15")  # worst case over
    assert ra.verdict("memory", "375 (375)", "≤ 400")
    assert not ra.verdict("memory", "399 (300)", "≤ 400")  # within the limit but growing
    assert not ra.verdict("memory", "848 (848)", "≤ 800")


def test_table_lists_what_is_not_met_per_size() -> None:
    ra = load_run_all()
    results = {100_000: {"shown": (0.7, "floor 0.2", ""), "map_ready": (3.4, "floor 0.3", "")},
               1_000_000: {"shown": (0.9, "floor 0.2", ""), "map_ready": (2.4, "floor 0.3", "")}}
    text, missed = ra.table([100_000, 1_000_000], results)
    assert "✓ 0.700" in text and "✗ 3.40" in text and "✓ 2.40" in text
    assert missed == ["process start → window shown [s] at 1M: 0.900 (target ≤ 0.8)",
                      "process start → map ready [s] at 100k: 3.40 (target ≤ 1.2)"]
