"""48 beat summaries to PDF: the job's old path (pages laid out in the job's own thread)
beside the new one (``write_summaries``: pages laid out by the PDF child process), interleaved
in one session so that both see the same machine load; medians of wall clock and CPU.

    python benchmarks/pdfchild_compare.py DATABASE [--rounds 5] [--beats 48]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Control:
    def check(self) -> None:
        pass

    def progress(self, percent: int, text: str = "") -> None:
        pass


def children_cpu() -> float:
    try:
        import resource
    except ImportError:
        return float("nan")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def in_thread(fn, *args) -> tuple[float, float]:
    """Run fn in a fresh thread (as a job does): (wall seconds, CPU seconds of that thread)."""
    out: list[tuple[float, float]] = []

    def run() -> None:
        t, c = time.perf_counter(), time.thread_time()
        fn(*args)
        out.append((time.perf_counter() - t, time.thread_time() - c))

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    return out[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--beats", type=int, default=48)
    args = parser.parse_args()

    from db.engine import Database
    from desktop.beats.queries import beat_rows
    from desktop.beats.summary import collect_many, document
    from desktop.beats.ui.printing import write_summaries
    from desktop.printing.paged import ensure_gui_application, write_pdf

    ensure_gui_application()
    db = Database.open(f"sqlite:///{Path(args.database).as_posix()}")
    ids = [r.id for r in beat_rows(db)][: args.beats]
    ctl = Control()

    def old(path: str) -> None:  # what write_summaries did before: layout in the job thread
        write_pdf(path, document(collect_many(db, ids, None)))

    def new(path: str) -> None:
        write_summaries(ctl, db, ids, None, path)

    got: dict[str, list[tuple[float, float, float]]] = {"in-process": [], "child": []}
    with tempfile.TemporaryDirectory() as tmp:
        old(str(Path(tmp) / "warm-old.pdf"))
        new(str(Path(tmp) / "warm-new.pdf"))
        for n in range(args.rounds):
            for name, fn in (("in-process", old), ("child", new)):
                child = children_cpu()
                wall, cpu = in_thread(fn, str(Path(tmp) / f"{name}-{n}.pdf"))
                got[name].append((wall, cpu, children_cpu() - child))
    db.dispose()
    print(f"{len(ids)} beat summaries, {args.rounds} rounds interleaved, medians:")
    for name, rows in got.items():
        walls = [w for w, _, _ in rows]
        print(f"  {name:10s} wall {statistics.median(walls):.2f} s "
              f"(min {min(walls):.2f}, max {max(walls):.2f}); job-thread CPU "
              f"{statistics.median(c for _, c, _ in rows):.2f} s; child CPU "
              f"{statistics.median(k for _, _, k in rows):.2f} s")


if __name__ == "__main__":
    main()
