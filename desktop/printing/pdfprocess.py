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

A long document of several sections (48 beat summaries) can be shared out among two children
(``PdfChildren``): each lays out a contiguous piece, the parent tells each its first page
number and the total once all are laid out, each paints its pages into its own file and the
parent joins the files (pypdf) in order.

This module is Qt-free: the job's thread only pickles, waits on a pipe and checks for cancel
(within 0.1 s: the child is terminated and the partial file removed). The PDF is written to
``<name>.part`` and renamed when complete. Failures are ``PdfFailed`` with a Polish message;
the child's traceback goes to the log.
"""
from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from desktop.common.document import PagedDocument, sample_data_marked

log = logging.getLogger("razem.printing")

POLL = 0.1  # seconds between checks for cancel while the child works
SECTION_ROWS = 8  # a section's fixed work (a new page, its heading, a map) in table rows


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
                                  args=((str(partial), document, sample_data_marked(), False),))
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
        # the child already gone (seen by _wait), or the pipe closed meanwhile (cancel: a
        # connection closed under a send fails with TypeError on its cleared handle)
        with contextlib.suppress(OSError, ValueError, TypeError):
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
            except (EOFError, OSError):  # the child ended without a word (or was killed)
                raise self._crashed(target) from None
            if kind == "step":
                if progress is not None:
                    progress(rest[0], rest[1])
            elif kind == "done":
                self.child_packages, self.child_stamps = rest[1], rest[2]
                self._done = True
                return int(rest[0])
            else:
                raise self._failure(target, kind, rest)

    @staticmethod
    def _failure(target: Path, kind: str, rest: list[Any]) -> PdfFailed:
        if kind == "oserror":
            log.warning("PDF %s: %s\n%s", target, rest[0], rest[1])
            return PdfFailed(f"Nie udało się zapisać pliku {target}: {rest[0]}")
        log.error("PDF %s: błąd procesu zapisu: %s\n%s", target, rest[0], rest[1])
        return PdfFailed(f"Nie udało się zapisać pliku {target}: {rest[0]}. "
                         "Szczegóły zapisano w dzienniku programu.")

    def _crashed(self, target: Path) -> PdfFailed:
        self._process.join(1)
        log.error("PDF %s: proces zapisu zakończył się bez wyniku (kod %s)",
                  target, self._process.exitcode)
        return PdfFailed(f"Nie udało się zapisać pliku {target}: proces zapisu PDF zakończył "
                         f"się nieoczekiwanie (kod {self._process.exitcode}).")


class PdfChildren:
    """Several children that write one long document together: each lays out a contiguous
    piece of its sections and reports its page count, then paints its pages numbered within
    the whole into its own file; the pieces are joined in order (pypdf). A document of one
    section uses one child. Like :class:`PdfChild`: start early, ``write`` once, close."""

    def __init__(self, count: int | None = None) -> None:
        self._children = [PdfChild() for _ in range(max(1, count or default_children()))]

    def __enter__(self) -> PdfChildren:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def pids(self) -> list[int | None]:
        return [child.pid for child in self._children]

    def close(self) -> None:
        for child in self._children:
            child.close()

    def write(self, ctl: Control, path: str | Path, document: PagedDocument,
              progress: Callable[[int, int], None] | None = None) -> int:
        """``PdfChild.write`` shared out: the same pages, numbers and metadata."""
        pieces = split_sections(document, len(self._children))
        for unused in self._children[len(pieces):]:
            unused.close()
        if len(pieces) == 1:
            return self._children[0].write(ctl, path, document, progress)
        children = self._children[:len(pieces)]
        target = Path(path)
        partial = target.with_name(target.name + ".part")
        files = [target.with_name(f"{target.name}.{n}.part") for n in range(len(pieces))]
        began = time.monotonic()
        sample = sample_data_marked()
        for child, piece, file in zip(children, pieces, files, strict=True):
            threading.Thread(target=child._send, name="razem-pdf-send", daemon=True,
                             args=((str(file), piece, sample, True),)).start()
        try:
            import pypdf  # noqa: F401  (for the join: loaded while the children work)

            pages = _Pieces(children, pieces, target, progress).run(ctl)
            joined = time.monotonic()
            try:
                _join_pdfs(files, partial, document.title)
            except OSError:
                raise
            except Exception as exc:  # a defect: pypdf could not read a piece
                log.exception("PDF %s: złączenie części nie powiodło się", target)
                raise PdfFailed(f"Nie udało się zapisać pliku {target}: {exc}. "
                                "Szczegóły zapisano w dzienniku programu.") from exc
            os.replace(partial, target)
        except OSError as exc:
            self.close()
            raise PdfFailed(f"Nie udało się zapisać pliku {target}: {exc}") from exc
        except BaseException:  # cancelled, failed: every child stops, nothing stays on disk
            self.close()
            raise
        finally:
            for file in [*files, partial]:
                _remove(file)
        log.info("PDF %s: %d stron w %.2f s od przekazania dokumentu, %d procesy potomne "
                 "(%s; sekundy od przekazania), złączenie plików %.2f s", target, pages,
                 time.monotonic() - began, len(children),
                 "; ".join(_milestones(child.child_stamps, began) for child in children),
                 time.monotonic() - joined)
        return pages


class _Pieces:
    """The parent's side of the two-phase protocol with the children of one document."""

    def __init__(self, children: list[PdfChild], pieces: list[PagedDocument], target: Path,
                 progress: Callable[[int, int], None] | None) -> None:
        self.children = children
        self.target = target
        self.progress = progress
        self.steps = [(0, 2 * len(piece.sections)) for piece in pieces]
        self.laid: dict[int, int] = {}
        self.pages: dict[int, int] = {}

    def run(self, ctl: Control) -> int:
        connections: dict[Any, int] = {child._conn: n for n, child in enumerate(self.children)}
        while len(self.pages) < len(self.children):
            ctl.check()
            waiting = [conn for conn, n in connections.items() if n not in self.pages]
            ready = wait(waiting, POLL)
            for conn in ready:
                assert isinstance(conn, Connection)
                self._receive(connections[conn], conn)
            if not ready:
                for n, child in enumerate(self.children):
                    if n not in self.pages and not child._process.is_alive() \
                            and not child._conn.poll(0):
                        raise child._crashed(self.target)
        return sum(self.pages.values())

    def _receive(self, n: int, conn: Connection) -> None:
        child = self.children[n]
        try:
            kind, *rest = conn.recv()
        except (EOFError, OSError):  # the child ended without a word (or was killed)
            raise child._crashed(self.target) from None
        if kind == "step":
            self.steps[n] = (rest[0], rest[1])
            if self.progress is not None:
                self.progress(sum(d for d, _ in self.steps), sum(t for _, t in self.steps))
        elif kind == "laid":
            self.laid[n] = int(rest[0])
            if len(self.laid) == len(self.children):
                total = sum(self.laid.values())
                for m, other in enumerate(self.children):
                    other._send((sum(self.laid[k] for k in range(m)), total))
        elif kind == "done":
            child.child_packages, child.child_stamps = rest[1], rest[2]
            child._done = True
            self.pages[n] = int(rest[0])
        else:
            raise child._failure(self.target, kind, rest)


def _milestones(stamps: dict[str, float], began: float) -> str:
    names = {"ready": "Qt", "received": "dokument", "laid": "układ", "numbered": "numery",
             "done": "koniec"}
    cpu = (f" (CPU {stamps['cpu'] - stamps['cpu_received']:.2f} s)"
           if "cpu" in stamps and "cpu_received" in stamps else "")
    return " ".join(f"{label} {stamps[key] - began:+.2f}" for key, label in names.items()
                    if key in stamps) + cpu


def _join_pdfs(files: list[Path], path: Path, title: str) -> None:
    """The pieces' pages in order in one PDF, with the document's metadata (fonts and pages
    are copied as they are: each piece embeds the subsets of the fonts it uses)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for file in files:
        writer.append(str(file))
    metadata: dict[str, Any] = {"/Creator": "Razem"}
    if title:
        metadata["/Title"] = title
    writer.add_metadata(metadata)
    with open(path, "wb") as out:
        writer.write(out)


def default_children() -> int:
    """How many children write one long document: two where there are two cores or more (a
    third helps nothing on two cores and costs a third Qt start-up)."""
    return max(1, min(2, os.cpu_count() or 1))


def split_sections(document: PagedDocument, count: int) -> list[PagedDocument]:
    """The document's sections in at most ``count`` contiguous pieces of about equal work
    (each section starts a new page anyway, so the pieces' pages together are the whole's).

    The work of a section is estimated by its table rows (laying rows out and keeping them
    whole is most of the time) plus a fixed part; its HTML size is a worse guess (a beat's
    48 summaries: correlation 0.6 against -0.3, the size is mostly the map's drawing)."""
    sections = document.sections
    count = min(count, len(sections))
    if count < 2:
        return [document]
    sizes = [section.count("<tr") + SECTION_ROWS for section in sections]
    whole = sum(sizes)
    cuts = [0]
    before = 0
    for index, size in enumerate(sizes):
        # a new piece starts at the first section whose middle lies past the next share
        if index and len(cuts) < count and before + size / 2 > whole * len(cuts) / count:
            cuts.append(index)
        before += size
    cuts.append(len(sections))
    return [dataclasses.replace(document, sections=sections[a:b])
            for a, b in itertools.pairwise(cuts) if b > a]


def write_pdf_in_child(ctl: Control, path: str | Path, document: PagedDocument,
                       progress: Callable[[int, int], None] | None = None) -> int:
    """``PdfChild().write`` for a document that is already collected."""
    with PdfChild() as child:
        return child.write(ctl, path, document, progress)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # the folder itself unusable: nothing was written
        path.unlink(missing_ok=True)
