"""dictionary names unique ignoring case, in the database

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

``threat_categories`` / ``threat_statuses`` get ``name_key`` (NOT NULL) under the unique
index ``uq_<table>_name_key``: the name with runs of spaces collapsed, NFC-normalised and
case-folded by Python (``db.dictionary_names.name_key``; the rule is frozen here as
``_key``). A key computed by the program and not ``lower(name)`` in SQL, because SQLite's
``lower()`` folds only ASCII (``Ł``/``Ó``/``Ś``/``Ż`` stay upper-case) and PostgreSQL's
depends on the server's collation: the stored key is the same on both engines.

Existing rows get their key here. A dictionary that already holds two names differing only
in case or spaces (possible only through a program older than the check, or by hand) is not
changed behind the user's back: the upgrade stops with a Polish message naming the pairs and
the database stays as it was (the whole upgrade is one transaction).
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from db.migrate import SchemaUpgradeError

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TABLES = (('threat_categories', 'kategorii KMZB'), ('threat_statuses', 'statusów zgłoszeń'))


def _key(name: str) -> str:
    return unicodedata.normalize('NFC', ' '.join(name.split()).casefold())


def _fill(table: str) -> list[list[str]]:
    """Fill ``name_key``; the groups of names that clash ([] when none)."""
    conn = op.get_bind()
    t = sa.table(table, sa.column('id', sa.Integer), sa.column('name', sa.String),
                 sa.column('name_key', sa.String))
    rows = conn.execute(sa.select(t.c.id, t.c.name).order_by(t.c.id)).all()
    groups: dict[str, list[str]] = defaultdict(list)
    for row_id, name in rows:
        groups[_key(name)].append(name)
        conn.execute(t.update().where(t.c.id == row_id).values(name_key=_key(name)))
    return [names for names in groups.values() if len(names) > 1]


def upgrade() -> None:
    problems = []
    for table, label in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_key', sa.String(length=400), nullable=True))
        for names in _fill(table):
            problems.append(f"w słowniku {label}: " + " i ".join(f"„{n}”" for n in names))
    if problems:
        raise SchemaUpgradeError(
            "Nie można zaktualizować bazy: od tej wersji nazwy w słownikach nie mogą różnić "
            "się tylko wielkością liter lub odstępami, a są takie pozycje – "
            + "; ".join(problems) + ". Zmień nazwę jednej z nich w poprzedniej wersji "
            "programu (przycisk „Słowniki KMZB…”) i uruchom tę wersję ponownie; baza "
            "pozostała bez zmian.")
    for table, _label in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('name_key', existing_type=sa.String(length=400),
                                  nullable=False)
        op.create_index(f'uq_{table}_name_key', table, ['name_key'], unique=True)


def downgrade() -> None:
    for table, _label in reversed(TABLES):
        op.drop_index(f'uq_{table}_name_key', table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('name_key')
