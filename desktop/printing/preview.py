"""Print preview to the system printer, and "Zapisz jako PDF" from the UI."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.common.ui import plain
from desktop.printing.paged import PageDecor, paint_document, write_pdf


def _tr(text: str) -> str:
    return QCoreApplication.translate("printing", text)


def make_preview_dialog(parent: QWidget | None, html: str, decor: PageDecor, css: str = "",
                        title: str = "") -> QPrintPreviewDialog:
    """A preview dialog whose Print button sends the same pages to the chosen printer."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title or "Razem")
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_tr("Podgląd wydruku – {0}").format(title) if title else _tr("Podgląd wydruku"))
    dialog.paintRequested.connect(lambda p: paint_document(p, html, decor, css))
    dialog._printer = printer  # keep the printer alive as long as the dialog
    return dialog


def save_pdf_with_dialog(parent: QWidget | None, html: str, decor: PageDecor,
                         suggested_name: str, css: str = "", title: str = "") -> str | None:
    """Ask for a file name and write the PDF; errors are shown in Polish. Returns the path."""
    path, _ = QFileDialog.getSaveFileName(parent, _tr("Zapisz jako PDF"), suggested_name,
                                          _tr("Dokument PDF (*.pdf)"))
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        write_pdf(path, html, decor, css, title)
    except OSError as exc:
        plain.message(parent, plain.Icon.Critical, _tr("Nie zapisano PDF"),
                      _tr("Nie udało się zapisać pliku {0}:\n{1}").format(path, exc))
        return None
    return path
