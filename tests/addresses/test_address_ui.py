"""The street page with real widgets: PRG import (progress, summary, refused rows, cancel),
"Znajdź dzielnicowego" by a registered point, and the "Sprawdź zgodność" report."""
from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.addresses.service import address_count
from desktop.app.context import AppContext
from desktop.beats.ui.tab import BeatsTab

from .prg_fixture import Pt, csv_text, gml_2021, konin_points


def _page(qtbot, db):
    tab = BeatsTab(AppContext(db))
    qtbot.addWidget(tab)
    return tab.streets


def test_import_lookup_and_consistency(qtbot, sample_db, tmp_path, qtmodeltester):
    page = _page(qtbot, sample_db)
    points = konin_points(sample_db)
    bad = Pt("bad", "Konin", "3062011", "Kolejowa", "1", "", "62-510", 450000.0, 490000.0, "")
    path = tmp_path / "konin.gml"
    path.write_text(gml_2021(points + [bad]), "utf-8")
    dialog = page.import_prg_file(str(path))
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled(), timeout=20000)
    assert dialog.summary is not None
    text = dialog.stage.text()
    assert "nowe 10" in text and "Odrzucono: 1." in text
    assert dialog.stage.textFormat() == Qt.TextFormat.PlainText
    assert dialog.refused_model.rowCount() == 1
    qtmodeltester.check(dialog.refused_model)
    idx = dialog.refused_model.index(0, 1)
    assert dialog.refused_model.data(idx) == "brak numeru porządkowego"
    dialog.accept()

    page.locality.setText("Konin")
    page.street.setText("ul. Kolejowa")
    page.number.setText("12")
    qtbot.mouseClick(page.find_button, Qt.MouseButton.LeftButton)
    result = page.result.toPlainText()
    assert "Rejon 5. Konin – rejon 5 (KMP Konin)" in result
    assert "dopasowano: punkt adresowy PRG: Konin, ul. Kolejowa 12, 62-510" in result
    assert "Dzielnicowy:" in result

    check = page.check_consistency()
    qtbot.waitUntil(lambda: check.report is not None, timeout=20000)
    assert check.model.rowCount() == 3
    qtmodeltester.check(check.model)
    assert "poza rejonami: 2; niezgodnych z rejestrem ulic: 1" in check.summary.text()
    out = tmp_path / "zgodnosc.csv"
    assert check.export_file(str(out))
    assert "Konin, ul. Kolejowa 12" in out.read_text("utf-8-sig")
    qtbot.waitUntil(lambda: check.worker is None)
    check.reject()


def test_a_refused_file_and_a_cancelled_import_save_nothing(qtbot, sample_db, tmp_path):
    page = _page(qtbot, sample_db)
    bad = tmp_path / "bad.gml"
    bad.write_text("<?xml version='1.0'?><!DOCTYPE a [<!ENTITY b 'x'>]><a>&b;</a>", "utf-8")
    dialog = page.import_prg_file(str(bad))
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled(), timeout=20000)
    assert "deklaracje DTD lub encji" in dialog.stage.text()
    dialog.accept()
    # A big file (a whole powiat's worth of points), cancelled while it is being read.
    many = [Pt(f"p{i}", "Konin", "3062011", "Kolejowa", "1", str(i + 1), "62-510",
               450000.0 + i % 1000, 490000.0 + i // 1000, "") for i in range(60000)]
    big = tmp_path / "big.csv"
    big.write_text(csv_text(many), "utf-8")
    dialog = page.import_prg_file(str(big))
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=20000)
    dialog.reject()  # Esc cancels first
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled(), timeout=5000)
    assert dialog.summary is None
    assert dialog.stage.text() == "Import przerwany – nic nie zapisano."
    assert address_count(sample_db) == 0


def test_importing_into_the_sample_asks_first(qtbot, sample_db, monkeypatch):
    import desktop.beats.ui.streets_page as streets_page
    from desktop.common.ui import plain

    page = _page(qtbot, sample_db)
    asked: list[str] = []
    opened: list[str] = []
    monkeypatch.setattr(plain, "ask", lambda *a, **k: bool(asked.append(a[2])))
    monkeypatch.setattr(streets_page, "open_file_name",
                        lambda *a, **k: (opened.append(a[1]) or "", ""))
    page.choose_prg()  # "Nie": no file dialog, nothing imported
    assert len(asked) == 1 and "DANE PRZYKŁADOWE" in asked[0]
    assert opened == []
    monkeypatch.setattr(plain, "ask", lambda *a, **k: True)
    page.choose_prg()  # "Tak": the file dialog opens (and is cancelled here)
    assert opened == ["Importuj punkty adresowe (PRG)"]
    assert address_count(sample_db) == 0
