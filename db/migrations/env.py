"""Alembic environment: uses the connection handed over by db.migrate when there is one."""
from __future__ import annotations

import os
import sys
import time
from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo

from db.engine import make_engine
from db.models import Base

config = context.config
target_metadata = Base.metadata


# Test-only: with RAZEM_TEST_MIGRATION_PAUSE=<seconds> each applied step announces itself on
# stderr and waits, still inside the upgrade's transaction, so a test can kill the process
# there (tests/foundation/test_upgrade_faults.py). Unset in normal use: nothing happens.
TEST_PAUSE_ENV = "RAZEM_TEST_MIGRATION_PAUSE"


def _pause_for_tests(ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any],
                     run_args: Mapping[str, Any]) -> None:
    seconds = os.environ.get(TEST_PAUSE_ENV)
    if seconds:
        print(f"razem-test: migracja {step.up_revision_id}", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        on_version_apply=_pause_for_tests,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("Brak adresu bazy (sqlalchemy.url) w konfiguracji Alembica.")
    engine = make_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
