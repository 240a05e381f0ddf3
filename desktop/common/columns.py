"""Facts about model columns that validation needs, read from ``db.models`` (Qt-free).

Length limits come from the column types, so a wider column in the model (and its
migration) is all it takes to accept longer text: nothing is copied by hand.
"""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Enum, String
from sqlalchemy.orm import InstrumentedAttribute


def max_length(attribute: InstrumentedAttribute) -> int | None:
    """The length of a ``String(n)`` column (``Partner.name`` -> 300); None for unlimited
    text and for columns that are not free text (numbers, dates, enums)."""
    column_type = attribute.property.columns[0].type
    if isinstance(column_type, String) and not isinstance(column_type, Enum) \
            and column_type.length:
        return int(column_type.length)
    return None


def length(attribute: InstrumentedAttribute) -> int:
    """As :func:`max_length` for a column known to be ``String(n)``."""
    limit = max_length(attribute)
    if limit is None:
        raise TypeError(f"{attribute} has no length limit")
    return limit


def too_long(model: type, values: Mapping[str, object]) -> list[tuple[str, int]]:
    """``(key, limit)`` for every text value longer than the model's column of that name
    allows (surrounding spaces are not counted: they are stripped before saving)."""
    out = []
    for key, value in values.items():
        attribute = getattr(model, key, None)
        if not isinstance(value, str) or not isinstance(attribute, InstrumentedAttribute):
            continue
        limit = max_length(attribute)
        if limit is not None and len(value.strip()) > limit:
            out.append((key, limit))
    return out
