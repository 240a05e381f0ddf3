"""The interactions of interaction_probe.py, each with the UI thread's own CPU (issue 14).

    python benchmarks/interaction_turns_probe.py DATABASE [--stop NAME]

Runs the same interactions in the same order as ``interaction_probe.py`` and prints one JSON
line ``PROBE {name: [longest gap [s], most UI-thread CPU in one gap [s]]}``. On a shared
machine the gap (wall clock) also holds the time the UI thread waited for a core or for the
GIL; the CPU of the UI thread within one gap is what the application itself did in one turn
of the event loop, so it compares versions measured while other work runs. ``--stop NAME``
ends after that interaction (e.g. ``"tab diagnosis"``).
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import interaction_probe as ip  # sets the environment and the path to the application
from startup_probe import Heartbeat


class TurnHeartbeat(Heartbeat):
    """The heartbeat, also keeping the most UI-thread CPU spent between two ticks."""

    def __init__(self) -> None:
        super().__init__()
        self.most_cpu = 0.0

    def tick(self) -> None:
        t, cpu = time.perf_counter(), time.thread_time()
        self.worst = max(self.worst, t - self.last - 0.010)
        self.most_cpu = max(self.most_cpu, cpu - self.last_cpu)
        self.last, self.last_cpu = t, cpu


def main() -> int:
    stop = sys.argv[sys.argv.index("--stop") + 1] if "--stop" in sys.argv else None
    app, _opened, window = ip.open_window(sys.argv[1])
    ip.spin(1.0)
    beat = TurnHeartbeat()
    results: dict[str, list[float]] = {}
    for name, action in ip.interactions(window):
        beat.most_cpu = 0.0
        gap = ip.run_interaction(beat, action)
        results[name] = [gap, round(beat.most_cpu, 3)]
        if name == stop:
            break
    print("PROBE " + json.dumps(results), flush=True)
    del app
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
