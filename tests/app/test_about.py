"""Pomoc › O programie: the log folder and the licence notices of everything shipped."""
from __future__ import annotations

import json

import resources
from desktop.app.about import AboutDialog, about_html
from desktop.common.logs import log_dir


def test_about_shows_the_log_folder(sample_db):
    text = about_html(sample_db.url)
    assert "Folder dziennika (logi):" in text and str(log_dir()) in text


def test_licences_tab_lists_qt_chromium_and_every_web_asset(qtbot, sample_db):
    dialog = AboutDialog(sample_db.url)
    qtbot.addWidget(dialog)
    items = [dialog.components.item(i).text() for i in range(dialog.components.count())]
    assert items[0].startswith("Qt / Qt for Python (PySide6) ") and "LGPL-3.0" in items[0]
    assert items[1].startswith("Chromium (w Qt WebEngine) ")
    manifest = json.loads((resources.ROOT / "web" / "manifest.json").read_text(encoding="utf-8"))
    for name, pkg in manifest["packages"].items():
        assert any(i.startswith(f"{name} (mapa) {pkg['version']} – {pkg['licence']}")
                   for i in items), name
    assert any(i.startswith("DejaVu Sans") for i in items)
    assert any(i.startswith("psycopg (Python)") and "LGPL" in i for i in items)
    # Choosing a component shows its licence text.
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.licence_text.toPlainText()
    dialog.components.setCurrentRow(1)
    assert "The Chromium Authors" in dialog.licence_text.toPlainText()
    for row in range(dialog.components.count()):
        dialog.components.setCurrentRow(row)
        assert len(dialog.licence_text.toPlainText()) > 100, items[row]
