"""Shared fixtures. Environment for headless Qt/QtWebEngine is set at import time, before
pytest-qt creates the QApplication (see ../shared/notes/qt-headless.md).

Database fixtures run on BOTH engines: every test that uses ``empty_db`` or ``sample_db``
(directly or through another fixture) is collected twice, ``[sqlite]`` and ``[postgresql]``.
A test that truly needs one engine says so with ``@pytest.mark.engines("sqlite")``; the other
engine is then not collected (no skip). The PostgreSQL server is a private one started for
the session (see tests/pg_server.py); when none can be had, the PostgreSQL half is skipped on
a developer's machine but fails when ``CI=true`` or ``RAZEM_REQUIRE_POSTGRES=1``.
"""
from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# With DISPLAY set, the offscreen platform would open the X display for OpenGL (GLX); Qt
# WebEngine then probes that GL device and warns "Unable to detect GPU vendor" under Mesa's
# software renderer. Offscreen tests need no GL from X: keep them independent of DISPLAY.
os.environ.setdefault("QT_QPA_OFFSCREEN_NO_GLX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.pop("RAZEM_DATABASE_URL", None)

import pytest
from pg_server import PostgresServer, start_server, unavailable

from desktop.app.application import prepare_qt

prepare_qt()  # custom URL schemes etc. must exist before the QApplication
import PySide6.QtWebEngineWidgets  # noqa: F401  (must be imported before QApplication)

from db.engine import Database
from desktop.sample.generator import SampleSpec, generate
from desktop.startup import open_database

SAMPLE_REPORTS = 2000
ENGINES = ("sqlite", "postgresql")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "engines(*names): run the test's database fixtures only on these engines "
        "(default: sqlite and postgresql)")


def pytest_generate_tests(metafunc):
    """Parametrize every test that reaches ``db_engine`` over the engines it allows."""
    if "db_engine" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("engines")
    engines = marker.args if marker else ENGINES
    unknown = set(engines) - set(ENGINES)
    if unknown:
        raise pytest.UsageError(f"unknown database engine(s) {sorted(unknown)} in {metafunc.function}")
    metafunc.parametrize("db_engine", engines, indirect=True)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Keep every test away from the user's real data folder and database."""
    monkeypatch.setenv("RAZEM_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("RAZEM_DATABASE_URL", raising=False)


@pytest.fixture(autouse=True)
def _no_sample_marking_left_over():
    """Printouts are marked by process-wide state set when a database is opened; each test
    starts unmarked, as a process that has opened no sample."""
    from desktop.common.document import mark_sample_data

    mark_sample_data(False)
    yield
    mark_sample_data(False)


# --- PostgreSQL server -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> PostgresServer:
    """One private PostgreSQL server for the whole run (or RAZEM_TEST_POSTGRES_URL's)."""
    server, why = start_server()
    if server is None:
        unavailable(why)
    yield server
    server.stop()


_names = itertools.count(1)


def _fresh_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{next(_names)}"


@pytest.fixture(scope="session")
def postgres_url(postgres_server) -> str:
    """The URL of an empty database of its own on the test server (one per session)."""
    return postgres_server.create_database(_fresh_name("razem_test"))


@pytest.fixture(scope="session")
def _pg_templates(postgres_server):
    """Template databases built once: migrated and seeded ("empty") and with the sample."""
    built: dict[str, str] = {}

    def template(kind: str) -> str:
        if kind not in built:
            name = _fresh_name(f"tpl_{kind}")
            opened = open_database(postgres_server.create_database(name))
            if kind == "sample":
                with opened.db.session() as s, s.begin():
                    generate(s, SampleSpec(reports=SAMPLE_REPORTS, seed=7))
            opened.db.dispose()  # a template must have no connections when copied
            built[kind] = name
        return built[kind]

    return template


@pytest.fixture(scope="session")
def database_copy(request, tmp_path_factory):
    """``database_copy(engine, kind)`` -> ``(Database, close)``: a private copy of the "empty"
    or "sample" database on "sqlite" or "postgresql" (a file copy, or CREATE DATABASE ...
    TEMPLATE). For fixtures of any scope; ``empty_db``/``sample_db`` are built on it."""
    def make(engine: str, kind: str) -> tuple[Database, Callable[[], None]]:
        if engine == "postgresql":
            server = request.getfixturevalue("postgres_server")
            template = request.getfixturevalue("_pg_templates")(kind)
            name = _fresh_name(kind)
            db = Database.open(server.create_database(name, template=template))

            def close() -> None:
                db.dispose()
                server.drop_database(name)

            return db, close
        path = tmp_path_factory.mktemp(kind) / f"{kind}.db"
        if kind == "sample":
            shutil.copyfile(request.getfixturevalue("_sample_file"), path)
            db = Database.open(f"sqlite:///{path.as_posix()}")
        else:
            db = open_database(f"sqlite:///{path.as_posix()}").db
        return db, db.dispose

    return make


# --- database fixtures (both engines) --------------------------------------------------------

@pytest.fixture
def db_engine(request) -> str:
    """The engine of this test's database fixtures: "sqlite" or "postgresql"."""
    return request.param


@pytest.fixture
def empty_db(db_engine, database_copy) -> Database:
    """A migrated database with only the KMZB dictionaries (a SQLite file, or a PostgreSQL
    database of its own)."""
    db, close = database_copy(db_engine, "empty")
    yield db
    close()


@pytest.fixture(scope="session")
def _sample_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    opened = open_database(f"sqlite:///{path.as_posix()}")
    with opened.db.session() as s, s.begin():
        generate(s, SampleSpec(reports=SAMPLE_REPORTS, seed=7))
    with opened.db.engine.connect() as conn:  # fold the WAL into the file before copying
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    opened.db.dispose()
    return path


@pytest.fixture
def sample_db(db_engine, database_copy) -> Database:
    """A private copy of the sample database (24 beats, 2,000 reports, seed 7)."""
    db, close = database_copy(db_engine, "sample")
    yield db
    close()
