"""Speed of the reports browser (Zgłoszenia) on a large sample, beside a plain baseline.

    python benchmarks/reports_browser_benchmark.py [--reports 100000]

1. opening the table: count + the first page (what ReportsModel.set_query does) vs loading
   every report into Python objects;
2. a diacritics-free search ("predkosc") done by the database vs folding every description in
   Python;
3. sorting by category (first page) and scrolling to the last page.
Target on the reference machine: each step < 0.5 s with 100,000 reports.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import elapsed

from db.models import ThreatReport
from desktop.activities import reports as svc
from desktop.activities.reports import ReportQuery
from desktop.common.text import matches
from desktop.sample.generator import SampleSpec, generate
from desktop.startup import open_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        opened = open_database(f"sqlite:///{Path(tmp, 'bench.db').as_posix()}")
        db = opened.db
        with db.session() as s, s.begin():
            generate(s, SampleSpec(reports=args.reports, seed=7))

        def first_page(q: ReportQuery):
            return svc.count(db, q), svc.page(db, q, 0)

        def load_all():
            with db.session() as s:
                return s.scalars(select(ThreatReport)).all()

        def python_search():
            with db.session() as s:
                return [i for i, d in s.execute(select(ThreatReport.id, ThreatReport.description))
                        if matches("predkosc", d or "")]

        t_open, (total, _) = elapsed(first_page, ReportQuery())
        t_all, _ = elapsed(load_all)
        t_search, (found, _) = elapsed(first_page, ReportQuery(text="predkosc"))
        t_py, _ = elapsed(python_search)
        t_sort, _ = elapsed(first_page, ReportQuery(sort="category", descending=False))
        t_last, _ = elapsed(svc.page, db, ReportQuery(), max(0, total - svc.PAGE_SIZE))
        print(f"reports: {total}")
        print(f"open (count + first page): {t_open:.3f} s   baseline load all: {t_all:.3f} s")
        print(f"search 'predkosc' ({found}): {t_search:.3f} s   baseline Python fold: {t_py:.3f} s")
        print(f"sort by category: {t_sort:.3f} s   last page: {t_last:.3f} s")
        db.dispose()


if __name__ == "__main__":
    main()
