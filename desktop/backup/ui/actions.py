"""The window's station services: menu actions for backups, restore, the audit log and
personal data; the daily automatic backup; the watcher that follows other workstations."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from db.engine import describe
from desktop.app.context import AppContext, Change
from desktop.app.watcher import ChangeWatcher
from desktop.backup.auto import run_auto_backup
from desktop.backup.core import (
    BackupResult,
    backup_database,
    default_suffix,
    restore_database,
    timestamped_name,
)
from desktop.backup.dump import BackupError
from desktop.backup.settings import load_settings
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.common.ui.progress import run_with_progress

log = logging.getLogger("razem.backup")
FIRST_AUTO_BACKUP_MS = 20_000  # a little after start, so opening the window is not slowed
AUTO_CHECK_MS = 3_600_000  # then once an hour: a new day gets its backup


_tr = translator("StationActions")


def _backup_job(ctl: JobControl, db, target: Path) -> BackupResult:
    return backup_database(db, target, ctl.check, ctl.progress)


def _restore_job(ctl: JobControl, db, source: Path) -> tuple[Path, int]:
    folder = load_settings().folder_path()
    folder.mkdir(parents=True, exist_ok=True)
    ctl.progress(2, _tr("Kopia stanu obecnego"))
    before = backup_database(db, folder / timestamped_name("razem-przed-odtworzeniem",
                                                           default_suffix(db)), ctl.check)
    ctl.check()  # the last moment a cancel is honoured: the restore itself is one step
    rows = restore_database(db, source, None, ctl.progress)
    return before.path, rows


def _auto_job(ctl: JobControl, db) -> BackupResult | None:
    return run_auto_backup(db, load_settings(), check=ctl.check)


class StationActions(QObject):
    """Created by the main window with its context and the Plik menu."""

    def __init__(self, ctx: AppContext, window: QWidget, menu: QMenu | None = None):
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.job: Job | None = None
        self.last_result: object = None
        self.backup_action = self._action(_tr("&Kopia zapasowa…"), self.backup_now)
        self.restore_action = self._action(_tr("&Odtwórz z kopii zapasowej…"), self.restore)
        self.audit_action = self._action(_tr("&Dziennik zmian…"), self.show_audit)
        self.rodo_action = self._action(_tr("Dane osobowe (RODO)…"), self.show_rodo)
        if menu is not None:
            for action in self.actions():
                menu.addAction(action)
        self.watcher = ChangeWatcher(ctx, parent=self)
        self.watcher.start()
        stop = self.watcher.stop
        self.destroyed.connect(lambda *_: stop())
        if window is not None:
            window.installEventFilter(self)  # closing the window ends the watcher
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.run_daily)
        self.timer.start(FIRST_AUTO_BACKUP_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.watcher.stop()
            self.timer.stop()
        return False

    def actions(self) -> list[QAction]:
        return [self.backup_action, self.restore_action, self.audit_action, self.rodo_action]

    def _action(self, text: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(lambda *_: slot())
        return action

    def _busy(self) -> bool:
        if self.job is not None and self.job.running:
            plain.message(self.window, plain.Icon.Information, _tr("Kopia zapasowa"),
                          _tr("Trwa już kopia zapasowa lub odtwarzanie; poczekaj na "
                              "jego koniec."))
            return True
        return False

    # -- automatic ----------------------------------------------------------------------
    def run_daily(self) -> Job | None:
        """Start today's automatic backup in the background if it is due."""
        self.timer.start(AUTO_CHECK_MS)
        if self.job is not None and self.job.running:
            return None
        self.job = run_job(_auto_job, self.ctx.db, name="automatyczna kopia zapasowa",
                           expected=(BackupError, OSError), parent=self,
                           on_success=self._auto_done, on_failure=self._auto_failed)
        return self.job

    def _auto_done(self, result: BackupResult | None) -> None:
        self.last_result = result
        if result is not None:
            self._status(_tr("Zapisano automatyczną kopię zapasową: {0}").format(result.path))

    def _auto_failed(self, failure: JobFailure) -> None:
        self.last_result = failure
        self._status(_tr("Automatyczna kopia zapasowa nie powiodła się: {0}")
                     .format(failure.message))

    def _status(self, text: str) -> None:
        bar = getattr(self.window, "statusBar", None)
        if bar is not None:
            bar().showMessage(text, 15000)

    # -- by hand ------------------------------------------------------------------------
    def backup_now(self, path: str | None = None) -> Job | None:
        if self._busy():
            return None
        suffix = default_suffix(self.ctx.db)
        if not path:
            folder = load_settings().folder_path()
            suggested = str(folder / timestamped_name("razem", suffix))
            pattern = (_tr("Kopia bazy SQLite (*.db);;Kopia przenośna (*.zip)") if suffix == ".db"
                       else _tr("Kopia przenośna (*.zip)"))
            path, _ = QFileDialog.getSaveFileName(self.window, _tr("Kopia zapasowa"),
                                                  suggested, pattern)
        if not path:
            return None
        return self._run(_backup_job, Path(path), _tr("Zapisywanie kopii zapasowej…"),
                         self._backup_done)

    def _backup_done(self, result: BackupResult) -> None:
        self.last_result = result
        plain.message(self.window, plain.Icon.Information, _tr("Kopia zapasowa"),
                      _tr("Zapisano kopię zapasową:\n{0}").format(result.path))

    def restore(self, path: str | None = None) -> Job | None:
        if self._busy():
            return None
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self.window, _tr("Odtwórz z kopii zapasowej"),
                str(load_settings().folder_path()),
                _tr("Kopie zapasowe (*.db *.zip);;Wszystkie pliki (*)"))
        if not path:
            return None
        if not plain.ask(
                self.window, _tr("Odtwórz z kopii zapasowej"),
                _tr("Wszystkie dane w bazie {0} zostaną zastąpione danymi z kopii\n{1}.\n\n"
                    "Przedtem program zapisze kopię obecnego stanu. Pozostałe stanowiska "
                    "zobaczą odtworzone dane. Kontynuować?").format(
                        describe(self.ctx.db.url), path)):
            return None
        return self._run(_restore_job, Path(path), _tr("Odtwarzanie z kopii zapasowej…"),
                         self._restore_done)

    def _restore_done(self, result: tuple[Path, int]) -> None:
        before, rows = result
        self.last_result = result
        self.ctx.notify(Change.everything())
        plain.message(self.window, plain.Icon.Information, _tr("Odtwórz z kopii zapasowej"),
                      _tr("Odtworzono {0} wierszy. Stan sprzed odtworzenia zapisano "
                          "w pliku:\n{1}").format(rows, before))

    def _run(self, fn, path: Path, text: str, on_success) -> Job:
        job = run_with_progress(fn, self.ctx.db, path, parent=self.window,
                                name=text.rstrip("…"), label=text, title=_tr("Kopia zapasowa"),
                                expected=(BackupError, OSError), on_success=on_success,
                                on_failure=self._failed)
        self.job = job
        return job

    def _failed(self, failure: JobFailure) -> None:
        self.last_result = failure
        plain.message(self.window, plain.Icon.Warning, _tr("Kopia zapasowa"), failure.message)

    # -- dialogs ------------------------------------------------------------------------
    def show_audit(self) -> QWidget:
        from desktop.audit.ui.viewer import AuditDialog

        dialog = AuditDialog(self.ctx.db, self.window)
        dialog.setModal(False)
        dialog.show()
        self.audit_dialog = dialog
        return dialog

    def show_rodo(self) -> QWidget:
        from desktop.audit.ui.rodo_dialog import RodoDialog

        dialog = RodoDialog(self.ctx, self.window)
        dialog.setModal(False)
        dialog.show()
        self.rodo_dialog = dialog
        return dialog

