"""Map settings: offline tiles (MBTiles file) and the optional online basemap."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desktop.common.ui.file_dialogs import open_file_name
from desktop.map.settings import MapSettings
from desktop.map.tiles import MBTilesError, read_info


class MapSettingsDialog(QDialog):
    def __init__(self, settings: MapSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ustawienia mapy"))
        self._settings = settings
        self.mbtiles = QLineEdit(settings.mbtiles_path, self)
        self.mbtiles.setPlaceholderText(self.tr("brak – zarysy na jednolitym tle"))
        browse = QPushButton(self.tr("Wybierz…"), self)
        clear = QPushButton(self.tr("Usuń"), self)
        browse.clicked.connect(self._browse)
        clear.clicked.connect(self.mbtiles.clear)
        row = QHBoxLayout()
        row.addWidget(self.mbtiles, 1)
        row.addWidget(browse)
        row.addWidget(clear)
        self.online = QCheckBox(self.tr("Podkład z internetu (wymaga połączenia)"), self)
        self.online.setChecked(settings.online_tiles)
        self.online_url = QLineEdit(settings.online_url, self)
        note = QLabel(self.tr("Plik MBTiles ma pierwszeństwo przed podkładem z internetu. "
                              "Domyślnie mapa nie łączy się z internetem."), self)
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Kafelki offline (MBTiles):"), row)
        form.addRow(self.online)
        form.addRow(self.tr("Adres kafelków:"), self.online_url)
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = open_file_name(
            self, self.tr("Plik kafelków"), self.mbtiles.text(),
            self.tr("Kafelki MBTiles (*.mbtiles);;Wszystkie pliki (*)"))
        if path:
            self.mbtiles.setText(path)

    def validation_error(self) -> str | None:
        path = self.mbtiles.text().strip()
        if path:
            try:
                read_info(path)
            except MBTilesError as exc:
                return str(exc)
        url = self.online_url.text().strip()
        if self.online.isChecked() and not (url.startswith("https://") and "{z}" in url
                                            and "{x}" in url and "{y}" in url):
            return self.tr("Adres kafelków musi zaczynać się od https:// i zawierać "
                           "{z}, {x} i {y}.")
        return None

    def accept(self) -> None:
        error = self.validation_error()
        if error:
            QMessageBox.warning(self, self.tr("Ustawienia mapy"), error)
            return
        super().accept()

    def settings(self) -> MapSettings:
        return self._settings.with_changes(
            mbtiles_path=self.mbtiles.text().strip(),
            online_tiles=self.online.isChecked(),
            online_url=self.online_url.text().strip() or self._settings.online_url,
        )
