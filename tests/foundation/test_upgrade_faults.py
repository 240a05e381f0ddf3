"""Schema upgrades under faults: killed mid-way, a newer schema, a full disk for the backup.

Killing uses a real subprocess and SIGKILL. To land the kill inside the upgrade every time,
the test sets RAZEM_TEST_MIGRATION_PAUSE: db/migrations/env.py then prints a line after each
migration step (still inside the upgrade's transaction) and sleeps, so the kill arrives
between the steps' work and the commit. Without the variable nothing changes.
"""
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

from db.engine import Database
from db.migrate import SchemaUpgradeError, alembic_config, current_revision, head_revision, upgrade
from desktop.cli import main
from desktop.startup import open_database

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20000


def _database_at_first_schema(path: Path, rows: int = ROWS) -> str:
    url = f"sqlite:///{path.as_posix()}"
    db = Database.open(url)
    cfg = alembic_config(url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO database_info (key, value) SELECT 'k' || i, 'wartość ' || i FROM n",
            (rows,))
    db.dispose()
    # Outside any transaction (the engine begins every transaction explicitly).
    plain = sqlite3.connect(path, isolation_level=None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        plain.close()
    return url


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _revision(path: Path) -> str | None:
    db = Database.open(f"sqlite:///{path.as_posix()}")
    try:
        return current_revision(db.engine)
    finally:
        db.dispose()


def _backups(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.iterdir() if ".bak" in p.name)


def _upgrade_killed_mid_way(path: Path) -> None:
    env = dict(os.environ, RAZEM_TEST_MIGRATION_PAUSE="30", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "db", "upgrade", "--database", str(path)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        assert proc.stderr is not None
        line = ""
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if "razem-test: migracja" in line or not line:
                break
        assert "razem-test: migracja 0002" in line, line + proc.stderr.read()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL


def test_upgrade_killed_mid_way_leaves_the_old_schema_and_a_retry_succeeds(tmp_path, capsys):
    path = tmp_path / "stara.db"
    _database_at_first_schema(path)

    _upgrade_killed_mid_way(path)

    assert not {t for t in _tables(path) if t.startswith("_alembic_tmp")}
    assert _revision(path) == "0001"  # all or nothing
    assert len(_backups(path)) == 1

    _upgrade_killed_mid_way(path)  # a second interrupted try
    assert len(_backups(path)) == 1  # no second copy of the same state

    assert main(["db", "upgrade", "--database", str(path)]) == 0
    assert _revision(path) == head_revision()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM database_info").fetchone() == (ROWS,)
    assert len(_backups(path)) == 1
    assert "Uaktualniono" in capsys.readouterr().out


def test_leftover_batch_table_from_an_older_interrupted_upgrade_is_dropped(tmp_path):
    """What older versions left behind after a kill: the empty copy of the table."""
    path = tmp_path / "po-awarii.db"
    url = _database_at_first_schema(path, rows=10)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE _alembic_tmp_database_info (key VARCHAR(50) NOT NULL, "
                     "value TEXT NOT NULL, created_at DATETIME, updated_at DATETIME)")
    db = Database.open(url)
    try:
        upgrade(db.url, db.engine)
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()
    assert "_alembic_tmp_database_info" not in _tables(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM database_info").fetchone() == (10,)


def test_leftover_batch_table_without_its_original_is_not_dropped(tmp_path):
    path = tmp_path / "dziwna.db"
    url = _database_at_first_schema(path, rows=1)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE _alembic_tmp_old_thing (x TEXT)")
        conn.execute("INSERT INTO _alembic_tmp_old_thing VALUES ('dane')")
    db = Database.open(url)
    try:
        with pytest.raises(SchemaUpgradeError, match="_alembic_tmp_old_thing"):
            upgrade(db.url, db.engine)
        assert current_revision(db.engine) == "0001"
    finally:
        db.dispose()
    assert "_alembic_tmp_old_thing" in _tables(path)


def test_database_from_a_newer_schema_gets_one_polish_line(tmp_path, capsys):
    path = tmp_path / "nowsza.db"
    url = f"sqlite:///{path.as_posix()}"
    db = Database.open(url)
    upgrade(db.url, db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    db.dispose()

    assert main(["db", "upgrade", "--database", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "nowszej wersji programu" in err and "0099" in err
    assert _backups(path) == []
    with pytest.raises(SchemaUpgradeError, match="nowszej wersji programu"):
        open_database(url)  # what the window runs: its dialog shows this message


@pytest.fixture
def small_disk(tmp_path):
    """A real, tiny file system (tmpfs) so the backup runs out of space for real."""
    if os.geteuid() != 0:
        pytest.skip("montowanie tmpfs wymaga uprawnień administratora (root)")
    mount = tmp_path / "maly-dysk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_backup_on_a_full_disk_refuses_the_upgrade_and_leaves_no_empty_copy(
        tmp_path, small_disk, capsys):
    source = tmp_path / "zrodlo.db"
    _database_at_first_schema(source, rows=40000)
    assert 1_600_000 < source.stat().st_size < 3_000_000, source.stat().st_size
    path = small_disk / "razem.db"
    path.write_bytes(source.read_bytes())

    assert main(["db", "upgrade", "--database", str(path)]) == 1

    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "miejsca" in err and "kopi" in err
    # The start-up lock file (db.locking) is not a copy; nothing half-written is left.
    assert [p.name for p in small_disk.iterdir() if p.name != "razem.db"
            and not p.name.endswith(("-wal", "-shm", ".lock"))] == []
    assert _revision(path) == "0001"


def test_the_window_names_a_newer_schema_in_one_polish_message(qtbot, tmp_path):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.app.startup_dialog import open_with_progress

    path = tmp_path / "nowsza.db"
    db = Database.open(f"sqlite:///{path.as_posix()}")
    upgrade(db.url, db.engine)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    db.dispose()
    shown: list[tuple[str, Qt.TextFormat]] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append((box.text(), box.textFormat()))
            box.close()
        else:
            QTimer.singleShot(50, close_box)

    QTimer.singleShot(50, close_box)
    assert open_with_progress(str(path)) is None
    assert len(shown) == 1 and "nowszej wersji programu" in shown[0][0]
    assert "Traceback" not in shown[0][0] and shown[0][1] == Qt.TextFormat.PlainText
