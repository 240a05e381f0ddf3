"""Backup settings in a small JSON file in the user data folder (Qt-free).

The automatic backup runs at start and once a day while the program is open; it keeps the
newest ``keep`` automatic copies in ``folder`` (default: ``kopie`` in the data folder).
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from db.engine import create_private_file, data_dir

FILE_NAME = "backup_settings.json"
KEEP_MIN, KEEP_MAX = 1, 365


@dataclass(frozen=True)
class BackupSettings:
    enabled: bool = True
    folder: str = ""  # "" = <data folder>/kopie
    keep: int = 7

    def with_changes(self, **changes) -> BackupSettings:
        return replace(self, **changes)

    def folder_path(self) -> Path:
        return Path(self.folder).expanduser() if self.folder.strip() else data_dir() / "kopie"


def settings_path() -> Path:
    return data_dir() / FILE_NAME


def load_settings() -> BackupSettings:
    """The saved settings; defaults for a missing or unreadable file (never an error)."""
    try:
        raw = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BackupSettings()
    if not isinstance(raw, dict):
        return BackupSettings()
    d = BackupSettings()
    enabled = raw.get("enabled", d.enabled)
    folder = raw.get("folder", d.folder)
    keep = raw.get("keep", d.keep)
    return BackupSettings(
        enabled=enabled if isinstance(enabled, bool) else d.enabled,
        folder=folder if isinstance(folder, str) else d.folder,
        keep=min(KEEP_MAX, max(KEEP_MIN, keep)) if isinstance(keep, int)
        and not isinstance(keep, bool) else d.keep,
    )


def save_settings(settings: BackupSettings) -> None:
    """Write atomically (a temporary file replaced in one step)."""
    if not KEEP_MIN <= settings.keep <= KEEP_MAX:
        raise ValueError(f"liczba kopii musi być od {KEEP_MIN} do {KEEP_MAX}")
    path = settings_path()
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    create_private_file(tmp)
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
