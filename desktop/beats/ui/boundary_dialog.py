"""Dialog "Importuj granice rejonów": read in a worker thread (progress, cancel), preview the
shapes and problems, save only a preview without errors (one transaction)."""
from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.beats.boundaries import (
    SUPPORTED_EPSG,
    BoundaryError,
    BoundaryPreview,
    match_beats,
    read_boundaries,
    save_boundaries,
)
from desktop.beats.mapsvg import MapShape, overview_svg
from desktop.common.geo import to_geojson
from desktop.common.ui import plain
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.file_dialogs import open_file_name
from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.common.ui.tables import Column, RowsTableModel, make_table


def read_preview(ctl: JobControl, db: Database, path: str,
                 epsg: int | None) -> BoundaryPreview:
    """Read and check the file, then match its features to beats (a background job; cancel
    stops it between features)."""
    preview = read_boundaries(path, epsg, lambda p: ctl.progress(p),
                              lambda: ctl.cancelled)
    return match_beats(db, preview)


class BoundaryImportDialog(QDialog):
    """Pick a file and coordinate system, see the preview, then save."""

    saved = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.job: Job | None = None
        self._jobs: list[Job] = []
        self.preview: BoundaryPreview | None = None
        self.setWindowTitle(self.tr("Import granic rejonów"))
        self.resize(1100, 700)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(self.tr("GeoJSON, KML albo spakowany Shapefile (.zip)"))
        browse = QPushButton(self.tr("Wybierz plik…"), self)
        browse.clicked.connect(self.choose_file)
        self.crs = QComboBox(self)
        self.crs.addItem(self.tr("układ: rozpoznaj automatycznie"), None)
        for code, name in SUPPORTED_EPSG.items():
            self.crs.addItem(name, code)
        self.read_button = QPushButton(self.tr("Wczytaj podgląd"), self)
        self.read_button.clicked.connect(self.start_read)
        self.cancel_button = QPushButton(self.tr("Przerwij"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_read)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        cols = [Column(self.tr("Lp."), lambda f: f.index + 1, True),
                Column(self.tr("Nr"), lambda f: f.number),
                Column(self.tr("Jednostka"), lambda f: f.unit),
                Column(self.tr("Nazwa"), lambda f: f.name),
                Column(self.tr("Rejon w bazie"), lambda f: f.beat_label),
                Column(self.tr("Pow. [km²]"), lambda f: f.area_km2, True,
                       lambda v: f"{v:.2f}".replace(".", ",")),
                Column(self.tr("Stan"), self._status)]
        self.model = RowsTableModel(cols, parent=self)
        self.view, self.proxy = make_table(
            self, self.model, lambda f: (f.number, f.name))
        self.picture = plain.plain_label(parent=self)
        self.picture.setMinimumSize(420, 300)
        self.messages = QTextBrowser(self)
        self.save_button = QPushButton(self.tr("Zapisz granice"), self)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("Zamknij"), self)
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.path, 1)
        top.addWidget(browse)
        top.addWidget(self.crs)
        top.addWidget(self.read_button)
        top.addWidget(self.cancel_button)
        split = QSplitter(self)
        split.addWidget(self.view)
        split.addWidget(self.picture)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        split.setSizes([620, 480])
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(split, 3)
        layout.addWidget(self.messages, 1)
        layout.addLayout(bottom)
        add_access_keys(self)  # Alt+letter for every button

    def _status(self, f) -> str:
        if f.error:
            return self.tr("błąd: {0}").format(f.error)
        if f.repaired:
            return self.tr("naprawiono ({0})").format(f.repaired)
        return self.tr("poprawny")

    def choose_file(self) -> None:
        path, _ = open_file_name(
            self, self.tr("Plik z granicami rejonów"), "",
            self.tr("Granice (*.geojson *.json *.kml *.zip)"))
        if path:
            self.path.setText(path)
            self.start_read()

    def start_read(self) -> None:
        if not self.path.text().strip():
            self.messages.setPlainText(self.tr("Wybierz plik."))
            return
        self.preview = None
        self.save_button.setEnabled(False)
        self.model.set_rows([])
        self.progress.setValue(0)
        self.read_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.messages.setPlainText(self.tr("Wczytywanie…"))
        self.job = run_job(read_preview, self._db, self.path.text().strip(),
                           self.crs.currentData(), name="odczyt granic rejonów",
                           expected=(BoundaryError,), parent=self,
                           on_progress=lambda percent, _text: self.progress.setValue(percent),
                           on_success=self._finished, on_failure=self._failed)
        self._jobs.append(self.job)  # kept until the dialog closes: results may still follow

    def wait_for_jobs(self) -> None:
        """Cancel and join every worker (closing the dialog, tests)."""
        for job in self._jobs:
            job.cancel()
            job.wait()

    def done(self, result: int) -> None:
        self.wait_for_jobs()
        super().done(result)

    def cancel_read(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _done(self) -> None:
        self.read_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.job = None

    def _failed(self, failure: JobFailure) -> None:
        self._done()
        self.progress.setValue(0)
        self.messages.setHtml("<p style='color:#a00000'>" + html.escape(failure.message)
                              + "</p>")

    def _finished(self, preview: BoundaryPreview) -> None:
        self._done()
        self.progress.setValue(100)
        self.preview = preview
        self.model.set_rows(preview.features)
        marked = {i for i, j, _ in preview.overlaps} | {j for _, j, _ in preview.overlaps}
        marked |= {f.index for f in preview.features if f.repaired}
        shapes = [MapShape(f.number or "?", to_geojson(f.geometry) if f.geometry else None)
                  for f in preview.features]
        pixmap = QPixmap()
        pixmap.loadFromData(overview_svg(shapes, marked).encode("utf-8"), "SVG")
        target = self.picture.size().expandedTo(QSize(420, 300))
        self.picture.setPixmap(pixmap.scaled(target, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))
        e = html.escape
        lines = [e(self.tr("Format: {0}; układ współrzędnych: {1}{2}; obiektów: {3}.").format(
            preview.source_format, SUPPORTED_EPSG[preview.epsg],
            self.tr(" (rozpoznany)") if preview.epsg_detected else "",
            len(preview.features)))]
        lines += [f"<span style='color:#a05000'>{e(w)}</span>" for w in preview.warnings]
        labels = {f.index: f.number for f in preview.features}
        for i, j, km2 in preview.overlaps:
            lines.append("<span style='color:#a05000'>" + e(self.tr(
                "Rejony {0} i {1} nakładają się na {2} km².").format(
                labels[i], labels[j], f"{km2:.3f}".replace(".", ","))) + "</span>")
        lines += [f"<span style='color:#a00000'>{e(x)}</span>" for x in preview.errors]
        if not preview.can_save:
            lines.append("<b>" + e(self.tr("Popraw błędy w pliku – nic nie zostanie zapisane."))
                         + "</b>")
        self.messages.setHtml("<br>".join(lines))
        self.save_button.setEnabled(preview.can_save)

    def save(self) -> None:
        if self.preview is None:
            return
        try:
            n = save_boundaries(self._db, self.preview)
        except BoundaryError as exc:
            self.messages.setHtml("<p style='color:#a00000'>" + html.escape(str(exc)) + "</p>")
            return
        self.saved.emit(n)
        self.accept()
