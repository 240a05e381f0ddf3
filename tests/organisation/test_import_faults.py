"""Roster import (issue #10): bad files give a Polish reason per bad row, and the database is
unchanged — every table, the audit log too — when the file is refused or the user cancels the
save (through the dialog and through the cancel callback in the middle of the save)."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from db.models import Officer
from desktop.common.ui.jobs import JobCancelled
from desktop.organisation.roster_import import (
    RosterRefused,
    plan_roster,
    read_roster,
    save_roster,
)
from desktop.organisation.station import init_station
from desktop.organisation.units import UnitData, save_unit
from desktop.threats.readers import ImportFileError
from tests.db_snapshot import assert_unchanged, snapshot

HEADER = "stopien;imie;nazwisko;numer_sluzbowy;rola;jednostka;telefon;telefon_komorkowy;email"


@pytest.fixture
def station(empty_db):
    """A real station with two officers already in the roster."""
    kmp = init_station(empty_db, "Komenda Miejska Policji w Koninie", "KMP Konin")
    save_unit(empty_db, None, UnitData("Komisariat Policji w Golinie", "KP Golina", kmp))
    return empty_db


def _write(tmp_path, text: str, name: str = "wykaz.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _seed(db, tmp_path) -> None:
    path = _write(tmp_path, HEADER + "\nasp.;Jan;Kowalski;1001;dzielnicowy;KMP Konin;;;\n"
                  "sierż.;Iga;Drogowska;1002;ruch drogowy;KP Golina;;;\n", "stary.csv")
    save_roster(db, plan_roster(db, read_roster(path)))


def _big_roster(rows: int) -> str:
    """Changes to both known officers, then many new ones."""
    lines = [HEADER, "mł. asp.;Jan;Kowalski-Nowak;1001;dzielnicowy;KMP Konin;;;",
             "sierż.;Iga;Drogowska;1002;dzielnicowy;KP Golina;;;"]
    lines += [f"post.;Nowy;Funkcjonariusz{i};{5000 + i};inna;KP Golina;;;" for i in range(rows)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("content", "reason"), [
    ("asp.;Ola;Bez;2001;kucharz;KMP Konin;;;", "nieznana rola „kucharz”"),
    ("asp.;Ala;Nowa;2002;dzielnicowy;KP Nigdzie;;;", "nie ma jednostki „KP Nigdzie”"),
    ("asp.;Ela;Zła;2003;dzielnicowy;;12;;", "nie jest polskim numerem"),
    ("asp.;Ela;Zła;2004;dzielnicowy;;;;to-nie-mail", "e-mail"),
    ("asp.;Jan;Drugi;1002;dzielnicowy;;;;", "powtarza się w pliku"),
    ("asp.;;;;dzielnicowy;;;;", "Podaj imię"),
])
def test_one_bad_row_refuses_the_file_with_its_reason_and_changes_nothing(
        station, tmp_path, content, reason):
    _seed(station, tmp_path)
    before = snapshot(station)
    path = _write(tmp_path, HEADER + "\nmł. asp.;Jan;Kowalski-Nowak;1001;dzielnicowy;;;;\n"
                  "sierż.;Iga;Drogowska;1002;dzielnicowy;KP Golina;;;\n" + content + "\n")
    plan = plan_roster(station, read_roster(path))
    assert plan.count("zmiana") == 2  # the good rows would change the known officers …
    assert [r.line for r in plan.refused] == [4] and reason in plan.refused[0].reason
    with pytest.raises(RosterRefused, match="Plik ma 1 odrzuconych wierszy – nic nie zapisano"):
        save_roster(station, plan)  # … but the file is refused whole
    assert_unchanged(station, before)


@pytest.mark.parametrize(("content", "message"), [
    ("imie;nazwisko\nJan;Kowalski\n", "brakuje kolumn"),
    ("", "pusty"),
])
def test_unusable_files_are_refused_in_polish(station, tmp_path, content, message):
    _seed(station, tmp_path)
    before = snapshot(station)
    with pytest.raises(ImportFileError, match=message):
        read_roster(_write(tmp_path, content))
    assert_unchanged(station, before)


def test_binary_xlsx_is_refused_in_polish(station, tmp_path):
    path = tmp_path / "wykaz.xlsx"
    path.write_bytes(b"PK\x03\x04to nie jest arkusz")
    with pytest.raises(ImportFileError, match="XLSX"):
        read_roster(path)


def test_cancel_in_the_middle_of_the_save_rolls_everything_back(station, tmp_path):
    _seed(station, tmp_path)
    before = snapshot(station)
    plan = plan_roster(station, read_roster(_write(tmp_path, _big_roster(350))))
    assert plan.count("nowy") == 350 and plan.count("zmiana") == 2 and not plan.refused
    calls = []

    def check() -> None:  # the user presses "Anuluj" after 300 rows went into the session
        calls.append(1)
        if len(calls) == 4:
            raise JobCancelled()

    with pytest.raises(JobCancelled):
        save_roster(station, plan, check)
    assert len(calls) == 4
    assert_unchanged(station, before)


def test_cancel_after_the_last_row_still_rolls_back(station, tmp_path):
    """A roster under 100 rows is checked once at the start; a cancel that comes later must
    still leave nothing (the defect: the dialog's "Anuluj" closed it and the save went on)."""
    _seed(station, tmp_path)
    before = snapshot(station)
    plan = plan_roster(station, read_roster(_write(tmp_path, _big_roster(5))))
    calls = []

    def check() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise JobCancelled()

    with pytest.raises(JobCancelled):
        save_roster(station, plan, check)
    assert_unchanged(station, before)


def _loaded_dialog(qtbot, station, tmp_path):
    from desktop.organisation.ui.roster_import_dialog import RosterImportDialog

    _seed(station, tmp_path)
    dialog = RosterImportDialog(station)
    qtbot.addWidget(dialog)
    dialog.load(str(_write(tmp_path, _big_roster(50))))
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20000)
    assert dialog.save_button.isEnabled()
    return dialog


def _press_cancel(dialog) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()


def test_cancel_button_of_the_dialog_during_the_save_leaves_the_database_unchanged(
        qtbot, station, tmp_path, monkeypatch):
    from desktop.organisation.ui import roster_import_dialog

    dialog = _loaded_dialog(qtbot, station, tmp_path)
    before = snapshot(station)

    def save_held(ctl, db, plan):
        """The real save, held at its first check inside the transaction until "Anuluj" is
        pressed (50 rows are saved in 0.01 s: the cancel lost that race on a slow machine)."""
        def check() -> None:
            for _ in range(2000):
                if ctl.cancelled:
                    break
                time.sleep(0.005)
            ctl.check()

        return roster_import_dialog.save_roster(db, plan, check)

    monkeypatch.setattr(roster_import_dialog, "save_plan", save_held)
    dialog.show()
    dialog.save_button.click()
    assert dialog.worker is not None  # saving
    _press_cancel(dialog)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20000)
    assert dialog.result() == dialog.DialogCode.Rejected and dialog.saved is None
    assert not dialog.isVisible()
    assert_unchanged(station, before)
    with station.session() as s:
        assert s.scalar(select(Officer.last_name).where(Officer.service_number == "1001")) \
            == "Kowalski"


def test_cancel_pressed_after_the_save_committed_reports_the_save(qtbot, station, tmp_path):
    """A save that had already committed when "Anuluj" was pressed cannot be undone: the
    dialog accepts with its counts (it closed as cancelled before, then accepted)."""
    dialog = _loaded_dialog(qtbot, station, tmp_path)
    dialog.show()
    dialog.save_button.click()
    assert dialog.worker is not None and dialog.worker.wait(20)  # committed, not yet delivered
    _press_cancel(dialog)
    assert dialog.isVisible()  # waits for the job's outcome
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20000)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.saved is not None and dialog.saved.added == 50
    with station.session() as s:
        assert s.scalar(select(Officer.last_name).where(Officer.service_number == "1001")) \
            != "Kowalski"


def test_an_officer_removed_between_preview_and_save_refuses_the_whole_file(station, tmp_path):
    _seed(station, tmp_path)
    plan = plan_roster(station, read_roster(_write(tmp_path, _big_roster(3))))
    with station.session() as s, s.begin():
        s.delete(s.scalar(select(Officer).where(Officer.service_number == "1002")))
    before = snapshot(station)
    with pytest.raises(RosterRefused, match="1002 usunięto w międzyczasie – nic nie zapisano"):
        save_roster(station, plan)
    assert_unchanged(station, before)
