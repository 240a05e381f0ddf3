"""Backups: backup → change → restore gives back identical data, on both engines and across
them; automatic daily backups with rotation; files readable by their owner only."""
from __future__ import annotations

import datetime as dt
import os
import stat
import sys

import pytest
from sqlalchemy import delete, select

from db.engine import Database
from db.models import AuditEntry, Officer, Partner, ThreatReport
from desktop.backup.auto import AUTO_PREFIX, auto_backups, rotate, run_auto_backup
from desktop.backup.core import backup_database, default_suffix, restore_database
from desktop.backup.dump import BackupError, reflect, table_rows
from desktop.backup.settings import BackupSettings, load_settings, save_settings
from desktop.cli import main as cli_main
from desktop.startup import open_database


def snapshot(db: Database, with_audit: bool = False) -> dict[str, list[tuple]]:
    """Every table's rows in primary-key order (the audit log separately: a restore adds
    its own entry)."""
    with db.engine.connect() as conn:
        return {t.name: [tuple(r.values()) for r in table_rows(conn, t)]
                for t in reflect(conn) if with_audit or t.name != "audit_log"}


def _change_everything(db: Database) -> None:
    with db.session() as s, s.begin():
        s.scalar(select(Officer).limit(1)).last_name = "Zmieniony"
        s.execute(delete(ThreatReport).where(ThreatReport.id <= 20))
        s.add(Partner(name="Nowy partner po kopii", partner_type="ngo"))


def _assert_restored(db: Database, before: dict, audit_before: list[tuple]) -> None:
    after = snapshot(db)
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], name
    audit = snapshot(db, with_audit=True)["audit_log"]
    assert audit[:len(audit_before)] == audit_before
    assert [r[5] for r in audit[len(audit_before):]] == ["restore"]


@pytest.mark.parametrize("suffix", [".db", ".zip"])
def test_backup_change_restore_gives_back_identical_data(any_db, tmp_path, suffix):
    if suffix == ".db" and any_db.engine.dialect.name != "sqlite":
        with pytest.raises(BackupError, match=r"\.zip"):
            backup_database(any_db, tmp_path / "kopia.db")
        return
    before = snapshot(any_db)
    audit_before = snapshot(any_db, with_audit=True)["audit_log"]
    assert sum(len(rows) for rows in before.values()) > 300
    result = backup_database(any_db, tmp_path / f"kopia{suffix}")
    _change_everything(any_db)
    assert snapshot(any_db) != before

    rows = restore_database(any_db, result.path)

    assert rows > 300
    _assert_restored(any_db, before, audit_before)
    # New rows continue after the restored ids (sequences reset on PostgreSQL).
    with any_db.session() as s, s.begin():
        s.add(Partner(name="Po odtworzeniu", partner_type="ngo"))


@pytest.mark.postgres
def test_a_server_dump_restores_into_sqlite_and_back(pg_fresh_url, tmp_path):
    server = open_database(pg_fresh_url).db
    from desktop.sample.generator import SampleSpec, generate

    with server.session() as s, s.begin():
        generate(s, SampleSpec(reports=100, seed=5))
    dump = backup_database(server, tmp_path / "serwer.zip").path
    before = snapshot(server)
    local = open_database(f"sqlite:///{(tmp_path / 'lokalna.db').as_posix()}").db
    restore_database(local, dump)
    assert snapshot(local) == before
    # ... and a SQLite file backup goes onto the server.
    file_backup = backup_database(local, tmp_path / "lokalna-kopia.db").path
    _change_everything(server)
    restore_database(server, file_backup)
    assert snapshot(server) == before
    local.dispose()
    server.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(empty_db, tmp_path):
    bogus = tmp_path / "nie-kopia.zip"
    bogus.write_bytes(b"PK\x03\x04 to nie jest zip")
    before = snapshot(empty_db)
    with pytest.raises(BackupError, match="nie jest kopią zapasową"):
        restore_database(empty_db, bogus)
    other = tmp_path / "obca.db"
    import sqlite3

    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="schemat"):
        restore_database(empty_db, other)
    assert snapshot(empty_db) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_database_and_backups_are_readable_by_their_owner_only(tmp_path):
    db = open_database(f"sqlite:///{(tmp_path / 'prywatna.db').as_posix()}").db
    backup = backup_database(db, tmp_path / "kopia.db").path
    dump = backup_database(db, tmp_path / "kopia.zip").path
    with db.session() as s, s.begin():
        s.add(Partner(name="P", partner_type="ngo"))
    # ... and the copy made before a schema upgrade.
    from alembic import command

    from db.migrate import alembic_config, upgrade

    cfg = alembic_config(db.url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    before_upgrade = upgrade(db.url, db.engine)
    assert before_upgrade is not None
    for path in [tmp_path / "prywatna.db", tmp_path / "prywatna.db-wal", backup, dump,
                 before_upgrade]:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    db.dispose()


def test_settings_round_trip_and_bad_values(tmp_path):
    assert load_settings() == BackupSettings()
    save_settings(BackupSettings(enabled=False, folder=str(tmp_path), keep=3))
    assert load_settings() == BackupSettings(False, str(tmp_path), 3)
    with pytest.raises(ValueError):
        save_settings(BackupSettings(keep=0))
    from desktop.backup.settings import settings_path

    settings_path().write_text('{"enabled": "tak", "keep": 9999, "folder": 5}', encoding="utf-8")
    assert load_settings() == BackupSettings(True, "", 365)


def test_daily_backup_once_a_day_keeps_the_newest_n(empty_db, tmp_path):
    folder = tmp_path / "kopie"
    settings = BackupSettings(enabled=True, folder=str(folder), keep=3)
    other = folder / "moja-kopia.db"
    folder.mkdir()
    other.write_bytes(b"nie ruszac")
    day = dt.datetime(2026, 11, 1, 8, 0)
    suffix = default_suffix(empty_db)  # .db for a SQLite file, .zip for a server
    for i in range(5):
        assert run_auto_backup(empty_db, settings, day + dt.timedelta(days=i)) is not None
        assert run_auto_backup(empty_db, settings, day + dt.timedelta(days=i, hours=3)) is None
    names = [p.name for p in auto_backups(folder)]
    assert names == [f"{AUTO_PREFIX}-2026110{d}-080000{suffix}" for d in (3, 4, 5)]
    assert other.exists()
    assert rotate(folder, 1) == [folder / names[0], folder / names[1]]
    assert run_auto_backup(empty_db, settings.with_changes(enabled=False)) is None


def test_cli_backup_and_restore(empty_db, tmp_path, capsys, monkeypatch):
    suffix = default_suffix(empty_db)
    target = tmp_path / f"cli{suffix}"
    assert cli_main(["backup", str(target), "--database", empty_db.url]) == 0
    with empty_db.session() as s, s.begin():
        s.add(Partner(name="Dodany po kopii", partner_type="ngo"))
    monkeypatch.setattr("builtins.input", lambda _prompt: "n")
    assert cli_main(["restore", str(target), "--database", empty_db.url]) == 1
    with empty_db.session() as s:
        assert s.scalar(select(Partner.name)) == "Dodany po kopii"
    assert cli_main(["restore", str(target), "--yes", "--database", empty_db.url]) == 0
    with empty_db.session() as s:
        assert s.scalar(select(Partner.name)) is None
        assert s.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "restore"
    saved = list((tmp_path / "userdata" / "kopie").glob(f"razem-przed-odtworzeniem-*{suffix}"))
    assert len(saved) == 1  # the state before the restore was kept
    assert cli_main(["restore", str(tmp_path / "brak.db"), "--yes",
                     "--database", empty_db.url]) == 2
    assert "nie ma pliku" in capsys.readouterr().err
