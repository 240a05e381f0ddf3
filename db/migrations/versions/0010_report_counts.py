"""report counts per month, beat, category and status

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

``report_counts`` (db/aggregates.py), filled from the existing reports and kept current by
triggers on ``threat_reports``.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.aggregates import drop_triggers, install_triggers, recount

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_counts',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('beat_key', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('status_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month', 'beat_key', 'category_id', 'status_id',
                            name=op.f('pk_report_counts'))
    )
    conn = op.get_bind()
    recount(conn)
    install_triggers(conn)


def downgrade() -> None:
    drop_triggers(op.get_bind())
    op.drop_table('report_counts')
