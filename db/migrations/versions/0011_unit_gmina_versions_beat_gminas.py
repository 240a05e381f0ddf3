"""row versions for units and gminas; the further gminas of a beat

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

* ``units.version``, ``gminas.version``: optimistic locking, as beats and officers have, so two
  workstations editing one unit or gmina never overwrite each other unseen.
* ``beat_gminas``: the gminas a beat covers besides its main one (``beats.gmina_id``).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("units", "gminas"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1',
                                          nullable=False))
    op.create_table(
        'beat_gminas',
        sa.Column('beat_id', sa.Integer(), nullable=False),
        sa.Column('gmina_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['beat_id'], ['beats.id'], name=op.f('fk_beat_gminas_beat_id_beats'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['gmina_id'], ['gminas.id'],
                                name=op.f('fk_beat_gminas_gmina_id_gminas'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('beat_id', 'gmina_id', name=op.f('pk_beat_gminas')),
    )
    op.create_index(op.f('ix_beat_gminas_gmina_id'), 'beat_gminas', ['gmina_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_beat_gminas_gmina_id'), table_name='beat_gminas')
    op.drop_table('beat_gminas')
    for table in ("gminas", "units"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
