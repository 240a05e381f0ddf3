"""audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Independent of 0003's content: it only adds its own table (the lead re-chains it).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('os_user', sa.String(length=120), nullable=False),
        sa.Column('workstation', sa.String(length=120), nullable=False),
        sa.Column('origin', sa.String(length=80), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('table_name', sa.String(length=60), nullable=False),
        sa.Column('record_id', sa.String(length=60), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.Column('changes', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    )
    op.create_index(op.f('ix_audit_log_at'), 'audit_log', ['at'], unique=False)
    op.create_index(op.f('ix_audit_log_os_user'), 'audit_log', ['os_user'], unique=False)
    op.create_index('ix_audit_log_table_record', 'audit_log', ['table_name', 'record_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_log_table_record', table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_os_user'), table_name='audit_log')
    op.drop_index(op.f('ix_audit_log_at'), table_name='audit_log')
    op.drop_table('audit_log')
