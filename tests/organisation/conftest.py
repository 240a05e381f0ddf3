"""Organisation fixtures: a real station database made as `razem init` makes it."""
from __future__ import annotations

import pytest

from desktop.organisation.station import init_station


@pytest.fixture
def station(empty_db):
    """(database, id of the command "KMP Konin") on an empty database of either engine."""
    kmp = init_station(empty_db, "Komenda Miejska Policji w Koninie", "KMP Konin")
    return empty_db, kmp
