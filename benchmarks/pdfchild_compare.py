"""48 beat summaries to PDF: the job's old path (pages laid out in the job's own thread)
beside ``write_summaries`` with one PDF child process and with the beats shared out among two
(or ``--children`` more), interleaved in one session so that all see the same machine load;
medians of wall clock and CPU.

    python benchmarks/pdfchild_compare.py DATABASE [--rounds 5] [--beats 48] [--children 2,3]
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
    parser.add_argument("--children", default="2", help="comma-separated child counts beside 1")
    parser.add_argument("--log", action="store_true", help="print the children's milestones")
    args = parser.parse_args()
    if args.log:
        import logging

        logging.basicConfig(level=logging.INFO, format="    %(message)s")
        logging.getLogger("razem").setLevel(logging.INFO)

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

    def children(count: int):
        def new(path: str) -> None:
            write_summaries(ctl, db, ids, None, path, children=count)
        return new

    ways = [("in-process", old)] + [(f"{count} child" + ("ren" if count > 1 else ""),
                                     children(count))
                                    for count in [1, *map(int, args.children.split(","))]]
    got: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in ways}
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in ways:
            fn(str(Path(tmp) / f"warm-{name}.pdf"))
        for n in range(args.rounds):
            for name, fn in ways:
                child = children_cpu()
                wall, cpu = in_thread(fn, str(Path(tmp) / f"{name}-{n}.pdf"))
                got[name].append((wall, cpu, children_cpu() - child))
    db.dispose()
    print(f"{len(ids)} beat summaries, {args.rounds} rounds interleaved, medians:")
    for name, rows in got.items():
        walls = [w for w, _, _ in rows]
        print(f"  {name:11s} wall {statistics.median(walls):.2f} s "
              f"(min {min(walls):.2f}, max {max(walls):.2f}); job-thread CPU "
              f"{statistics.median(c for _, c, _ in rows):.2f} s; child CPU "
              f"{statistics.median(k for _, _, k in rows):.2f} s")


if __name__ == "__main__":
    main()
