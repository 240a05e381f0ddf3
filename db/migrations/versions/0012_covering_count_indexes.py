"""covering indexes for the report counts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

* ``ix_report_counts_cover`` (month, beat_key, category_id, status_id, count): a sum over a
  range of months is read from the index alone (the primary key's index lacks ``count``, so
  every row was looked up in the table: 2–5× slower on SQLite).
* ``ix_threat_reports_reported_at`` now also holds beat_id, category_id and status_id: the
  partial months at either end of a counted range (desktop/threats/counts.py) are counted
  from the index alone. Same number of indexes, so imports pay only the wider entries.

Plain CREATE/DROP INDEX (no batch rebuild), so the triggers of ``report_counts`` stay.
"""
from __future__ import annotations

from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_report_counts_cover', 'report_counts',
                    ['month', 'beat_key', 'category_id', 'status_id', 'count'])
    op.drop_index('ix_threat_reports_reported_at', table_name='threat_reports')
    op.create_index('ix_threat_reports_reported_at', 'threat_reports',
                    ['reported_at', 'beat_id', 'category_id', 'status_id'])


def downgrade() -> None:
    op.drop_index('ix_threat_reports_reported_at', table_name='threat_reports')
    op.create_index('ix_threat_reports_reported_at', 'threat_reports', ['reported_at'])
    op.drop_index('ix_report_counts_cover', table_name='report_counts')
