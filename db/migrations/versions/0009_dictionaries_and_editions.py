"""KMZB dictionaries as data; programme editions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

* ``threat_categories`` / ``threat_statuses``: ``shipped_name`` (the entry of the shipped
  kmzb.json a row stands for; NULL for a user's own entry; unique) and ``user_edited`` (a user
  changed the row: a newer file no longer updates it).
* ``agreements.edition_year``: the programme's edition (year) an agreement belongs to, unique.

Existing rows: every database before this revision was seeded from the one kmzb.json shipped
until now (``SHIPPED_*`` below, frozen here), each entry with ``sort_order`` = its place in
the file, all in one transaction. A row with a name from that list stands for that entry. A
row with another name in the place of a shipped entry that is missing by name, written
together with the seeded rows, was renamed by a user (it keeps the link, marked as edited);
any other row is the user's own (e.g. added later by an import). A row
already retired (``active`` false) was retired by a user. An agreement gets the year it is
valid from (else the year it was signed) when no other agreement has that year.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

SHIPPED_STATUSES = (
    "Nowe", "Weryfikacja", "Potwierdzone", "Potwierdzone (przekazane poza Policję)",
    "Niepotwierdzone", "Potwierdzone (wyeliminowane)", "Żart lub pomyłka",
)
SHIPPED_CATEGORIES = (
    "Nieprawidłowe parkowanie", "Przekraczanie dozwolonej prędkości",
    "Niewłaściwa infrastruktura drogowa", "Miejsca niebezpieczne na wodach",
    "Nielegalne rajdy samochodowe", "Akty wandalizmu", "Dzikie wysypiska śmieci",
    "Poruszanie się po terenach leśnych quadami",
    "Spożywanie alkoholu w miejscach niedozwolonych", "Zła organizacja ruchu drogowego",
    "Grupowanie się małoletnich zagrożonych demoralizacją", "Wałęsające się bezpańskie psy",
    "Miejsca niebezpieczne na terenach wodnych", "Wypalanie traw",
    "Zdarzenia drogowe z udziałem zwierząt leśnych", "Niestrzeżone przejście przez tory",
    "Żebractwo", "Osoba bezdomna wymagająca pomocy", "Dzikie kąpieliska", "Niszczenie zieleni",
    "Miejsce niebezpiecznej działalności rozrywkowej", "Niestrzeżony przejazd kolejowy",
    "Nielegalna wycinka drzew", "Używanie środków odurzających", "Kłusownictwo",
    "Znęcanie się nad zwierzętami", "Utonięcia",
)


# Rows seeded together were written in one transaction; a row made later (an import adding
# a category) is not a renamed seeded row even when it sits at a free place of the list.
SEEDED_TOGETHER = dt.timedelta(minutes=1)


def _link_shipped(table: str, shipped: tuple[str, ...]) -> None:
    conn = op.get_bind()
    t = sa.table(table, sa.column('id', sa.Integer), sa.column('name', sa.String),
                 sa.column('active', sa.Boolean), sa.column('sort_order', sa.Integer),
                 sa.column('created_at', sa.DateTime),
                 sa.column('shipped_name', sa.String), sa.column('user_edited', sa.Boolean))
    rows = conn.execute(sa.select(t.c.id, t.c.name, t.c.active, t.c.sort_order, t.c.created_at)
                        .order_by(t.c.id)).all()
    present = {r.name for r in rows}
    seeded = [r.created_at for r in rows if r.created_at is not None
              and r.sort_order is not None and 0 <= r.sort_order < len(shipped)
              and shipped[r.sort_order] == r.name]
    seeded_at = min(seeded) if seeded else None
    taken: set[str] = set()
    for r in rows:
        link = None
        edited = not r.active
        if r.name in shipped:
            link = r.name
        elif (r.sort_order is not None and 0 <= r.sort_order < len(shipped)
              and shipped[r.sort_order] not in present and shipped[r.sort_order] not in taken
              and seeded_at is not None and r.created_at is not None
              and abs(r.created_at - seeded_at) <= SEEDED_TOGETHER):
            link, edited = shipped[r.sort_order], True  # a shipped entry renamed by a user
        if link is not None:
            taken.add(link)
        if link is not None or edited:
            conn.execute(t.update().where(t.c.id == r.id)
                         .values(shipped_name=link, user_edited=edited))


def _fill_editions() -> None:
    conn = op.get_bind()
    t = sa.table('agreements', sa.column('id', sa.Integer), sa.column('valid_from', sa.Date),
                 sa.column('signed_on', sa.Date), sa.column('edition_year', sa.Integer))
    used: set[int] = set()
    for row_id, valid_from, signed_on in conn.execute(
            sa.select(t.c.id, t.c.valid_from, t.c.signed_on).order_by(t.c.id)).all():
        day = valid_from or signed_on
        if day is None or not 2000 <= day.year <= 2100 or day.year in used:
            continue
        used.add(day.year)
        conn.execute(t.update().where(t.c.id == row_id).values(edition_year=day.year))


def upgrade() -> None:
    for table in ('threat_categories', 'threat_statuses'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('shipped_name', sa.String(length=200), nullable=True))
            batch_op.add_column(sa.Column('user_edited', sa.Boolean(),
                                          server_default=sa.false(), nullable=False))
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_shipped_name'),
                                              ['shipped_name'])
    _link_shipped('threat_statuses', SHIPPED_STATUSES)
    _link_shipped('threat_categories', SHIPPED_CATEGORIES)
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edition_year', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_agreements_edition_year'),
                                          ['edition_year'])
        batch_op.create_check_constraint(
            batch_op.f('ck_agreements_edition_year_range'),
            'edition_year IS NULL OR (edition_year >= 2000 AND edition_year <= 2100)')
    _fill_editions()


def downgrade() -> None:
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_agreements_edition_year_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_agreements_edition_year'), type_='unique')
        batch_op.drop_column('edition_year')
    for table in ('threat_statuses', 'threat_categories'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_shipped_name'), type_='unique')
            batch_op.drop_column('user_edited')
            batch_op.drop_column('shipped_name')
