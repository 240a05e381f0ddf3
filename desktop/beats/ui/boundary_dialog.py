"""Dialog "Importuj granice rejonów": read in a worker thread (progress, cancel), choose the
attributes holding the beat number and name, the unit and whether to create missing beats,
preview what each feature will do (create / update / refused with the reason), then save
what can be saved in one transaction (a worker too; cancel rolls it back)."""
from __future__ import annotations

import dataclasses
import html

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
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
from sqlalchemy import select

from db.engine import Database
from db.models import Unit
from desktop.beats.boundaries import (
    CREATE,
    SUPPORTED_EPSG,
    UPDATE,
    BoundaryError,
    BoundaryFeature,
    BoundaryPreview,
    read_boundaries,
)
from desktop.beats.boundary_formats import ENCODINGS
from desktop.beats.boundary_import import (
    NO_FIELD,
    ImportOptions,
    ImportSummary,
    match_beats,
    save_boundaries,
)
from desktop.beats.mapsvg import MapShape, overview_svg
from desktop.common.geo import to_geojson
from desktop.common.ui import plain
from desktop.common.ui.access_keys import add_access_keys
from desktop.common.ui.file_dialogs import open_file_name
from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.common.ui.tables import Column, RowsTableModel, make_table


def read_preview(ctl: JobControl, db: Database, path: str, epsg: int | None,
                 encoding: str | None, options: ImportOptions) -> BoundaryPreview:
    """Read and check the file, then match its features to beats (a background job; cancel
    stops it between features). Attributes chosen for an earlier file are kept when this
    file has them too, else guessed again."""
    preview = read_boundaries(path, epsg, lambda p: ctl.progress(p),
                              lambda: ctl.cancelled, encoding)
    number = options.number_field if options.number_field in preview.fields else None
    name = options.name_field if options.name_field in preview.fields else None
    return match_beats(db, preview, dataclasses.replace(options, number_field=number,
                                                        name_field=name))


def rematch(_ctl: JobControl, db: Database, preview: BoundaryPreview,
            options: ImportOptions) -> BoundaryPreview:
    return match_beats(db, preview, options)


def save(ctl: JobControl, db: Database, preview: BoundaryPreview) -> ImportSummary:
    return save_boundaries(db, preview, lambda: ctl.cancelled)


class BoundaryImportDialog(QDialog):
    """Pick a file, coordinate system and encoding; choose the attributes, unit and whether
    to create missing beats; see the preview, then save."""

    saved = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.job: Job | None = None
        self._jobs: list[Job] = []
        self.preview: BoundaryPreview | None = None
        self.summary: ImportSummary | None = None
        self._pending = False
        self.setWindowTitle(self.tr("Import granic rejonów"))
        self.resize(1100, 700)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(self.tr("GeoJSON, KML, KMZ albo spakowany Shapefile (.zip)"))
        browse = QPushButton(self.tr("Wybierz plik…"), self)
        browse.clicked.connect(self.choose_file)
        self.crs = QComboBox(self)
        self.crs.addItem(self.tr("układ: rozpoznaj automatycznie"), None)
        for code, name in SUPPORTED_EPSG.items():
            self.crs.addItem(name, code)
        self.encoding = QComboBox(self)
        self.encoding.addItem(self.tr("kodowanie: z pliku .cpg albo UTF-8/CP1250"), None)
        for codec, label in ENCODINGS.items():
            self.encoding.addItem(label, codec)
        self.encoding.setToolTip(plain.plain_tooltip(self.tr(
            "Kodowanie polskich liter w pliku .dbf spakowanego Shapefile'a")))
        self.read_button = QPushButton(self.tr("Wczytaj podgląd"), self)
        self.read_button.clicked.connect(self.start_read)
        self.cancel_button = QPushButton(self.tr("Przerwij"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_read)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)

        self.number_field = QComboBox(self)
        self.name_field = QComboBox(self)
        self.unit = QComboBox(self)
        self.create_missing = QCheckBox(self.tr("Utwórz brakujące rejony"), self)
        self._fill_units()
        for combo in (self.number_field, self.name_field, self.unit):
            combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(self.options_changed)
        self.create_missing.toggled.connect(self.options_changed)

        cols = [Column(self.tr("Lp."), lambda f: f.index + 1, True),
                Column(self.tr("Nr"), lambda f: f.number),
                Column(self.tr("Jednostka"), lambda f: f.unit),
                Column(self.tr("Nazwa"), lambda f: f.name),
                Column(self.tr("Rejon w bazie"), lambda f: f.beat_label),
                Column(self.tr("Pow. [km²]"), lambda f: f.area_km2, True,
                       lambda v: f"{v:.2f}".replace(".", ",")),
                Column(self.tr("Działanie"), self._action),
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
        top.addWidget(self.encoding)
        top.addWidget(self.read_button)
        top.addWidget(self.cancel_button)
        choices = QHBoxLayout()
        for text, combo in ((self.tr("Numer rejonu w atrybucie:"), self.number_field),
                            (self.tr("Nazwa w atrybucie:"), self.name_field),
                            (self.tr("Jednostka:"), self.unit)):
            caption = plain.plain_label(text, self)
            caption.setBuddy(combo)
            choices.addWidget(caption)
            choices.addWidget(combo, 1)
        choices.addWidget(self.create_missing)
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
        layout.addLayout(choices)
        layout.addWidget(self.progress)
        layout.addWidget(split, 3)
        layout.addWidget(self.messages, 1)
        layout.addLayout(bottom)
        add_access_keys(self)  # Alt+letter for every button

    # -- choices ----------------------------------------------------------------------------
    def _fill_units(self) -> None:
        with self._db.session() as s:
            units = [(u.id, u.short_name or u.name) for u in s.scalars(select(Unit)
                                                                        .order_by(Unit.id))]
        if len(units) != 1:
            self.unit.addItem(self.tr("według atrybutu „jednostka” / wszystkie"), None)
        for uid, label in units:
            self.unit.addItem(label, uid)

    def _fill_fields(self, preview: BoundaryPreview) -> None:
        """The file's attribute names in both combos, the ones used selected."""
        for combo in (self.number_field, self.name_field):
            combo.blockSignals(True)
            combo.clear()
        self.name_field.addItem(self.tr("(bez nazwy – „Rejon N”)"), NO_FIELD)
        for name in preview.fields:
            self.number_field.addItem(name, name)
            self.name_field.addItem(name, name)
        self.number_field.setCurrentIndex(self.number_field.findData(preview.number_field)
                                          if preview.number_field else -1)
        self.name_field.setCurrentIndex(max(0, self.name_field.findData(
            preview.name_field)) if preview.name_field else 0)
        for combo in (self.number_field, self.name_field):
            combo.blockSignals(False)

    def options(self) -> ImportOptions:
        return ImportOptions(self.number_field.currentData() or None,
                             self.name_field.currentData(), self.unit.currentData(),
                             self.create_missing.isChecked())

    def options_changed(self) -> None:
        """Match the file again with the new choices (the file is not read again)."""
        if self.preview is None:
            return
        if self.job is not None:
            self._pending = True  # matched again when the running job ends
            return
        self._start(rematch, self._db, self.preview, self.options(), name="dopasowanie rejonów")

    # -- jobs -------------------------------------------------------------------------------
    def _action(self, f: BoundaryFeature) -> str:
        if f.error:
            return self.tr("odrzucony")
        return {CREATE: self.tr("nowy rejon"), UPDATE: self.tr("nowa granica")}.get(f.action, "")

    def _status(self, f: BoundaryFeature) -> str:
        if f.error:
            return f.error
        if f.repaired:
            return self.tr("granica poprawiona ({0})").format(f.repaired)
        return self.tr("poprawny")

    def choose_file(self) -> None:
        path, _ = open_file_name(
            self, self.tr("Plik z granicami rejonów"), "",
            self.tr("Granice (*.geojson *.json *.kml *.kmz *.zip)"))
        if path:
            self.path.setText(path)
            self.start_read()

    def _start(self, fn, *args, name: str) -> None:
        self.save_button.setEnabled(False)
        self.progress.setValue(0)
        self.read_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = run_job(fn, *args, name=name, expected=(BoundaryError,), parent=self,
                           on_progress=lambda percent, _text: self.progress.setValue(percent),
                           on_success=self._finished, on_failure=self._failed,
                           on_cancelled=self._cancelled)
        self._jobs.append(self.job)  # kept until the dialog closes: results may still follow

    def start_read(self) -> None:
        if not self.path.text().strip():
            self.messages.setPlainText(self.tr("Wybierz plik."))
            return
        self.preview = None
        self.model.set_rows([])
        self.messages.setPlainText(self.tr("Wczytywanie…"))
        options = self.options()
        self._start(read_preview, self._db, self.path.text().strip(), self.crs.currentData(),
                    self.encoding.currentData(), options, name="odczyt granic rejonów")

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

    def _run_pending(self) -> None:
        if self._pending:
            self._pending = False
            self.options_changed()

    def _failed(self, failure: JobFailure) -> None:
        self._done()
        self.progress.setValue(0)
        self.messages.setHtml("<p style='color:#a00000'>" + html.escape(failure.message)
                              + "</p>")
        self.save_button.setEnabled(self.preview is not None and self.preview.can_save)
        self._run_pending()

    def _cancelled(self) -> None:
        self._done()
        self.messages.setPlainText(self.tr("Przerwano – nic nie zapisano."))
        self.save_button.setEnabled(self.preview is not None and self.preview.can_save)
        self._run_pending()

    def _finished(self, result: BoundaryPreview | ImportSummary) -> None:
        self._done()
        if isinstance(result, ImportSummary):
            self._saved(result)
            return
        self.progress.setValue(100)
        self.preview = preview = result
        if not self._pending:  # else the user's newer choice stays in the combos
            self._fill_fields(preview)
        self.model.set_rows(preview.features)
        self._draw(preview)
        e = html.escape
        created = sum(f.action == CREATE and not f.error for f in preview.features)
        updated = sum(f.action == UPDATE and not f.error for f in preview.features)
        lines = [e(self.tr("Format: {0}; układ współrzędnych: {1}{2}; obiektów: {3}.").format(
            preview.source_format, SUPPORTED_EPSG[preview.epsg],
            self.tr(" (rozpoznany)") if preview.epsg_detected else "",
            len(preview.features))),
            "<b>" + e(self.tr("Nowe rejony: {0}; nowe granice: {1}; odrzucone: {2}.").format(
                created, updated, len(preview.errors))) + "</b>"]
        lines += [f"<span style='color:#a05000'>{e(w)}</span>" for w in preview.warnings]
        labels = {f.index: f.number for f in preview.features}
        for i, j, km2 in preview.overlaps:
            lines.append("<span style='color:#a05000'>" + e(self.tr(
                "Rejony {0} i {1} nakładają się na {2} km².").format(
                labels[i], labels[j], f"{km2:.3f}".replace(".", ","))) + "</span>")
        lines += [f"<span style='color:#a00000'>{e(x)}</span>" for x in preview.errors]
        if not preview.can_save:
            lines.append("<b>" + e(self.tr("Wszystkie obiekty odrzucone – nic nie zostanie "
                                           "zapisane.")) + "</b>")
        elif preview.errors:
            lines.append("<b>" + e(self.tr("Odrzucone obiekty zostaną pominięte.")) + "</b>")
        self.messages.setHtml("<br>".join(lines))
        self.save_button.setEnabled(preview.can_save)
        self._run_pending()

    def _draw(self, preview: BoundaryPreview) -> None:
        marked = {i for i, j, _ in preview.overlaps} | {j for _, j, _ in preview.overlaps}
        marked |= {f.index for f in preview.features if f.repaired}
        shapes = [MapShape(f.number or "?", to_geojson(f.geometry) if f.geometry else None)
                  for f in preview.features]
        pixmap = QPixmap()
        pixmap.loadFromData(overview_svg(shapes, marked).encode("utf-8"), "SVG")
        target = self.picture.size().expandedTo(QSize(420, 300))
        self.picture.setPixmap(pixmap.scaled(target, Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))

    def save(self) -> None:
        if self.preview is None or not self.preview.can_save or self.job is not None:
            return
        self.messages.setPlainText(self.tr("Zapisywanie…"))
        self._start(save, self._db, self.preview, name="zapis granic rejonów")

    def _saved(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.progress.setValue(100)
        self.saved.emit(summary.saved)
        self.accept()
