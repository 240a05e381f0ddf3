"""The gminas a beat covers besides its main one (``Beat.gmina_id``).

A rural beat often spans two gminas; the main gmina colours the map and heads the beat's
summary, the others are listed beside it and bring their partners into the summary. A gmina
still named here cannot be deleted (RESTRICT); deleting a beat deletes its rows.
"""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Table

from db.base import Base

beat_gminas = Table(
    "beat_gminas", Base.metadata,
    Column("beat_id", ForeignKey("beats.id", ondelete="CASCADE"), primary_key=True),
    Column("gmina_id", ForeignKey("gminas.id", ondelete="RESTRICT"), primary_key=True,
           index=True),
)
