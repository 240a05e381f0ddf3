"""The beat summary on paper: PDF file, print preview to the system printer, save dialog."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.beats.summary import SummaryDocument, beat_document
from desktop.printing.paged import PageDecor, write_pdf
from desktop.printing.preview import make_preview_dialog, save_pdf_with_dialog

_cli_app: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """Fonts and QPdfWriter need a QGuiApplication; the command line has none. Without a
    display (Linux server, CI) the offscreen platform is used."""
    global _cli_app
    if QGuiApplication.instance() is not None:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _cli_app = QGuiApplication(sys.argv[:1])


def decor(doc: SummaryDocument) -> PageDecor:
    return PageDecor(doc.header_left, doc.header_right, doc.footer_left)


def write_document_pdf(doc: SummaryDocument, path: str | Path) -> int:
    return write_pdf(path, doc.html, decor(doc), doc.css, doc.title)


def write_beats_pdf(db: Database, beat_ids: list[int], path: str | Path,
                    on: dt.date | None = None, user: str | None = None) -> int:
    """Write the summaries of the beats (one or a whole unit) to one PDF; returns pages."""
    ensure_gui_application()
    return write_document_pdf(beat_document(db, beat_ids, on, user), path)


def preview_dialog(parent: QWidget | None, db: Database, beat_ids: list[int],
                   on: dt.date | None = None) -> QPrintPreviewDialog:
    doc = beat_document(db, beat_ids, on)
    return make_preview_dialog(parent, doc.html, decor(doc), doc.css, doc.title)


def save_with_dialog(parent: QWidget | None, db: Database, beat_ids: list[int],
                     suggested_name: str, on: dt.date | None = None) -> str | None:
    doc = beat_document(db, beat_ids, on)
    return save_pdf_with_dialog(parent, doc.html, decor(doc), suggested_name, doc.css,
                                doc.title)
