"""Undoable register changes (QUndoStack): add, edit, remove.

Removal is soft, so undoing it simply restores the partner with its signatures.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from db.engine import Database
from desktop.common.ui.i18n import translator
from desktop.partners import service
from desktop.partners.service import PartnerData

_tr = translator("partners")


class _PartnerCommand(QUndoCommand):
    """Calls ``changed(partner_id)`` after each redo/undo so the view can reload."""

    def __init__(self, db: Database, changed: Callable[[int], None], text: str):
        super().__init__(text)
        self.db = db
        self.changed = changed
        self.partner_id: int | None = None


class AddPartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, data: PartnerData):
        super().__init__(db, changed, _tr("Dodanie partnera „{0}”").format(data.name))
        self.data = data

    def redo(self) -> None:
        if self.partner_id is None:
            self.partner_id = service.create_partner(self.db, self.data)
        else:  # redo after undo: bring the same record back
            service.restore_partner(self.db, self.partner_id)
        self.changed(self.partner_id)

    def undo(self) -> None:
        service.remove_partner(self.db, self.partner_id)
        self.changed(self.partner_id)


class EditPartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, before: PartnerData, after: PartnerData):
        super().__init__(db, changed, _tr("Zmiana partnera „{0}”").format(after.name))
        self.partner_id, self.before, self.after = partner_id, before, after

    def redo(self) -> None:
        service.update_partner(self.db, self.partner_id, self.after)
        self.changed(self.partner_id)

    def undo(self) -> None:
        service.update_partner(self.db, self.partner_id, self.before)
        self.changed(self.partner_id)


class RemovePartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, name: str):
        super().__init__(db, changed, _tr("Usunięcie partnera „{0}”").format(name))
        self.partner_id = partner_id

    def redo(self) -> None:
        service.remove_partner(self.db, self.partner_id)
        self.changed(self.partner_id)

    def undo(self) -> None:
        service.restore_partner(self.db, self.partner_id)
        self.changed(self.partner_id)


class RestorePartnerCommand(_PartnerCommand):
    def __init__(self, db, changed, partner_id: int, name: str):
        super().__init__(db, changed, _tr("Przywrócenie partnera „{0}”").format(name))
        self.partner_id = partner_id

    def redo(self) -> None:
        service.restore_partner(self.db, self.partner_id)
        self.changed(self.partner_id)

    def undo(self) -> None:
        service.remove_partner(self.db, self.partner_id)
        self.changed(self.partner_id)
