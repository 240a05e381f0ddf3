"""The one home of translation helpers for the Qt layer. Inside a QObject use ``self.tr``;
for module-level Polish text:

    _tr = translator("partners")
    label = _tr("Nazwa")

and ``tr_label(member)`` for the Polish label of a domain enum member.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication


def translator(context: str) -> Callable[[str], str]:
    """A function translating text in the Qt translation ``context``."""

    def tr(text: str) -> str:
        return QCoreApplication.translate(context, text)

    return tr


def tr_label(value: object) -> str:
    """The (translated) Polish label of a domain enum member or its stored value."""
    # Here, not at the top: the labels import the models (SQLAlchemy), which the window
    # frame shown at start-up must not wait for (issue 14).
    from desktop.common.labels import LABELS_CONTEXT, label

    return QCoreApplication.translate(LABELS_CONTEXT, label(value))
