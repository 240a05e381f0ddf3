"""Map fixtures: one loaded sample map per module and engine (QtWebEngine page loads are slow)."""
from __future__ import annotations

import pytest
from map_helpers import LoadedMap, close_view, load_view


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded_map(request, qapp, database_copy):
    """The sample map (24 beats, 2,000 reports) loaded once for the module's tests, on each
    database engine."""
    db, close = database_copy(request.param, "sample")
    view, state = load_view(db)
    yield LoadedMap(view, db, state)
    close_view(view)
    close()
