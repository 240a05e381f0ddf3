"""Opening the database off the UI thread, with progress. On a database the app has just
created the user first chooses the sample or a new unit database (``choose``)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QWidget
from sqlalchemy.exc import SQLAlchemyError

from db.engine import explain_database_error, resolve_database_url
from db.migrate import SchemaUpgradeError
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator
from desktop.common.ui.jobs import JobControl, JobFailure
from desktop.common.ui.progress import run_with_progress
from desktop.organisation.station import StationChoice, StationError, start_new_database
from desktop.startup import OpenedDatabase, open_database, sample_allowed

# The first-start question: (parent, sample allowed) -> the choice, or None (ask next time).
Chooser = Callable[[QWidget | None, bool], StationChoice | None]

_tr = translator("startup")


def _open(ctl: JobControl, url: str | None) -> OpenedDatabase:
    return open_database(url, progress=lambda stage, percent: ctl.progress(percent, stage))


def _start(ctl: JobControl, opened: OpenedDatabase, choice: StationChoice) -> OpenedDatabase:
    summary = start_new_database(opened.db, choice,
                                 lambda stage, percent: ctl.progress(percent, stage))
    return OpenedDatabase(opened.db, opened.backup, summary, False)


def _default_chooser(parent: QWidget | None, allowed: bool) -> StationChoice | None:
    from desktop.organisation.ui.first_start import ask_first_start

    return ask_first_start(parent, allowed)


def open_with_progress(url: str | None, parent: QWidget | None = None,
                       choose: Chooser | None = None) -> OpenedDatabase | None:
    """Open the database; on one the app has just created, ask (``choose``, by default the
    first-start dialog) and build the sample or the unit's first record in a second job."""
    opened = _run_open(_open, (url,), url, parent)
    if opened is None or not opened.awaiting_choice:
        return opened
    choice = (choose or _default_chooser)(parent, sample_allowed(opened.db))
    if choice is None:  # asked again on the next start; the window opens on the empty base
        return opened
    started = _run_open(_start, (opened, choice), url, parent)
    return started if started is not None else opened


def _run_open(fn: Callable[..., OpenedDatabase], args: tuple, url: str | None,
              parent: QWidget | None) -> OpenedDatabase | None:
    """Open (upgrade, fill on first start) the database in a background job while a progress
    dialog shows; None (after a Polish message box) when it cannot be opened."""
    loop = QEventLoop()
    job = run_with_progress(
        fn, *args, parent=parent, name="otwieranie bazy danych",
        label=_tr("Otwieranie bazy danych…"), title=_tr("Razem"),
        label_format=_tr("Przygotowanie danych przykładowych: {0}"),
        cancellable=False,  # migrations and the sample are one transaction: no half-state
        minimum_ms=300, expected=(SQLAlchemyError, StationError, SchemaUpgradeError),
        on_failure=lambda _failure: None,  # told below, with the database's own explanation
        on_finished=loop.quit)
    loop.exec()  # the results arrive through this loop, so finished cannot be missed
    failure: JobFailure | None = job.failure
    if failure is not None:
        detail = (explain_database_error(failure.exception, resolve_database_url(url))
                  if isinstance(failure.exception, SQLAlchemyError) else failure.message)
        plain.message(parent, plain.Icon.Critical, _tr("Nie można otworzyć bazy"),
                      _tr("Nie udało się otworzyć bazy danych.\n\n{0}").format(detail))
        return None
    return job.result
