"""Saving a partner while another program writes (issue 11, item 3): the wait is visible,
the save is retried a bounded number of times or refused with a Polish message, and the
undo history lists only what was committed. The other writer is a real second SQLite
connection holding the write lock (what a command-line import does)."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from db.engine import sqlite_path
from desktop.partners import service
from desktop.partners.ui.partner_dialog import PartnerDialog
from desktop.partners.ui.tab import PartnersTab

from .test_tab import fill, make_tab, names

# SQLite's whole-file write lock is what a command-line import holds; a PostgreSQL server locks
# rows, so a save there never waits for an import (tests/foundation/test_concurrency.py).
pytestmark = pytest.mark.engines("sqlite")

NAME = "Stowarzyszenie Sąsiedzi"


class OtherWriter:
    """A second connection inside BEGIN IMMEDIATE: every other writer waits for it."""

    def __init__(self, db):
        self.conn = sqlite3.connect(str(sqlite_path(db.url)), isolation_level=None,
                                    check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO database_info (key, value) VALUES ('import', 'trwa')")

    def release_after(self, seconds: float) -> threading.Thread:
        def later():
            time.sleep(seconds)
            self.conn.execute("COMMIT")
        t = threading.Thread(target=later)
        t.start()
        return t

    def close(self):
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()


def _add_through_dialog(tab: PartnersTab, qtbot, monkeypatch) -> None:
    def fake_exec(dialog):  # the real dialog, without its modal loop
        fill(dialog, qtbot, name=NAME)
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(PartnerDialog, "exec", fake_exec)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)


def _close_message(seen: list[tuple[str, Qt.TextFormat]]) -> None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append((box.text(), box.textFormat()))
        box.close()
    else:
        QTimer.singleShot(50, lambda: _close_message(seen))


def test_save_refused_while_another_writer_holds_the_lock_and_undo_stays_empty(
        empty_db, qtbot, monkeypatch):
    tab = make_tab(qtbot, empty_db)
    tab.write_attempts = 2  # each attempt waits SQLite's busy timeout (5 s)
    waits: list[str] = []
    if hasattr(tab, "waiting"):  # (so that the code before the fix fails on the history)
        tab.waiting.connect(waits.append)
    seen: list[tuple[str, Qt.TextFormat]] = []
    writer = OtherWriter(empty_db)
    try:
        QTimer.singleShot(50, lambda: _close_message(seen))
        _add_through_dialog(tab, qtbot, monkeypatch)
    finally:
        writer.close()
    assert service.list_partners(empty_db, include_deleted=True) == []
    assert tab.undo_stack.count() == 0 and not tab.undo_action.isEnabled()
    assert len(seen) == 1 and "zajęta" in seen[0][0] and "nie zapisano" in seen[0][0].lower()
    assert seen[0][1] == Qt.TextFormat.PlainText
    assert any("Baza zajęta – czekam" in w for w in waits) and waits[-1] == ""
    assert QApplication.overrideCursor() is None


def test_save_waits_for_the_other_writer_then_succeeds_and_is_undoable(
        empty_db, qtbot, monkeypatch):
    tab = make_tab(qtbot, empty_db)
    waits: list[str] = []
    tab.waiting.connect(waits.append)
    writer = OtherWriter(empty_db)
    releaser = writer.release_after(6.0)  # longer than one busy timeout: a retry is needed
    try:
        _add_through_dialog(tab, qtbot, monkeypatch)
    finally:
        releaser.join()
        writer.close()
    assert any("Baza zajęta – czekam" in w for w in waits)
    assert names(tab) == [NAME]
    assert tab.undo_stack.count() == 1
    tab.undo_stack.undo()
    assert names(tab) == []


def test_undo_that_cannot_be_written_is_dropped_from_the_history(
        empty_db, qtbot, monkeypatch):
    tab = make_tab(qtbot, empty_db)
    _add_through_dialog(tab, qtbot, monkeypatch)
    assert tab.undo_stack.count() == 1
    seen: list[tuple[str, Qt.TextFormat]] = []
    writer = OtherWriter(empty_db)
    try:
        QTimer.singleShot(50, lambda: _close_message(seen))
        tab.undo_stack.undo()
    finally:
        writer.close()
    assert len(seen) == 1 and "zajęta" in seen[0][0]
    assert names(tab) == [NAME]  # still there, and the history no longer offers a false undo
    assert tab.undo_stack.count() == 0
