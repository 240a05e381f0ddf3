""""Twój dzielnicowy…": leaflets and web pages of the selected beat or of a whole unit.

The beats are read and their maps drawn in a background job (progress, cancel between
beats); the web pages are written by the same job, the PDF by its child process (no Qt in the
job's thread); the print preview is laid out on the UI thread afterwards.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import last_folder, remember, save_file_name
from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.printing.pdfprocess import PdfChild, PdfFailed
from desktop.publish.content import BeatLeaflet, PublishError, collect, unit_beats, unit_choices

PREVIEW, PDF, HTML = "preview", "pdf", "html"


def prepare(ctl: JobControl, db: Database, beat_ids: list[int], on: dt.date, kind: str,
            target: str) -> tuple[str, list[BeatLeaflet], int]:
    """The background part: read the beats (progress per beat, cancel between beats), then
    write the web pages into the folder ``target`` or the PDF file ``target`` (laid out by a
    child process started first: no Qt in this thread, see desktop.printing.pdfprocess).
    Returns (kind, leaflets, files written or PDF pages)."""
    ctl.check()
    child = PdfChild() if kind == PDF else None  # its start-up overlaps the reading
    with child or contextlib.nullcontext():
        share = 40 if child is not None else 90

        def step(done: int, total: int) -> None:
            ctl.check()
            ctl.progress(done * share // max(total, 1), f"{done} / {total}")

        items = collect(db, beat_ids, on, progress=step)
        written = 0
        if kind == HTML:
            from desktop.publish.site import write_site

            written = len(write_site(items, target, check=ctl.check))
        elif child is not None:
            from desktop.publish.leaflet import document

            written = child.write(ctl, target, document(items),
                                  lambda done, total: ctl.progress(
                                      40 + done * 60 // max(total, 1), ""))
    ctl.progress(100, "")
    return kind, items, written


class PublishDialog(QDialog):
    """Choose the beat or the unit, then preview, save a PDF or save the web pages."""

    def __init__(self, db: Database, beat: tuple[int, str, int] | None, on: dt.date,
                 parent: QWidget | None = None):
        """``beat``: the selected beat as (id, label, unit id), or None."""
        super().__init__(parent)
        self._db = db
        self._beat = beat
        self.on = on
        self.job: Job | None = None
        self.last_written: str = ""
        self.setWindowTitle(self.tr("Twój dzielnicowy – publikacja"))
        self.one_beat = QRadioButton(
            self.tr("Wybrany rejon: {0}").format(beat[1]) if beat
            else self.tr("Wybrany rejon (najpierw wybierz rejon w tabeli)"), self)
        self.one_beat.setEnabled(beat is not None)
        self.whole_unit = QRadioButton(self.tr("Wszystkie rejony jednostki:"), self)
        group = QButtonGroup(self)
        group.addButton(self.one_beat)
        group.addButton(self.whole_unit)
        self.unit_combo = QComboBox(self)
        for uid, name in unit_choices(db):
            self.unit_combo.addItem(name, uid)
        if beat is not None:
            self.one_beat.setChecked(True)
            at = self.unit_combo.findData(beat[2])
            if at >= 0:
                self.unit_combo.setCurrentIndex(at)
        else:
            self.whole_unit.setChecked(True)
        self.unit_combo.currentIndexChanged.connect(lambda _i: self.whole_unit.setChecked(True))
        self.preview_button = QPushButton(self.tr("Podgląd wydruku…"), self)
        self.pdf_button = QPushButton(self.tr("Zapisz ulotki PDF…"), self)
        self.html_button = QPushButton(self.tr("Zapisz strony HTML…"), self)
        self.preview_button.clicked.connect(lambda: self.start(PREVIEW))
        self.pdf_button.clicked.connect(lambda: self.start(PDF))
        self.html_button.clicked.connect(lambda: self.start(HTML))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Przerwij"), self)
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self.message = plain.plain_label(parent=self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        grid = QGridLayout()
        grid.addWidget(self.one_beat, 0, 0, 1, 2)
        grid.addWidget(self.whole_unit, 1, 0)
        grid.addWidget(self.unit_combo, 1, 1)
        layout = QVBoxLayout(self)
        intro = plain.plain_label(
            self.tr("Ulotka A4 dla każdego rejonu (dzielnicowy i policjant ruchu drogowego "
                    "z kontaktami służbowymi, adres jednostki, ulice, mapa, priorytety) "
                    "oraz strony HTML do umieszczenia na stronie internetowej jednostki "
                    "(bez odwołań do internetu)."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(plain.plain_label(
            self.tr("Stan na dzień {0}").format(on.strftime("%d.%m.%Y")), self))
        row = QHBoxLayout()
        for b in (self.preview_button, self.pdf_button, self.html_button):
            row.addWidget(b)
        layout.addLayout(row)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel_button)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.setMinimumWidth(560)

    # -- what to publish ---------------------------------------------------------------
    def targets(self) -> tuple[list[int], str]:
        """Beat ids and a file-name stem ([] when nothing can be published)."""
        if self.one_beat.isChecked() and self._beat is not None:
            return [self._beat[0]], "twoj-dzielnicowy-rejon"
        uid = self.unit_combo.currentData()
        if uid is None:
            return [], ""
        from desktop.publish.site import slug

        return unit_beats(self._db, uid, self.on), \
            f"twoj-dzielnicowy-{slug(self.unit_combo.currentText())}"

    def _ask_pdf(self, stem: str) -> str:
        path, _ = save_file_name(self, self.tr("Zapisz ulotki PDF"), f"{stem}.pdf",
                                 self.tr("Dokument PDF (*.pdf)"))
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    def _ask_folder(self) -> str:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Folder na strony HTML „Twój dzielnicowy”"), last_folder())
        if folder:
            remember(os.path.join(folder, "index.html"))
        return folder

    # -- running -----------------------------------------------------------------------
    def start(self, kind: str, target: str | None = None) -> Job | None:
        """Prepare the leaflets in the background, then preview, save the PDF or (already in
        the job) write the pages. ``target``: the file or folder, asked for when None."""
        if self.job is not None:
            return None
        ids, stem = self.targets()
        if not ids:
            self.message.setText(self.tr("Brak rejonów do opublikowania."))
            return None
        if target is None and kind == PDF:
            target = self._ask_pdf(stem)
        elif target is None and kind == HTML:
            target = self._ask_folder()
        if kind != PREVIEW and not target:
            return None
        self._set_busy(True)
        self.message.setText(self.tr("Przygotowanie rejonów: {0}…").format(len(ids)))
        self.job = run_job(prepare, self._db, ids, self.on, kind, target or "",
                           name="„Twój dzielnicowy”", parent=self,
                           expected=(PublishError, OSError, PdfFailed),
                           on_progress=lambda pct, _t: self.progress.setValue(max(pct, 0)),
                           on_success=lambda result: self._ready(result, target or ""),
                           on_failure=self._failed, on_cancelled=self._cancelled,
                           on_finished=lambda: self._set_busy(False))
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self.job = None
        for b in (self.preview_button, self.pdf_button, self.html_button):
            b.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setValue(0)

    def _ready(self, result: tuple[str, list[BeatLeaflet], int], target: str) -> None:
        kind, items, written = result
        self._set_busy(False)
        if kind == HTML:
            self.last_written = os.path.join(target, "index.html")
            self.message.setText(self.tr("Zapisano {0} stron HTML w folderze {1} "
                                         "(początek: index.html).").format(written, target))
            return
        if kind == PDF:
            self.last_written = target
            self.message.setText(self.tr("Zapisano {0} (stron: {1}).").format(target, written))
            return
        from desktop.publish.leaflet import document

        doc = document(items)
        from desktop.printing.preview import make_preview_dialog

        self.message.setText("")
        make_preview_dialog(self, doc).exec()

    def _failed(self, failure: JobFailure) -> None:
        self.message.setText(self.tr("Nie udało się przygotować publikacji: {0}")
                             .format(failure.message))

    def _cancelled(self) -> None:
        self.message.setText(self.tr("Przerwano przygotowanie publikacji."))

    def wait(self) -> None:
        """Stop a running job and wait for it (closing the window, tests)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()

    def reject(self) -> None:
        self.wait()
        super().reject()
