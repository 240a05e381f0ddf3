"""PDFs of background jobs are written by a child process (desktop.printing.pdfprocess): the
job's thread makes no Qt call (a worker's Qt call can deadlock with the UI thread, as CI saw),
cancel ends the child at once and leaves no file, failures are Polish messages, and the PDF
is the one the renderer writes in-process."""
from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.beats.queries import beat_ids_of_unit
from desktop.beats.summary import beat_document
from desktop.common.document import PagedDocument
from desktop.common.ui.jobs import JobControl, run_job
from desktop.printing.paged import write_pdf
from desktop.printing.pdfprocess import PdfChild, PdfFailed, write_pdf_in_child
from tests.partners.pdf_text import page_texts


class Control:
    """A job's control without a job (the parent side only needs check and progress)."""

    def __init__(self) -> None:
        self.cancelled = threading.Event()
        self.seen: list[int] = []

    def check(self) -> None:
        if self.cancelled.is_set():
            raise KeyboardInterrupt  # any exception stops the wait

    def progress(self, percent: int, text: str = "") -> None:
        self.seen.append(percent)


def _fonts_embedded(path: Path) -> bool:
    for page in PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font
                    else font)
            if not any(k in desc["/FontDescriptor"].get_object()
                       for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
    return True


def _big_document(parts: int = 400) -> PagedDocument:
    rows = "".join(f"<tr><td>{i}</td><td>Dzielnicowy ą ę ł ó ś ź ż {i}</td></tr>"
                   for i in range(120))
    return PagedDocument("duży", "", sections=tuple(
        f"<h1>Część {n}</h1><table><thead><tr><th>Nr</th><th>Tekst</th></tr></thead>"
        f"{rows}</table>" for n in range(parts)))


def test_child_writes_the_same_pdf_as_the_renderer(qapp, sample_db, tmp_path):
    doc = beat_document(sample_db, beat_ids_of_unit(sample_db, 1), None, "test")
    here = tmp_path / "tu.pdf"
    there = tmp_path / "tam.pdf"
    expected = write_pdf(here, doc)
    steps: list[tuple[int, int]] = []
    with PdfChild() as child:
        pages = child.write(Control(), there, doc, lambda d, t: steps.append((d, t)))
    assert pages == expected == len(PdfReader(str(there)).pages) >= 3
    text = " ".join(page_texts(there))
    assert "Dzielnicowy" in text and "Karta rejonu nr" in text
    assert text == " ".join(page_texts(here))
    assert _fonts_embedded(there)
    assert steps and steps[-1][0] == steps[-1][1]  # progress up to the last page
    assert not (tmp_path / "tam.pdf.part").exists()
    # the child loads the printing layer only: no database code, no SQLAlchemy
    assert "PySide6" in child.child_packages
    assert not {"sqlalchemy", "db", "shapely", "pyproj"} & set(child.child_packages)


def test_polish_letters_and_the_sample_marking_reach_the_child(qapp, tmp_path):
    from desktop.common.document import SAMPLE_MARK, PageDecor, mark_sample_data

    mark_sample_data(True)
    try:
        path = tmp_path / "a.pdf"
        doc = PagedDocument("t", "<p>Zażółć gęślą jaźń ą ę ł</p>", decor=PageDecor("Nagłówek"))
        assert write_pdf_in_child(Control(), path, doc) == 1
    finally:
        mark_sample_data(False)
    (text,) = page_texts(path)
    assert "Zażółć gęślą jaźń ą ę ł" in text and "Nagłówek" in text
    assert SAMPLE_MARK.replace("fi", "\ufb01") in text  # pypdf reads the ligature


def test_cancel_ends_the_child_within_a_second_and_leaves_no_file(tmp_path):
    path = tmp_path / "duzy.pdf"
    ctl = Control()
    child = PdfChild()
    outcome: list[BaseException] = []
    cancelled_at: list[float] = []

    def painting(done: int, total: int) -> None:
        if not ctl.cancelled.is_set():  # the child has started laying out: cancel now
            cancelled_at.append(time.monotonic())
            ctl.cancelled.set()

    def work() -> None:
        try:
            child.write(ctl, path, _big_document(), painting)
        except BaseException as exc:
            outcome.append(exc)
        finally:
            child.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(60)
    ended = time.monotonic()
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], KeyboardInterrupt)
    assert ended - cancelled_at[0] < 1.0
    assert child._process.exitcode is not None and child._process.exitcode != 0  # terminated
    assert list(tmp_path.iterdir()) == []


def test_unwritable_target_is_a_polish_message(tmp_path, caplog):
    caplog.set_level(logging.INFO, "razem.printing")
    folder = tmp_path / "plik"
    folder.write_text("nie folder")  # a file where a folder is needed
    with pytest.raises(PdfFailed, match=r"^Nie udało się zapisać pliku .*k\.pdf: "):
        write_pdf_in_child(Control(), folder / "k.pdf", PagedDocument("t", "<p>x</p>"))
    assert folder.read_text() == "nie folder"
    assert "Traceback" in caplog.text and "pdfchild.py" in caplog.text  # the child's, logged


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX; Windows: terminate")
def test_a_crashed_child_is_a_polish_message_and_leaves_no_file(tmp_path):
    path = tmp_path / "k.pdf"
    ctl = Control()
    child = PdfChild()

    def kill(done: int, total: int) -> None:
        if child.pid is not None and not ctl.seen:
            ctl.seen.append(done)
            os.kill(child.pid, signal.SIGKILL)

    with child, pytest.raises(PdfFailed, match="zakończył się nieoczekiwanie"):
        child.write(ctl, path, _big_document(50), kill)
    assert list(tmp_path.iterdir()) == []


def test_a_job_writes_through_the_child(qtbot, tmp_path, caplog):
    caplog.set_level(logging.INFO, "razem.printing")
    path = tmp_path / "job.pdf"

    def work(ctl: JobControl) -> int:
        return write_pdf_in_child(ctl, path, PagedDocument("t", "<p>Dzielnicowy</p>"))

    job = run_job(work, name="test")
    qtbot.waitUntil(lambda: job.result is not None or job.failure is not None, timeout=30000)
    assert job.failure is None and job.result == 1
    assert "Dzielnicowy" in page_texts(path)[0]
    (line,) = [r.getMessage() for r in caplog.records if "proces potomny" in r.getMessage()]
    assert line.startswith(f"PDF {path}: 1 stron w ")


@pytest.mark.parametrize("entry", ["desktop/__main__.py", "packaging/razem_main.py"])
def test_entry_points_do_not_start_the_program_in_a_child(entry):
    """``spawn`` runs the parent's main module again as ``__mp_main__`` in the child (a
    frozen build runs its entry script): that must not start the program."""
    import runpy

    root = Path(__file__).resolve().parents[2]
    runpy.run_path(str(root / entry), run_name="__mp_main__")  # no SystemExit, no window
