"""A paged document described without Qt: title, HTML body, style sheet and page decoration.

Report modules (beat summary, agreement list, threat prints) build a ``PagedDocument``; the
Qt renderer in :mod:`desktop.printing.paged` lays it out on A4 pages (PDF, printer, print
preview). Commands and workers write a PDF through :func:`render_pdf`, which imports the
renderer only when called, so importing this module (or a command module) loads no Qt.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path


class Orientation(enum.Enum):
    PORTRAIT = "portrait"
    LANDSCAPE = "landscape"


@dataclass(frozen=True)
class PageDecor:
    """Text around the body on every page; "Strona X z Y" is added by the renderer."""

    header_left: str = ""
    header_right: str = ""
    footer_left: str = ""  # e.g. "Wygenerowano 26.11.2026 14:05, użytkownik: jan"
    orientation: Orientation = Orientation.PORTRAIT


@dataclass(frozen=True)
class PagedDocument:
    """Everything a printer or a PDF needs. ``html`` holds escaped data only; ``title`` goes
    to the PDF's metadata and the preview's window title."""

    title: str
    html: str
    css: str = ""
    decor: PageDecor = field(default_factory=PageDecor)
    # Optional: the same body as parts that each start on a new page (one beat's summary
    # each). The renderer then lays every part out on its own, which keeps a long document
    # linear in time (moving a table row re-lays out one part, not the whole document).
    sections: tuple[str, ...] = ()


# The one place where every printout learns that it shows the fictional sample: set once when a
# database is opened (desktop.startup.open_database, the main window) and added to the footer
# of every page by the renderer, whichever report built the document.
SAMPLE_MARK = "DANE PRZYKŁADOWE (fikcyjne)"
_sample_data = False


def mark_sample_data(sample: bool) -> None:
    """Say whether the open database holds the fictional sample (printouts are then marked)."""
    global _sample_data
    _sample_data = sample


def sample_data_marked() -> bool:
    """Whether printouts of this process are marked as sample data (handed to a PDF child)."""
    return _sample_data


def footer_text(decor: PageDecor) -> str:
    """The left footer as printed: the sample marking first when the data is fictional."""
    if not _sample_data:
        return decor.footer_left
    return f"{SAMPLE_MARK}  •  {decor.footer_left}" if decor.footer_left else SAMPLE_MARK


def sign_off_html() -> str:
    """The "Sporządził / Zatwierdził" block closing an official print: name, date and
    signature lines for the one who prepared the document and the one who approved it."""
    cell = ("<td width='50%' style='border: none; padding: 4pt;'><b>{0}</b><br/><br/><br/>"
            "…………………………………………<br/><span style='font-size: 7pt;'>"
            "(data, stopień, imię i nazwisko, podpis)</span></td>")
    return ("<table class='signoff' width='100%' cellspacing='0' cellpadding='4' "
            "style='margin-top: 14pt; border: none;'><tr>"
            + cell.format("Sporządził:") + cell.format("Zatwierdził:") + "</tr></table>")


def render_pdf(document: PagedDocument, path: str | Path) -> int:
    """Write the document to a PDF file (A4, fonts embedded); returns the page count.

    Usable from the command line and worker-free code: it creates the QGuiApplication that
    fonts and QPdfWriter need when there is none. Raises ``OSError`` when the file cannot be
    written."""
    from desktop.printing.paged import ensure_gui_application, write_pdf

    ensure_gui_application()
    return write_pdf(path, document)
