"""The Qt side of a record's field list (``desktop.common.fields``): table columns, form
labels and editor length limits, all read from the one list.

    model = RowsTableModel(table_columns(OFFICER_FIELDS), parent=self)
    add_form_rows(form, OFFICER_FIELDS, {"rank": self.rank, ...})  # labels + maxLength
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from desktop.common.fields import Field, FieldList, display
from desktop.common.ui.i18n import tr_label
from desktop.common.ui.tables import Column


def tr_field(fields: FieldList, text: str) -> str:
    """A label of the list, translated in the list's context."""
    return QCoreApplication.translate(fields.context, text)


def _cell(fields: FieldList, f: Field) -> Callable[[Any], Any]:
    yes_no = (tr_field(fields, "tak"), tr_field(fields, "nie"))
    return lambda row: display(f.read(row), tr_label, yes_no)


def table_columns(fields: FieldList,
                  fmt: Mapping[str, Callable[[Any], str]] | None = None,
                  value: Mapping[str, Callable[[Any], Any]] | None = None) -> list[Column]:
    """The table's columns: the fields marked ``in_table``, in order, titled by their
    (translated) header. ``fmt`` / ``value`` override how a named field is shown."""
    fmt, value = fmt or {}, value or {}
    return [Column(tr_field(fields, f.header), value.get(f.name) or _cell(fields, f),
                   f.align_right, fmt.get(f.name))
            for f in fields.table]


def limit_length(fields: FieldList, name: str, edit: QLineEdit) -> None:
    """The editor of field ``name`` takes no more characters than its model column."""
    limit = fields.by_name[name].max_length
    if limit is not None:
        edit.setMaxLength(limit)


def limit_lengths(fields: FieldList, widgets: Mapping[str, QWidget]) -> None:
    for name, widget in widgets.items():
        if isinstance(widget, QLineEdit):
            limit_length(fields, name, widget)


def form_label(fields: FieldList, name: str, suffix: str = "") -> str:
    return tr_field(fields, fields.by_name[name].form_text) + suffix


def add_form_rows(form: QFormLayout, fields: FieldList, widgets: Mapping[str, QWidget],
                  suffix: str = "") -> None:
    """One labelled row per field named in ``widgets``, in the list's order, and the
    model's length limit on every line edit."""
    for f in fields:
        if f.name in widgets:
            form.addRow(tr_field(fields, f.form_text) + suffix, widgets[f.name])
    limit_lengths(fields, widgets)
