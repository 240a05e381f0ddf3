"""`razem import-reports`: counts printed, mapping options, strict mode, Polish errors."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from db.models import ThreatCategory, ThreatReport
from desktop.cli import main

from .test_importer import E, N, kmzb_csv


def _count(db):
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(ThreatReport))


def test_import_then_reimport_prints_counts(empty_db, write_file, capsys):
    path = write_file("k.csv", kmzb_csv(3, f"Z;Nieznana;Nowe;;2018-01-01;;;{E};{N};\n"))
    assert main(["import-reports", str(path), "--database", empty_db.url]) == 0
    captured = capsys.readouterr()
    assert "Dodano: 3, zaktualizowano: 0, odrzucono: 1." in captured.out
    assert "odrzucono wiersz 5 (Z): nieznana kategoria „Nieznana”" in captured.err
    assert main(["import-reports", str(path), "--database", empty_db.url,
                 "--add-categories"]) == 0
    assert "Dodano: 1, zaktualizowano: 3, odrzucono: 0." in capsys.readouterr().out
    assert _count(empty_db) == 4


def test_inline_mapping_with_crs(empty_db, write_file, capsys):
    path = write_file("m.csv", f"kat;kiedy;wsch;pn\nŻebractwo;05.03.2018;{E};{N}\n")
    code = main(["import-reports", str(path), "--database", empty_db.url, "--mapping",
                 "category=kat,reported_at=kiedy,x=wsch,y=pn,crs=2180"])
    assert code == 0 and "Dodano: 1" in capsys.readouterr().out


def test_json_mapping_file_maps_categories(empty_db, write_file, capsys):
    path = write_file("j.csv", f"Typ;Data utworzenia;X;Y\nPsy luzem;2018-01-01;{E};{N}\n")
    mapping = write_file("map.json", json.dumps({
        "fields": {"category": "Typ", "reported_at": "Data utworzenia", "x": "X", "y": "Y"},
        "category_map": {"Psy luzem": "Wałęsające się bezpańskie psy"}}, ensure_ascii=False))
    assert main(["import-reports", str(path), "--database", empty_db.url, "--mapping",
                 str(mapping)]) == 0
    with empty_db.session() as s:
        name = s.scalar(select(ThreatCategory.name).join(
            ThreatReport, ThreatReport.category_id == ThreatCategory.id))
    assert name == "Wałęsające się bezpańskie psy"


def test_strict_and_errors_exit_2_and_write_nothing(empty_db, write_file, capsys):
    path = write_file("s.csv", kmzb_csv(2, f"Z;Nieznana;Nowe;;2018-01-01;;;{E};{N};\n"))
    assert main(["import-reports", str(path), "--database", empty_db.url, "--strict"]) == 2
    assert "nic nie zapisano" in capsys.readouterr().err
    assert main(["import-reports", str(write_file("b.geojson", b"{")), "--database",
                 empty_db.url]) == 2
    assert "niepoprawny JSON" in capsys.readouterr().err
    assert main(["import-reports", str(path), "--database", empty_db.url, "--mapping",
                 "kategoria=Typ"]) == 2
    assert "nieznane pole" in capsys.readouterr().err
    assert main(["import-reports", "/nonexistent/x.csv", "--database", empty_db.url]) == 2
    assert "Nie można odczytać" in capsys.readouterr().err
    assert _count(empty_db) == 0


def test_reports_outside_beats_are_listed(sample_db, write_file, capsys):
    path = write_file("o.csv", "ID;Typ;Data utworzenia;lat;lon\n"
                               "IN;Żebractwo;2018-01-01;52.2225;18.2510\n"
                               "OUT;Żebractwo;2018-01-01;52.2;17.0\n")
    assert main(["import-reports", str(path), "--database", sample_db.url]) == 0
    captured = capsys.readouterr()
    assert "Dodano: 2, zaktualizowano: 0, odrzucono: 0." in captured.out
    assert "1 zgłoszenie poza wszystkimi rejonami:" in captured.err
    assert "wiersz 3: OUT" in captured.err
