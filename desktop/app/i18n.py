"""Translation helpers for the Qt layer."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from desktop.common.labels import LABELS_CONTEXT, label


def tr_label(value: object) -> str:
    """The (translated) Polish label of a domain enum member or its stored value."""
    return QCoreApplication.translate(LABELS_CONTEXT, label(value))
