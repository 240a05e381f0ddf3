"""The question every import of real files asks first when the open database is the sample."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from db.engine import Database
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator
from desktop.organisation.station import SAMPLE_IMPORT_WARNING, database_is_sample

_tr = translator("sample_guard")


def confirm_import_into_sample(db: Database, parent: QWidget | None) -> bool:
    """True when the import may go on: a real database, or the user said "Tak" to the warning."""
    if not database_is_sample(db):
        return True
    return plain.ask(parent, _tr("Dane przykładowe"),
        _tr(SAMPLE_IMPORT_WARNING) + "\n\n" + _tr("Czy mimo to wczytać plik do tej bazy?"))
