"""A real, throw-away PostgreSQL server for the tests that prove PostgreSQL works.

Uses RAZEM_TEST_POSTGRES_URL when set; otherwise starts a private server from the machine's
PostgreSQL binaries on a Unix socket (no TCP port) and removes it afterwards.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile

import pytest


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@pytest.fixture(scope="session")
def postgres_url():
    url = os.environ.get("RAZEM_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("brak serwera PostgreSQL (initdb/pg_ctl); ustaw RAZEM_TEST_POSTGRES_URL")
    base = tempfile.mkdtemp(prefix="razem-pg-")
    os.chmod(base, 0o755)
    prefix: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        shutil.chown(base, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(base, "data")
    run = lambda *cmd: subprocess.run([*prefix, *cmd], check=True, capture_output=True)
    run(initdb, "-D", data, "-A", "trust", "-U", "razem", "-E", "UTF8", "--locale=C", "--no-sync")
    run(pg_ctl, "-D", data, "-l", os.path.join(base, "server.log"), "-w", "-o",
        f"-k {base} -c listen_addresses='' -F", "start")
    try:
        run(_pg_bin("createdb") or "createdb", "-h", base, "-U", "razem", "razem_test")
        yield f"postgresql+psycopg://razem@/razem_test?host={base}"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
