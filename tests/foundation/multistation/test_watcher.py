"""Other workstations follow: a change committed by another process reaches this program's
tabs (ctx.notify) within a few seconds, on both engines; our own changes are not repeated."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.app.context import AppContext, Change
from desktop.app.watcher import ChangeWatcher, change_for_tables

ROOT = Path(__file__).resolve().parents[3]

OTHER_STATION = textwrap.dedent("""
    import sys
    from db.engine import Database
    from db.models import Officer, OfficerRole, Partner
    db = Database.open(sys.argv[1])
    with db.session() as s, s.begin():
        if sys.argv[2] == "officer":
            s.add(Officer(first_name="Inna", last_name="Stacja", service_number="W-9",
                          role=OfficerRole.TRAFFIC))
        else:
            s.add(Partner(name="Partner z innego stanowiska", partner_type="ngo"))
    db.dispose()
""")


def _other_station(url: str, what: str) -> None:
    subprocess.run([sys.executable, "-c", OTHER_STATION, url, what], cwd=ROOT, check=True,
                   timeout=60)


def test_tables_map_to_change_kinds():
    assert change_for_tables({"assignments", "officers"}) == Change.OFFICERS
    assert change_for_tables({"signatures", "threat_reports"}) == Change.PARTNERS | Change.REPORTS
    assert change_for_tables({"?"}) == Change.everything()
    assert change_for_tables(set()) == Change(0)


def test_a_change_on_another_workstation_reaches_the_tabs(qtbot, any_db):
    from tests.printing.qtcalls import worker_qt_calls

    ctx = AppContext(any_db)
    seen: list[Change] = []
    ctx.subscribe(Change.everything(), seen.append)
    watcher = ChangeWatcher(ctx, interval=0.2)
    with worker_qt_calls() as qt_calls:  # its thread makes no Qt call (deadlock: uicall)
        watcher.start()
    try:
        qtbot.wait(600)  # the watcher has its connection and baseline
        _other_station(any_db.url, "officer")
        qtbot.waitUntil(lambda: Change.OFFICERS in seen, timeout=5000)
        assert Change.PARTNERS not in seen
        _other_station(any_db.url, "partner")
        qtbot.waitUntil(lambda: Change.PARTNERS in seen, timeout=5000)
        # A change made by this program itself was notified by its tab already: not again.
        from db.models import Partner

        count = len(seen)
        with any_db.session() as s, s.begin():
            s.add(Partner(name="Własny", partner_type="ngo"))
        qtbot.wait(1200)
        assert len(seen) == count
    finally:
        watcher.stop()
    assert qt_calls.calls == [] and "razem-watcher" in qt_calls.threads


def test_a_restore_on_another_workstation_reloads_everything(qtbot, any_db, tmp_path):
    from desktop.backup.core import backup_database

    backup = backup_database(any_db, tmp_path / "kopia.zip").path
    ctx = AppContext(any_db)
    seen: list[Change] = []
    ctx.subscribe(Change.everything(), seen.append)
    watcher = ChangeWatcher(ctx, interval=0.2)
    watcher.start()
    try:
        qtbot.wait(600)
        subprocess.run([sys.executable, "-m", "desktop", "restore", str(backup), "--yes",
                        "--database", any_db.url], cwd=ROOT, check=True, timeout=120,
                       capture_output=True)
        qtbot.waitUntil(lambda: Change.everything() in seen, timeout=5000)
    finally:
        watcher.stop()


@pytest.mark.postgres
def test_watcher_reconnects_after_the_server_drops_it(qtbot, pg_fresh_url):
    from desktop.startup import open_database

    db = open_database(pg_fresh_url).db
    ctx = AppContext(db)
    seen: list[Change] = []
    ctx.subscribe(Change.everything(), seen.append)
    import desktop.app.watcher as watcher_module

    watcher_module.RETRY_SECONDS = 0.5
    watcher = ChangeWatcher(ctx, interval=0.2)
    watcher.start()
    try:
        qtbot.wait(600)
        with db.engine.connect() as conn:  # the server ends the listening session
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%%' AND pid <> pg_backend_pid()")
        # Missed notifications cannot be known: after reconnecting, everything is reloaded.
        qtbot.waitUntil(lambda: Change.everything() in seen, timeout=5000)
        _other_station(db.url, "officer")
        qtbot.waitUntil(lambda: seen[-1] == Change.OFFICERS, timeout=5000)
    finally:
        watcher.stop()
        watcher_module.RETRY_SECONDS = 5.0
        db.dispose()
