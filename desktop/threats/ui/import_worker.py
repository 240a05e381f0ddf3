"""Running an import on a QThreadPool thread: progress through signals, cancel through a flag.

The database write itself is all-or-nothing (``desktop.threats.importer``), so cancelling at
any moment leaves the database as it was.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Signal

from db.engine import Database
from desktop.threats.importer import ImportCancelled, import_reports
from desktop.threats.mapping import ColumnMapping
from desktop.threats.readers import ImportFileError, RawTable, read_table


class ImportSignals(QObject):
    progress = Signal(int, str)
    finished = Signal(object)  # ImportResult
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()  # after any of the three above


class ImportWorker(QRunnable):
    """One import; ``cancel()`` may be called from the UI thread at any time."""

    def __init__(self, db: Database, table: RawTable, mapping: ColumnMapping):
        super().__init__()
        self.setAutoDelete(False)  # the dialog keeps it until done
        self.db, self.table, self.mapping = db, table, mapping
        self.signals = ImportSignals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            result = import_reports(self.db, self.table, self.mapping,
                                    progress=self.signals.progress.emit,
                                    cancelled=self._cancel.is_set)
        except ImportCancelled:
            self.signals.cancelled.emit()
        except ImportFileError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            self.signals.failed.emit(QCoreApplication.translate(
                "threats", "Błąd zapisu, nic nie zapisano: {0}").format(exc))
        else:
            self.signals.finished.emit(result)
        self.signals.done.emit()


class ReadSignals(QObject):
    loaded = Signal(object, str)  # RawTable, path
    failed = Signal(str)


class ReadWorker(QRunnable):
    """Reads a file into a RawTable off the UI thread (large XLSX files take seconds)."""

    def __init__(self, path: str):
        super().__init__()
        self.setAutoDelete(False)
        self.path = path
        self.signals = ReadSignals()

    def run(self) -> None:
        try:
            table = read_table(self.path)
        except ImportFileError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            self.signals.failed.emit(QCoreApplication.translate(
                "threats", "Nie można odczytać pliku: {0}").format(exc))
        else:
            self.signals.loaded.emit(table, self.path)
