"""Map fixtures: one loaded sample map per module (QtWebEngine page loads are slow)."""
from __future__ import annotations

import shutil

import pytest
from map_helpers import LoadedMap, close_view, load_view

from db.engine import Database


@pytest.fixture(scope="module")
def loaded_map(qapp, _sample_file, tmp_path_factory):
    """The sample map (24 beats, 2,000 reports) loaded once for the module's tests."""
    path = tmp_path_factory.mktemp("mapdb") / "sample.db"
    shutil.copyfile(_sample_file, path)
    db = Database.open(f"sqlite:///{path.as_posix()}")
    view, state = load_view(db)
    yield LoadedMap(view, db, state)
    close_view(view)
    db.dispose()
