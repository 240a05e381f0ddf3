"""`razem import-addresses` and `razem check-addresses` through desktop.cli main."""
from __future__ import annotations

from desktop.addresses.service import address_count
from desktop.cli import main

from .prg_fixture import gml_2012, konin_points


def test_import_and_check_from_the_command_line(sample_db, tmp_path, capsys):
    path = tmp_path / "konin.gml"
    path.write_text(gml_2012(konin_points(sample_db)), "utf-8")
    assert main(["import-addresses", str(path), "--database", sample_db.url]) == 0
    out, err = capsys.readouterr()
    assert "Zaimportowano punkty adresowe (GML (model 2012)): nowe 10, zmienione 0" in out
    assert err.startswith("razem: uwaga: ")  # real files into the sample: warned first
    report = tmp_path / "zgodnosc.csv"
    assert main(["check-addresses", "--database", sample_db.url, "--csv", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Sprawdzono punktów adresowych: 10; poza rejonami: 2; niezgodnych z rejestrem " \
           "ulic: 1." in out
    assert "Konin, ul. Kolejowa 12: wg granic KMP Konin 5, wg rejestru ulic KMP Konin 2" in out
    assert report.read_text("utf-8-sig").count("\n") == 4


def test_a_refused_file_is_one_polish_line_and_exit_code_2(empty_db, tmp_path, capsys):
    path = tmp_path / "bad.gml"
    path.write_text("<?xml version='1.0'?><gml:FeatureCollection", "utf-8")
    assert main(["import-addresses", str(path), "--database", empty_db.url]) == 2
    err = capsys.readouterr().err
    assert "uwaga" not in err  # an empty (real) database: no sample warning
    assert err.startswith("razem: błąd: Plik bad.gml nie jest poprawnym plikiem GML")
    assert address_count(empty_db) == 0
    assert main(["check-addresses", "--database", empty_db.url, "--date", "jutro"]) == 2
    assert "Niepoprawna data „jutro”" in capsys.readouterr().err
