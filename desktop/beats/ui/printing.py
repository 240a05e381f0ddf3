"""The beat summary on paper: print preview to the system printer, and the background job
that collects the summaries (files from the command line: ``summary.write_beats_pdf``). The
job writing a PDF lays no page out in this process: a child process does
(``desktop.printing.pdfprocess``)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.beats.summary import beat_document, collect_many, document
from desktop.common.document import PagedDocument
from desktop.common.ui.jobs import JobControl
from desktop.printing.pdfprocess import Control, PdfChildren, default_children
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


def write_summaries(ctl: Control, db: Database, beat_ids: list[int], on: dt.date | None,
                    path: str, children: int | None = None) -> int:
    """Collect the summaries and write them to a PDF, in the background job: the job's thread
    reads and draws the maps (plain Python), a child process lays the pages out and paints
    them (no Qt in the job's thread: see ``desktop.printing.pdfprocess``). The child starts
    first, so its start-up overlaps the reading. Progress: reading and maps up to 40%, pages
    after; cancel between beats and, while the child works, within a tenth of a second.
    Several beats are shared out among ``children`` processes (default: two where there are
    two cores), each laying out and painting its contiguous part (each beat starts a page).
    Returns the page count."""
    ctl.check()

    def collected(done: int, total: int) -> None:
        ctl.check()
        ctl.progress(done * 40 // max(total, 1))

    def painted(done: int, total: int) -> None:
        ctl.progress(40 + done * 60 // max(total, 1))

    count = min(len(beat_ids), children or default_children())
    with PdfChildren(count) as writers:
        doc = document(collect_many(db, beat_ids, on, progress=collected))
        return writers.write(ctl, path, doc, painted)
