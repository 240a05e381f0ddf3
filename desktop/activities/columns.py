"""The columns of the activities log in exports (Qt-free): the activity's field list."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.activities.export import ExportColumn, write_table
from desktop.activities.fields import ACTIVITY_FIELDS
from desktop.activities.service import ActivityRow
from desktop.common.fields import Field, display


def _export_value(field: Field):
    return lambda row: display(field.read(row))


EXPORT_COLUMNS = [ExportColumn(f.label, _export_value(f), f.export_width)
                  for f in ACTIVITY_FIELDS.export]


def export_activities(path: str | Path, rows: Sequence[ActivityRow]) -> None:
    """CSV or XLSX (by suffix) of the activities; raises OSError when it cannot write."""
    write_table(path, EXPORT_COLUMNS, rows, "Działania")
