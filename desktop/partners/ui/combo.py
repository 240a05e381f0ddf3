"""Combo-box item data without None.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` when None passes through a
QVariant (``addItem(text, None)``, ``currentData()`` of such an item or of an empty combo),
as it does on every call of a void Qt method; when None's count reaches zero the
interpreter aborts ("none_dealloc"). "No value" is therefore stored as NONE here. The general
problem needs Python >= 3.12 (immortal None) or another PySide6 build; see docs/partners.md.
"""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox

NONE = -1


def add_none_item(combo: QComboBox, text: str) -> None:
    combo.addItem(text, NONE)


def current_value(combo: QComboBox):
    """The current item's data, None for the NONE item or an empty combo."""
    if combo.currentIndex() < 0:
        return None
    value = combo.currentData()
    return None if value == NONE else value


def item_value(combo: QComboBox, index: int):
    if not 0 <= index < combo.count():
        return None
    value = combo.itemData(index)
    return None if value == NONE else value


def find_value(combo: QComboBox, value) -> int:
    return combo.findData(NONE if value is None else value)
