"""„Pobierz podkład na potrzeby pracy offline”: the tiles covering the beats into an MBTiles
file, with the planned count first, then progress, cancel and resume (desktop.map.download)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shapely.geometry.base import BaseGeometry

from db.engine import Database, data_dir
from desktop.common.text import plural
from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.map.basemap import SourceError, TileSource
from desktop.map.download import (
    MAX_ZOOM,
    DownloadCancelled,
    DownloadError,
    DownloadResult,
    area_from_outlines,
    download,
    outlines_from_database,
    plan_tiles,
)

DEFAULT_FILE = "podklad_offline.mbtiles"
AVERAGE_TILE_KB = 15  # a street map tile; aerial photos are larger


def _plan(ctl: JobControl, db: Database | None, area: BaseGeometry | None,
          zmin: int, zmax: int) -> tuple[BaseGeometry, int]:
    if area is None:
        if db is None:
            raise DownloadError("Brak bazy danych – nie wiadomo, jaki obszar pobrać.")
        area = area_from_outlines(outlines_from_database(db))
    ctl.check()
    return area, len(plan_tiles(area, zmin, zmax, lambda: ctl.cancelled))


def _download(ctl: JobControl, source: TileSource, area: BaseGeometry, zmin: int, zmax: int,
              out: str, rate: float) -> DownloadResult:
    try:
        return download(source, area, zmin, zmax, out, rate=rate, progress=ctl.progress,
                        cancelled=lambda: ctl.cancelled)
    except DownloadCancelled:
        ctl.check()  # the job reports it as cancelled
        raise


class BasemapDownloadDialog(QDialog):
    """After ``exec()``: ``use_file`` tells whether the map should use ``out_path`` now."""

    def __init__(self, source: TileSource, parent: QWidget | None = None,
                 db: Database | None = None, area: BaseGeometry | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pobierz podkład na potrzeby pracy offline"))
        self.source = source
        self._db = db
        self._area = area
        self.result_: DownloadResult | None = None
        self.use_file = False
        self.job: Job | None = None
        self._plan_job: Job | None = None
        self.planned = 0

        intro = plain.plain_label(self.tr(
            "Kafelki obszaru rejonów (z zapasem ok. 500 m) zostaną zapisane w pliku MBTiles. "
            "Mapa użyje go bez połączenia z siecią. Przerwane pobieranie można wznowić – "
            "kafelki już zapisane nie są pobierane ponownie."), self)
        intro.setWordWrap(True)
        self.server = plain.plain_label(source.host, self)
        self.zmin = QSpinBox(self)
        self.zmax = QSpinBox(self)
        for spin, value in ((self.zmin, 10), (self.zmax, 15)):
            spin.setRange(0, MAX_ZOOM)
            spin.setValue(value)
            spin.valueChanged.connect(self._schedule_plan)
        zooms = QHBoxLayout()
        zooms.addWidget(self.zmin)
        zooms.addWidget(plain.plain_label("–", self))
        zooms.addWidget(self.zmax)
        zooms.addStretch(1)
        self.estimate = plain.plain_label("", self)
        self.rate = QDoubleSpinBox(self)
        self.rate.setRange(0.5, 50.0)
        self.rate.setValue(8.0)
        self.rate.setSuffix(self.tr(" zapytań/s"))
        self.out = QLineEdit(str(data_dir() / DEFAULT_FILE), self)
        browse = QPushButton(self.tr("Wybierz…"), self)
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.use = QCheckBox(self.tr("Po pobraniu używaj tego pliku jako podkładu mapy"), self)
        self.use.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("Serwer:"), self.server)
        form.addRow(self.tr("Poziomy przybliżenia:"), zooms)
        form.addRow(self.tr("Do pobrania:"), self.estimate)
        form.addRow(self.tr("Tempo (najwyżej):"), self.rate)
        form.addRow(self.tr("Plik:"), out_row)
        form.addRow(self.use)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.status = plain.plain_label("", self)
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.start = self.buttons.addButton(self.tr("Pobierz"),
                                            QDialogButtonBox.ButtonRole.ActionRole)
        self.stop = self.buttons.addButton(self.tr("Przerwij"),
                                           QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("Zamknij"))
        self.stop.setEnabled(False)
        self.start.clicked.connect(self._start)
        self.stop.clicked.connect(self._stop)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(620, 380)
        self._plan_timer = QTimer(self, singleShot=True, interval=250)
        self._plan_timer.timeout.connect(self._plan)
        self._plan()

    @property
    def out_path(self) -> str:
        return self.out.text().strip()

    # --- the estimate ------------------------------------------------------------------

    def _schedule_plan(self) -> None:
        # The old estimate is stale at once: no download may start from it.
        if self._plan_job is not None:
            self._plan_job.cancel()
            self._plan_job = None
        self.start.setEnabled(False)
        self.estimate.setText(self.tr("liczę…"))
        self._plan_timer.start()

    def _plan(self) -> None:
        if self._plan_job is not None:
            self._plan_job.cancel()
        if self.zmin.value() > self.zmax.value():
            self.estimate.setText(self.tr("Poziom „od” nie może być większy niż „do”."))
            self.start.setEnabled(False)
            return
        self.estimate.setText(self.tr("liczę…"))
        self.start.setEnabled(False)
        job = run_job(_plan, self._db, self._area, self.zmin.value(), self.zmax.value(),
                      name="plan podkładu", parent=self, expected=(DownloadError,),
                      on_success=lambda r: self._planned(job, r),
                      on_failure=lambda f: self._plan_failed(job, f))
        self._plan_job = job

    def _planned(self, job: Job, result: tuple[BaseGeometry, int]) -> None:
        if job is not self._plan_job:
            return
        self._area, self.planned = result
        megabytes = self.planned * AVERAGE_TILE_KB / 1024
        self.estimate.setText(self.tr("{tiles}, ok. {mb:.0f} MB").format(
            tiles=plural(self.planned, "kafelek", "kafelki", "kafelków"), mb=max(1, megabytes)))
        self.start.setEnabled(self.job is None)

    def _plan_failed(self, job: Job, failure: JobFailure) -> None:
        if job is self._plan_job:
            self.estimate.setText(failure.message)
            self.start.setEnabled(False)

    # --- the download -----------------------------------------------------------------

    def _browse(self) -> None:
        path, _ = save_file_name(self, self.tr("Plik podkładu"), self.out_path,
                                 self.tr("Kafelki MBTiles (*.mbtiles)"))
        if path:
            self.out.setText(path if path.lower().endswith(".mbtiles") else path + ".mbtiles")

    def _start(self) -> None:
        if self._area is None or not self.out_path:
            return
        if not Path(self.out_path).parent.is_dir():
            self.status.setText(self.tr("Folder pliku nie istnieje: {0}").format(
                str(Path(self.out_path).parent)))
            return
        self._busy(True)
        self.status.setText(self.tr("Pobieranie…"))
        self.job = run_job(_download, self.source, self._area, self.zmin.value(),
                           self.zmax.value(), self.out_path, self.rate.value(),
                           name="pobieranie podkładu", parent=self,
                           expected=(DownloadError, SourceError),
                           on_progress=self._progress, on_success=self._done,
                           on_failure=self._failed, on_cancelled=self._cancelled,
                           on_finished=lambda: self._busy(False))

    def _busy(self, busy: bool) -> None:
        if not busy:
            self.job = None
        for w in (self.zmin, self.zmax, self.rate, self.out, self.start):
            w.setEnabled(not busy)
        self.stop.setEnabled(busy)

    def _progress(self, percent: int, text: str) -> None:
        self.bar.setValue(max(0, percent))
        if text:
            self.status.setText(text)

    def _done(self, result: DownloadResult) -> None:
        self.result_ = result
        self.bar.setValue(100)
        self.status.setText(self.tr(
            "Gotowe: {new} ({mb:.1f} MB), {old} już było w pliku, {missing} bez obrazu na "
            "serwerze.").format(new=plural(result.fetched, "nowy kafelek", "nowe kafelki",
                                           "nowych kafelków"),
                                mb=result.bytes / 1e6, old=result.already_there,
                                missing=result.missing))
        self.use_file = self.use.isChecked()
        self.close_button.setText(self.tr("Zamknij"))
        self.close_button.setDefault(True)

    def _failed(self, failure: JobFailure) -> None:
        self.status.setText(failure.message)

    def _cancelled(self) -> None:
        self.status.setText(self.tr("Przerwano. Pobrane kafelki zostały zapisane – ponowne "
                                    "„Pobierz” wznowi pobieranie."))

    def _stop(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def done(self, code: int) -> None:
        # Closing stops the download (tiles saved so far stay for a resume); a finished
        # download counts as accepted however the dialog is closed.
        for job in (self.job, self._plan_job):
            if job is not None:
                job.cancel()
        super().done(QDialog.DialogCode.Accepted.value if self.result_ is not None else code)
