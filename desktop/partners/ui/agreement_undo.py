"""Undoable changes in the agreements window: agreement data and signatures.

As in ``desktop.partners.ui.undo``: each write names the version this window last saw (a
shared VersionBook, the services record what they wrote); when someone else changed the record
meanwhile, ``resolve(error)`` asks the user, and "Anuluj" drops the step so that undo never
silently overwrites a newer change made elsewhere.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from db.engine import Database
from desktop.common.conflicts import ConflictError, VersionBook, write_resolving
from desktop.common.ui.i18n import translator
from desktop.partners import agreements as svc
from desktop.partners.agreements import AgreementData, SignatureData

Resolver = Callable[[ConflictError], bool]  # True: overwrite their change


_tr = translator("partners")


class _VersionedCommand(QUndoCommand):
    def __init__(self, text: str, db: Database, changed: Callable[[int], None],
                 agreement_id: int, versions: VersionBook | None, resolve: Resolver | None,
                 loaded_version: int | None):
        super().__init__(text)
        self.db, self.changed, self.agreement_id = db, changed, agreement_id
        self.versions = versions if versions is not None else VersionBook()
        self.resolve = resolve
        self.loaded_version = loaded_version  # for the first write only
        self.refused: ConflictError | None = None

    def _write(self, kind: str, record_id: int | None,
               action: Callable[[int | None], object]) -> None:
        """Run ``action(expected_version)``; on a conflict ask, and drop the step on cancel."""
        expected = self.loaded_version
        self.loaded_version = None
        if expected is None and record_id is not None:
            expected = self.versions.get(kind, record_id)
        _done, refused = write_resolving(action, expected, self.resolve)
        if refused is not None:
            self.refused = refused
            self.setObsolete(True)  # QUndoStack drops the step; their change stays
        self.changed(self.agreement_id)


class SaveAgreementCommand(_VersionedCommand):
    def __init__(self, db: Database, changed: Callable[[int], None], agreement_id: int,
                 before: AgreementData, after: AgreementData,
                 versions: VersionBook | None = None, resolve: Resolver | None = None,
                 loaded_version: int | None = None):
        super().__init__(_tr("Zmiana danych porozumienia"), db, changed, agreement_id,
                         versions, resolve, loaded_version)
        self.before, self.after = before, after

    def _save(self, data: AgreementData) -> None:
        self._write("agreement", self.agreement_id, lambda v: svc.save_agreement(
            self.db, data, self.agreement_id, v, self.versions))

    def redo(self) -> None:
        self._save(self.after)

    def undo(self) -> None:
        self._save(self.before)


class SaveSignatureCommand(_VersionedCommand):
    """Adds (``before`` None) or changes a signature."""

    def __init__(self, db: Database, changed: Callable[[int], None], agreement_id: int,
                 signature_id: int | None, before: SignatureData | None, after: SignatureData,
                 versions: VersionBook | None = None, resolve: Resolver | None = None,
                 loaded_version: int | None = None):
        super().__init__(_tr("Zmiana podpisu") if before else _tr("Dodanie podpisu"), db,
                         changed, agreement_id, versions, resolve, loaded_version)
        self.signature_id, self.before, self.after = signature_id, before, after

    def redo(self) -> None:
        if self.before is None:  # (re)create: a new row, nothing to overwrite
            self.signature_id = svc.save_signature(self.db, self.agreement_id, self.after,
                                                   versions=self.versions)
            self.changed(self.agreement_id)
            return
        self._write("signature", self.signature_id, lambda v: svc.save_signature(
            self.db, self.agreement_id, self.after, self.signature_id, v, self.versions))

    def undo(self) -> None:
        if self.before is None:
            created = self.signature_id
            assert created is not None  # redo ran first
            self._write("signature", created,
                        lambda v: svc.delete_signature(self.db, created, v))
            return
        before = self.before
        self._write("signature", self.signature_id, lambda v: svc.save_signature(
            self.db, self.agreement_id, before, self.signature_id, v, self.versions))


class DeleteSignatureCommand(_VersionedCommand):
    """Deletes a signature; undo puts the same data back (as a new row)."""

    def __init__(self, db: Database, changed: Callable[[int], None], agreement_id: int,
                 signature_id: int, data: SignatureData, versions: VersionBook | None = None,
                 resolve: Resolver | None = None, loaded_version: int | None = None):
        super().__init__(_tr("Usunięcie podpisu"), db, changed, agreement_id, versions,
                         resolve, loaded_version)
        self.signature_id, self.data = signature_id, data

    def redo(self) -> None:
        self._write("signature", self.signature_id,
                    lambda v: svc.delete_signature(self.db, self.signature_id, v))

    def undo(self) -> None:
        self.signature_id = svc.save_signature(self.db, self.agreement_id, self.data,
                                               versions=self.versions)
        self.changed(self.agreement_id)
