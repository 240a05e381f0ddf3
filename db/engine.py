"""Where the database is and how to open it.

The default is a SQLite file in the per-user data folder (platformdirs; on Windows
under %LOCALAPPDATA%). ``--database URL`` or ``RAZEM_DATABASE_URL`` choose another,
for example a shared PostgreSQL server (``postgresql+psycopg://user@host/razem``).
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

# Moved to db.paths (no SQLAlchemy there); still importable from here.
from db.paths import APP_AUTHOR as APP_AUTHOR
from db.paths import APP_NAME as APP_NAME
from db.paths import ENV_DATA_DIR as ENV_DATA_DIR
from db.paths import ENV_DATABASE_URL as ENV_DATABASE_URL
from db.paths import data_dir as data_dir
from db.paths import default_database_url as default_database_url
from db.paths import resolve_database_url as resolve_database_url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600 where the platform has modes);
    SQLite creates its -wal and -shm files with the same permissions. Existing files are left."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(fd)


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database file consistently with SQLite's online backup API (safe while
    other connections use the source)."""
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


# Execution option marking a write transaction; on SQLite it begins with BEGIN IMMEDIATE.
WRITE_OPTION = "razem_write"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # The driver must not open transactions on its own: SQLAlchemy emits BEGIN (below), so a
    # write transaction can take SQLite's write lock at its start.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writes are serialised on SQLite: a write transaction takes the write lock at BEGIN, so
    what it reads to check a rule cannot change before it writes (two workstations on one file
    wait for each other, up to busy_timeout, instead of both passing the check). Reads stay
    deferred and never block."""
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine with the settings Razem relies on (foreign keys and WAL on SQLite)."""
    try:
        u = make_url(url)
    except ValueError as exc:  # e.g. a port that is not a number
        raise ArgumentError(str(exc)) from exc
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            create_private_file(path)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # e.g. psycopg not installed
        from sqlalchemy.exc import NoSuchModuleError

        raise NoSuchModuleError(f"brak modułu Pythona {exc.name!r}") from exc


def describe(url: str) -> str:
    """A URL fit to show to the user (password hidden)."""
    try:
        path = sqlite_path(url)
        if path is not None:
            return str(path)
        return make_url(url).render_as_string(hide_password=True)
    except (ValueError, ArgumentError):  # unparseable: nothing to hide, show it as typed
        return url


class RazemSession(Session):
    """A session whose explicit ``begin()`` starts a write transaction.

    Services write inside ``with db.session() as s, s.begin():`` and read without ``begin()``;
    the explicit begin asks for the connection with WRITE_OPTION, so on SQLite it starts with
    BEGIN IMMEDIATE (see ``_sqlite_begin``). Other databases ignore the option.
    """

    def begin(self, nested: bool = False) -> SessionTransaction:
        transaction = super().begin(nested=nested)
        if not nested and self.bind is not None and self.bind.dialect.name == "sqlite":
            self.connection(execution_options={WRITE_OPTION: True})
        return transaction


@dataclass
class Database:
    """An open database: its URL, engine and a session factory.

    Widgets never keep a session; services open a short one per operation.
    """

    url: str
    engine: Engine
    sessions: sessionmaker[RazemSession]

    @classmethod
    def open(cls, url: str) -> Database:
        from db.audit import attach

        engine = make_engine(url)
        sessions = sessionmaker(engine, class_=RazemSession, expire_on_commit=False)
        attach(sessions)  # audit log of every change, in the same transaction
        return cls(url=url, engine=engine, sessions=sessions)

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()


def explain_database_error(exc: BaseException, url: str | None = None) -> str:
    """One Polish sentence for a database that cannot be opened or used, with the driver's
    own short reason after it (kept untranslated: it is what an administrator searches for)."""
    from sqlalchemy import exc as sa_exc

    where = f" {describe(url)}" if url else ""
    if isinstance(exc, sa_exc.NoSuchModuleError) and "Can't load plugin" in str(exc):
        return (f"Nieznany rodzaj bazy danych{where}; obsługiwane są sqlite:/// "
                f"i postgresql+psycopg://")
    if isinstance(exc, sa_exc.NoSuchModuleError):  # before ArgumentError, its base class
        return (f"Brak sterownika dla bazy{where} (dla PostgreSQL zainstaluj dodatek "
                f"„postgres”): {exc}")
    if isinstance(exc, sa_exc.ArgumentError):
        return f"Niepoprawny adres bazy danych{where}: {exc}"
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if isinstance(exc, sa_exc.OperationalError):
        return f"Nie można połączyć się z bazą danych{where}: {reason}"
    if isinstance(exc, sa_exc.DatabaseError):
        return f"Plik lub serwer{where} nie jest poprawną bazą programu Razem: {reason}"
    return f"Błąd bazy danych{where}: {reason}"
