"""The dialog shown when a save would overwrite someone else's newer change.

"Pokaż ich zmiany" lists the fields whose stored value differs from the one being saved,
"Nadpisz" saves anyway (over the version now stored), "Anuluj" keeps their change.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.common.conflicts import ConflictError
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator

_tr = translator("conflicts")


class ConflictDialog(QDialog):
    """Asks what to do about a ConflictError; ``exec()`` is Accepted for "Nadpisz"."""

    def __init__(self, error: ConflictError, parent: QWidget | None = None):
        super().__init__(parent)
        self.error = error
        self.setWindowTitle(_tr("Zmiana zapisana na innym stanowisku"))
        self.setMinimumWidth(520)
        self.message = plain.plain_label(str(error), self)
        self.message.setWordWrap(True)
        self.table = QTableWidget(len(error.differences), 3, self)
        self.table.setHorizontalHeaderLabels([_tr("Pole"), _tr("Zapisane (ich)"),
                                              _tr("Twoje")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, d in enumerate(error.differences):
            for column, text in enumerate((d.label, d.theirs, d.mine)):
                self.table.setItem(row, column, QTableWidgetItem(text))  # plain text, no HTML
        self.table.resizeColumnsToContents()
        self.table.hide()
        self.show_button = QPushButton(_tr("Pokaż ich zmiany"), self)
        self.show_button.setCheckable(True)
        self.show_button.toggled.connect(self._toggle)
        self.show_button.setEnabled(bool(error.differences))
        self.overwrite_button = QPushButton(_tr("Nadpisz"), self)
        self.overwrite_button.setEnabled(not error.deleted)
        self.overwrite_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(_tr("Anuluj"), self)
        self.cancel_button.setDefault(True)  # the safe choice keeps their change
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addStretch(1)
        buttons.addWidget(self.overwrite_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _toggle(self, shown: bool) -> None:
        self.table.setVisible(shown)
        self.show_button.setText(_tr("Ukryj ich zmiany") if shown else _tr("Pokaż ich zmiany"))
        self.adjustSize()


def ask_overwrite(error: ConflictError, parent: QWidget | None = None) -> bool:
    """Show the conflict; True when the user chose "Nadpisz"."""
    return ConflictDialog(error, parent).exec() == QDialog.DialogCode.Accepted
