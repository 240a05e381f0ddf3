"""File dialogs that remember the last folder (one place for the whole application).

The folder is kept in ``razem.ini`` (QSettings, INI format) in the user data folder, so a
portable install and the tests (``RAZEM_DATA_DIR``) keep their own. Titles and filters are
Polish; Qt's own dialog texts come from the ``qtbase_pl`` translation loaded at start."""
from __future__ import annotations

import os

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from db.engine import data_dir

_KEY = "dialogs/last_folder"


def _settings() -> QSettings:
    return QSettings(str(data_dir() / "razem.ini"), QSettings.Format.IniFormat)


def last_folder() -> str:
    """The folder of the last file chosen in any dialog ("" before the first)."""
    folder = _settings().value(_KEY, "")
    return folder if isinstance(folder, str) and os.path.isdir(folder) else ""


def remember(path: str) -> None:
    if path:
        settings = _settings()
        settings.setValue(_KEY, os.path.dirname(os.path.abspath(path)))
        settings.sync()


def _start(suggested: str) -> str:
    folder = last_folder()
    if not suggested:
        return folder
    if os.path.isabs(suggested) or not folder:
        return suggested
    return os.path.join(folder, suggested)


def save_file_name(parent: QWidget | None, title: str, suggested: str = "",
                   filters: str = "") -> tuple[str, str]:
    """Like ``QFileDialog.getSaveFileName``, starting in the last folder; remembers it."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, _start(suggested), filters)
    remember(path)
    return path, chosen


def open_file_name(parent: QWidget | None, title: str, start: str = "",
                   filters: str = "") -> tuple[str, str]:
    """Like ``QFileDialog.getOpenFileName``, starting in the last folder; remembers it."""
    path, chosen = QFileDialog.getOpenFileName(parent, title, start or last_folder(), filters)
    remember(path)
    return path, chosen
