"""Every table's rows (the audit log too) in primary-key order: compared before and after an
import that was refused or cancelled, to prove the database is unchanged."""
from __future__ import annotations

from db.engine import Database
from desktop.backup.dump import reflect, table_rows


def snapshot(db: Database) -> dict[str, list[tuple]]:
    with db.engine.connect() as conn:
        return {t.name: [tuple(r.values()) for r in table_rows(conn, t)] for t in reflect(conn)}


def assert_unchanged(db: Database, before: dict[str, list[tuple]]) -> None:
    after = snapshot(db)
    assert after.keys() == before.keys()
    for name in before:
        assert after[name] == before[name], f"table {name} changed"
