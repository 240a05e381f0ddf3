"""A long document shared out among two PDF children (desktop.printing.pdfprocess.PdfChildren):
each lays out a contiguous piece of the sections, the pages are numbered within the whole and
the pieces joined in order. The joined PDF reads like the one child's; cancel in either phase
and a child's crash leave no file and no live child."""
from __future__ import annotations

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
from desktop.printing.pdfprocess import (
    SECTION_ROWS,
    PdfChild,
    PdfChildren,
    PdfFailed,
    split_sections,
)
from tests.partners.pdf_text import page_texts
from tests.printing.test_pdf_child import Control, _big_document, _fonts_embedded


def _dead(children: PdfChildren) -> bool:
    return all(child._process.exitcode is not None for child in children._children)


def test_two_children_write_the_pages_and_numbers_of_one(sample_db, tmp_path):
    ids = beat_ids_of_unit(sample_db, 1)
    assert len(ids) >= 3
    doc = beat_document(sample_db, ids, None, "test")
    one, two = tmp_path / "jeden.pdf", tmp_path / "dwa.pdf"
    with PdfChild() as child:
        expected = child.write(Control(), one, doc)
    steps: list[tuple[int, int]] = []
    with PdfChildren(2) as children:
        pages = children.write(Control(), two, doc, lambda d, t: steps.append((d, t)))
        assert all(child._done for child in children._children)  # both children wrote
    assert pages == expected == len(PdfReader(str(two)).pages) >= 3
    texts = page_texts(two)
    assert texts == page_texts(one)  # the same text page by page, "Strona X z Y" included
    assert all(f"Strona {n} z {pages}" in text for n, text in enumerate(texts, 1))
    assert any("Karta rejonu nr" in text for text in texts[len(texts) // 2:])  # 2nd piece
    assert "ą" in " ".join(texts)
    assert _fonts_embedded(two)
    meta = PdfReader(str(two)).metadata
    assert meta is not None and meta.title == doc.title and meta.creator == "Razem"
    done = [d for d, _ in steps]
    assert done == sorted(done) and steps[-1][0] == steps[-1][1]  # both children's progress
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dwa.pdf", "jeden.pdf"]


def test_one_section_uses_one_child(tmp_path):
    path = tmp_path / "a.pdf"
    with PdfChildren(2) as children:
        assert children.write(Control(), path, PagedDocument("t", "<p>Zażółć</p>")) == 1
        first, second = children._children
        assert first._done and second._process.exitcode is not None  # closed unused
    assert "Zażółć" in page_texts(path)[0]
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_split_sections_is_contiguous_and_balanced():
    extra = SECTION_ROWS
    doc = PagedDocument("t", "", sections=tuple("<tr>" * (size - extra) for size in
                                                (10, 10, 10, 10, 40, 10, 10)))
    pieces = split_sections(doc, 2)
    assert [len(p.sections) for p in pieces] == [4, 3]  # 40 + 60 rows: the nearest halves
    assert sum((p.sections for p in pieces), ()) == doc.sections
    assert all(p.title == "t" for p in pieces)
    assert [len(p.sections) for p in split_sections(doc, 3)] == [3, 2, 2]
    assert split_sections(doc, 1) == [doc]
    two = PagedDocument("t", "", sections=("<tr>" * 100, "b"))
    assert [p.sections for p in split_sections(two, 5)] == [("<tr>" * 100,), ("b",)]
    # rows count, not the HTML's size: a big drawing with few rows is a small part
    drawn = PagedDocument("t", "", sections=("<tr>" * 30, "<tr>" * 30, "<svg/>" * 9000))
    assert [len(p.sections) for p in split_sections(drawn, 2)] == [1, 2]
    assert split_sections(PagedDocument("t", "<p>x</p>"), 2) == [PagedDocument("t", "<p>x</p>")]


@pytest.mark.parametrize("phase", ["layout", "painting"])
def test_cancel_in_either_phase_ends_both_children_and_leaves_no_file(tmp_path, phase):
    path = tmp_path / "duzy.pdf"
    ctl = Control()
    children = PdfChildren(2)
    outcome: list[BaseException] = []
    cancelled_at: list[float] = []

    def step(done: int, total: int) -> None:
        # a page painted by either child means both have laid their pieces out
        if not ctl.cancelled.is_set() and (phase == "layout" or done > total // 2):
            cancelled_at.append(time.monotonic())
            ctl.cancelled.set()

    def work() -> None:
        try:
            children.write(ctl, path, _big_document(60), step)
        except BaseException as exc:
            outcome.append(exc)
        finally:
            children.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(120)
    ended = time.monotonic()
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], KeyboardInterrupt)
    assert ended - cancelled_at[0] < 1.0
    assert _dead(children)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX; Windows: terminate")
@pytest.mark.parametrize("victim", [0, 1])
def test_a_crashed_child_is_a_polish_message_and_ends_the_other(tmp_path, victim):
    path = tmp_path / "k.pdf"
    ctl = Control()
    children = PdfChildren(2)

    def kill(done: int, total: int) -> None:
        pid = children.pids[victim]
        if pid is not None and not ctl.seen:
            ctl.seen.append(done)
            os.kill(pid, signal.SIGKILL)

    with children, pytest.raises(PdfFailed, match=r"^Nie udało się zapisać pliku .*"
                                                  "zakończył się nieoczekiwanie"):
        children.write(ctl, path, _big_document(40), kill)
    assert _dead(children)
    assert list(tmp_path.iterdir()) == []


def test_the_log_line_shows_each_childs_milestones(tmp_path, caplog):
    import logging

    caplog.set_level(logging.INFO, "razem.printing")
    path = Path(tmp_path / "l.pdf")
    with PdfChildren(2) as children:
        assert children.write(Control(), path, _big_document(4)) >= 4
    (line,) = [r.getMessage() for r in caplog.records if "procesy potomne" in r.getMessage()]
    assert line.startswith(f"PDF {path}: ") and line.count("układ +") == 2
    assert "złączenie plików" in line
