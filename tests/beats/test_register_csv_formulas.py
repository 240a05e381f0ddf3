"""The street-register CSV export neutralises formula-like names and imports them back."""
from __future__ import annotations

import csv

from desktop.beats.register import add_line, export_csv, import_csv, register_lines
from desktop.common.csvsafe import FORMULA_START


def test_register_export_has_no_formula_cells_and_round_trips(world, tmp_path):
    add_line(world.db, world.beat1, "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0")
    add_line(world.db, world.beat2, "@Ślesin", "-2+3")
    path = tmp_path / "ulice.csv"
    assert export_csv(world.db, path) == 2
    with path.open(encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f, delimiter=";") for c in row]
    assert [c for c in cells if c.startswith(FORMULA_START)] == []

    import_csv(world.db, path)
    assert sorted((r.locality, r.street) for r in register_lines(world.db)) == [
        ("=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0"), ("@Ślesin", "-2+3")]
