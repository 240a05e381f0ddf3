"""The boundary import dialog: worker thread, preview, save, refusal."""
from __future__ import annotations

import json

from shapely.geometry import box, mapping

from db.models import Beat
from desktop.app.context import AppContext, Change
from desktop.beats.ui.tab import BeatsTab
from desktop.common.geo import PUWG1992, WGS84, reproject


def _file(tmp_path, numbers, name="granice.geojson", width=0.03):
    feats = []
    for i, number in enumerate(numbers):
        g = reproject(box(18.28 + width * i, 52.36, 18.28 + width * (i + 1), 52.38), WGS84,
                      PUWG1992)
        feats.append({"type": "Feature", "properties": {"numer": number},
                      "geometry": json.loads(json.dumps(mapping(g)))})
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    return path


def _dialog(qtbot, world):
    ctx = AppContext(world.db)
    tab = BeatsTab(ctx)
    qtbot.addWidget(tab)
    dialog = tab.make_boundary_dialog()
    qtbot.addWidget(dialog)
    return tab, ctx, dialog


def test_preview_then_save(qtbot, world, tmp_path, qtmodeltester):
    tab, ctx, dialog = _dialog(qtbot, world)
    dialog.path.setText(str(_file(tmp_path, ["1", "2"])))
    dialog.start_read()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    dialog.wait_for_jobs()
    assert dialog.preview is not None and dialog.save_button.isEnabled()
    assert "EPSG:2180" in dialog.messages.toPlainText()
    assert "(rozpoznany)" in dialog.messages.toPlainText()
    assert dialog.model.rowCount() == 2 and dialog.picture.pixmap() is not None
    assert not dialog.picture.pixmap().isNull()
    qtmodeltester.check(dialog.model)
    with qtbot.waitSignal(ctx.dataChanged) as sig:
        dialog.save()
    assert sig.args == [Change.BEATS]
    with world.db.session() as s:
        assert s.get(Beat, world.beat1).boundary and s.get(Beat, world.beat2).area_km2 > 4
    assert "Zapisano granice rejonów: 2" in tab.beats.message.text()


def test_a_feature_refused_is_listed_and_the_rest_saved(qtbot, world, tmp_path):
    tab, ctx, dialog = _dialog(qtbot, world)
    dialog.path.setText(str(_file(tmp_path, ["1", "77"])))
    dialog.start_read()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert dialog.save_button.isEnabled()
    text = dialog.messages.toPlainText()
    assert "nie ma rejonu nr 77" in text and "Odrzucone obiekty zostaną pominięte" in text
    assert "Nowe rejony: 0; nowe granice: 1; odrzucone: 1." in text
    with qtbot.waitSignal(ctx.dataChanged):
        dialog.save()
    with world.db.session() as s:
        assert s.get(Beat, world.beat1).boundary and s.get(Beat, world.beat2).boundary is None
    assert dialog.summary.refused[0].startswith("Obiekt 2 (nr 77): nie ma rejonu nr 77")


def test_everything_refused_blocks_saving(qtbot, world, tmp_path):
    _, _, dialog = _dialog(qtbot, world)
    dialog.path.setText(str(_file(tmp_path, ["76", "77"])))
    dialog.start_read()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    dialog.wait_for_jobs()
    assert not dialog.save_button.isEnabled()
    assert "nic nie zostanie zapisane" in dialog.messages.toPlainText()
    with world.db.session() as s:
        assert s.get(Beat, world.beat1).boundary is None


def test_unreadable_file_reports_in_polish(qtbot, world, tmp_path):
    _, _, dialog = _dialog(qtbot, world)
    bad = tmp_path / "zle.kml"
    bad.write_text("<<<", "utf-8")
    dialog.path.setText(str(bad))
    dialog.start_read()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    dialog.wait_for_jobs()
    assert "To nie jest poprawny plik KML" in dialog.messages.toPlainText()
    assert dialog.read_button.isEnabled() and not dialog.save_button.isEnabled()


def test_cancel_stops_the_reading(qtbot, world, tmp_path):
    _, _, dialog = _dialog(qtbot, world)
    dialog.path.setText(str(_file(tmp_path, [str(i) for i in range(1, 400)], width=0.001)))
    dialog.start_read()
    dialog.cancel_read()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    dialog.wait_for_jobs()
    # either cancelled in time, or finished before the flag was seen: never half-saved
    text = dialog.messages.toPlainText()
    assert "Przerwano" in text or dialog.preview is not None
    with world.db.session() as s:
        assert s.get(Beat, world.beat1).boundary is None
