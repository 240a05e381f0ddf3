"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('database_info',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_database_info'))
    )
    op.create_table('gminas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('miejska', 'miejsko-wiejska', 'wiejska', name='gmina_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('teryt', sa.String(length=10), nullable=True),
    sa.Column('boundary', sa.Text(), nullable=True),
    sa.Column('seat_lat', sa.Float(), nullable=True),
    sa.Column('seat_lon', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gminas')),
    sa.UniqueConstraint('name', name=op.f('uq_gminas_name')),
    sa.UniqueConstraint('teryt', name=op.f('uq_gminas_teryt'))
    )
    op.create_table('threat_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_road', sa.Boolean(), nullable=False),
    sa.Column('description_required', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threat_categories')),
    sa.UniqueConstraint('name', name=op.f('uq_threat_categories_name'))
    )
    op.create_table('threat_statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threat_statuses')),
    sa.UniqueConstraint('name', name=op.f('uq_threat_statuses_name'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('command', 'station', name='unit_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('name', name=op.f('uq_units_name'))
    )
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('police_coordinator', sa.String(length=200), nullable=False),
    sa.Column('partners_coordinator', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_agreements_period_order')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_agreements_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements'))
    )
    op.create_table('beats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('gmina_id', sa.Integer(), nullable=True),
    sa.Column('boundary', sa.Text(), nullable=True),
    sa.Column('area_km2', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.ForeignKeyConstraint(['gmina_id'], ['gminas.id'], name=op.f('fk_beats_gmina_id_gminas'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_beats_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_beats')),
    sa.UniqueConstraint('unit_id', 'number', name='uq_beats_unit_number')
    )
    with op.batch_alter_table('beats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_beats_gmina_id'), ['gmina_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_beats_unit_id'), ['unit_id'], unique=False)

    op.create_table('officers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.String(length=60), nullable=False),
    sa.Column('first_name', sa.String(length=80), nullable=False),
    sa.Column('last_name', sa.String(length=80), nullable=False),
    sa.Column('service_number', sa.String(length=30), nullable=False),
    sa.Column('role', sa.Enum('dzielnicowy', 'traffic', 'head_of_beat_officers', 'other', name='officer_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('mobile', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_officers_unit_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officers')),
    sa.UniqueConstraint('service_number', name=op.f('uq_officers_service_number'))
    )
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('partner_type', sa.Enum('city', 'gmina', 'county', 'government', 'ngo', 'school', 'university', 'public_institution', 'company', 'other', name='partner_type', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('gmina_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('postal_code', sa.String(length=6), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('representative', sa.String(length=200), nullable=False),
    sa.Column('representative_function', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.ForeignKeyConstraint(['gmina_id'], ['gminas.id'], name=op.f('fk_partners_gmina_id_gminas'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners'))
    )
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('dzielnicowy', 'traffic', name='assignment_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('kind', sa.Enum('regular', 'substitute', name='assignment_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.CheckConstraint('valid_to IS NULL OR valid_to >= valid_from', name=op.f('ck_assignments_period_order')),
    sa.ForeignKeyConstraint(['beat_id'], ['beats.id'], name=op.f('fk_assignments_beat_id_beats'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_assignments_officer_id_officers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_beat_role', ['beat_id', 'role'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_officer_id'), ['officer_id'], unique=False)

    op.create_table('priority_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('evaluation', sa.Enum('achieved', 'partly', 'not_achieved', name='plan_evaluation', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('evaluation_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.CheckConstraint('period_to >= period_from', name=op.f('ck_priority_plans_period_order')),
    sa.ForeignKeyConstraint(['beat_id'], ['beats.id'], name=op.f('fk_priority_plans_beat_id_beats'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['category_id'], ['threat_categories.id'], name=op.f('fk_priority_plans_category_id_threat_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_priority_plans_officer_id_officers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_plans'))
    )
    with op.batch_alter_table('priority_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_plans_beat_id'), ['beat_id'], unique=False)

    op.create_table('signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('signatory', sa.String(length=200), nullable=False),
    sa.Column('signatory_function', sa.String(length=200), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('invited', 'signed', 'withdrawn', name='signature_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('annex_number', sa.String(length=60), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_signatures_agreement_id_agreements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_signatures_partner_id_partners'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatures')),
    sa.UniqueConstraint('agreement_id', 'partner_id', name='uq_signatures_agreement_partner')
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatures_partner_id'), ['partner_id'], unique=False)

    op.create_table('street_ranges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=False),
    sa.Column('locality', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('street_key', sa.String(length=200), nullable=False),
    sa.Column('side', sa.Enum('all', 'even', 'odd', name='house_side', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('number_from', sa.Integer(), nullable=True),
    sa.Column('number_to', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.CheckConstraint('number_from IS NULL OR number_to IS NULL OR number_to >= number_from', name=op.f('ck_street_ranges_number_order')),
    sa.ForeignKeyConstraint(['beat_id'], ['beats.id'], name=op.f('fk_street_ranges_beat_id_beats'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_street_ranges'))
    )
    with op.batch_alter_table('street_ranges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_street_ranges_beat_id'), ['beat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_street_ranges_street_key'), ['street_key'], unique=False)

    op.create_table('threat_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('status_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('event_time', sa.String(length=40), nullable=False),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('teryt', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('beat_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.CheckConstraint('lat >= -90 AND lat <= 90', name=op.f('ck_threat_reports_lat_range')),
    sa.CheckConstraint('lon >= -180 AND lon <= 180', name=op.f('ck_threat_reports_lon_range')),
    sa.ForeignKeyConstraint(['beat_id'], ['beats.id'], name=op.f('fk_threat_reports_beat_id_beats'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category_id'], ['threat_categories.id'], name=op.f('fk_threat_reports_category_id_threat_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['status_id'], ['threat_statuses.id'], name=op.f('fk_threat_reports_status_id_threat_statuses'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threat_reports')),
    sa.UniqueConstraint('source_id', name=op.f('uq_threat_reports_source_id'))
    )
    with op.batch_alter_table('threat_reports', schema=None) as batch_op:
        batch_op.create_index('ix_threat_reports_beat_reported', ['beat_id', 'reported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_threat_reports_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_threat_reports_reported_at'), ['reported_at'], unique=False)

    op.create_table('plan_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['priority_plans.id'], name=op.f('fk_plan_actions_plan_id_priority_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_actions'))
    )
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_actions_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_plan_partners_partner_id_partners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['plan_id'], ['priority_plans.id'], name=op.f('fk_plan_partners_plan_id_priority_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_partners')),
    sa.UniqueConstraint('plan_id', 'partner_id', name='uq_plan_partners_pair')
    )



def downgrade() -> None:

    op.drop_table('plan_partners')
    with op.batch_alter_table('plan_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_actions_plan_id'))

    op.drop_table('plan_actions')
    with op.batch_alter_table('threat_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_threat_reports_reported_at'))
        batch_op.drop_index(batch_op.f('ix_threat_reports_category_id'))
        batch_op.drop_index('ix_threat_reports_beat_reported')

    op.drop_table('threat_reports')
    with op.batch_alter_table('street_ranges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_street_ranges_street_key'))
        batch_op.drop_index(batch_op.f('ix_street_ranges_beat_id'))

    op.drop_table('street_ranges')
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatures_partner_id'))

    op.drop_table('signatures')
    with op.batch_alter_table('priority_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_plans_beat_id'))

    op.drop_table('priority_plans')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_officer_id'))
        batch_op.drop_index('ix_assignments_beat_role')

    op.drop_table('assignments')
    op.drop_table('partners')
    op.drop_table('officers')
    with op.batch_alter_table('beats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_beats_unit_id'))
        batch_op.drop_index(batch_op.f('ix_beats_gmina_id'))

    op.drop_table('beats')
    op.drop_table('agreements')
    op.drop_table('units')
    op.drop_table('threat_statuses')
    op.drop_table('threat_categories')
    op.drop_table('gminas')
    op.drop_table('database_info')

