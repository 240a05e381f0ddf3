"""Typed bridge between Qt dates and ``datetime.date``."""
from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QDate


def to_date(value: QDate) -> dt.date:
    """``QDate.toPython()`` with its real type (the stubs declare it as ``object``)."""
    return cast(dt.date, value.toPython())
