"""Migrations: the migrated schema equals the models; SQLite is backed up before upgrading."""
from __future__ import annotations

import sqlite3

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from db.engine import Database
from db.migrate import alembic_config, current_revision, head_revision, upgrade
from db.models import Base


def test_migrated_schema_matches_models(tmp_path):
    db = Database.open(f"sqlite:///{(tmp_path / 'm.db').as_posix()}")
    upgrade(db.url, db.engine)
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    db.dispose()
    assert diff == []


def test_upgrade_backs_up_existing_sqlite_file_first(tmp_path):
    path = tmp_path / "old.db"
    url = f"sqlite:///{path.as_posix()}"
    db = Database.open(url)
    upgrade(db.url, db.engine)
    # Go back to an empty schema and leave a trace that must survive in the backup.
    cfg = alembic_config(url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
        conn.exec_driver_sql("CREATE TABLE marker (note TEXT)")
        conn.exec_driver_sql("INSERT INTO marker VALUES ('przed migracją')")
    assert current_revision(db.engine) is None

    backup = upgrade(db.url, db.engine)

    assert current_revision(db.engine) == head_revision()
    assert backup is not None and backup.exists() and backup != path
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT note FROM marker").fetchone() == ("przed migracją",)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "beats" not in tables  # the copy is from before the upgrade
    db.dispose()


def test_upgrade_at_head_makes_no_backup(tmp_path):
    db = Database.open(f"sqlite:///{(tmp_path / 'h.db').as_posix()}")
    upgrade(db.url, db.engine)
    assert upgrade(db.url, db.engine) is None
    assert not list(tmp_path.glob("*.bak*"))
    db.dispose()


def test_upgrade_from_first_schema_keeps_rows_and_fills_timestamps(tmp_path):
    path = tmp_path / "v1.db"
    url = f"sqlite:///{path.as_posix()}"
    db = Database.open(url)
    cfg = alembic_config(url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql("INSERT INTO database_info (key, value) VALUES ('sample_data', 'tak')")
    backup = upgrade(db.url, db.engine)
    assert backup is not None and current_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT value, created_at, updated_at FROM database_info").one()
    assert row[0] == "tak" and row[1] is not None and row[2] is not None
    db.dispose()
