"""Undoable changes in the agreements window: agreement data and signatures."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from db.engine import Database
from desktop.common.ui.i18n import translator
from desktop.partners import agreements as svc
from desktop.partners.agreements import AgreementData, SignatureData

_tr = translator("partners")


class SaveAgreementCommand(QUndoCommand):
    def __init__(self, db: Database, changed: Callable[[int], None], agreement_id: int,
                 before: AgreementData, after: AgreementData):
        super().__init__(_tr("Zmiana danych porozumienia"))
        self.db, self.changed, self.agreement_id = db, changed, agreement_id
        self.before, self.after = before, after

    def redo(self) -> None:
        svc.save_agreement(self.db, self.after, self.agreement_id)
        self.changed(self.agreement_id)

    def undo(self) -> None:
        svc.save_agreement(self.db, self.before, self.agreement_id)
        self.changed(self.agreement_id)


class SaveSignatureCommand(QUndoCommand):
    """Adds (``before`` None) or changes a signature."""

    def __init__(self, db: Database, changed: Callable[[int], None], agreement_id: int,
                 signature_id: int | None, before: SignatureData | None, after: SignatureData):
        super().__init__(_tr("Zmiana podpisu") if before else _tr("Dodanie podpisu"))
        self.db, self.changed, self.agreement_id = db, changed, agreement_id
        self.signature_id, self.before, self.after = signature_id, before, after

    def redo(self) -> None:
        created = self.before is None
        self.signature_id = svc.save_signature(self.db, self.agreement_id, self.after,
                                               None if created else self.signature_id)
        self.changed(self.agreement_id)

    def undo(self) -> None:
        if self.before is None:
            svc.delete_signature(self.db, self.signature_id)
        else:
            svc.save_signature(self.db, self.agreement_id, self.before, self.signature_id)
        self.changed(self.agreement_id)


class DeleteSignatureCommand(QUndoCommand):
    """Deletes a signature; undo puts the same data back (as a new row)."""

    def __init__(self, db: Database, changed: Callable[[int], None], agreement_id: int,
                 signature_id: int, data: SignatureData):
        super().__init__(_tr("Usunięcie podpisu"))
        self.db, self.changed, self.agreement_id = db, changed, agreement_id
        self.signature_id, self.data = signature_id, data

    def redo(self) -> None:
        svc.delete_signature(self.db, self.signature_id)
        self.changed(self.agreement_id)

    def undo(self) -> None:
        self.signature_id = svc.save_signature(self.db, self.agreement_id, self.data)
        self.changed(self.agreement_id)
