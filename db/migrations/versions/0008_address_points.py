"""address points (PRG)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Address points of the national address register (PRG), imported per gmina, with the point
in EPSG:2180 and EPSG:4326 and the register's id, indexed for lookups by locality / street /
house number.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('address_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('prg_id', sa.String(length=80), nullable=False),
    sa.Column('namespace', sa.String(length=80), nullable=False),
    sa.Column('teryt', sa.String(length=7), nullable=False),
    sa.Column('locality', sa.String(length=120), nullable=False),
    sa.Column('locality_key', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('street_key', sa.String(length=200), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('number_key', sa.String(length=20), nullable=False),
    sa.Column('postal_code', sa.String(length=6), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('easting', sa.Float(), nullable=False),
    sa.Column('northing', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_address_points')),
    sa.UniqueConstraint('prg_id', name=op.f('uq_address_points_prg_id'))
    )
    with op.batch_alter_table('address_points', schema=None) as batch_op:
        batch_op.create_index('ix_address_points_lookup', ['locality_key', 'street_key', 'number_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_address_points_teryt'), ['teryt'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('address_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_address_points_teryt'))
        batch_op.drop_index('ix_address_points_lookup')

    op.drop_table('address_points')
