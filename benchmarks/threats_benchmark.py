"""Speed of the threat capability, each beside a plain baseline.

    python benchmarks/threats_benchmark.py [--reports 100000] [--beats 60]

1. importing N reports from a KMZB-shaped CSV (EPSG:2180, epoch ms) vs an ORM row-by-row
   insert (session.add per report) of the same rows;
2. assigning N points to the beats (shapely STRtree, vectorised) vs a Python loop of
   point-in-polygon tests;
3. the diagnosis query for all beats ("the biggest threat in each area") vs loading every
   report and counting in Python.
``--formats``: CSV and XLSX import beside reading the file alone (``measure_import(fmt, n)``,
importable for benchmarks/run_all.py).
Baselines that would take minutes run on a slice and are scaled up (marked "~").
Targets on the reference machine: import < 10 s, assignment < 0.5 s, diagnosis < 0.2 s.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import elapsed

from db.models import Beat, ThreatCategory, ThreatReport, ThreatStatus
from desktop.common.geo import (
    assign_points_to_beats,
    from_geojson,
    project,
)
from desktop.sample.generator import SampleSpec, generate
from desktop.startup import open_database
from desktop.threats.diagnosis import DiagnosisScope, top_threat_by_beat
from desktop.threats.importer import import_reports
from desktop.threats.readers import read_table


def random_points(boundaries, n, rng):
    area = shapely.union_all([from_geojson(b) for b in boundaries])
    minx, miny, maxx, maxy = area.bounds
    xs, ys = [], []
    while sum(len(x) for x in xs) < n:
        px, py = rng.uniform(minx, maxx, 2 * n), rng.uniform(miny, maxy, 2 * n)
        ok = shapely.contains_xy(area, px, py)
        xs.append(px[ok])
        ys.append(py[ok])
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


def write_kmzb_csv(path, lon, lat, categories, statuses, rng):
    east, north = project(lon, lat, 4326, 2180)
    start = int(dt.datetime(2017, 1, 1, tzinfo=dt.UTC).timestamp() * 1000)
    created = start + rng.integers(0, 730 * 86_400_000, len(lon))
    cat = rng.integers(0, len(categories), len(lon))
    st = rng.integers(0, len(statuses), len(lon))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("ID;Typ;Status;TERYT;Data utworzenia;Data zdarzenia;Data modyfikacji;X;Y\n")
        for i in range(len(lon)):
            f.write(f"B-{i};{categories[cat[i]]};{statuses[st[i]]};3062011;{created[i]};"
                    f"{created[i]};{created[i] + 86_400_000};{east[i]:.2f};{north[i]:.2f}\n")


def write_kmzb_xlsx(csv_path, xlsx_path):
    """The same reports as an XLSX sheet (openpyxl, write-only), numbers as numbers."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("KMZB")
    with open(csv_path, encoding="utf-8") as f:
        sheet.append(next(f).rstrip("\n").split(";"))
        for line in f:
            cells = line.rstrip("\n").split(";")
            sheet.append(cells[:4] + [int(c) for c in cells[4:7]] +
                         [float(c) for c in cells[7:]])
    book.save(xlsx_path)


def measure_import(fmt: str = "csv", n: int = 100_000, repeats: int = 3,
                   beats: int = 60) -> dict[str, float]:
    """Import of n KMZB reports from a CSV or XLSX file into a fresh SQLite database, beside
    reading the file alone (medians): {"read": s, "import": s, "reimport": s} wall-clock and
    the same keys with "_cpu" (this process's CPU time: on SQLite all the work is here, so it
    stays comparable when other programs load the machine). For benchmarks/run_all.py;
    targets at 100k: CSV <= 2 s, XLSX <= 3 s."""
    from db.engine import Database

    rng = np.random.default_rng(1)
    out: dict[str, list[float]] = {k: [] for k in ("read", "import", "reimport", "read_cpu",
                                                   "import_cpu", "reimport_cpu")}

    def both(key: str, fn, *args):
        cpu = time.process_time()
        wall, result = elapsed(fn, *args)
        out[key].append(wall)
        out[key + "_cpu"].append(time.process_time() - cpu)
        return result

    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template.db"
        db = open_database(f"sqlite:///{template}").db
        with db.session() as s, s.begin():
            generate(s, SampleSpec(reports=0, beats=beats, seed=3))
            boundaries = list(s.scalars(select(Beat.boundary).order_by(Beat.id)))
            categories = list(s.scalars(select(ThreatCategory.name)))
            statuses = list(s.scalars(select(ThreatStatus.name)))
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
        lon, lat = random_points(boundaries, n, rng)
        path = Path(tmp) / "kmzb.csv"
        write_kmzb_csv(path, lon, lat, categories, statuses, rng)
        if fmt == "xlsx":
            xlsx = Path(tmp) / "kmzb.xlsx"
            write_kmzb_xlsx(path, xlsx)
            path = xlsx
        for k in range(repeats):
            both("read", read_table, path)
            target = Path(tmp) / f"run{k}.db"
            shutil.copyfile(template, target)
            run_db = Database.open(f"sqlite:///{target}")
            result = both("import", import_reports, run_db, path)
            assert result.added == n, result.refusals[:3]
            both("reimport", import_reports, run_db, path)
            run_db.dispose()
    return {k: statistics.median(v) for k, v in out.items()}


def orm_row_by_row(db, rows):
    with db.session() as s, s.begin():
        for r in rows:
            s.add(ThreatReport(**r))
            s.flush()


def loop_point_in_polygon(lon, lat, boundaries, beat_ids):
    from shapely.geometry import Point

    geoms = [from_geojson(b) for b in boundaries]
    out = []
    for x, y in zip(lon, lat):
        p = Point(x, y)
        out.append(next((bid for g, bid in zip(geoms, beat_ids) if g.intersects(p)), -1))
    return out


def python_diagnosis(db, scope):
    """Every report loaded, counted per beat and category (and the previous period) in Python."""
    start = dt.datetime.combine(scope.date_from, dt.time())
    end = dt.datetime.combine(scope.date_to + dt.timedelta(days=1), dt.time())
    prev_start = dt.datetime.combine(scope.previous().date_from, dt.time())
    counts: dict[int, dict[int, int]] = {}
    previous: dict[int, int] = {}
    with db.session() as s:
        for beat_id, cat_id, when in s.execute(select(ThreatReport.beat_id,
                                                      ThreatReport.category_id,
                                                      ThreatReport.reported_at)):
            if beat_id is None:
                continue
            if start <= when < end:
                per = counts.setdefault(beat_id, {})
                per[cat_id] = per.get(cat_id, 0) + 1
            elif prev_start <= when < start:
                previous[beat_id] = previous.get(beat_id, 0) + 1
    return {b: max(c.items(), key=lambda kv: kv[1]) for b, c in counts.items()}, previous


def line(label, ours, base, target=None, approx=False):
    mark = "~" if approx else " "
    ok = "" if target is None else ("  OK" if ours < target else f"  ponad cel {target} s")
    print(f"{label:<38} {ours:8.3f} s   baseline {mark}{base:8.2f} s   "
          f"x{base / ours:7.1f}{ok}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--beats", type=int, default=60)
    ap.add_argument("--baseline-slice", type=int, default=5_000)
    ap.add_argument("--formats", action="store_true",
                    help="only CSV and XLSX import beside reading the file alone")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    if args.formats:
        for fmt, target in (("csv", 2.0), ("xlsx", 3.0)):
            m = measure_import(fmt, args.reports, args.repeats)
            print(f"import {args.reports} {fmt.upper():<4} {m['import']:7.3f} s "
                  f"(CPU {m['import_cpu']:.3f} s, cel {target} s)   ponowny {m['reimport']:7.3f} s"
                  f" (CPU {m['reimport_cpu']:.3f} s)   samo czytanie pliku {m['read']:7.3f} s "
                  f"(CPU {m['read_cpu']:.3f} s)")
        return 0
    rng = np.random.default_rng(1)
    n = args.reports
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/bench.db").db
        with db.session() as s, s.begin():
            generate(s, SampleSpec(reports=0, beats=args.beats, seed=3))
            pairs = s.execute(select(Beat.id, Beat.boundary).order_by(Beat.id)).all()
            categories = list(s.scalars(select(ThreatCategory.name)))
            statuses = list(s.scalars(select(ThreatStatus.name)))
            cat_ids = list(s.scalars(select(ThreatCategory.id)))
            st_ids = list(s.scalars(select(ThreatStatus.id)))
        boundaries, beat_ids = [b for _, b in pairs], [i for i, _ in pairs]
        lon, lat = random_points(boundaries, n, rng)
        csv_path = Path(tmp) / "kmzb.csv"
        write_kmzb_csv(csv_path, lon, lat, categories, statuses, rng)
        print(f"{n} zgłoszeń, {len(beat_ids)} rejonów, plik {csv_path.stat().st_size / 1e6:.1f} MB")

        # 1. import
        t_import, result = elapsed(import_reports, db, csv_path)
        assert result.added == n, result.refusals[:3]
        k = min(args.baseline_slice, n)
        rows = [dict(source_id=f"ORM-{i}", category_id=cat_ids[i % len(cat_ids)],
                     status_id=st_ids[i % len(st_ids)], reported_at=dt.datetime(2018, 1, 1),
                     lat=float(lat[i]), lon=float(lon[i])) for i in range(k)]
        t_orm, _ = elapsed(orm_row_by_row, db, rows)
        line(f"import {n} (CSV, EPSG:2180)", t_import, t_orm * n / k, 10.0, approx=k < n)
        t_reimport, again = elapsed(import_reports, db, csv_path)
        assert again.updated == n
        print(f"{'ponowny import (aktualizacja)':<38} {t_reimport:8.3f} s")

        # 2. assignment
        t_assign, assigned = elapsed(assign_points_to_beats, lon, lat, boundaries, beat_ids)
        k = min(args.baseline_slice, n)
        t_loop, looped = elapsed(loop_point_in_polygon, lon[:k], lat[:k], boundaries, beat_ids)
        assert list(assigned[:k]) == looped
        line(f"przypisanie {n} punktów do rejonów", t_assign, t_loop * n / k, 0.5,
             approx=k < n)

        # 3. diagnosis for all beats
        scope = DiagnosisScope(dt.date(2018, 1, 1), dt.date(2018, 12, 31))
        top_threat_by_beat(db, scope)  # warm the caches once, as in the running app
        t_diag = min(elapsed(top_threat_by_beat, db, scope)[0] for _ in range(3))
        t_py, _ = elapsed(python_diagnosis, db, scope)
        line("diagnoza: największe zagrożenie (wszystkie)", t_diag, t_py, 0.2)
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
