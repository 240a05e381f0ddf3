"""Cost of the audit log, and speed of backups and restore, each beside a plain baseline.

    python benchmarks/audit_backup_benchmark.py [--partners 2000] [--reports 100000]

1. adding then editing N partners through the ORM with the audit log vs the same sessions
   without it (a sessionmaker with no audit events);
2. importing N KMZB reports (bulk statements: one audit entry per statement) with vs without;
3. backup of the resulting database: SQLite backup API (.db) and the portable dump (.zip), vs a
   plain file copy; restore of each.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import seconds

from db.engine import Database
from db.models import Partner, PartnerType
from desktop.backup.core import backup_database, restore_database
from desktop.startup import open_database
from desktop.threats.importer import import_reports


def _partners(db: Database, n: int, plain: bool) -> float:
    sessions = sessionmaker(db.engine, expire_on_commit=False) if plain else db.sessions

    def run() -> None:
        with sessions() as s, s.begin():
            s.add_all(Partner(name=f"Partner {i}", partner_type=PartnerType.NGO,
                              representative=f"Osoba {i}") for i in range(n))
        with sessions() as s, s.begin():
            for p in s.scalars(select(Partner)):
                p.phone = "63 240 00 00"
    return seconds(run)


def _csv(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        f.write("Id;Typ;Status;Data;Lat;Lon\n")
        for i in range(n):
            f.write(f"B{i};Akty wandalizmu;Potwierdzone;2018-{1 + i % 12:02d}-{1 + i % 28:02d}"
                    f" 10:00;52.2{i % 90:02d};18.2{i % 70:02d}\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--partners", type=int, default=2000)
    ap.add_argument("--reports", type=int, default=100_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="razem-bench-"))
    try:
        audited = open_database(f"sqlite:///{(tmp / 'a.db').as_posix()}").db
        plain = open_database(f"sqlite:///{(tmp / 'p.db').as_posix()}").db
        t_plain = _partners(plain, args.partners, plain=True)
        t_audit = _partners(audited, args.partners, plain=False)
        print(f"{args.partners} partners added and edited: with audit {t_audit:.2f} s, "
              f"baseline without audit {t_plain:.2f} s ({t_audit / t_plain:.2f}x)")

        csv_path = _csv(tmp / "r.csv", args.reports)
        plain.sessions = sessionmaker(plain.engine, expire_on_commit=False)  # no audit events
        t_plain = seconds(lambda: import_reports(plain, csv_path))
        t_audit = seconds(lambda: import_reports(audited, csv_path))
        print(f"import of {args.reports} reports: with audit {t_audit:.2f} s, "
              f"baseline without audit {t_plain:.2f} s")

        source = tmp / "a.db"
        with audited.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        size = source.stat().st_size / 1e6
        t_copy = seconds(lambda: shutil.copyfile(source, tmp / "copy.db"))
        for suffix in (".db", ".zip"):
            target = tmp / f"backup{suffix}"
            t_backup = seconds(lambda t=target: backup_database(audited, t))
            t_restore = seconds(lambda t=target: restore_database(audited, t))
            print(f"backup {suffix} of a {size:.0f} MB database: {t_backup:.2f} s "
                  f"({target.stat().st_size / 1e6:.1f} MB), restore {t_restore:.2f} s; "
                  f"baseline file copy {t_copy:.2f} s")
        audited.dispose()
        plain.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
