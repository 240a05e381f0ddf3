"""The beat summary on paper: print preview to the system printer, save dialog, and the
worker that collects the summaries (files from the command line: ``summary.write_beats_pdf``)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.beats.summary import beat_document, collect_many, document
from desktop.beats.ui.common import ThreadJob
from desktop.printing.preview import make_preview_dialog


def preview_dialog(parent: QWidget | None, db: Database, beat_ids: list[int],
                   on: dt.date | None = None) -> QPrintPreviewDialog:
    return make_preview_dialog(parent, beat_document(db, beat_ids, on))


class _Cancelled(Exception):
    pass


class PrepareJob(ThreadJob):
    """Collects the summaries of several beats in a worker thread (database reads and map
    drawing), with progress per beat and cancel; the pages are laid out later on the UI
    thread (QTextDocument must live there)."""

    thread_name = "beat-summaries"
    progress = Signal(int, int)  # beats done, beats in all
    finished = Signal(object)  # PagedDocument
    failed = Signal(str)

    def __init__(self, db: Database, beat_ids: list[int], on: dt.date | None = None):
        super().__init__()
        self._db, self._ids, self._on = db, list(beat_ids), on

    def _step(self, done: int, total: int) -> None:
        if self._cancelled:
            raise _Cancelled
        self.progress.emit(done, total)

    def run(self) -> None:
        try:
            if self._cancelled:
                raise _Cancelled
            self.finished.emit(document(collect_many(self._db, self._ids, self._on,
                                                     progress=self._step)))
        except _Cancelled:
            self.failed.emit("Przerwano przygotowanie wydruku.")
        except Exception as exc:
            self.failed.emit(f"Nie udało się przygotować wydruku: {exc}")
