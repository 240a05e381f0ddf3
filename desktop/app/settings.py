"""Plik › Ustawienia…: one dialog, per user, made of pages (database address, map, backups …).

A page is a QWidget with ``title()`` and ``apply()`` (see ``SettingsPage``); it may also offer
``validation_error()`` (a Polish sentence or None, checked before anything is applied) and a
``key`` (announced through ``AppContext.settingsChanged`` after it was applied, so e.g. the map
tab rebuilds). Adding a page is one line in ``SETTINGS_PAGES``: a factory taking the context and
the parent widget, for example ``lambda ctx, parent: BackupSettingsPage(parent)``.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from db.engine import default_database_url, describe, resolve_database_url
from desktop.app.context import AppContext
from desktop.common import preferences
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator

_tr = translator("settings")


@runtime_checkable
class SettingsPage(Protocol):
    """What the dialog needs from a page (a QWidget)."""

    def title(self) -> str: ...

    def apply(self) -> None: ...


PageFactory = Callable[[AppContext, QWidget], QWidget]

DATABASE_KEY = "database"


def database_address_error(text: str) -> str | None:
    """Why an address typed by the user cannot be used (Polish), or None. "" = default."""
    text = text.strip()
    if not text:
        return None
    try:
        url = make_url(resolve_database_url(text))
    except (ArgumentError, ValueError) as exc:
        return _tr("Niepoprawny adres bazy danych: {0}").format(exc)
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            return _tr("Podaj ścieżkę pliku bazy SQLite.")
        return None
    if backend == "postgresql":
        if driver != "psycopg":
            return _tr("Dla PostgreSQL użyj adresu postgresql+psycopg://użytkownik@serwer/baza.")
        if not url.host or not url.database:
            return _tr("Adres PostgreSQL musi zawierać serwer i nazwę bazy, np. "
                       "postgresql+psycopg://użytkownik@serwer/razem.")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return _tr("Brak sterownika PostgreSQL (psycopg) w tej instalacji programu.")
        return None
    return _tr("Nieznany rodzaj bazy danych „{0}”; obsługiwane są plik SQLite "
               "i postgresql+psycopg://").format(backend)


class DatabaseSettingsPage(QWidget):
    """The database address for the next start (a SQLite file or a PostgreSQL server)."""

    key = DATABASE_KEY

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.address = QLineEdit(preferences.stored_database_url(), self)
        self.address.setPlaceholderText(
            _tr("domyślnie: {0}").format(describe(default_database_url())))
        browse = QPushButton(_tr("Plik…"), self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(browse)
        current = plain.plain_label(_tr("Teraz używana: {0}").format(
            describe(ctx.db.url) if ctx is not None else "–"), self)
        current.setWordWrap(True)
        note = plain.plain_label(_tr("Ścieżka pliku SQLite albo adres serwera PostgreSQL, np. "
                          "postgresql+psycopg://użytkownik@serwer/razem. Puste pole oznacza "
                          "plik w folderze danych użytkownika. Zmiana zacznie działać po "
                          "ponownym uruchomieniu programu; --database i RAZEM_DATABASE_URL "
                          "mają pierwszeństwo."), self)
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(_tr("Adres bazy danych:"), row)
        form.addRow(current)
        form.addRow(note)

    def title(self) -> str:
        return _tr("Baza danych")

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, _tr("Plik bazy danych"), self.address.text(),
            _tr("Baza SQLite (*.db);;Wszystkie pliki (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.address.setText(path)

    def validation_error(self) -> str | None:
        return database_address_error(self.address.text())

    def apply(self) -> None:
        preferences.save_database_url(self.address.text())


def _map_page(ctx: AppContext, parent: QWidget) -> QWidget:
    from desktop.map.ui.settings_dialog import MapSettingsPage

    return MapSettingsPage(None, parent, ctx.db)


def _backup_page(ctx: AppContext, parent: QWidget) -> QWidget:
    from desktop.backup.ui.settings_page import BackupSettingsPage

    return BackupSettingsPage(parent)


# The pages, in order.
SETTINGS_PAGES: list[PageFactory] = [
    DatabaseSettingsPage,
    _map_page,
    _backup_page,
]


class SettingsDialog(QDialog):
    """A list of page titles on the left, the chosen page on the right, OK / Anuluj."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 pages: list[PageFactory] | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("Ustawienia"))
        self.resize(720, 420)
        self.titles = QListWidget(self)
        self.stack = QStackedWidget(self)
        self.pages: list[QWidget] = []
        for factory in pages if pages is not None else SETTINGS_PAGES:
            page = factory(ctx, self.stack)
            if not isinstance(page, SettingsPage):
                raise TypeError(f"{page!r} nie ma metod title() i apply()")
            self.pages.append(page)
            self.stack.addWidget(page)
            self.titles.addItem(page.title())
        self.titles.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.titles.setCurrentRow(0)
        self.titles.setMaximumWidth(200)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.titles)
        body.addWidget(self.stack, 1)
        self.error = plain.plain_label(parent=self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def page(self, title: str) -> QWidget:
        return next(p for p in self.pages if p.title() == title)  # type: ignore[attr-defined]

    def first_error(self) -> tuple[int, str] | None:
        for i, page in enumerate(self.pages):
            check = getattr(page, "validation_error", None)
            error = check() if check is not None else None
            if error:
                return i, error
        return None

    def accept(self) -> None:
        """Nothing is applied unless every page is valid; then each page applies."""
        problem = self.first_error()
        if problem is not None:
            index, error = problem
            self.titles.setCurrentRow(index)
            self.error.setText(_tr("{0}: {1}").format(
                self.pages[index].title(), error))  # type: ignore[attr-defined]
            self.error.show()
            return
        self.error.hide()
        for index, page in enumerate(self.pages):
            try:
                page.apply()  # type: ignore[attr-defined]
            except (OSError, ValueError) as exc:  # e.g. the settings file cannot be written
                self.titles.setCurrentRow(index)
                self.error.setText(_tr("{0}: nie można zapisać ustawień: {1}").format(
                    page.title(), exc))  # type: ignore[attr-defined]
                self.error.show()
                return
            key = getattr(page, "key", None)
            if key:
                self.ctx.settingsChanged.emit(key)
        super().accept()
