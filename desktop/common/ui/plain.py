"""Text from data shown in widgets as plain text, never as rich text.

Qt guesses rich text for labels, message boxes and tooltips whose text looks like HTML: a
partner called ``<img src=file:///…>`` would load a local file into a confirmation. Every
message box the program shows goes through ``message``/``ask`` here (plain text format);
tooltips that carry data go through ``plain_tooltip``; labels that show data are made with
``plain_label`` or get ``Qt.TextFormat.PlainText``. tests/common/test_plain_text.py checks
that no static QMessageBox call and no raw data tooltip is left in the program.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

Icon = QMessageBox.Icon
Button = QMessageBox.StandardButton


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                buttons: QMessageBox.StandardButton = Button.Ok,
                default: QMessageBox.StandardButton = Button.NoButton) -> QMessageBox:
    """A message box showing ``text`` literally (not yet shown)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    return box


def message(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> None:
    """Show a modal message (information, warning, critical) with an OK button."""
    message_box(parent, icon, title, text).exec()


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/No question (plain text); True when the user answered Yes."""
    box = message_box(parent, Icon.Question, title, text, Button.Yes | Button.No, Button.No)
    return box.exec() == Button.Yes


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally: escaped and marked as rich text, so Qt's
    guessing cannot turn tags in the data into markup."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>" if text else ""


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that shows its text literally."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def rich_label(parent: QWidget | None = None) -> QLabel:
    """A QLabel for HTML that the program builds itself with every data value escaped
    (``html.escape``); the format is fixed so nothing is left to Qt's guessing."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label
