"""Print preview to the system printer, and "Zapisz jako PDF" from the UI (written in a child
process, like every PDF of the program)."""
from __future__ import annotations

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from desktop.common.document import PagedDocument
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job, JobControl
from desktop.common.ui.progress import run_with_progress
from desktop.printing.paged import paint_document
from desktop.printing.pdfprocess import PdfFailed, write_pdf_in_child

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
                         suggested_name: str) -> Job | None:
    """Ask for a file name and write the PDF in a child process behind a progress dialog with
    *Przerwij* (no Qt work on the UI thread or in a worker: desktop.printing.pdfprocess);
    errors are shown in Polish. Returns the job (None: no file chosen)."""
    path, _ = save_file_name(parent, _tr("Zapisz jako PDF"), suggested_name,
                             _tr("Dokument PDF (*.pdf)"))
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    return run_with_progress(
        _write_in_child, path, document, parent=parent, name="zapis PDF",
        label=_tr("Zapisywanie PDF…"), title=_tr("Zapisz jako PDF"),
        expected=(PdfFailed,))


def _write_in_child(ctl: JobControl, path: str, document: PagedDocument) -> int:
    def progress(done: int, total: int) -> None:
        ctl.progress(done * 100 // max(total, 1))

    return write_pdf_in_child(ctl, path, document, progress)
