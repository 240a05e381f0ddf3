"""Undoable register changes (QUndoStack): add, edit, remove.

Removal is soft, so undoing it simply restores the partner with its signatures.

The history only records what was committed: the tab calls ``apply()`` first (the write,
retried while another program holds the database) and pushes the command only after it
succeeded; the push's own ``redo()`` then just refreshes the view. A later undo or redo
that fails (database busy, record gone) makes the command obsolete, so QUndoStack drops it
instead of listing a change that did not happen, and ``on_error`` reports the reason.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand
from sqlalchemy.exc import SQLAlchemyError

from db.engine import Database
from desktop.partners import service
from desktop.partners.service import PartnerData, PartnerValidationError


def _tr(text: str) -> str:
    return QCoreApplication.translate("partners", text)


class _PartnerCommand(QUndoCommand):
    """Calls ``changed(partner_id)`` after each redo/undo so the view can reload."""

    def __init__(self, db: Database, changed: Callable[[int], None], text: str):
        super().__init__(text)
        self.db = db
        self.changed = changed
        self.partner_id: int | None = None
        self.on_error: Callable[[Exception], None] | None = None
        self._applied = False

    def apply(self) -> None:
        """Do the change now (before the push); raises if it was not committed."""
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
        except (SQLAlchemyError, service.PartnerNotFound, PartnerValidationError) as exc:
            self.setObsolete(True)  # QUndoStack drops it: no history entry for a failed step
            if self.on_error is not None:
                self.on_error(exc)
            return
        self.changed(self.partner_id or 0)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddPartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, data: PartnerData):
        super().__init__(db, changed, _tr("Dodanie partnera „{0}”").format(data.name))
        self.data = data

    def _do(self) -> None:
        if self.partner_id is None:
            self.partner_id = service.create_partner(self.db, self.data)
        else:  # redo after undo: bring the same record back
            service.restore_partner(self.db, self.partner_id)

    def _undo(self) -> None:
        service.remove_partner(self.db, self.partner_id)


class EditPartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, before: PartnerData, after: PartnerData):
        super().__init__(db, changed, _tr("Zmiana partnera „{0}”").format(after.name))
        self.partner_id, self.before, self.after = partner_id, before, after

    def _do(self) -> None:
        service.update_partner(self.db, self.partner_id, self.after)

    def _undo(self) -> None:
        service.update_partner(self.db, self.partner_id, self.before)


class RemovePartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, name: str):
        super().__init__(db, changed, _tr("Usunięcie partnera „{0}”").format(name))
        self.partner_id = partner_id

    def _do(self) -> None:
        service.remove_partner(self.db, self.partner_id)

    def _undo(self) -> None:
        service.restore_partner(self.db, self.partner_id)


class RestorePartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, name: str):
        super().__init__(db, changed, _tr("Przywrócenie partnera „{0}”").format(name))
        self.partner_id = partner_id

    def _do(self) -> None:
        service.restore_partner(self.db, self.partner_id)

    def _undo(self) -> None:
        service.remove_partner(self.db, self.partner_id)
