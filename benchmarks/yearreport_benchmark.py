"""The year's report content (``desktop.yearreport.content.collect``) and its priority plans'
measures, beside the direct count over the reports, in one run.

    python benchmarks/yearreport_benchmark.py [--sizes 100k,1M] [--cache DIR] [--repeat 5]
        [--plans 40]

Each size's SQLite benchmark database of run_all.py (``<cache>/schema-<head>/reportsN_beats60_
seed2018.db``, never written here) is copied into a temporary folder; the copy gets ``--plans``
more priority plans beside the sample's 20 (all 2018-02-01..2018-07-31, so "before" windows
start mid-month): windows of 10 to 400 days that start and end mid-month, cross the turn of
the year, one in four without a category. Then, medians of ``--repeat`` runs, wall and CPU
(``process_time``):

- ``collect`` for 2018 (the whole report: activities, agreements, plans, two diagnoses);
- the plans' measures as ``collect`` reads them (``content._plan_measures``);
- the baseline: the same measures by one GROUP BY over ``threat_reports`` per beat, category
  and day (what ``_plan_measures`` did before it read ``report_counts``), checked equal.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_util import median_wall_cpu, parse_size

SEED = 2018


def add_plans(db, n: int) -> int:
    """``n`` more priority plans (seeded); the number of plans in the database after."""
    from sqlalchemy import func, select

    from db.models import Beat, PriorityPlan, ThreatCategory

    rng = random.Random(SEED)
    with db.session() as s, s.begin():
        beats = list(s.scalars(select(Beat.id).order_by(Beat.id)))
        cats = list(s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id)))
        for i in range(n):
            start = dt.date(2017, 3, 1) + dt.timedelta(days=rng.randrange(600))
            end = start + dt.timedelta(days=rng.randrange(10, 400))
            s.add(PriorityPlan(beat_id=rng.choice(beats),
                               category_id=None if i % 4 == 0 else rng.choice(cats),
                               problem="benchmark", goal="", period_from=start, period_to=end))
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(PriorityPlan)) or 0)


def direct_measures(s, plans: list) -> dict[int, tuple[int, int]]:
    """The baseline: {plan: (during, before)} from one GROUP BY over the reports by day."""
    from sqlalchemy import extract, func, or_, select, tuple_

    from db.models import ThreatReport

    windows = {}
    for p in plans:
        length = p.period_to - p.period_from
        before_to = p.period_from - dt.timedelta(days=1)
        windows[p.id] = (before_to - length, before_to, p.period_from, p.period_to)
    lo = min(w[0] for w in windows.values())
    hi = max(w[3] for w in windows.values())
    pairs = sorted({(p.beat_id, p.category_id) for p in plans if p.category_id is not None})
    bare = {p.beat_id for p in plans if p.category_id is None}
    r = ThreatReport
    day = (extract("year", r.reported_at), extract("month", r.reported_at),
           extract("day", r.reported_at))
    conds = [tuple_(r.beat_id, r.category_id).in_(pairs)] if pairs else []
    if bare:
        conds.append(r.beat_id.in_(bare))
    cells: dict[tuple, list] = defaultdict(list)
    for bid, cid, y, m, d, n in s.execute(
            select(r.beat_id, r.category_id, *day, func.count())
            .where(r.reported_at >= dt.datetime.combine(lo, dt.time()),
                   r.reported_at < dt.datetime.combine(hi + dt.timedelta(days=1), dt.time()),
                   or_(*conds))
            .group_by(r.beat_id, r.category_id, *day)):
        when = dt.date(int(y), int(m), int(d))
        cells[(bid, cid)].append((when, n))
        cells[(bid, None)].append((when, n))
    out = {}
    for p in plans:
        b_from, b_to, d_from, d_to = windows[p.id]
        got = cells[(p.beat_id, p.category_id)]
        out[p.id] = (sum(n for w, n in got if d_from <= w <= d_to),
                     sum(n for w, n in got if b_from <= w <= b_to))
    return out


def measure(path: Path, extra_plans: int, repeat: int) -> tuple[int, dict[str, tuple]]:
    from sqlalchemy import select

    from db.engine import Database
    from db.models import PriorityPlan
    from desktop.yearreport import content

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        db = Database.open(f"sqlite:///{copy.as_posix()}")
        plans_n = add_plans(db, extra_plans)
        with db.session() as s:
            plans = list(s.execute(select(PriorityPlan.id, PriorityPlan.beat_id,
                                          PriorityPlan.category_id, PriorityPlan.period_from,
                                          PriorityPlan.period_to)))
        on = dt.date(2019, 1, 1)

        def ours() -> dict:
            with db.session() as s:
                return content._plan_measures(s, plans, on)

        def baseline() -> dict:
            with db.session() as s:
                return direct_measures(s, plans)

        got = {pid: (m.during, m.before) for pid, m in ours().items()}
        assert got == baseline(), "the plans' measures differ from the direct count"
        year = (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
        content.collect(db, *year, user="bench")  # warm
        out = {"collect 2018 (whole report)": median_wall_cpu(lambda: content.collect(db, *year,
                                                                            user="bench"), repeat),
               "plan measures": median_wall_cpu(ours, repeat),
               "plan measures, direct GROUP BY (baseline)": median_wall_cpu(baseline, repeat)}
        db.dispose()
    return plans_n, out


def main(argv: list[str] | None = None) -> int:
    from db.migrate import newest_file_revision

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("--cache", default=str(Path(tempfile.gettempdir()) / "razem-bench"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plans", type=int, default=40, help="plans added to the copy")
    args = parser.parse_args(argv)
    cache = Path(args.cache) / f"schema-{newest_file_revision()}"
    for n in (parse_size(s) for s in args.sizes.split(",")):
        path = cache / f"reports{n}_beats60_seed{SEED}.db"
        if not path.exists():
            print(f"{path} is missing: run benchmarks/run_all.py --sizes {n} first",
                  file=sys.stderr)
            return 2
        plans_n, results = measure(path, args.plans, args.repeat)
        print(f"\n{path.name} ({plans_n} priority plans), "
              f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
        print("| metric | wall [s] | CPU [s] |")
        print("| --- | --- | --- |")
        for key, (wall, cpu) in results.items():
            print(f"| {key} | {wall:.4f} | {cpu:.4f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
