"""Map settings as a page of Plik › Ustawienia…: offline tiles (MBTiles file) and the optional
online basemap. Saved to the map's own JSON file (desktop/map/settings.py); the map tab
rebuilds when the application announces the change (``AppContext.settingsChanged``)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from db.engine import Database
from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import open_file_name
from desktop.map.basemap import KIND_LABELS, KINDS, SourceError, TileSource, make_source
from desktop.map.settings import MapSettings, load_settings, save_settings
from desktop.map.tiles import MBTilesError, read_info

SETTINGS_KEY = "map"  # what AppContext.settingsChanged carries after this page is applied


class MapSettingsPage(QWidget):
    """One page of the settings dialog (see desktop/app/settings.py for the protocol)."""

    key = SETTINGS_KEY

    def __init__(self, settings: MapSettings | None = None, parent: QWidget | None = None,
                 db: Database | None = None):
        super().__init__(parent)
        self._db = db
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
        self.online = QCheckBox(self.tr("Podkład z serwera (sieć Policji lub internet)"), self)
        self.online.setChecked(self._settings.online_tiles)
        self.kind = QComboBox(self)
        for kind in KINDS:
            self.kind.addItem(QCoreApplication.translate("basemap", KIND_LABELS[kind]), kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(self._settings.online_kind)))
        self.online_url = QLineEdit(self._settings.online_url, self)
        self.online_url.setPlaceholderText("http://serwer/kafelki/{z}/{x}/{y}.png")
        self.layers = QLineEdit(self._settings.online_layers, self)
        self.layers.setPlaceholderText(self.tr("tylko WMS i WMTS, np. ortofotomapa"))
        self.source_note = QLineEdit(self._settings.online_source_note, self)
        self.source_note.setPlaceholderText(self.tr("np. © Serwer map KWP w Poznaniu"))
        self.download = QPushButton(self.tr("Pobierz podkład na potrzeby pracy offline…"), self)
        self.download.setToolTip(self.tr("Zapisuje kafelki obszaru rejonów do pliku MBTiles, "
                                         "z którego mapa korzysta bez sieci."))
        self.download.clicked.connect(self._download)
        note = plain.plain_label(self.tr("Plik MBTiles ma pierwszeństwo przed podkładem z "
                                         "serwera. Domyślnie mapa nie łączy się z siecią."),
                                 self)
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Kafelki offline (MBTiles):"), row)
        form.addRow(self.online)
        form.addRow(self.tr("Rodzaj źródła:"), self.kind)
        form.addRow(self.tr("Adres:"), self.online_url)
        form.addRow(self.tr("Warstwa:"), self.layers)
        form.addRow(self.tr("Źródło (opis):"), self.source_note)
        form.addRow(self.download)
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
        if self.online.isChecked():
            try:
                self.tile_source()
            except SourceError as exc:
                return str(exc)
        return None

    def tile_source(self) -> TileSource:
        """The source as typed on the page; raises SourceError in Polish."""
        return make_source(self.kind.currentData(), self.online_url.text(), self.layers.text(),
                           self.source_note.text())

    def _download(self) -> None:
        from desktop.map.ui.basemap_dialog import BasemapDownloadDialog

        try:
            source = self.tile_source()
        except SourceError as exc:
            plain.message(self, plain.Icon.Warning, self.tr("Pobieranie podkładu"), str(exc))
            return
        dialog = BasemapDownloadDialog(source, self, self._db)
        if dialog.exec() and dialog.use_file:
            self.mbtiles.setText(dialog.out_path)

    def settings(self) -> MapSettings:
        return load_settings().with_changes(  # keeps what other places saved (colour mode)
            mbtiles_path=self.mbtiles.text().strip(),
            online_tiles=self.online.isChecked(),
            online_url=self.online_url.text().strip() or self._settings.online_url,
            online_kind=self.kind.currentData(),
            online_layers=self.layers.text().strip(),
            online_source_note=self.source_note.text().strip(),
        )

    def apply(self) -> None:
        save_settings(self.settings())
