"""The beat summary on paper: print preview to the system printer, and the background job
that collects the summaries (files from the command line: ``summary.write_beats_pdf``)."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

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


class SaveFailed(Exception):
    """The PDF could not be written (the message is Polish)."""


def write_summaries(ctl: JobControl, db: Database, beat_ids: list[int], on: dt.date | None,
                    path: str) -> int:
    """Collect the summaries and write them to a PDF, all in the background job (pages laid
    out and painted in the worker: nothing of it on the UI thread). Progress: reading and maps
    up to 40%, pages after; cancel between beats and between pages. Returns the page count."""
    from desktop.printing.paged import write_pdf

    ctl.check()

    def collected(done: int, total: int) -> None:
        ctl.check()
        ctl.progress(done * 40 // max(total, 1))

    def painted(done: int, total: int) -> None:
        ctl.check()
        ctl.progress(40 + done * 60 // max(total, 1))

    doc = document(collect_many(db, beat_ids, on, progress=collected))
    target = Path(path)
    partial = target.with_name(target.name + ".part")  # no half-written PDF under the name
    try:
        pages = write_pdf(partial, doc, painted)
        os.replace(partial, target)
    except OSError as exc:  # an expected failure of the job: shown as it is
        _remove(partial)
        raise SaveFailed(f"Nie udało się zapisać pliku {path}: {exc}") from exc
    except BaseException:  # cancelled
        _remove(partial)
        raise
    return pages


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # the folder itself unusable: nothing was written
        path.unlink(missing_ok=True)
