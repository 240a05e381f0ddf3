"""a beat number is unique among a unit's current beats only

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

The unique constraint ``uq_beats_unit_number`` (unit, number) also covered retired beats, so a
retired beat's number could never be given to a new beat of the unit. It becomes a partial
unique index over the current beats (``retired_on IS NULL``), which SQLite and PostgreSQL
both support.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

CURRENT = sa.text("retired_on IS NULL")


def upgrade() -> None:
    with op.batch_alter_table('beats', schema=None) as batch_op:
        batch_op.drop_constraint('uq_beats_unit_number', type_='unique')
    op.create_index('uq_beats_unit_number_current', 'beats', ['unit_id', 'number'],
                    unique=True, sqlite_where=CURRENT, postgresql_where=CURRENT)


def downgrade() -> None:
    # Fails (and changes nothing) when a retired beat shares its number with a current one.
    op.drop_index('uq_beats_unit_number_current', table_name='beats')
    with op.batch_alter_table('beats', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_beats_unit_number', ['unit_id', 'number'])
