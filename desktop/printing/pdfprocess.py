"""Write a ``PagedDocument`` to a PDF in a child process, for a background job.

PySide does not release the GIL around every Qt call, so a worker thread of the window's
process that calls Qt can deadlock with the UI thread (the worker holds the GIL and waits for
one of Qt's pooled mutexes while the UI thread holds that mutex and waits for the GIL). A job
therefore never lays out or paints pages itself: it starts a child process (``spawn`` on every
platform, never a fork of a Qt process) at its beginning, so that the child's Qt start-up
overlaps the job's reading, then sends the collected document and waits for the pages:

    with PdfChild() as child:
        document = collect(...)             # plain Python in the job's thread
        pages = child.write(ctl, path, document)

This module is Qt-free: the job's thread only pickles, waits on a pipe and checks for cancel
(within 0.1 s: the child is terminated and the partial file removed). The PDF is written to
``<name>.part`` and renamed when complete. Failures are ``PdfFailed`` with a Polish message;
the child's traceback goes to the log.
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from desktop.common.document import PagedDocument, sample_data_marked

log = logging.getLogger("razem.printing")

POLL = 0.1  # seconds between checks for cancel while the child works


class Control(Protocol):
    """What a job hands its work function (``desktop.common.ui.jobs.JobControl``)."""

    def check(self) -> None: ...

    def progress(self, percent: int, text: str = "") -> None: ...


class PdfFailed(Exception):
    """The PDF could not be written (the message is Polish and ready to show)."""


class PdfChild:
    """A child process that writes one PDF. Start it early; ``write`` once; ``close`` always
    (a ``with`` block): a child still running is terminated."""

    def __init__(self) -> None:
        from desktop.printing import pdfchild  # stdlib only at its top

        context = multiprocessing.get_context("spawn")
        self._conn, child_end = context.Pipe(duplex=True)
        self._process = context.Process(target=pdfchild.main, args=(child_end,),
                                        name="razem-pdf", daemon=True)
        self._started = time.monotonic()
        self._process.start()
        child_end.close()
        self.child_packages: list[str] = []  # what the child had imported (for a test)
        self.child_stamps: dict[str, float] = {}  # the child's time.monotonic() milestones
        self._done = False  # the child reported its PDF written

    def __enter__(self) -> PdfChild:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    def close(self) -> None:
        """End the child: after its PDF it exits by itself; otherwise (cancelled, failed, never
        used) it is terminated at once."""
        with contextlib.suppress(OSError):
            self._conn.close()
        if self._done:
            self._process.join(1)
        if self._process.exitcode is None:
            self._process.terminate()
            self._process.join(1)
        if self._process.exitcode is None:
            self._process.kill()
            self._process.join()

    def write(self, ctl: Control, path: str | Path, document: PagedDocument,
              progress: Callable[[int, int], None] | None = None) -> int:
        """Write the document to ``path`` in the child; returns the page count.

        ``progress(done, total)`` follows the child's steps (laying out, painting); cancel
        (``ctl.check`` raising) ends the child within ``POLL`` seconds. Nothing is left under
        ``path`` or ``path.part`` unless the whole PDF was written."""
        target = Path(path)
        partial = target.with_name(target.name + ".part")  # no half-written PDF under the name
        began = time.monotonic()
        sender = threading.Thread(target=self._send, name="razem-pdf-send", daemon=True,
                                  args=((str(partial), document, sample_data_marked()),))
        sender.start()  # a big document fills the pipe: sent beside the waiting for cancel
        try:
            pages = self._wait(ctl, target, progress)
            os.replace(partial, target)
        except OSError as exc:
            _remove(partial)
            raise PdfFailed(f"Nie udało się zapisać pliku {target}: {exc}") from exc
        except BaseException:  # cancelled, failed: the child stops, nothing stays on disk
            self.close()
            _remove(partial)
            raise
        stamps = self.child_stamps
        ready = stamps.get("ready", began)
        log.info("PDF %s: %d stron w %.2f s od przekazania dokumentu (proces potomny: Qt gotowe "
                 "%.2f s po jego uruchomieniu, czekanie na nie %.2f s, strony %.2f s)",
                 target, pages, time.monotonic() - began, ready - self._started,
                 max(0.0, ready - began),
                 stamps.get("done", began) - stamps.get("received", began))
        return pages

    def _send(self, message: tuple[Any, ...]) -> None:
        with contextlib.suppress(OSError, ValueError):  # the child already gone: seen by _wait
            self._conn.send(message)

    def _wait(self, ctl: Control, target: Path,
              progress: Callable[[int, int], None] | None) -> int:
        while True:
            ctl.check()
            if not self._conn.poll(POLL):
                if not self._process.is_alive() and not self._conn.poll(0):
                    raise self._crashed(target)
                continue
            try:
                kind, *rest = self._conn.recv()
            except EOFError:  # the child ended without a word
                raise self._crashed(target) from None
            if kind == "step":
                if progress is not None:
                    progress(rest[0], rest[1])
            elif kind == "done":
                self.child_packages, self.child_stamps = rest[1], rest[2]
                self._done = True
                return int(rest[0])
            elif kind == "oserror":
                log.warning("PDF %s: %s\n%s", target, rest[0], rest[1])
                raise PdfFailed(f"Nie udało się zapisać pliku {target}: {rest[0]}")
            else:
                log.error("PDF %s: błąd procesu zapisu: %s\n%s", target, rest[0], rest[1])
                raise PdfFailed(f"Nie udało się zapisać pliku {target}: {rest[0]}. "
                                "Szczegóły zapisano w dzienniku programu.")

    def _crashed(self, target: Path) -> PdfFailed:
        self._process.join(1)
        log.error("PDF %s: proces zapisu zakończył się bez wyniku (kod %s)",
                  target, self._process.exitcode)
        return PdfFailed(f"Nie udało się zapisać pliku {target}: proces zapisu PDF zakończył "
                         f"się nieoczekiwanie (kod {self._process.exitcode}).")


def write_pdf_in_child(ctl: Control, path: str | Path, document: PagedDocument,
                       progress: Callable[[int, int], None] | None = None) -> int:
    """``PdfChild().write`` for a document that is already collected."""
    with PdfChild() as child:
        return child.write(ctl, path, document, progress)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # the folder itself unusable: nothing was written
        path.unlink(missing_ok=True)
