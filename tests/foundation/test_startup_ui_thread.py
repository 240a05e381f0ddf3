"""Start-up (issue 14): once the window is shown, building and filling every tab runs no SQL
on the UI thread — the reads go to the start-up job (``background.load``), so a big
database cannot stall the window. One exception is allowed: the one-row ``database_info``
look-up of the reference day (a key read, no report is touched)."""
from __future__ import annotations

import threading

from sqlalchemy import event

from desktop.app.main_window import MainWindow


def test_no_sql_on_the_ui_thread_while_the_tabs_are_built_and_filled(qtbot, sample_db):
    on_ui: list[str] = []

    def before(conn, cursor, statement, params, context, executemany) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui.append(" ".join(statement.split()))

    window = MainWindow(sample_db)
    qtbot.addWidget(window)
    window.show()
    event.listen(sample_db.engine, "before_cursor_execute", before)
    try:
        for key in window.tab_by_key:  # every tab built (as after start-up), none by hand
            window.tab_by_key[key]
        qtbot.waitUntil(lambda: not window.startup_pending(), timeout=30000)
    finally:
        event.remove(sample_db.engine, "before_cursor_execute", before)
    diagnosis = window.tab_by_key["diagnosis"]
    assert diagnosis.diagnosis is not None and diagnosis.plans.unit_combo.count() > 1
    assert window.tab_by_key["organisation"].units.model.rowCount() > 0
    queries = [q for q in on_ui if q.startswith("SELECT")]
    assert queries  # the listener saw the UI thread's one allowed read
    assert all("FROM database_info" in q for q in queries), queries
