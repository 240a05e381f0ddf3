"""an exact change marker of the reports

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01

``report_marker`` (db/report_marker.py): one row with a random token that triggers on
``threat_reports`` replace in the same transaction as its changes; the map keys its cache of
the encoded reports with it. A new random token at every upgrade (also after a downgrade and
an upgrade again, when changes in between were not followed).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.report_marker import drop_triggers, install_triggers

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_marker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('xact', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_marker'))
    )
    install_triggers(op.get_bind())


def downgrade() -> None:
    drop_triggers(op.get_bind())
    op.drop_table('report_marker')
