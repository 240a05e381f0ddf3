"""The child process that writes one ``PagedDocument`` to a PDF (started by
:mod:`desktop.printing.pdfprocess`). Only the standard library is imported at the top, so the
spawned interpreter loads nothing but Qt's GUI part and the printing layer (no database code).

Messages to the parent: ``("step", done, total)`` while laying out and painting,
``("laid", pages)`` after the layout when the document is one piece of several (the parent
answers ``(pages before this piece, pages in all)`` for "Strona X z Y"),
``("done", pages, packages, stamps)`` at the end (``packages``: the top-level packages the
child loaded, for a test; ``stamps``: ``time.monotonic()`` at its start, Qt ready, document
received and PDF done, for the log), or ``("oserror" | "defect", message, traceback)``.
"""
from __future__ import annotations

import sys
import time
import traceback
from multiprocessing.connection import Connection


def main(conn: Connection) -> None:
    """Start Qt (while the parent still collects the document), then write what it sends."""
    stamps = {"main": time.monotonic()}
    started: BaseException | None = None
    start_trace = ""
    try:
        from desktop.printing.paged import ensure_fonts, ensure_gui_application

        ensure_gui_application()
        ensure_fonts()
        stamps["ready"] = time.monotonic()
    except BaseException as exc:  # reported once the document arrives
        started = exc
        start_trace = traceback.format_exc()
    try:
        path, document, sample, piece = conn.recv()
        stamps["received"] = time.monotonic()
        stamps["cpu_received"] = time.process_time()
    except (EOFError, OSError):  # the parent gave up before sending (cancelled, failed)
        return
    if started is not None:
        conn.send(("defect", f"{type(started).__name__}: {started}", start_trace))
        return
    from desktop.common.document import mark_sample_data
    from desktop.printing.paged import write_pdf

    mark_sample_data(sample)

    def step(done: int, total: int) -> None:
        conn.send(("step", done, total))

    def numbering(pages: int) -> tuple[int, int]:
        stamps["laid"] = time.monotonic()
        conn.send(("laid", pages))
        first, total = conn.recv()  # EOFError: the parent gave up (cancelled, the other failed)
        stamps["numbered"] = time.monotonic()
        return int(first), int(total)

    try:
        pages = write_pdf(path, document, step, numbering if piece else None)
    except EOFError:
        return
    except OSError as exc:  # the user's business: the folder or the disk
        conn.send(("oserror", str(exc), traceback.format_exc()))
    except BaseException as exc:  # a defect
        conn.send(("defect", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    else:
        stamps["done"] = time.monotonic()
        stamps["cpu"] = time.process_time()  # the child's CPU seconds, start-up included
        conn.send(("done", pages, sorted({name.partition(".")[0] for name in sys.modules}),
                   stamps))
    finally:
        conn.close()
