"""Map settings as a page of Plik › Ustawienia…: offline tiles (MBTiles file) and the optional
online basemap. Saved to the map's own JSON file (desktop/map/settings.py); the map tab
rebuilds when the application announces the change (``AppContext.settingsChanged``)."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import open_file_name
from desktop.map.settings import MapSettings, load_settings, save_settings
from desktop.map.tiles import MBTilesError, read_info

SETTINGS_KEY = "map"  # what AppContext.settingsChanged carries after this page is applied


class MapSettingsPage(QWidget):
    """One page of the settings dialog (see desktop/app/settings.py for the protocol)."""

    key = SETTINGS_KEY

    def __init__(self, settings: MapSettings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._settings = settings if settings is not None else load_settings()
        self.mbtiles = QLineEdit(self._settings.mbtiles_path, self)
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
        self.online.setChecked(self._settings.online_tiles)
        self.online_url = QLineEdit(self._settings.online_url, self)
        note = plain.plain_label(self.tr("Plik MBTiles ma pierwszeństwo przed podkładem z "
                                         "internetu. Domyślnie mapa nie łączy się z internetem."),
                                 self)
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Kafelki offline (MBTiles):"), row)
        form.addRow(self.online)
        form.addRow(self.tr("Adres kafelków:"), self.online_url)
        form.addRow(note)

    def title(self) -> str:
        return self.tr("Mapa")

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

    def settings(self) -> MapSettings:
        return load_settings().with_changes(  # keeps what other places saved (colour mode)
            mbtiles_path=self.mbtiles.text().strip(),
            online_tiles=self.online.isChecked(),
            online_url=self.online_url.text().strip() or self._settings.online_url,
        )

    def apply(self) -> None:
        save_settings(self.settings())
