"""A real, throw-away PostgreSQL server for the tests.

``start_server()`` uses, in this order:
1. ``RAZEM_TEST_POSTGRES_URL`` (a server you run; the role must be allowed to create databases),
2. PostgreSQL's binaries (``initdb``, ``pg_ctl``) from ``RAZEM_PG_BIN``, the PATH, Debian's
   ``/usr/lib/postgresql/*/bin`` (package ``postgresql``, installed by scripts/quickstart.py) or
   the ``pgserver`` wheel (Windows, installed by scripts/quickstart.py) — a private server in a
   temporary folder, on a Unix socket (no TCP port) or, on Windows, on 127.0.0.1, with fsync off,
   removed again at the end of the run.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url

ENV_URL = "RAZEM_TEST_POSTGRES_URL"
ENV_BIN = "RAZEM_PG_BIN"


def postgres_required() -> bool:
    """In CI (and on request) a missing PostgreSQL server fails the run instead of skipping."""
    return (os.environ.get("CI", "").lower() in ("1", "true", "yes")
            or os.environ.get("RAZEM_REQUIRE_POSTGRES", "") == "1")


def unavailable(why: str) -> NoReturn:
    """No server: fail in CI (a skipped engine is a failure there), skip elsewhere."""
    if postgres_required():
        pytest.fail(f"PostgreSQL is required here (CI / RAZEM_REQUIRE_POSTGRES) but: {why}",
                    pytrace=False)
    pytest.skip(f"no PostgreSQL server: {why}")


@dataclass
class PostgresServer:
    """A server the tests may create and drop databases on."""

    admin_url: URL  # a URL of a database that always exists (postgres)
    stop_server: Callable[[], None] = lambda: None
    _admin: Engine | None = field(default=None, repr=False)
    _created: set[str] = field(default_factory=set, repr=False)

    def url(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    def _engine(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        return self._admin

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (a copy of ``template`` if given) and return its URL."""
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}" STRATEGY FILE_COPY'
        with self._engine().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(sql))
        self._created.add(name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self._engine().connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._created.discard(name)

    def stop(self) -> None:
        if self._admin is not None:
            for name in list(self._created):  # matters on a server we do not own
                self.drop_database(name)
            self._admin.dispose()
        self.stop_server()


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path))


def find_bin_dir() -> Path | None:
    """The folder with initdb and pg_ctl, or None."""
    exe = ".exe" if os.name == "nt" else ""
    candidates: list[Path] = []
    if os.environ.get(ENV_BIN):
        candidates.append(Path(os.environ[ENV_BIN]))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=_version_key, reverse=True)]
    try:  # the pgserver wheel ships PostgreSQL's binaries (used on Windows)
        import pgserver  # type: ignore[import-not-found]

        candidates.append(Path(pgserver.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    for folder in candidates:
        if (folder / f"initdb{exe}").exists() and (folder / f"pg_ctl{exe}").exists():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[PostgresServer | None, str]:
    """A server, or None and the reason why none could be had."""
    url = os.environ.get(ENV_URL)
    if url:
        return PostgresServer(make_url(url)), ""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        return None, ("no PostgreSQL binaries (initdb, pg_ctl) found: install the Debian package "
                      "'postgresql' (scripts/quickstart.py test does), set RAZEM_PG_BIN to their "
                      "folder, or set RAZEM_TEST_POSTGRES_URL")
    base = tempfile.mkdtemp(prefix="razem-pg-")
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # the server refuses to run as root
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            return None, "running as root and there is no 'postgres' user to run the server"
        os.chmod(base, 0o755)
        shutil.chown(base, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(base, "data")
    log = os.path.join(base, "server.log")
    initdb, pg_ctl = str(bin_dir / "initdb"), str(bin_dir / "pg_ctl")
    options = "-F -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
    if os.name == "nt":
        port = _free_port()
        options += f" -c listen_addresses=127.0.0.1 -p {port}"
        admin = URL.create("postgresql+psycopg", username="razem", host="127.0.0.1", port=port,
                           database="postgres")
    else:
        options += f" -k {base} -c listen_addresses=''"
        admin = URL.create("postgresql+psycopg", username="razem", database="postgres",
                           query={"host": base})

    def run(*cmd: str) -> None:
        subprocess.run([*prefix, *cmd], check=True, capture_output=True, text=True)

    try:
        run(initdb, "-D", data, "-A", "trust", "-U", "razem", "-E", "UTF8", "--locale=C",
            "--no-sync")
        run(pg_ctl, "-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start")
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or ""
        if os.path.exists(log):
            detail += Path(log).read_text(errors="replace")[-2000:]
        shutil.rmtree(base, ignore_errors=True)
        return None, f"starting a private server from {bin_dir} failed: {exc}\n{detail}"

    def stop() -> None:
        subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

    return PostgresServer(admin, stop), ""
