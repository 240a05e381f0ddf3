"""The user's own settings that the command line needs too (Qt-free): today the database
address chosen in Plik › Ustawienia…, kept in ``settings.json`` in the user data folder.

Order of precedence for the database: ``--database`` > ``RAZEM_DATABASE_URL`` > this setting >
the default SQLite file. A change takes effect at the next start.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from db.engine import ENV_DATABASE_URL, data_dir

FILE_NAME = "settings.json"


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def _load() -> dict:
    try:
        raw = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def stored_database_url() -> str:
    """The address saved by the user ("" = the default file)."""
    value = _load().get("database_url", "")
    return value.strip() if isinstance(value, str) else ""


def save_database_url(url: str) -> None:
    """Write atomically (temp file + replace): a crash never leaves half a file."""
    values = _load()
    values["database_url"] = url.strip()
    path = settings_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def preferred_database(cli_value: str | None) -> str | None:
    """What to pass to ``resolve_database_url``: the command line, else (when the environment
    does not choose) the user's setting, else None for the default."""
    if cli_value:
        return cli_value
    if os.environ.get(ENV_DATABASE_URL):
        return None
    return stored_database_url() or None
