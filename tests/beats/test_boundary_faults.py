"""Boundary import (issue #10) faults: a Polish reason per refused feature, and the database
unchanged — every table, the audit log too — when the file is refused whole, when a beat
changed between the preview and the save, and when the user cancels the save (the cancel
callback at every point of the save, and the dialog's "Przerwij" while the save is blocked
by another station's write, so the cancel surely comes before the commit)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from db.models import Beat
from desktop.beats.boundaries import BoundaryError, read_boundaries
from desktop.beats.boundary_import import ImportOptions, match_beats, save_boundaries
from tests.beats.boundary_files import EAST, NORTH, WEST, geojson_2180, kml
from tests.beats.test_boundary_import_dialog import _column, _dialog, _read
from tests.db_snapshot import assert_unchanged, snapshot

BOW_TIE = {"type": "Polygon", "coordinates": [[[18.28, 52.36], [18.31, 52.38], [18.31, 52.36],
                                               [18.28, 52.38], [18.28, 52.36]]]}
TWO_POINTS = {"type": "Polygon", "coordinates": [[[18.28, 52.36], [18.31, 52.38],
                                                  [18.28, 52.36], [18.31, 52.38],
                                                  [18.28, 52.36]]]}
ABROAD = {"type": "Polygon", "coordinates": [[[2.30, 48.85], [2.35, 48.85], [2.35, 48.87],
                                              [2.30, 48.85]]]}


def _bad_geojson(tmp_path):
    """WGS84 features, each refused for its own reason."""
    feats = [("101", TWO_POINTS), ("102", ABROAD), ("", BOW_TIE), ("1", None),
             ("103", {"type": "LineString", "coordinates": [[18.28, 52.36], [18.3, 52.37]]})]
    path = tmp_path / "zle.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nr": n, "nazwa": f"Rejon próbny {i}"}, "geometry": g}
        for i, (n, g) in enumerate(feats)]}), encoding="utf-8")
    return path


def test_every_bad_feature_has_its_polish_reason_and_the_refused_file_changes_nothing(
        world, tmp_path):
    before = snapshot(world.db)
    preview = match_beats(world.db, read_boundaries(_bad_geojson(tmp_path)),
                          ImportOptions(number_field="nr", create=True))
    reasons = [f.error for f in preview.features]
    assert "za mało punktów" in reasons[0]
    assert "poza Polską" in reasons[1]
    assert "brak numeru rejonu w atrybucie „nr”" in reasons[2]
    assert "brak geometrii" in reasons[3]
    assert "LineString" in reasons[4]
    assert not preview.can_save and len(preview.errors) == 5
    with pytest.raises(BoundaryError, match="Nie zapisano: Obiekt 1 .nr 101.: za mało punktów"):
        save_boundaries(world.db, preview)
    assert_unchanged(world.db, before)


def test_the_dialog_lists_each_reason_and_does_not_save_a_refused_file(qtbot, world, tmp_path):
    before = snapshot(world.db)
    dialog = _dialog(qtbot, world.db)
    dialog.create_missing.setChecked(True)
    _read(qtbot, dialog, _bad_geojson(tmp_path))
    assert _column(dialog, "Działanie") == ["odrzucony"] * 5
    status = _column(dialog, "Stan")
    assert "za mało punktów" in status[0] and "poza Polską" in status[1]
    assert "brak numeru rejonu" in status[2] and "brak geometrii" in status[3]
    assert "Wszystkie obiekty odrzucone – nic nie zostanie zapisane." in \
        dialog.messages.toPlainText()
    assert not dialog.save_button.isEnabled()
    dialog.save()  # even when called, nothing happens
    assert dialog.job is None
    dialog.reject()
    assert_unchanged(world.db, before)


def _mixed_preview(world, tmp_path):
    """One update (beat 1), two new beats (5 and 6) from a GeoJSON in EPSG:2180."""
    path = geojson_2180(tmp_path / "rejony.geojson", [
        ({"NR": "1", "NAZWA": "Ślesin – centrum"}, WEST),
        ({"NR": "5", "NAZWA": "Nowy wschód"}, EAST),
        ({"NR": "6", "NAZWA": "Nowa północ"}, NORTH)])
    preview = match_beats(world.db, read_boundaries(path),
                          ImportOptions(number_field="NR", name_field="NAZWA", create=True))
    assert [f.action for f in preview.features] == ["update", "create", "create"], \
        [f.error for f in preview.features]
    return preview


@pytest.mark.parametrize("cancel_at", [1, 2, 3, 4, 5])
def test_cancel_at_any_point_of_the_save_rolls_everything_back(world, tmp_path, cancel_at):
    """Checked before each of the 3 features (1–3), after the flush (4) and after the reports
    were reassigned (5): wherever the user cancels, nothing is kept."""
    preview = _mixed_preview(world, tmp_path)
    before = snapshot(world.db)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) == cancel_at

    with pytest.raises(BoundaryError, match="Przerwano – nic nie zapisano."):
        save_boundaries(world.db, preview, cancelled)
    assert len(calls) == cancel_at
    assert_unchanged(world.db, before)


def test_a_beat_changed_between_preview_and_save_refuses_the_whole_save(world, tmp_path):
    preview = _mixed_preview(world, tmp_path)
    with world.db.session() as s, s.begin():
        s.get(Beat, world.beat1).description = "zmienione na innym stanowisku"
    before = snapshot(world.db)
    with pytest.raises(BoundaryError, match="zmieniono w międzyczasie.*wczytaj podgląd"):
        save_boundaries(world.db, preview)
    assert_unchanged(world.db, before)  # the two new beats were not kept either


def test_cancel_in_the_dialog_while_the_save_waits_for_another_write(qtbot, world, tmp_path):
    before = snapshot(world.db)
    dialog = _dialog(qtbot, world.db)
    dialog.create_missing.setChecked(True)
    _read(qtbot, dialog, kml(tmp_path / "r.kml", [("Rejon 1", WEST), ("Rejon 7 Nowy", EAST),
                                                  ("Rejon 8 Nowszy", NORTH)]))
    assert dialog.save_button.isEnabled()
    other = world.db.engine.connect()  # another station writing to beat 1: the save waits
    lock = other.begin()
    other.execute(text("UPDATE beats SET description = description WHERE id = :id"),
                  {"id": world.beat1})
    try:
        dialog.save_button.click()
        assert dialog.job is not None and dialog.cancel_button.isEnabled()
        dialog.cancel_button.click()
    finally:
        lock.rollback()
        other.close()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20000)
    assert dialog.summary is None
    assert dialog.messages.toPlainText() == "Przerwano – nic nie zapisano."
    assert dialog.read_button.isEnabled() and dialog.save_button.isEnabled()  # can try again
    assert_unchanged(world.db, before)
