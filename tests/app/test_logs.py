"""The log: a rotating file in the user log folder, Qt messages in it, and forced crashes
(UI thread, worker thread, native fault) each leaving a record there."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop.app import crash
from desktop.common import logs

ROOT = Path(__file__).resolve().parents[2]
# A user named Łukasz and a long path (over Windows' old 260-character limit in total).
POLISH_LONG = Path("Użytkownicy") / "Łukasz Żółć" / ("Bardzo długa ścieżka folderu " * 4).strip() / "Dane"


@pytest.fixture
def app_logging(tmp_path, monkeypatch):
    """The app's own logging set-up in a private folder; hooks restored afterwards."""
    data = tmp_path / POLISH_LONG
    monkeypatch.setenv("RAZEM_DATA_DIR", str(data))
    saved = sys.excepthook, threading.excepthook
    path = logs.setup_logging()
    crash.install_qt_message_handler()
    reporter = crash.install_crash_dialog()
    yield path, reporter
    for dialog in list(reporter.dialogs):
        dialog.done(0)
    logs.set_reporter(None)
    crash.uninstall_qt_message_handler()
    logs.shutdown_logging()
    sys.excepthook, threading.excepthook = saved


def _text(path: Path) -> str:
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_in_data_dir_with_polish_long_path(app_logging, tmp_path):
    path, _ = app_logging
    assert path == tmp_path / POLISH_LONG / "Logs" / "razem.log"
    assert len(str(path.relative_to(tmp_path))) > 150
    assert "uruchomiony" in _text(path)
    import logging

    logging.getLogger("razem.test").info("zażółć gęślą jaźń")
    assert "razem.test: zażółć gęślą jaźń" in _text(path)


def test_default_log_dir_is_the_platform_log_folder(monkeypatch):
    import platformdirs

    monkeypatch.delenv("RAZEM_DATA_DIR")
    expected = Path(platformdirs.user_log_dir("Razem", "KMP Konin", opinion=True))
    assert logs.log_dir() == expected
    if sys.platform == "win32":  # documented place on the station workstations
        assert str(expected).endswith(r"KMP Konin\Razem\Logs")


@pytest.mark.qt_log_ignore("ostrzeżenie z Qt do dziennika")
def test_qt_messages_go_to_the_log(app_logging):
    path, _ = app_logging
    qWarning("ostrzeżenie z Qt do dziennika")
    assert "razem.qt: ostrzeżenie z Qt do dziennika" in _text(path)


def _wait_dialog(qtbot, reporter):
    qtbot.waitUntil(lambda: bool(reporter.dialogs), timeout=5000)
    return reporter.dialogs[0]


def test_exception_in_ui_thread_is_logged_and_shown(qtbot, app_logging):
    path, reporter = app_logging

    def broken_slot():
        raise RuntimeError("awaria w wątku interfejsu")

    QTimer.singleShot(0, broken_slot)
    dialog = _wait_dialog(qtbot, reporter)
    text = _text(path)
    assert "Nieobsłużony wyjątek" in text and "RuntimeError: awaria w wątku interfejsu" in text
    assert "broken_slot" in text  # the traceback, not just the message
    assert str(path) in dialog.informativeText()
    assert "Wystąpił nieoczekiwany błąd" in dialog.text()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "awaria w wątku interfejsu" in copied and str(path) in copied
    assert dialog.isVisible()  # copying keeps the box open


def test_exception_in_worker_thread_is_logged_and_shown_on_ui_thread(qtbot, app_logging):
    path, reporter = app_logging
    shown_on = []

    def work():
        raise ValueError("awaria w wątku roboczym")

    worker = threading.Thread(target=work, name="import-w-tle")
    worker.start()
    worker.join()
    dialog = _wait_dialog(qtbot, reporter)
    shown_on.append(dialog.thread())
    text = _text(path)
    assert "ValueError: awaria w wątku roboczym" in text and "import-w-tle" in text
    assert shown_on[0] is QApplication.instance().thread()


def _run(code: str, data: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, RAZEM_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120, cwd=str(ROOT))


def test_native_fault_in_worker_thread_leaves_a_record(tmp_path):
    data = tmp_path / POLISH_LONG
    crashed = _run("import faulthandler, threading\n"
                   "from desktop.cli import configure_process_logging\n"
                   "configure_process_logging()\n"
                   "t = threading.Thread(target=faulthandler._sigsegv, name='watek-roboczy')\n"
                   "t.start(); t.join()\n", data)
    assert crashed.returncode != 0
    crash_text = (data / "Logs" / "awaria.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash_text
    assert "watek-roboczy" in crash_text or "Current thread" in crash_text
    # The next start copies the crash into the log itself.
    again = _run("from desktop.cli import configure_process_logging\n"
                 "configure_process_logging()\n", data)
    assert again.returncode == 0, again.stderr
    text = (data / "Logs" / "razem.log").read_text(encoding="utf-8")
    assert "Poprzednie uruchomienie zakończyło się awarią" in text
    assert "Fatal Python error" in text
    assert (data / "Logs" / "awaria.log").read_text(encoding="utf-8") == ""  # copied once


def test_command_line_prints_one_polish_line_and_logs_the_traceback(tmp_path):
    data = tmp_path / POLISH_LONG
    done = _run("from desktop.cli import configure_process_logging\n"
                "configure_process_logging()\n"
                "raise KeyError('brak klucza')\n", data)
    assert done.returncode == 1
    log_path = data / "Logs" / "razem.log"
    lines = [line for line in done.stderr.splitlines() if line.startswith("razem: błąd:")]
    assert lines == [f"razem: błąd: Wystąpił nieoczekiwany błąd programu. Szczegóły zapisano "
                     f"w dzienniku: {log_path}"]
    assert "Traceback" not in done.stderr
    assert "KeyError: 'brak klucza'" in log_path.read_text(encoding="utf-8")


def test_long_tasks_write_one_info_line_with_counts_and_time(tmp_path, caplog, qapp, empty_db):
    import logging
    import re

    from db.migrate import backup_sqlite
    from desktop.common.document import PagedDocument, PageDecor
    from desktop.printing.paged import write_pdf
    from desktop.startup import open_database
    from desktop.threats.importer import import_reports

    with caplog.at_level(logging.INFO, logger="razem"):
        opened = open_database(f"sqlite:///{(tmp_path / POLISH_LONG / 'baza.db').as_posix()}")
        opened.db.dispose()
        backup_sqlite(tmp_path / POLISH_LONG / "baza.db", "test")
        write_pdf(tmp_path / "k.pdf", PagedDocument("Karta", "<p>Zażółć</p>", decor=PageDecor("Karta rejonu")))
        csv = tmp_path / "kmzb.csv"
        csv.write_text("ID;Typ;Status;TERYT;Data utworzenia;Data zdarzenia;Data modyfikacji;X;Y\n"
                       "K-1;Akty wandalizmu;Potwierdzone;3062011;1520244000000;1520244000000;"
                       "1520330400000;448780.6;484036.3\n", encoding="utf-8")
        import_reports(empty_db, csv)
    lines = [r.getMessage() for r in caplog.records]
    assert any(re.fullmatch(r"Migracja bazy .*baza\.db: pusta -> \w+ w \d+\.\d\d s", m) for m in lines)
    assert any(re.fullmatch(r"Kopia zapasowa bazy: .*\.bak\.db \(\d+ bajtów\) w \d+\.\d\d s", m)
               for m in lines)
    assert "Wydruk „Karta rejonu” (PDF): 1 stron w" in " ".join(lines)
    assert any(re.fullmatch(r"Import zgłoszeń KMZB: 1 dodanych, 0 zaktualizowanych, "
                            r"0 odrzuconych w \d+\.\d\d s", m) for m in lines), lines
