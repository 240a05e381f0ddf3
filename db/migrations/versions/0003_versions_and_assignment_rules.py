"""row versions and assignment rules enforced by the database

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

* ``version`` on every record users edit (optimistic locking, see db.models.Versioned).
* Periods of the same beat, role and kind (regular / substitute) never overlap, enforced by
  the database itself so that two workstations saving at the same moment cannot both succeed
  and even raw SQL cannot break the rule: an exclusion constraint on PostgreSQL (btree_gist,
  a trusted extension any database owner may create), triggers raising ABORT on SQLite.
  Note for later migrations: re-creating ``assignments`` in SQLite batch mode drops the
  triggers; create them again afterwards (``create_sqlite_triggers``).
* Existing overlaps (left by the race this migration closes) are first repaired the way the
  program would have resolved them had the two saves come one after the other: a later start
  ends the earlier period the day before; a second period with the same start as an
  earlier-saved one is removed. Each repair is written to the log.
"""
from __future__ import annotations

import datetime as dt
import logging

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

log = logging.getLogger("razem.db")

VERSIONED = ('beats', 'officers', 'assignments', 'partners', 'agreements', 'signatures',
             'priority_plans')
EXCLUSION = 'ex_assignments_no_overlap'
TRIGGER_MESSAGE = 'ex_assignments_no_overlap: okresy przydziałów tego samego rejonu i roli nie mogą się pokrywać'

_OVERLAP = """
    SELECT RAISE(ABORT, '{message}') WHERE EXISTS (
        SELECT 1 FROM assignments a
        WHERE a.beat_id = NEW.beat_id AND a.role = NEW.role AND a.kind = NEW.kind
          AND a.id IS NOT NEW.id
          AND (a.valid_to IS NULL OR NEW.valid_from <= a.valid_to)
          AND (NEW.valid_to IS NULL OR a.valid_from <= NEW.valid_to));
"""


def create_sqlite_triggers() -> None:
    body = _OVERLAP.format(message=TRIGGER_MESSAGE)
    op.execute(f"CREATE TRIGGER tr_assignments_no_overlap_insert BEFORE INSERT ON assignments "
               f"BEGIN {body} END")
    op.execute(f"CREATE TRIGGER tr_assignments_no_overlap_update BEFORE UPDATE OF beat_id, role, "
               f"kind, valid_from, valid_to ON assignments BEGIN {body} END")


def _repair_overlaps(bind: sa.engine.Connection) -> None:
    t = sa.table('assignments', sa.column('id', sa.Integer), sa.column('beat_id', sa.Integer),
                 sa.column('role', sa.String), sa.column('kind', sa.String),
                 sa.column('valid_from', sa.Date), sa.column('valid_to', sa.Date))
    rows = bind.execute(sa.select(t).order_by(t.c.beat_id, t.c.role, t.c.kind, t.c.valid_from,
                                              t.c.id)).all()
    last: dict[tuple, list] = {}  # (beat, role, kind) -> [id, valid_from, valid_to] kept last
    for r in rows:
        key = (r.beat_id, r.role, r.kind)
        prev = last.get(key)
        if prev is not None and (prev[2] is None or r.valid_from <= prev[2]):
            if r.valid_from > prev[1]:
                prev[2] = r.valid_from - dt.timedelta(days=1)
                bind.execute(sa.update(t).where(t.c.id == prev[0]).values(valid_to=prev[2]))
                log.warning("Naprawa przydziałów: przydział %s zakończono %s (nachodził na %s).",
                            prev[0], prev[2], r.id)
                last[key] = [r.id, r.valid_from, r.valid_to]
            else:
                bind.execute(sa.delete(t).where(t.c.id == r.id))
                log.warning("Naprawa przydziałów: usunięto przydział %s (ten sam okres co %s).",
                            r.id, prev[0])
            continue
        last[key] = [r.id, r.valid_from, r.valid_to]


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    bind = op.get_bind()
    _repair_overlaps(bind)
    if bind.dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        op.execute(f"ALTER TABLE assignments ADD CONSTRAINT {EXCLUSION} EXCLUDE USING gist "
                   "(beat_id WITH =, role WITH =, kind WITH =, "
                   "daterange(valid_from, valid_to, '[]') WITH &&)")
    elif bind.dialect.name == 'sqlite':
        create_sqlite_triggers()


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE assignments DROP CONSTRAINT IF EXISTS {EXCLUSION}')
    elif bind.dialect.name == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS tr_assignments_no_overlap_insert')
        op.execute('DROP TRIGGER IF EXISTS tr_assignments_no_overlap_update')
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
