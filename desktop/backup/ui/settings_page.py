"""Backup settings as a page for the settings dialog (and a small standalone dialog)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop.backup.settings import (
    KEEP_MAX,
    KEEP_MIN,
    BackupSettings,
    load_settings,
    save_settings,
)
from desktop.common.ui import plain


class BackupSettingsPage(QWidget):
    """``title()`` for the page list, ``apply()`` saves (a hosting dialog calls it on OK)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        settings = load_settings()
        self.enabled = QCheckBox(self.tr("Automatyczna kopia raz dziennie"), self)
        self.enabled.setChecked(settings.enabled)
        self.folder = QLineEdit(settings.folder, self)
        self.folder.setPlaceholderText(str(BackupSettings().folder_path()))
        browse = QPushButton(self.tr("Wybierz…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.keep = QSpinBox(self)
        self.keep.setRange(KEEP_MIN, KEEP_MAX)
        self.keep.setValue(settings.keep)
        self.keep.setSuffix(self.tr(" najnowszych"))
        note = plain.plain_label(self.tr(
            "Kopia jest robiona przy uruchomieniu programu i raz dziennie, w tle. Starsze "
            "kopie automatyczne ponad podaną liczbę są usuwane; inne pliki w folderze "
            "zostają. Kopia bazy na serwerze PostgreSQL to plik .zip (zob. podręcznik "
            "administratora: kopie robione na serwerze)."), self)
        note.setWordWrap(True)
        note.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(self.tr("Folder kopii:"), row)
        form.addRow(self.tr("Zachowuj kopii:"), self.keep)
        form.addRow(note)

    def title(self) -> str:
        return self.tr("Kopie zapasowe")

    def settings(self) -> BackupSettings:
        return BackupSettings(enabled=self.enabled.isChecked(), folder=self.folder.text().strip(),
                              keep=self.keep.value())

    def apply(self) -> None:
        save_settings(self.settings())

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder kopii zapasowych"),
                                                self.folder.text() or
                                                str(BackupSettings().folder_path()))
        if path:
            self.folder.setText(path)
