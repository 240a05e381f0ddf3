"""One field list per editable record (Qt-free): the shape every record's ``fields`` module
uses, so the table, the edit dialog, exports and validation read the same list.

    FIELDS = FieldList("beats", (
        Field("number", N_("Nr"), Beat.number, form_label=N_("Numer")),
        Field("name", N_("Rejon"), Beat.name),
        Field("area_km2", N_("Pow. [km²]"), align_right=True),   # shown, not edited
    ))
    FIELDS.labels()            # {"number": "Nr", ...}
    FIELDS.text_limits()       # {"number": 20, "name": 200} from the model's String(n)
    FIELDS.too_long(values)    # [(name, limit), ...]

Labels are Polish, marked with ``N_``; the Qt layer translates them in the list's
``context`` (``desktop.common.ui.fields``). Length limits are never typed here: they come
from the model column (``desktop.common.columns.max_length``).
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import InstrumentedAttribute

from desktop.common.columns import max_length
from desktop.common.labels import label as enum_label
from desktop.common.text import plural


@dataclass(frozen=True)
class Field:
    """One field of a record as the user sees it.

    ``column`` is the model attribute it is stored in (None for a value that is only shown,
    such as an officer's current beats). ``value`` reads it from a row object (default: the
    attribute ``name``). ``table_label`` is a shorter on-screen header, ``form_label`` a
    longer label in the edit dialog; both fall back to ``label`` (exports, messages)."""

    name: str
    label: str
    column: InstrumentedAttribute | None = None
    in_table: bool = True
    in_export: bool = True
    in_form: bool = True  # edited in the record's dialog (when it has a column)
    searchable: bool = True  # the table's search box looks in it
    export_width: int = 20  # XLSX column width in characters
    synonyms: tuple[str, ...] = ()  # other header names recognised on import
    form_label: str = ""
    table_label: str = ""
    align_right: bool = False
    value: Callable[[Any], Any] | None = None

    @property
    def max_length(self) -> int | None:
        """The model's limit for free text; None for unlimited text and non-text fields."""
        return max_length(self.column) if self.column is not None else None

    @property
    def editable(self) -> bool:
        return self.column is not None and self.in_form

    @property
    def header(self) -> str:
        """The table's column title (untranslated)."""
        return self.table_label or self.label

    @property
    def form_text(self) -> str:
        """The edit dialog's label (untranslated)."""
        return self.form_label or self.label

    def read(self, row: Any) -> Any:
        """The raw value of this field in ``row``."""
        return self.value(row) if self.value is not None else getattr(row, self.name)


def display(value: Any, label_of: Callable[[object], str] = enum_label,
            yes_no: tuple[str, str] = ("tak", "nie")) -> Any:
    """A value as a table or export cell: enum members by their Polish label, booleans as
    tak/nie, anything else unchanged (dates stay dates, numbers stay numbers)."""
    if isinstance(value, enum.Enum):
        return label_of(value)
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    return value


def too_long_message(limit: int) -> str:
    """The one Polish message for text over a column's length."""
    return f"tekst dłuższy niż {plural(limit, 'znak', 'znaki', 'znaków')}"


class FieldList(Sequence[Field]):
    """The fields of one record in display order, with the views every consumer needs."""

    def __init__(self, context: str, fields: Sequence[Field]):
        self.context = context  # Qt translation context of the labels
        self._fields = tuple(fields)
        names = [f.name for f in self._fields]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate field names in {context}: {names}")
        self.by_name: dict[str, Field] = {f.name: f for f in self._fields}

    def __getitem__(self, index):
        return self._fields[index]

    def __len__(self) -> int:
        return len(self._fields)

    def __iter__(self) -> Iterator[Field]:
        return iter(self._fields)

    @property
    def table(self) -> tuple[Field, ...]:
        return tuple(f for f in self._fields if f.in_table)

    @property
    def export(self) -> tuple[Field, ...]:
        return tuple(f for f in self._fields if f.in_export)

    @property
    def editable(self) -> tuple[Field, ...]:
        """The dialog's fields, in the form's order."""
        return tuple(f for f in self._fields if f.editable)

    @property
    def searchable(self) -> tuple[str, ...]:
        return tuple(f.name for f in self._fields if f.searchable)

    def search_text(self, row: Any) -> tuple[str, ...]:
        """The texts of the searchable fields of ``row`` (for a table's search box)."""
        out = []
        for name in self.searchable:
            value = display(self.by_name[name].read(row))
            out.append("" if value is None else str(value))
        return tuple(out)

    def labels(self) -> dict[str, str]:
        return {f.name: f.label for f in self._fields}

    def form_labels(self) -> dict[str, str]:
        """Field name → the edit dialog's label (the conflict dialog names fields so)."""
        return {f.name: f.form_text for f in self._fields}

    def text_limits(self) -> dict[str, int]:
        """Field name → the model's ``String(n)`` length, for the edited free-text fields."""
        return {f.name: limit for f in self._fields
                if f.editable and (limit := f.max_length) is not None}

    def too_long(self, values: Mapping[str, object]) -> list[tuple[str, int]]:
        """``(name, limit)`` for every text value longer than its column allows (surrounding
        spaces are not counted: they are stripped before saving)."""
        limits = self.text_limits()
        return [(name, limits[name]) for name, value in values.items()
                if name in limits and isinstance(value, str)
                and len(value.strip()) > limits[name]]

    def length_problems(self, values: Mapping[str, object]) -> dict[str, str]:
        """Field name → "Etykieta: tekst dłuższy niż N znaków" for every too long value."""
        return {name: f"{self.by_name[name].label}: {too_long_message(limit)}"
                for name, limit in self.too_long(values)}

    def export_headers(self) -> list[str]:
        return [f.label for f in self.export]

    def export_row(self, row: Any, label_of: Callable[[object], str] = enum_label) -> list[Any]:
        """One export line: the raw values of the export fields, enums by label."""
        return [display(f.read(row), label_of) for f in self.export]
