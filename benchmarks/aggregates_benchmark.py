"""What keeping the report counts current costs an import, and what the counts save.

    python benchmarks/aggregates_benchmark.py [--reports 100000] [--repeats 3]
                                              [--engines sqlite,postgresql]

For each engine (PostgreSQL: a private server as the tests start it, see tests/pg_server.py):

1. import N reports from a KMZB CSV, then re-import it with other statuses (every row's
   counted key changes): with the triggers of db/aggregates.py (the chosen way), and with
   the triggers dropped and the touched months recounted by the service layer instead
   (``db.aggregates.recount``), and with no aggregate at all (the floor);
2. the diagnosis refresh (dates, scope, statuses) and the beats tab's 12-month count, read
   from the counts (whole months) and the reports (partial months), beside the SQL floor of
   one GROUP BY over the reports.

Runs are interleaved; medians are printed. Importable: ``measure_import_costs(...)`` and
``measure_reads(...)`` return rows of (label, seconds, baseline label, baseline seconds) for
benchmarks/run_all.py.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_util import seconds
from threats_benchmark import random_points, write_kmzb_csv

from db import aggregates
from db.engine import Database
from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus
from desktop.beats.queries import beat_rows
from desktop.sample.generator import SampleSpec, generate
from desktop.startup import open_database
from desktop.threats.diagnosis import DiagnosisScope, diagnose
from desktop.threats.importer import import_reports

CPU_TIME = False  # --cpu: SQLite import costs in this process's CPU time (a loaded machine)


@dataclass(frozen=True)
class Row:
    engine: str
    label: str
    seconds: float
    baseline: str = ""
    baseline_seconds: float | None = None


@contextmanager
def database(engine: str, tmp: Path) -> Iterator[Database]:
    """A migrated database with 60 beats and no reports, on "sqlite" or "postgresql"."""
    stop: Callable[[], None] = lambda: None
    if engine == "sqlite":
        url = f"sqlite:///{(tmp / 'aggregates.db').as_posix()}"
    else:
        from tests.pg_server import start_server

        server, why = start_server()
        if server is None:
            raise RuntimeError(f"PostgreSQL: {why}")
        url = server.create_database("razem_aggregates_bench")
        stop = server.stop
    db = open_database(url).db
    try:
        with db.session() as s, s.begin():
            generate(s, SampleSpec(reports=0, beats=60, seed=3))
        yield db
    finally:
        db.dispose()
        stop()


def write_files(db: Database, tmp: Path, n: int) -> tuple[Path, Path]:
    """The CSV and the same reports with every status changed (for the re-import)."""
    with db.session() as s:
        boundaries = list(s.scalars(select(Beat.boundary).order_by(Beat.id)))
        categories = list(s.scalars(select(ThreatCategory.name)))
        statuses = list(s.scalars(select(ThreatStatus.name)))
    rng = np.random.default_rng(1)
    lon, lat = random_points(boundaries, n, rng)
    first, second = tmp / "kmzb.csv", tmp / "kmzb_changed.csv"
    write_kmzb_csv(first, lon, lat, categories, statuses, np.random.default_rng(2))
    write_kmzb_csv(second, lon, lat, categories, statuses[1:] + statuses[:1],
                   np.random.default_rng(2))
    return first, second


def _cpu(fn: Callable[[], object]) -> float:
    """This process's CPU seconds (on SQLite all the work; PostgreSQL's server is not in it)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def _months(db: Database) -> list[dt.date]:
    with db.engine.connect() as conn:
        return sorted({k[0] for k in aggregates.recounted(conn)})


def _one_run(db: Database, mode: str, files: tuple[Path, Path]) -> tuple[float, float]:
    """(import, re-import) seconds in one mode: "triggers", "recount" or "none"."""
    with db.engine.begin() as conn:
        aggregates.drop_triggers(conn)
        conn.execute(text("DELETE FROM threat_reports"))
        conn.execute(text("DELETE FROM report_counts"))
        if mode == "triggers":
            aggregates.install_triggers(conn)
    out = []
    measure = _cpu if db.engine.dialect.name == "sqlite" and CPU_TIME else seconds
    for path in files:
        def work(path: Path = path) -> None:
            import_reports(db, path)
            if mode == "recount":  # the service layer's alternative: recount touched months
                with db.engine.begin() as conn:
                    aggregates.recount(conn, _months(db))
        out.append(measure(work))
    if mode != "none":
        with db.engine.connect() as conn:
            assert aggregates.stored(conn) == aggregates.recounted(conn)
    return out[0], out[1]


def measure_import_costs(engine: str, n: int = 100_000, repeats: int = 3) -> list[Row]:
    """Import and re-import of n reports with triggers, with a service-layer recount and
    with no aggregate (medians of interleaved runs)."""
    with tempfile.TemporaryDirectory() as tmp, database(engine, Path(tmp)) as db:
        files = write_files(db, Path(tmp), n)
        times: dict[str, list[tuple[float, float]]] = {"triggers": [], "recount": [],
                                                        "none": []}
        for _ in range(repeats):
            for mode in times:
                times[mode].append(_one_run(db, mode, files))
        with db.engine.begin() as conn:  # leave the database as migrations made it
            aggregates.install_triggers(conn)
            aggregates.recount(conn)
    med = {m: (statistics.median(t[0] for t in v), statistics.median(t[1] for t in v))
           for m, v in times.items()}
    rows = []
    for i, what in enumerate((f"import {n} CSV", f"ponowny import {n} (zmiana statusów)")):
        for mode, label in (("triggers", "wyzwalacze"), ("recount", "przeliczenie w usłudze")):
            rows.append(Row(engine, f"{what}: {label}", med[mode][i], "bez agregatów",
                            med["none"][i]))
    return rows


def measure_reads(engine: str, n: int = 100_000, repeats: int = 5) -> list[Row]:
    """Diagnosis refresh and beats tab reload over n reports, beside one GROUP BY."""
    with tempfile.TemporaryDirectory() as tmp, database(engine, Path(tmp)) as db:
        files = write_files(db, Path(tmp), n)
        import_reports(db, files[0])
        with db.session() as s:
            last = s.scalar(select(func.max(ThreatReport.reported_at)))
        assert last is not None
        scope = DiagnosisScope(dt.date(2017, 2, 14), dt.date(2018, 7, 9))
        on = last.date() - dt.timedelta(days=40)
        since = dt.datetime.combine(scope.date_from, dt.time())
        until = dt.datetime.combine(scope.date_to + dt.timedelta(days=1), dt.time())

        def floor() -> None:
            with db.session() as s:
                s.execute(select(ThreatReport.beat_id, ThreatReport.category_id,
                                 ThreatReport.status_id, func.count())
                          .where(ThreatReport.reported_at >= since,
                                 ThreatReport.reported_at < until)
                          .group_by(ThreatReport.beat_id, ThreatReport.category_id,
                                    ThreatReport.status_id)).all()

        def beats_floor() -> None:
            with db.session() as s:
                s.execute(select(ThreatReport.beat_id, func.count())
                          .where(ThreatReport.reported_at >= since,
                                 ThreatReport.reported_at < until)
                          .group_by(ThreatReport.beat_id)).all()

        runs: dict[str, list[float]] = {k: [] for k in ("diag", "floor", "beats", "bfloor")}
        for _ in range(repeats):
            runs["diag"].append(seconds(lambda: diagnose(db, scope)))
            runs["floor"].append(seconds(floor))
            runs["beats"].append(seconds(lambda: beat_rows(db, on)))
            runs["bfloor"].append(seconds(beats_floor))
    med = {k: statistics.median(v) for k, v in runs.items()}
    return [Row(engine, f"diagnoza (daty, zakres, statusy), {n}", med["diag"],
                "jedno GROUP BY zgłoszeń", med["floor"]),
            Row(engine, f"zakładka rejonów: 12 miesięcy, {n}", med["beats"],
                "GROUP BY rejonu", med["bfloor"])]


def print_rows(rows: list[Row]) -> None:
    for r in rows:
        base = "" if r.baseline_seconds is None else \
            f"   {r.baseline}: {r.baseline_seconds:7.3f} s"
        print(f"[{r.engine:<10}] {r.label:<52} {r.seconds:7.3f} s{base}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--only", choices=("import", "reads"), default=None)
    ap.add_argument("--cpu", action="store_true",
                    help="SQLite import costs as CPU time of this process")
    args = ap.parse_args()
    global CPU_TIME
    CPU_TIME = args.cpu
    for engine in args.engines.split(","):
        if args.only in (None, "import"):
            print_rows(measure_import_costs(engine, args.reports, args.repeats))
        if args.only in (None, "reads"):
            print_rows(measure_reads(engine, args.reports, max(args.repeats, 5)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
