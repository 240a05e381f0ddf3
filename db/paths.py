"""The per-user data folder and the application's names, without SQLAlchemy: the window
frame, the logs and the settings file need them before the database layer is imported
(issue 14: the window is shown before SQLAlchemy is loaded). ``db.engine`` re-exports them."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "Razem"
APP_AUTHOR = "KMP Konin"
ENV_DATA_DIR = "RAZEM_DATA_DIR"  # lets tests and portable installs move the data folder
ENV_DATABASE_URL = "RAZEM_DATABASE_URL"


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
