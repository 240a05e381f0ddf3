"""Case-insensitive uniqueness of dictionary names, kept by the database itself.

Two entries of an editable dictionary (KMZB categories, report statuses) may not differ only
in letter case or spaces ("Żebractwo" / "ŻEBRACTWO  "). The program checks this before it
saves, but a rule that must hold across workstations belongs in the database, so each such
table carries ``name_key`` — the name with runs of spaces collapsed, Unicode-normalised (NFC)
and case-folded in Python (``str.casefold``) — under a unique index.

Why a stored key and not an index on ``lower(name)``: SQLite's ``lower()`` folds only ASCII
letters ("Ł" stays "Ł"), PostgreSQL's depends on the server's collation, and neither
collapses spaces; the key computed here is the same on both engines and exactly the rule the
program checks (``name_key``). It is filled by the model: ``@validates("name")`` sets it
whenever an ORM object gets a name (insert or rename), and a column default computes it for a
Core ``insert()`` that gives only the name. Migration 0014 fills it for existing rows.
"""
from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, validates

KEY_LENGTH = 400  # casefold may lengthen a name ("ß" -> "ss"); names are at most 200


def name_key(name: str) -> str:
    """How two dictionary names are compared: case and runs of spaces do not count."""
    return unicodedata.normalize("NFC", " ".join(name.split()).casefold())


def _key_default(context: Any) -> str:
    return name_key(context.get_current_parameters()["name"])


class NameKeyed:
    """Mixin of a dictionary table whose ``name`` is unique ignoring case and spaces."""

    name_key: Mapped[str] = mapped_column(String(KEY_LENGTH), default=_key_default)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (Index(f"uq_{cls.__tablename__}_name_key", "name_key", unique=True),)  # type: ignore[attr-defined]

    @validates("name")
    def _keep_name_key(self, _field: str, value: str) -> str:
        self.name_key = name_key(value)
        return value
