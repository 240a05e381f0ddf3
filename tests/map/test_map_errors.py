"""Failures reach the user as Polish messages; a bad tile file does not stop the map."""
from __future__ import annotations

import pytest
from map_helpers import QT_NOISE, close_view, wait_until

from db.engine import Database
from desktop.map.settings import MapSettings

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)


def test_unreadable_database_gives_a_polish_message(qtbot, tmp_path):
    from desktop.map.ui.view import MapView

    db = Database.open(f"sqlite:///{(tmp_path / 'not-migrated.db').as_posix()}")
    view = MapView(db)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.buildFailed, timeout=10000) as failed:
        view.build(MapSettings())
    assert failed.args[0].startswith("Nie udało się odczytać danych mapy z bazy")
    assert "no such table" in failed.args[0]
    view.shutdown()
    db.dispose()


def test_bad_mbtiles_setting_is_reported_and_the_map_still_loads(qtbot, sample_db, tmp_path):
    junk = tmp_path / "junk.mbtiles"
    junk.write_bytes(b"garbage" * 50)
    from desktop.map.ui.view import MapView

    messages = []

    view = None
    try:
        view = MapView(sample_db)
        view.buildFailed.connect(messages.append)
        states = []
        view.mapReady.connect(states.append)
        view.show()
        view.build(MapSettings(mbtiles_path=str(junk)))
        wait_until(lambda: states, 60, "the map without tiles")
        assert messages and "nie jest plikiem MBTiles" in messages[0]
        assert states[0]["beats"] == 24 and view.router.mbtiles is None
        assert view.interceptor.blocked == []
    finally:
        if view is not None:
            close_view(view)
