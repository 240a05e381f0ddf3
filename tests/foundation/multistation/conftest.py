"""Fixtures for the several-workstations tests: a fresh database on each engine.

``any_url`` is a new SQLite file or a new database on the private PostgreSQL server of
``postgres_url`` (dropped afterwards), so tests never see each other's rows.
"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import make_url

from desktop.sample.generator import SampleSpec, generate
from desktop.startup import open_database


def _admin(url: str):
    import psycopg
    from sqlalchemy import create_engine

    engine = create_engine(url)
    cargs, cparams = engine.dialect.create_connect_args(engine.url)
    engine.dispose()
    return psycopg.connect(*cargs, **cparams, autocommit=True)


@pytest.fixture
def pg_fresh_url(postgres_url):
    name = f"razem_{uuid.uuid4().hex[:12]}"
    with _admin(postgres_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    with _admin(postgres_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'stacja.db').as_posix()}"
    return request.getfixturevalue("pg_fresh_url")


@pytest.fixture
def any_db(any_url):
    """A migrated database with a small sample (both engines)."""
    db = open_database(any_url).db
    with db.session() as s, s.begin():
        generate(s, SampleSpec(reports=150, seed=3))
    yield db
    db.dispose()
