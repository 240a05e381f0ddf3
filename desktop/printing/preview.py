"""Print preview to the system printer, and "Zapisz jako PDF" from the UI."""
from __future__ import annotations

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from desktop.common.document import PagedDocument
from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.i18n import translator
from desktop.printing.paged import paint_document, write_pdf

_tr = translator("printing")


class _PreviewDialog(QPrintPreviewDialog):
    """Owns its printer: QPrintPreviewDialog only points at it."""

    def __init__(self, printer: QPrinter, parent: QWidget | None):
        super().__init__(printer, parent)
        self.owned_printer = printer


def make_preview_dialog(parent: QWidget | None,
                        document: PagedDocument) -> QPrintPreviewDialog:
    """A preview dialog whose Print button sends the same pages to the chosen printer."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    title = document.title
    printer.setDocName(title or "Razem")
    dialog = _PreviewDialog(printer, parent)
    dialog.setWindowTitle(_tr("Podgląd wydruku – {0}").format(title) if title else _tr("Podgląd wydruku"))
    dialog.paintRequested.connect(lambda p: paint_document(p, document))
    return dialog


def save_pdf_with_dialog(parent: QWidget | None, document: PagedDocument,
                         suggested_name: str) -> str | None:
    """Ask for a file name and write the PDF; errors are shown in Polish. Returns the path."""
    path, _ = save_file_name(parent, _tr("Zapisz jako PDF"), suggested_name,
                             _tr("Dokument PDF (*.pdf)"))
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        write_pdf(path, document)
    except OSError as exc:
        plain.message(parent, plain.Icon.Critical, _tr("Nie zapisano PDF"),
                      _tr("Nie udało się zapisać pliku {0}:\n{1}").format(path, exc))
        return None
    return path
