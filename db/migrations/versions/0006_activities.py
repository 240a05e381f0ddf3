"""activities log

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

The programme's activities (meetings with residents, debates, consultations, prevention talks,
joint actions, patrols with the traffic officer) and their links to beats, officers, partners
and KMZB categories.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('meeting', 'debate', 'consultation', 'prevention', 'joint_action', 'traffic_patrol', name='activity_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('attendance', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('follow_up', sa.Text(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.CheckConstraint('attendance IS NULL OR attendance >= 0', name=op.f('ck_activities_attendance_positive')),
    sa.CheckConstraint('ends_at IS NULL OR ends_at >= starts_at', name=op.f('ck_activities_period_order')),
    sa.ForeignKeyConstraint(['plan_id'], ['priority_plans.id'], name=op.f('fk_activities_plan_id_priority_plans'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_starts_at'), ['starts_at'], unique=False)

    op.create_table('activity_beats',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_beats_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['beat_id'], ['beats.id'], name=op.f('fk_activity_beats_beat_id_beats'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('activity_id', 'beat_id', name=op.f('pk_activity_beats'))
    )
    with op.batch_alter_table('activity_beats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_beats_beat_id'), ['beat_id'], unique=False)

    op.create_table('activity_categories',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_categories_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['category_id'], ['threat_categories.id'], name=op.f('fk_activity_categories_category_id_threat_categories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('activity_id', 'category_id', name=op.f('pk_activity_categories'))
    )
    with op.batch_alter_table('activity_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_categories_category_id'), ['category_id'], unique=False)

    op.create_table('activity_officers',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_officers_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_activity_officers_officer_id_officers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('activity_id', 'officer_id', name=op.f('pk_activity_officers'))
    )
    with op.batch_alter_table('activity_officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_officers_officer_id'), ['officer_id'], unique=False)

    op.create_table('activity_partners',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_partners_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_activity_partners_partner_id_partners'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('activity_id', 'partner_id', name=op.f('pk_activity_partners'))
    )
    with op.batch_alter_table('activity_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_partners_partner_id'), ['partner_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('activity_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_partners_partner_id'))

    op.drop_table('activity_partners')
    with op.batch_alter_table('activity_officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_officers_officer_id'))

    op.drop_table('activity_officers')
    with op.batch_alter_table('activity_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_categories_category_id'))

    op.drop_table('activity_categories')
    with op.batch_alter_table('activity_beats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_beats_beat_id'))

    op.drop_table('activity_beats')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_starts_at'))
        batch_op.drop_index(batch_op.f('ix_activities_plan_id'))

    op.drop_table('activities')
