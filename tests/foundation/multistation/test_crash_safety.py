"""Crash safety: a process killed (SIGKILL) in the middle of a large import or of a schema
upgrade leaves a database that opens, passes PRAGMA integrity_check and holds all of the work
or none of it; doing it again then succeeds."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, select, text

from db.engine import Database
from db.migrate import alembic_config, current_revision, head_revision
from db.models import ThreatReport
from desktop.startup import open_database

ROOT = Path(__file__).resolve().parents[3]
ROWS = 60_000
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _razem(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "desktop", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> None:
    """SIGKILL the process as soon as ``ready()`` is true; fail if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the process ended before it could be killed: {err.decode()[-500:]}")
        if ready():
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            assert proc.returncode == -signal.SIGKILL
            proc.communicate()
            return
        time.sleep(0.01)
    proc.kill()
    pytest.fail("the moment to kill never came")


def _big_csv(path: Path) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        f.write("Id;Typ;Status;Data;Lat;Lon\n")
        for i in range(ROWS):
            f.write(f"K{i};Akty wandalizmu;Potwierdzone;2018-{1 + i % 12:02d}-"
                    f"{1 + i % 28:02d} 10:00;52.2{i % 90:02d};18.2{i % 70:02d}\n")
    return path


def _writing_sqlite(path: Path):
    wal = path.with_name(path.name + "-wal")
    return lambda: wal.exists() and wal.stat().st_size > 2_000_000


def _writing_postgres(url: str):
    db = Database.open(url)

    def ready() -> bool:
        with db.engine.connect() as conn:
            return bool(conn.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                "AND (query ILIKE 'INSERT INTO threat_reports%' "
                "OR query ILIKE 'COPY threat_reports%')")))
    ready.db = db  # type: ignore[attr-defined]
    return ready


def _integrity_ok(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def _reports(url: str) -> int:
    db = Database.open(url)
    try:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(ThreatReport))
    finally:
        db.dispose()


def test_killed_import_leaves_all_or_nothing(any_url, tmp_path):
    open_database(any_url).db.dispose()
    before = _reports(any_url)
    csv_path = _big_csv(tmp_path / "duzy.csv")
    if any_url.startswith("sqlite"):
        ready = _writing_sqlite(Path(any_url.removeprefix("sqlite:///")))
    else:
        ready = _writing_postgres(any_url)
    proc = _razem("import-reports", str(csv_path), "--database", any_url)
    try:
        _kill_when(proc, ready)
    finally:
        if hasattr(ready, "db"):
            ready.db.dispose()

    if any_url.startswith("sqlite"):
        _integrity_ok(any_url)
    after = _reports(any_url)
    assert after in (before, before + ROWS)
    assert after == before  # killed while writing: the transaction never committed

    done = subprocess.run([sys.executable, "-m", "desktop", "import-reports", str(csv_path),
                           "--database", any_url], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-800:]
    assert _reports(any_url) == before + ROWS


def _first_schema_with_rows(path: Path) -> str:
    """A database at revision 0001 with enough rows that the upgrade takes a while."""
    url = f"sqlite:///{path.as_posix()}"
    db = Database.open(url)
    cfg = alembic_config(url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    db.dispose()
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO database_info (key, value) VALUES (?, ?)",
                         ((f"klucz-{i:07d}", "x" * 40) for i in range(400_000)))
    return url


def test_killed_upgrade_leaves_a_database_that_opens_and_upgrades_again(tmp_path):
    path = tmp_path / "stara.db"
    url = _first_schema_with_rows(path)
    proc = _razem("db", "upgrade", "--database", url)
    _kill_when(proc, _writing_sqlite(path))  # the table is being copied by migration 0002

    _integrity_ok(url)
    db = Database.open(url)
    try:
        assert current_revision(db.engine) in ("0001", head_revision())
        with sqlite3.connect(path) as conn:
            leftovers = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE name LIKE '_alembic_tmp%'")]
        assert leftovers == []
    finally:
        db.dispose()

    retry = subprocess.run([sys.executable, "-m", "desktop", "db", "upgrade", "--database", url],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert retry.returncode == 0, retry.stderr[-800:]
    db = Database.open(url)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM database_info")) >= 400_000
    finally:
        db.dispose()
