"""The import dialog: mapping recognised from KMZB names, unknown categories, a real worker
thread with progress, refusals listed, cancel leaving nothing, unreadable files."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import ThreatCategory, ThreatReport, ThreatStatus
from desktop.threats.ui.import_dialog import ADD, ImportDialog

from .conftest import HOSTILE
from .test_importer import KMZB_HEADER, E, N, kmzb_csv


def _count(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(ThreatReport))


@pytest.fixture
def dialog(qtbot, empty_db):
    d = ImportDialog(empty_db)
    qtbot.addWidget(d)
    yield d
    d.wait_for_jobs()


def _load(qtbot, dialog, path) -> bool:
    with qtbot.waitSignal(dialog.fileLoaded, timeout=20_000) as signal:
        dialog.load_file(path)
    return signal.args[0]


def test_kmzb_file_is_mapped_and_imported(qtbot, dialog, empty_db, write_file, qtmodeltester,
                                          tmp_path):
    extra = (f"Z;Psy luzem;Nowe;;2018-01-01;;;{E};{N};\n"
             f"Y;{HOSTILE};Nowe;;2018-01-01;;;{E};{N};\n"
             f"X;Akty wandalizmu;Nowe;;nie-data;;;{E};{N};\n"
             f"W;Akty wandalizmu;Zweryfikowane;;2018-01-01;;;{E};{N};\n")
    assert _load(qtbot, dialog, write_file("k.csv", kmzb_csv(3, extra)))
    assert dialog.field_combos["category"].currentText() == "Typ"
    assert dialog.field_combos["reported_at"].currentText() == "Data utworzenia"
    assert dialog.field_combos["modified_at"].currentText() == "Data modyfikacji"
    assert dialog.import_button.isEnabled() and not dialog.cancel_button.isEnabled()
    # Two unknown categories: map the dogs, add the hostile one.
    names = [dialog.unknown_table.item(r, 0).text() for r in range(dialog.unknown_table.rowCount())]
    assert sorted(names) == sorted(["Psy luzem", HOSTILE])
    for row, name in enumerate(names):
        combo = dialog.unknown_table.cellWidget(row, 1)
        target = ADD if name == HOSTILE else "to jest: Wałęsające się bezpańskie psy"
        combo.setCurrentIndex(combo.findData(ADD) if target == ADD else combo.findText(target))
    assert dialog.unknown_status_table.rowCount() == 1
    status_combo = dialog.unknown_status_table.cellWidget(0, 1)
    status_combo.setCurrentIndex(status_combo.findText("to jest: Potwierdzone"))
    dialog.import_button.click()
    assert dialog.worker is not None and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20_000)
    assert "Dodano: 6, zaktualizowano: 0, odrzucono: 1." in dialog.summary.text()
    assert dialog.progress.value() == 100
    assert dialog.refusal_model.rowCount() == 1
    qtmodeltester.check(dialog.refusal_model)
    assert _count(empty_db) == 6
    with empty_db.session() as s:
        assert s.scalar(select(func.count()).select_from(ThreatCategory)
                        .where(ThreatCategory.name == HOSTILE)) == 1
        assert s.scalar(select(ThreatStatus.name).join(
            ThreatReport, ThreatReport.status_id == ThreatStatus.id)
            .where(ThreatReport.source_id == "W")) == "Potwierdzone"
    assert dialog.save_refusals_button.isEnabled()
    saved = dialog.save_refusals(str(tmp_path / "odrzucone.csv"))
    text = Path(saved).read_text(encoding="utf-8-sig")
    assert "Wiersz;Identyfikator;Powód odrzucenia" in text and "nierozpoznana data" in text
    dialog.close_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_cancel_leaves_nothing(qtbot, dialog, empty_db, write_file):
    assert _load(qtbot, dialog, write_file("k.csv", kmzb_csv(3000)))
    dialog.start_import()
    dialog.cancel_button.click()  # the flag is set before the worker can finish
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20_000)
    assert "przerwany" in dialog.stage.text()
    assert _count(empty_db) == 0 and dialog.result_summary is None
    assert dialog.import_button.isEnabled()


def test_unreadable_file_shows_polish_error(qtbot, dialog, write_file):
    assert not _load(qtbot, dialog, write_file("x.xlsx", b"PK\x03\x04broken"))
    assert "XLSX" in dialog.file_info.text()
    assert not dialog.import_button.isEnabled()


def test_missing_required_mapping_disables_import(qtbot, dialog, write_file):
    assert _load(qtbot, dialog, write_file("k.csv", KMZB_HEADER.replace("Typ", "Coś") + "\n1;a;b\n"))
    assert dialog.mapping_missing() == ["category"]
    assert not dialog.import_button.isEnabled()


def test_a_defect_during_the_import_is_shown_and_its_traceback_logged(qtbot, dialog, empty_db,
                                                                     write_file, caplog):
    import logging

    assert _load(qtbot, dialog, write_file("k.csv", kmzb_csv(3)))
    with empty_db.engine.begin() as conn:  # the write fails inside the worker
        conn.exec_driver_sql("DROP TABLE threat_reports")
    with caplog.at_level(logging.ERROR, logger="razem.jobs"):
        dialog.start_import()
        qtbot.waitUntil(lambda: dialog.worker is None, timeout=20_000)
    assert dialog.summary.text().startswith("Błąd zapisu, nic nie zapisano: ")
    assert "threat_reports" in dialog.summary.text()
    assert dialog.stage.text() == "Import nieudany – nic nie zapisano."
    record = next(r for r in caplog.records if r.name == "razem.jobs")
    assert record.exc_info and "Traceback" in caplog.text and "import_reports" in caplog.text
