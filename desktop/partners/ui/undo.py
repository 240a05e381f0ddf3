"""Undoable register changes (QUndoStack): add, edit, remove.

Removal is soft, so undoing it simply restores the partner with its signatures.

The history only records what was committed: the tab calls ``apply()`` first (the write,
retried while another program holds the database) and pushes the command only after it
succeeded; the push's own ``redo()`` then just refreshes the view. A later undo or redo
that fails (database busy, record gone) makes the command obsolete, so QUndoStack drops it
instead of listing a change that did not happen, and ``on_error`` reports the reason.

Every write names the partner's version this workstation last saw (a shared VersionBook):
the first write (``apply()``) uses the version the user loaded, later undo/redo the one the
previous step wrote. When someone else changed the partner in between, ``resolve(error)``
asks the user (the conflict dialog); "Anuluj" (or a partner deleted elsewhere) leaves their
change alone, records the conflict in ``refused`` and makes the step obsolete, so undo never
silently overwrites a newer change.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from desktop.common.conflicts import ConflictError, VersionBook, write_resolving
from desktop.common.ui.i18n import translator
from desktop.partners import service
from desktop.partners.service import PartnerData, PartnerValidationError

KIND = "partner"
Resolver = Callable[[ConflictError], bool]  # True: overwrite their change


_tr = translator("partners")


class _PartnerCommand(QUndoCommand):
    """Calls ``changed(partner_id)`` after each redo/undo so the view can reload."""

    def __init__(self, db: Database, changed: Callable[[int], None], text: str,
                 versions: VersionBook | None = None, resolve: Resolver | None = None,
                 loaded_version: int | None = None):
        super().__init__(text)
        self.db = db
        self.changed = changed
        self.partner_id: int | None = None
        self.versions = versions if versions is not None else VersionBook()
        self.resolve = resolve
        self.loaded_version = loaded_version  # for the first write only
        self.refused: ConflictError | None = None  # the conflict that made the user cancel
        self.on_error: Callable[[Exception], None] | None = None
        self._applied = False

    def apply(self) -> None:
        """Do the change now (before the push); raises if it was not committed. A conflict
        the user declined does not raise: ``refused`` is set and the command is obsolete."""
        self._do()
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # the push after apply(): already committed
            self._applied = False
            self.changed(self.partner_id or 0)
            return
        self._guarded(self._do)

    def undo(self) -> None:
        self._guarded(self._undo)

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except (SQLAlchemyError, service.PartnerNotFound, PartnerValidationError,
                ConflictError) as exc:
            self.setObsolete(True)  # QUndoStack drops it: no history entry for a failed step
            if self.on_error is not None:
                self.on_error(exc)
            return
        self.changed(self.partner_id or 0)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

    def _write(self, action: Callable[[int, int | None], int]) -> None:
        """Run ``action(partner_id, expected_version) -> new version`` with conflict handling.
        Errors other than a conflict pass through (to ``apply()``'s caller or ``_guarded``)."""
        assert self.partner_id is not None
        pid = self.partner_id
        expected = (self.loaded_version if self.loaded_version is not None
                    else self.versions.get(KIND, pid))
        version, refused = write_resolving(lambda v: action(pid, v), expected, self.resolve)
        if refused is not None:
            self.refused = refused
            self.setObsolete(True)  # QUndoStack drops the step; their change stays
            return
        assert version is not None
        self.loaded_version = None  # written: from now on the book knows the version
        self.versions.set(KIND, pid, version)

    def _remove(self) -> None:
        self._write(lambda pid, v: service.remove_partner(self.db, pid, v))

    def _restore(self) -> None:
        self._write(lambda pid, v: service.restore_partner(self.db, pid, v))


class AddPartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, data: PartnerData, versions: VersionBook | None = None,
                 resolve: Resolver | None = None):
        super().__init__(db, changed, _tr("Dodanie partnera „{0}”").format(data.name),
                         versions, resolve)
        self.data = data

    def _do(self) -> None:
        if self.partner_id is None:
            self.partner_id = service.create_partner(self.db, self.data)
            self.versions.set(KIND, self.partner_id, 1)
        else:  # redo after undo: bring the same record back
            self._restore()

    def _undo(self) -> None:
        self._remove()


class EditPartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, before: PartnerData, after: PartnerData,
                 versions: VersionBook | None = None, resolve: Resolver | None = None,
                 loaded_version: int | None = None):
        super().__init__(db, changed, _tr("Zmiana partnera „{0}”").format(after.name),
                         versions, resolve, loaded_version)
        self.partner_id, self.before, self.after = partner_id, before, after

    def _do(self) -> None:
        self._write(lambda pid, v: service.update_partner(self.db, pid, self.after, v))

    def _undo(self) -> None:
        self._write(lambda pid, v: service.update_partner(self.db, pid, self.before, v))


class RemovePartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, name: str,
                 versions: VersionBook | None = None, resolve: Resolver | None = None,
                 loaded_version: int | None = None):
        super().__init__(db, changed, _tr("Usunięcie partnera „{0}”").format(name),
                         versions, resolve, loaded_version)
        self.partner_id = partner_id

    def _do(self) -> None:
        self._remove()

    def _undo(self) -> None:
        self._restore()


class RestorePartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, name: str,
                 versions: VersionBook | None = None, resolve: Resolver | None = None,
                 loaded_version: int | None = None):
        super().__init__(db, changed, _tr("Przywrócenie partnera „{0}”").format(name),
                         versions, resolve, loaded_version)
        self.partner_id = partner_id

    def _do(self) -> None:
        self._restore()

    def _undo(self) -> None:
        self._remove()
