"""Street register CSV import (issue #10) faults: every bad row named with its Polish reason
in one message, and the database (every table, the audit log too) unchanged when the file is
refused — an existing register of the same beats included. The import is one short
synchronous transaction (no job, so no cancel to test)."""
from __future__ import annotations

import pytest

from desktop.beats.register import RegisterError, import_csv
from tests.db_snapshot import assert_unchanged, snapshot


def test_each_bad_row_is_named_and_the_old_register_stays(world, tmp_path):
    good = tmp_path / "ulice.csv"
    good.write_text("rejon;miejscowosc;ulica;strona;od;do\n1;Ślesin;Kolejowa;wszystkie;1;20\n"
                    "2;Żychlin;;;;\n", encoding="utf-8")
    import_csv(world.db, good)
    before = snapshot(world.db)
    bad = tmp_path / "zle.csv"
    bad.write_text("rejon;miejscowosc;ulica;strona;od;do\n"
                   "1;Ślesin;Kolejowa;parzyste;2;40\n"  # good: would replace beat 1's lines
                   "9;Ślesin;Polna;;;\n"
                   "1;;Polna;;;\n"
                   "1;Ślesin;Polna;boczne;;\n"
                   "1;Ślesin;Polna;;20;10\n"
                   "1;Ślesin;Polna;;12a;\n"
                   "2;Żychlin;;parzyste;;\n", encoding="utf-8")
    with pytest.raises(RegisterError) as caught:
        import_csv(world.db, bad)
    lines = str(caught.value).splitlines()
    assert lines[0] == "Plik nie został zaimportowany (nic nie zapisano):"
    assert [line.split(":")[0] for line in lines[1:]] == [
        "Wiersz 3", "Wiersz 4", "Wiersz 5", "Wiersz 6", "Wiersz 7", "Wiersz 8"]
    for reason in ("nie ma rejonu nr „9”", "brak miejscowości", "strona „boczne”",
                   "jest mniejszy niż „od”", "nie jest numerem domu", "zakres numerów bez ulicy"):
        assert reason in str(caught.value), reason
    assert_unchanged(world.db, before)


def test_a_refused_file_in_the_streets_page_keeps_the_table(qtbot, world, tmp_path):
    from desktop.app.context import AppContext
    from desktop.beats.ui.tab import BeatsTab

    tab = BeatsTab(AppContext(world.db))
    qtbot.addWidget(tab)
    page = tab.streets
    good = tmp_path / "ulice.csv"
    good.write_text("rejon;miejscowosc\n2;Żychlin\n", encoding="utf-8")
    qtbot.waitSignal(page.import_file(str(good)).finished, timeout=20000).wait()
    assert page.model.rowCount() == 1
    before = snapshot(world.db)
    bad = tmp_path / "zle.csv"
    bad.write_text("rejon;miejscowosc\n2;Ślesin\n7;Nigdzie\n", encoding="utf-8")
    job = page.import_file(str(bad))
    qtbot.waitSignal(job.finished, timeout=20000).wait()
    assert job.failure is not None
    assert "Wiersz 3: nie ma rejonu nr „7”." in page.report.toPlainText()
    assert page.model.rowCount() == 1
    assert_unchanged(world.db, before)
