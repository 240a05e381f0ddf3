"""The import dialog: mapping, report, confirmation, saving in a worker thread."""
from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.partners import service
from desktop.partners.ui.exchange_actions import export_rows
from desktop.partners.ui.import_dialog import ImportDialog


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return str(path)


def test_bad_file_cannot_be_imported(sample_db, qtbot, tmp_path, qtmodeltester):
    path = write(tmp_path / "bad.csv", ["Nazwa;Typ;E-mail", "Fundacja A;ngo;a@a.pl",
                                        "Fundacja B;kosmici;b@b"])
    dialog = ImportDialog(sample_db)
    qtbot.addWidget(dialog)
    assert dialog.load_file(path)
    assert dialog.mapping["partner_type"].currentText() == "Typ"
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    model = dialog.report_model
    assert model.rowCount() == 2
    assert model.index(0, 2).data() == "poprawny"
    assert "BŁĄD" in model.index(1, 2).data() and "kosmici" in model.index(1, 2).data()
    assert model.index(1, 1).data() == "Fundacja B" and model.index(1, 0).data() == "3"
    assert model.index(1, 1).data(Qt.ItemDataRole.ToolTipRole) == "<qt>Fundacja B</qt>"
    qtmodeltester.check(model)
    assert not dialog.confirm.isEnabled() and not dialog.import_button.isEnabled()
    assert "Wierszy z błędami: 1 z 2" in dialog.summary.text()
    assert len(service.list_partners(sample_db)) == 35


def test_mapping_choice_confirmation_and_worker(sample_db, qtbot, tmp_path):
    path = write(tmp_path / "ok.csv", ["Instytucja;Kategoria;Kontakt"] +
                 [f"Klub Sportowy „Orzeł” nr {i};ngo;klub{i}@orzel.pl" for i in range(1, 121)])
    dialog = ImportDialog(sample_db)
    qtbot.addWidget(dialog)
    assert dialog.load_file(path)
    assert dialog.mapping["partner_type"].currentIndex() == 0  # "Kategoria" is not guessed
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert "Rodzaj" in dialog.summary.text()
    dialog.mapping["partner_type"].setCurrentIndex(dialog.mapping["partner_type"].findText("Kategoria"))
    dialog.mapping["email"].setCurrentIndex(dialog.mapping["email"].findText("Kontakt"))
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm.isEnabled() and "120" in dialog.confirm.text()
    assert not dialog.import_button.isEnabled()
    dialog.confirm.setChecked(True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.worker is None)
    rows = service.list_partners(sample_db)
    assert len(rows) == 155
    assert any(r.data.email == "klub7@orzel.pl" for r in rows)


def test_unreadable_file_is_reported(sample_db, qtbot, tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    dialog = ImportDialog(sample_db)
    qtbot.addWidget(dialog)
    assert not dialog.load_file(str(bad))
    assert "Nie wczytano pliku" in dialog.summary.text()
    assert not dialog.check_button.isEnabled()


def test_export_rows_picks_format_by_extension(sample_db, tmp_path):
    rows = service.list_partners(sample_db)
    assert export_rows(str(tmp_path / "a"), rows).endswith("a.csv")
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    export_rows(str(tmp_path / "b.xlsx"), rows)
    assert (tmp_path / "b.xlsx").read_bytes().startswith(b"PK")


def test_cancel_during_save_keeps_database_unchanged(sample_db, qtbot, tmp_path):
    path = write(tmp_path / "many.csv", ["Nazwa;Rodzaj"] +
                 [f"Stowarzyszenie nr {i};ngo" for i in range(1, 5001)])
    dialog = ImportDialog(sample_db)
    qtbot.addWidget(dialog)
    assert dialog.load_file(path)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    dialog.confirm.setChecked(True)
    dialog.start_import()
    assert dialog.cancel_button.text() == "Przerwij"
    # pressed while the worker saves 5,000 rows (which takes far longer than this step)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=30000)
    assert "przerwano" in dialog.summary.text()
    assert dialog.result() != ImportDialog.DialogCode.Accepted
    assert len(service.list_partners(sample_db)) == 35


def test_closing_after_the_import_committed_reports_the_import(sample_db, qtbot, tmp_path):
    """Esc while the import runs stops it first; an import that had already committed stays
    imported and the dialog accepts (it closed as rejected before, then accepted)."""
    path = write(tmp_path / "ok.csv", ["Nazwa;Rodzaj"] +
                 [f"Stowarzyszenie nr {i};ngo" for i in range(1, 21)])
    dialog = ImportDialog(sample_db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.load_file(path)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    dialog.confirm.setChecked(True)
    dialog.start_import()
    assert dialog.worker is not None and dialog.worker.wait(20)  # committed, not yet delivered
    dialog.reject()  # Esc
    assert dialog.isVisible()  # waits for the job's outcome
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20000)
    assert dialog.result() == ImportDialog.DialogCode.Accepted and dialog.imported == 20
    assert not dialog.isVisible()
    assert len(service.list_partners(sample_db)) == 55
