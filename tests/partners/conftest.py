"""Fixtures of the partner register tests."""
from __future__ import annotations

import pytest

from .helpers import fill_agreement


@pytest.fixture
def agreement_300(empty_db):
    return empty_db, fill_agreement(empty_db, 300)
