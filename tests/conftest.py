"""Shared fixtures. Environment for headless Qt/QtWebEngine is set at import time, before
pytest-qt creates the QApplication (see ../shared/notes/qt-headless.md)."""
from __future__ import annotations

import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.pop("RAZEM_DATABASE_URL", None)

import pytest

from desktop.app.application import prepare_qt

prepare_qt()  # custom URL schemes etc. must exist before the QApplication
import PySide6.QtWebEngineWidgets  # noqa: F401  (must be imported before QApplication)

from db.engine import Database
from desktop.sample.generator import SampleSpec, generate
from desktop.startup import open_database

SAMPLE_REPORTS = 2000


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


@pytest.fixture
def empty_db(tmp_path) -> Database:
    """A migrated SQLite file with only the KMZB dictionaries."""
    opened = open_database(f"sqlite:///{(tmp_path / 'empty.db').as_posix()}")
    yield opened.db
    opened.db.dispose()


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
def sample_db(_sample_file, tmp_path) -> Database:
    """A private copy of the sample database (24 beats, 2,000 reports, seed 7)."""
    path = tmp_path / "sample.db"
    shutil.copyfile(_sample_file, path)
    db = Database.open(f"sqlite:///{path.as_posix()}")
    yield db
    db.dispose()
