"""The beat summary on paper: print preview to the system printer, and the background job
that collects the summaries (files from the command line: ``summary.write_beats_pdf``)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.beats.summary import beat_document, collect_many, document
from desktop.common.document import PagedDocument
from desktop.common.ui.jobs import JobControl
from desktop.printing.preview import make_preview_dialog


def preview_dialog(parent: QWidget | None, db: Database, beat_ids: list[int],
                   on: dt.date | None = None) -> QPrintPreviewDialog:
    return make_preview_dialog(parent, beat_document(db, beat_ids, on))


def prepare_summaries(ctl: JobControl, db: Database, beat_ids: list[int],
                      on: dt.date | None = None) -> PagedDocument:
    """Collect the summaries of several beats (a background job: one session of reads, then
    the maps drawn beat by beat), with progress per beat and cancel between beats; the pages
    are laid out later on the UI thread (QTextDocument must live there)."""
    ctl.check()

    def step(done: int, total: int) -> None:
        ctl.check()
        ctl.progress(done * 100 // max(total, 1))

    return document(collect_many(db, beat_ids, on, progress=step))
