"""The beat summary on paper: PDF file, print preview to the system printer, save dialog."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.beats.summary import SummaryDocument, beat_document, collect, document
from desktop.common.ui.jobs import JobControl
from desktop.printing.paged import PageDecor, ensure_gui_application, write_pdf
from desktop.printing.preview import make_preview_dialog, save_pdf_with_dialog


def decor(doc: SummaryDocument) -> PageDecor:
    return PageDecor(doc.header_left, doc.header_right, doc.footer_left)


def write_document_pdf(doc: SummaryDocument, path: str | Path) -> int:
    return write_pdf(path, doc.html, decor(doc), doc.css, doc.title)


def write_beats_pdf(db: Database, beat_ids: list[int], path: str | Path,
                    on: dt.date | None = None, user: str | None = None) -> int:
    """Write the summaries of the beats (one or a whole unit) to one PDF; returns pages."""
    ensure_gui_application()
    return write_document_pdf(beat_document(db, beat_ids, on, user), path)


def preview_for(parent: QWidget | None, doc: SummaryDocument) -> QPrintPreviewDialog:
    return make_preview_dialog(parent, doc.html, decor(doc), doc.css, doc.title)


def save_document_with_dialog(parent: QWidget | None, doc: SummaryDocument,
                              suggested_name: str) -> str | None:
    return save_pdf_with_dialog(parent, doc.html, decor(doc), suggested_name, doc.css,
                                doc.title)


def preview_dialog(parent: QWidget | None, db: Database, beat_ids: list[int],
                   on: dt.date | None = None) -> QPrintPreviewDialog:
    doc = beat_document(db, beat_ids, on)
    return make_preview_dialog(parent, doc.html, decor(doc), doc.css, doc.title)


def save_with_dialog(parent: QWidget | None, db: Database, beat_ids: list[int],
                     suggested_name: str, on: dt.date | None = None) -> str | None:
    doc = beat_document(db, beat_ids, on)
    return save_pdf_with_dialog(parent, doc.html, decor(doc), suggested_name, doc.css,
                                doc.title)


def prepare_summaries(ctl: JobControl, db: Database, beat_ids: list[int],
                      on: dt.date | None = None) -> SummaryDocument:
    """Collect the summaries of several beats (a background job: database reads and map
    drawing), with progress per beat and cancel between beats; the pages are laid out later
    on the UI thread (QTextDocument must live there)."""
    items = []
    for n, beat_id in enumerate(beat_ids, start=1):
        ctl.check()
        items.append(collect(db, beat_id, on))
        ctl.progress(n * 100 // len(beat_ids))
    return document(items)
