"""The automatic daily backup with rotation (called off the UI thread by the window)."""
from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

from db.engine import Database
from desktop.backup.core import BackupResult, backup_database, default_suffix, timestamped_name
from desktop.backup.dump import BackupError, Check
from desktop.backup.settings import BackupSettings

log = logging.getLogger("razem.backup")
AUTO_PREFIX = "razem-auto"
_AUTO_NAME = re.compile(rf"^{AUTO_PREFIX}-(\d{{8}})-(\d{{6}})\.(db|zip)$")


def auto_backups(folder: Path) -> list[Path]:
    """Automatic backups in the folder, oldest first (other files are never touched)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and _AUTO_NAME.match(p.name)]
    return sorted(found, key=lambda p: p.name)


def made_on(path: Path) -> dt.date | None:
    m = _AUTO_NAME.match(path.name)
    return dt.datetime.strptime(m.group(1), "%Y%m%d").date() if m else None


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest automatic backups beyond ``keep``; returns the deleted files."""
    files = auto_backups(folder)
    removed = files[:max(0, len(files) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def backup_due(settings: BackupSettings, today: dt.date | None = None) -> bool:
    today = today or dt.date.today()
    if not settings.enabled:
        return False
    return not any(made_on(p) == today for p in auto_backups(settings.folder_path()))


def run_auto_backup(db: Database, settings: BackupSettings, now: dt.datetime | None = None,
                    check: Check | None = None) -> BackupResult | None:
    """Make today's automatic backup if there is none yet, then rotate. None if not due."""
    now = now or dt.datetime.now()
    if not backup_due(settings, now.date()):
        return None
    folder = settings.folder_path()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Nie można utworzyć folderu kopii {folder}: "
                          f"{exc.strerror or exc}") from exc
    result = backup_database(db, folder / timestamped_name(AUTO_PREFIX, default_suffix(db), now),
                             check)
    removed = rotate(folder, settings.keep)
    log.info("automatyczna kopia %s; usunięto starych: %d", result.path.name, len(removed))
    return result
