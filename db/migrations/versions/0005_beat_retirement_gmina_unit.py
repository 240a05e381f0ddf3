"""beats retired from a date; the unit a gmina belongs to

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

* ``beats.retired_on``: the first day the beat no longer exists. A beat with history
  (assignments, reports, plans) is retired, never deleted; it leaves the current lists and
  the map and stays in history.
* ``gminas.unit_id``: the unit (komenda, komisariat, posterunek) the gmina belongs to.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('beats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_on', sa.Date(), nullable=True))
    with op.batch_alter_table('gminas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_gminas_unit_id_units'), 'units',
                                    ['unit_id'], ['id'], ondelete='RESTRICT')


def downgrade() -> None:
    with op.batch_alter_table('gminas', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_gminas_unit_id_units'), type_='foreignkey')
        batch_op.drop_column('unit_id')
    with op.batch_alter_table('beats', schema=None) as batch_op:
        batch_op.drop_column('retired_on')
