"""The agreement list on paper: PDF file, print preview (same pages as the PDF)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.partners.report import AgreementReport, build_report
from desktop.printing.paged import PageDecor, write_pdf
from desktop.printing.preview import make_preview_dialog


def decor_of(report: AgreementReport) -> PageDecor:
    return PageDecor(report.header_left, report.header_right, report.footer_left)


def write_report_pdf(report: AgreementReport, path: str | Path) -> int:
    return write_pdf(path, report.html, decor_of(report), report.css, report.title)


def write_agreement_pdf(db: Database, agreement_id: int | None, path: str | Path) -> int:
    """Write the agreement list to a PDF; returns the page count.

    Raises ``AgreementError`` for a missing agreement and ``OSError`` when the file cannot
    be written."""
    return write_report_pdf(build_report(db, agreement_id), path)


def agreement_preview(parent: QWidget | None, report: AgreementReport) -> QPrintPreviewDialog:
    """Print preview whose Print button sends the same A4 pages to a printer."""
    return make_preview_dialog(parent, report.html, decor_of(report), report.css, report.title)
