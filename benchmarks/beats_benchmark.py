"""Beats speed: address lookup, the beat table query and the printed beat summaries.

    python benchmarks/beats_benchmark.py [--database /tmp/beats_bench.db] [--lines 5000]

Creates the database with ``razem sample --reports 20000 --beats 60`` if it is missing.

Measured, each beside a baseline:
- address lookup ("Znajdź dzielnicowego") over a register of N street lines with the
  StreetIndex, against a plain scan of every line (normalising names on the fly);
- the beat table (current officers incl. substitutes, reports of the last 12 months) against
  a naive ORM build (lazy-loaded assignments and one count query per beat);
- "Karty rejonów" of the biggest unit to PDF (pages, seconds) against one beat's summary.
Targets on a 2-core machine: lookup under 0.1 ms, beat table under 0.3 s, a unit's
summaries under 5 s.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import median_seconds

from db.models import HouseSide
from desktop.beats.streets import (
    RangeLine,
    StreetIndex,
    locality_key,
    parse_address,
    street_key,
)


def bench_lookup(n_lines: int, n_queries: int = 5000) -> None:
    rng = random.Random(7)
    towns = ["Konin", "Golina", "Ślesin", "Kleczew", "Sompolno", "Rychwał"]
    lines = []
    for i in range(n_lines):
        side = [HouseSide.ALL, HouseSide.EVEN, HouseSide.ODD][i % 3]
        lo = rng.randint(1, 60)
        lines.append(RangeLine(i % 60, towns[i % 6], f"ul. Ulica Numer {i // 3}", side, lo,
                               lo + rng.randint(0, 80)))
    queries = [parse_address(f"{towns[i % 6]}, al. Ulica Numer {rng.randint(0, n_lines // 3)} "
                             f"{rng.randint(1, 150)}") for i in range(n_queries)]

    def indexed():
        index = StreetIndex(lines)
        for q in queries:
            index.match(q)

    few = queries[:200]  # the scan is slow: time 200 addresses and report per address

    def scan():
        for q in few:
            loc, key = locality_key(q.locality), street_key(q.street)
            [x for x in lines if locality_key(x.locality) == loc
             and street_key(x.street) == key and x.contains(q.number.number)]

    t_index = median_seconds(indexed, 3)
    t_scan = median_seconds(scan, 1)
    print(f"address lookup, {n_lines} register lines, {n_queries} addresses:")
    print(f"  StreetIndex (incl. building it): {t_index * 1000:8.1f} ms  "
          f"= {t_index / n_queries * 1e6:6.1f} µs per address")
    print(f"  baseline plain scan ({len(few)} addresses): {t_scan * 1000:8.1f} ms  "
          f"= {t_scan / len(few) * 1e6:6.1f} µs per address")


def ensure_database(path: Path) -> str:
    url = f"sqlite:///{path.as_posix()}"
    if not path.exists():
        print(f"creating {path} (razem sample --reports 20000 --beats 60) …")
        subprocess.run([sys.executable, "-m", "desktop", "sample", "--reports", "20000",
                        "--beats", "60", "--database", url], check=True,
                       stdout=subprocess.DEVNULL)
    return url


def naive_beat_rows(db, on):
    """The obvious ORM way: walk the beats, lazy-load assignments, count per beat."""
    from sqlalchemy import func, select

    from db.models import Beat, ThreatReport
    from desktop.beats.queries import twelve_months_before

    start = twelve_months_before(on)
    out = []
    with db.session() as s:
        for beat in s.scalars(select(Beat)):
            people = [a.officer.full_name for a in beat.assignments
                      if a.valid_from <= on and (a.valid_to is None or a.valid_to >= on)]
            n = s.scalar(select(func.count()).select_from(ThreatReport).where(
                ThreatReport.beat_id == beat.id, ThreatReport.reported_at >= start))
            out.append((beat.name, people, n))
    return out


def bench_database(url: str) -> None:
    import datetime as dt

    from db.engine import Database
    from desktop.beats.queries import beat_rows, unit_beat_ids
    from desktop.beats.summary import write_beats_pdf

    db = Database.open(url)
    on = dt.date(2018, 12, 31)
    rows = beat_rows(db, on)
    t_mine = median_seconds(lambda: beat_rows(db, on), 5)
    t_base = median_seconds(lambda: naive_beat_rows(db, on), 5)
    print(f"beat table, {len(rows)} beats:")
    print(f"  beats.queries.beat_rows:          {t_mine * 1000:8.1f} ms")
    print(f"  baseline naive ORM, per beat:     {t_base * 1000:8.1f} ms")
    units: dict[str, int] = {}
    for r in rows:
        units[r.unit] = units.get(r.unit, 0) + 1
    biggest = max(units, key=units.get)
    ids = unit_beat_ids(db, biggest)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        pages = write_beats_pdf(db, ids, Path(tmp) / "unit.pdf", on, user="benchmark")
        t_unit = time.perf_counter() - t0
        t0 = time.perf_counter()
        one = write_beats_pdf(db, ids[:1], Path(tmp) / "one.pdf", on, user="benchmark")
        t_one = time.perf_counter() - t0
    print(f"printed summaries ({biggest}):")
    print(f"  {len(ids)} beats, {pages} pages:        {t_unit:8.2f} s "
          f"({t_unit / len(ids):.2f} s per beat)")
    print(f"  baseline one beat, {one} pages:      {t_one:8.2f} s")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=str(Path(tempfile.gettempdir()) / "beats_bench.db"))
    parser.add_argument("--lines", type=int, default=5000)
    args = parser.parse_args()
    bench_lookup(args.lines)
    bench_database(ensure_database(Path(args.database)))


if __name__ == "__main__":
    main()
