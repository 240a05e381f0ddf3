"""Where the database is and how to open it.

The default is a SQLite file in the per-user data folder (platformdirs; on Windows
under %LOCALAPPDATA%). ``--database URL`` or ``RAZEM_DATABASE_URL`` choose another,
for example a shared PostgreSQL server (``postgresql+psycopg://user@host/razem``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

APP_NAME = "Razem"
APP_AUTHOR = "KMP Konin"
ENV_DATABASE_URL = "RAZEM_DATABASE_URL"
ENV_DATA_DIR = "RAZEM_DATA_DIR"  # lets tests and portable installs move the data folder


def data_dir() -> Path:
    """The per-user data folder (created on demand)."""
    override = os.environ.get(ENV_DATA_DIR)
    path = Path(override) if override else Path(
        platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False)
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return f"sqlite:///{(data_dir() / 'razem.db').as_posix()}"


def resolve_database_url(cli_value: str | None = None) -> str:
    """CLI option first, then the environment, then the default SQLite file.

    A bare file path is accepted and taken as a SQLite file.
    """
    value = cli_value or os.environ.get(ENV_DATABASE_URL) or default_database_url()
    if "://" not in value:
        value = f"sqlite:///{Path(value).expanduser().resolve().as_posix()}"
    return value


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine with the settings Razem relies on (foreign keys and WAL on SQLite)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def describe(url: str) -> str:
    """A URL fit to show to the user (password hidden)."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


@dataclass
class Database:
    """An open database: its URL, engine and a session factory.

    Widgets never keep a session; services open a short one per operation.
    """

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str) -> "Database":
        engine = make_engine(url)
        return cls(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()
