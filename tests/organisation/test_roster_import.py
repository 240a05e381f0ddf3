"""The officer roster from CSV/XLSX: matched by service number, every bad row refused with a
Polish reason, saved all or nothing (CLI and window)."""
from __future__ import annotations

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from db.models import Officer, OfficerRole
from desktop.cli import main
from desktop.organisation.roster_import import (
    RosterRefused,
    plan_roster,
    read_roster,
    save_roster,
)
from desktop.organisation.station import init_station
from desktop.organisation.units import UnitData, save_unit
from desktop.threats.readers import ImportFileError

HEADER = "stopien;imie;nazwisko;numer_sluzbowy;rola;jednostka;telefon;telefon_komorkowy;email"


@pytest.fixture
def station(empty_db):
    kmp = init_station(empty_db, "Komenda Miejska Policji w Koninie", "KMP Konin")
    save_unit(empty_db, None, UnitData("Komisariat Policji w Golinie", "KP Golina", kmp))
    return empty_db


def _officers(db) -> dict[str, tuple]:
    with db.session() as s:
        return {o.service_number: (o.rank, o.last_name, o.role, o.mobile, o.unit_id)
                for o in s.scalars(select(Officer))}


def _write(tmp_path, text: str, name: str = "wykaz.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_new_officers_then_updates_by_service_number(station, tmp_path):
    first = _write(tmp_path, HEADER + "\n"
                   "asp.;Jan;Kowalski;1001;dzielnicowy;KMP Konin;;600100200;jan@policja.gov.pl\n"
                   "sierż.;Ewa;Nowak;1002;Ruch Drogowy;komenda miejska policji w koninie;;;\n"
                   "kom.;Piotr;Wiśniewski;1003;Kierownik dzielnicowych;kp golina;63 240 10 00;;\n")
    result = save_roster(station, plan_roster(station, read_roster(first)))
    assert (result.added, result.updated) == (3, 0)
    officers = _officers(station)
    assert officers["1002"][2] == OfficerRole.TRAFFIC
    assert officers["1003"][2] == OfficerRole.HEAD_OF_BEAT_OFFICERS
    assert officers["1001"][3] == "600 100 200"
    # header in another spelling, comma-separated, Windows-1250: same officers, one promoted
    second = _write(tmp_path, "Stopień,Imię,Nazwisko,Numer służbowy,Rola,Jednostka,Telefon,"
                    "Telefon komórkowy,E-mail\n"
                    "st. asp.,Jan,Kowalski,1001,DZIELNICOWY,KMP Konin,,600100200,"
                    "jan@policja.gov.pl\n"
                    "sierż.,Ewa,Nowak,1002,ruch drogowy,KMP Konin,,,\n",
                    "wykaz2.csv", "cp1250")
    plan = plan_roster(station, read_roster(second))
    assert [(r.service_number, r.action) for r in plan.rows] == [("1001", "zmiana"),
                                                                 ("1002", "bez zmian")]
    assert "stopień" in plan.rows[0].reason
    result = save_roster(station, plan)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    assert _officers(station)["1001"][0] == "st. asp."


def test_xlsx_roster(station, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(";"))
    ws.append(["asp.", "Anna", "Zając", 2001, "inna", "KP Golina", None, None, None])
    wb.save(tmp_path / "wykaz.xlsx")
    save_roster(station, plan_roster(station, read_roster(tmp_path / "wykaz.xlsx")))
    assert _officers(station)["2001"][2] == OfficerRole.OTHER


def test_bad_rows_are_refused_with_reasons_and_nothing_is_saved(station, tmp_path, capsys):
    path = _write(tmp_path, HEADER + "\n"
                  "asp.;Jan;Kowalski;1001;dzielnicowy;KMP Konin;;;\n"
                  "asp.;Ola;Bez;1002;kucharz;KMP Konin;;;\n"
                  "asp.;Ala;Nowa;1003;dzielnicowy;KP Nigdzie;;;\n"
                  "asp.;Ela;Zła;1004;dzielnicowy;;12;;to-nie-mail\n"
                  "asp.;Jan;Drugi;1001;dzielnicowy;;;;\n"
                  "asp.;;;;dzielnicowy;;;;\n")
    plan = plan_roster(station, read_roster(path))
    reasons = {r.line: r.reason for r in plan.refused}
    assert "nieznana rola „kucharz”" in reasons[3]
    assert "nie ma jednostki „KP Nigdzie”" in reasons[4]
    assert "nie jest polskim numerem" in reasons[5] and "e-mail" in reasons[5]
    assert "powtarza się w pliku (wiersz 2)" in reasons[6]
    assert "Podaj imię" in reasons[7] and "numer służbowy" in reasons[7]
    with pytest.raises(RosterRefused):
        save_roster(station, plan)
    assert _officers(station) == {}
    assert main(["import-officers", str(path), "--database", station.url]) == 3
    err = capsys.readouterr().err
    assert "wiersz 3: 1002 Ola Bez: nieznana rola" in err and "nic nie zapisano" in err
    assert _officers(station) == {}


def test_header_without_required_columns_is_refused_whole(station, tmp_path, capsys):
    path = _write(tmp_path, "imie;nazwisko\nJan;Kowalski\n")
    with pytest.raises(ImportFileError, match="brakuje kolumn: numer służbowy, funkcja"):
        read_roster(path)
    assert main(["import-officers", str(path), "--database", station.url]) == 2
    assert "brakuje kolumn" in capsys.readouterr().err


def test_window_dialog_previews_and_saves_all_or_nothing(qtbot, station, tmp_path):
    from desktop.organisation.ui.roster_import_dialog import RosterImportDialog

    bad = _write(tmp_path, HEADER + "\nasp.;Jan;Kowalski;1001;dzielnicowy;;;;\n"
                 "asp.;Ola;Bez;1002;kucharz;;;;\n", "zly.csv")
    dialog = RosterImportDialog(station)
    qtbot.addWidget(dialog)
    dialog.load(str(bad))
    qtbot.waitUntil(lambda: dialog.worker is None)
    assert dialog.model.rowCount() == 2 and not dialog.save_button.isEnabled()
    assert "odrzuconych: 1" in dialog.summary.text()
    good = _write(tmp_path, HEADER + "\nasp.;Jan;Kowalski;1001;dzielnicowy;;;;\n", "dobry.csv")
    dialog.load(str(good))
    qtbot.waitUntil(lambda: dialog.worker is None)
    assert dialog.save_button.isEnabled()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.worker is None)
    assert dialog.saved is not None and dialog.saved.added == 1
    assert list(_officers(station)) == ["1001"]
