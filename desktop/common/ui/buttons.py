"""The one OK/Cancel button box for dialogs, with Polish labels.

    layout.addWidget(ok_cancel_buttons(self, self.tr("Zapisz"), on_ok=self.save))
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from desktop.common.ui.i18n import translator

_tr = translator("buttons")


def ok_cancel_buttons(dialog: QDialog, ok_text: str | None = None,
                      on_ok: Callable[[], None] | None = None) -> QDialogButtonBox:
    """OK ("OK", or ``ok_text`` such as "Zapisz") and "Anuluj". OK calls ``on_ok`` (which
    checks the input and accepts the dialog itself), or accepts; "Anuluj" rejects."""
    Button = QDialogButtonBox.StandardButton
    buttons = QDialogButtonBox(Button.Ok | Button.Cancel, dialog)
    buttons.button(Button.Ok).setText(ok_text or _tr("OK"))
    buttons.button(Button.Cancel).setText(_tr("Anuluj"))
    buttons.accepted.connect(on_ok or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
