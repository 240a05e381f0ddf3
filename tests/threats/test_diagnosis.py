"""Diagnosis statistics against the hand-counted reports of ``small_world``."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

from desktop.cli import main
from desktop.threats.diagnosis import (
    DiagnosisScope,
    default_statuses,
    diagnose,
    ranking_per_km2,
    scope_choices,
    status_choices,
    statuses_label,
    top_threat_by_beat,
)
from desktop.threats.export import write_diagnosis_xlsx

from .conftest import ALK, PARK, PSY

Q1 = (dt.date(2018, 1, 1), dt.date(2018, 3, 31))


def test_previous_period_has_same_length():
    prev = DiagnosisScope(*Q1).previous()
    assert (prev.date_from, prev.date_to) == (dt.date(2017, 10, 3), dt.date(2017, 12, 31))
    assert prev.days == 90


def test_whole_area_counts(small_world):
    db, _ = small_world
    d = diagnose(db, DiagnosisScope(*Q1))
    assert d.total == 10 and d.previous_total == 2 and d.outside_beats == 1
    assert d.change == 8 and d.change_pct == pytest.approx(400.0)
    assert [(r.name, r.count) for r in d.by_category] == [(PSY, 5), (ALK, 3), (PARK, 2)]
    assert d.top.name == PSY and d.top.share == pytest.approx(0.5)
    assert [(r.name, r.count) for r in d.by_status] == [
        ("Nowe", 7), ("Potwierdzone", 2), ("Niepotwierdzone", 1)]
    assert d.monthly == [(dt.date(2018, 1, 1), 4), (dt.date(2018, 2, 1), 3),
                         (dt.date(2018, 3, 1), 3)]


def test_beat_ranking_and_top_threat(small_world):
    db, ids = small_world
    rows = {r.number: r for r in top_threat_by_beat(db, DiagnosisScope(*Q1))}
    assert [(rows[n].reports, rows[n].top_category, rows[n].top_count, rows[n].previous)
            for n in "123"] == [(4, PSY, 3, 1), (3, ALK, 2, 1), (2, PARK, 1, 0)]
    assert rows["1"].officer == "st. asp. Jan Nowak"
    ranked = ranking_per_km2(list(rows.values()))
    assert [(r.number, r.per_km2) for r in ranked] == [("1", 4.0), ("2", 1.5), ("3", 0.5)]


def test_workload_per_officer(small_world):
    db, _ = small_world
    d = diagnose(db, DiagnosisScope(*Q1))
    assert [(o.officer, o.beats, o.reports, o.area_km2) for o in d.officers] == [
        ("st. asp. Jan Nowak", 2, 6, 5.0), ("asp. Anna Zając", 1, 3, 2.0)]


@pytest.mark.parametrize("kind,key,total,top", [
    ("unit", "kmp", 9, PSY),     # the command includes its station
    ("unit", "kp", 2, PARK),
    ("gmina", "alfa", 7, ALK),   # 3 : 3 tie, alcohol is earlier in the dictionary
    ("beat", 1, 3, ALK),
])
def test_scopes(small_world, kind, key, total, top):
    db, ids = small_world
    ident = ids["beats"][key] if kind == "beat" else ids[key]
    scope = DiagnosisScope(*Q1, **{f"{kind}_id": ident})
    d = diagnose(db, scope)
    assert (d.total, d.top.name, d.outside_beats) == (total, top, 0)


def test_empty_period(small_world):
    db, _ = small_world
    d = diagnose(db, DiagnosisScope(dt.date(2020, 1, 1), dt.date(2020, 1, 31)))
    assert d.total == 0 and d.top is None and d.change_pct is None
    assert d.monthly == [(dt.date(2020, 1, 1), 0)]


def test_scope_choices(small_world):
    db, _ = small_world
    labels = [c.label for c in scope_choices(db)]
    assert labels[0] == "Cały obszar KMP" and "Gmina: Alfa" in labels
    assert sum(1 for c in scope_choices(db) if c.kind == "beat") == 3


def test_xlsx_export(small_world, tmp_path):
    db, _ = small_world
    path = tmp_path / "d.xlsx"
    write_diagnosis_xlsx(path, diagnose(db, DiagnosisScope(*Q1)), "Cały obszar")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Podsumowanie", "Kategorie", "Statusy", "Trend miesięczny",
                             "Rejony", "Dzielnicowi"]
    assert [c.value for c in wb["Kategorie"][2]] == [PSY, 5, 50.0]
    assert wb["Rejony"]["C2"].value == "Rejon 1"


def test_cli_diagnosis_csv(small_world, tmp_path, capsys):
    db, _ = small_world
    out = tmp_path / "d.csv"
    code = main(["diagnosis", "--database", db.url, "--from", "01.01.2018", "--to",
                 "2018-03-31", "--csv", str(out)])
    assert code == 0
    # The default leaves out the one "Niepotwierdzone" report (beat 2, alcohol).
    printed = capsys.readouterr().out
    assert "3 rejony (8 zgłoszeń" in printed
    assert "statusy: Nowe, Weryfikacja, Potwierdzone, Potwierdzone (przekazane poza Policję), " \
           "Potwierdzone (wyeliminowane))" in printed
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0][7] == "Największe zagrożenie" and rows[0][-1] == "Uwzględnione statusy"
    assert [(r[1], r[5], r[7], r[8]) for r in rows[1:]] == [
        ("1", "4", PSY, "3"), ("2", "2", PARK, "1"), ("3", "2", PARK, "1")]
    assert all(r[-1].startswith("Nowe, Weryfikacja") for r in rows[1:])

    assert main(["diagnosis", "--database", db.url, "--from", "01.01.2018", "--to",
                 "2018-03-31", "--csv", str(out), "--statuses", "Wszystkie"]) == 0
    assert "3 rejony (9 zgłoszeń" in capsys.readouterr().out
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert [(r[1], r[5], r[7], r[8], r[-1]) for r in rows[1:]] == [
        ("1", "4", PSY, "3", "wszystkie"), ("2", "3", ALK, "2", "wszystkie"),
        ("3", "2", PARK, "1", "wszystkie")]

    assert main(["diagnosis", "--database", db.url, "--from", "01.01.2018", "--to",
                 "2018-03-31", "--csv", str(out), "--statuses", "potwierdzone"]) == 0
    assert "3 rejony (2 zgłoszenia" in capsys.readouterr().out
    assert main(["diagnosis", "--database", db.url, "--from", "01.01.2018", "--to",
                 "2018-03-31", "--csv", str(out), "--statuses", "Nowe,Zmyślone"]) == 2
    assert 'nieznany status zgłoszenia "Zmyślone"' in capsys.readouterr().err


def test_default_statuses_leave_out_unconfirmed_and_pranks(small_world):
    db, ids = small_world
    choices = status_choices(db)
    default = default_statuses(choices)
    names = {c.id: c.name for c in choices}
    assert sorted(names[i] for i in default) == sorted(
        set(names.values()) - {"Niepotwierdzone", "Żart lub pomyłka"})
    everything = diagnose(db, DiagnosisScope(*Q1))
    filtered = diagnose(db, DiagnosisScope(*Q1, statuses=default))
    assert (everything.total, filtered.total) == (10, 9)
    assert [(r.name, r.count) for r in filtered.by_status] == [("Nowe", 7), ("Potwierdzone", 2)]
    assert [(r.name, r.count) for r in filtered.by_category] == [(PSY, 5), (PARK, 2), (ALK, 2)]
    # The same filter on a beat scope (the SQL path) and in the previous period.
    beat2 = diagnose(db, DiagnosisScope(*Q1, gmina_id=ids["alfa"], statuses=default))
    assert beat2.total == 6
    only_confirmed = tuple(i for i, n in names.items() if n == "Potwierdzone")
    d = diagnose(db, DiagnosisScope(*Q1, statuses=only_confirmed))
    assert (d.total, d.previous_total) == (2, 0)
    assert diagnose(db, DiagnosisScope(*Q1, statuses=())).total == 0
    assert statuses_label(choices, None) == "wszystkie"
    assert statuses_label(choices, only_confirmed) == "Potwierdzone"
    assert statuses_label(choices, ()) == "żaden"


def test_statuses_printed_on_xlsx_and_print(small_world, tmp_path):
    from desktop.threats.report_html import top_threats_html

    db, _ = small_world
    path = tmp_path / "d.xlsx"
    write_diagnosis_xlsx(path, diagnose(db, DiagnosisScope(*Q1)), "Cały obszar", "Nowe, Potwierdzone")
    rows = {r[0].value: r[1].value for r in openpyxl.load_workbook(path)["Podsumowanie"].rows}
    assert rows["Uwzględnione statusy"] == "Nowe, Potwierdzone"
    html = top_threats_html([], "x", *Q1, statuses="Nowe & <b>")
    assert "Uwzględnione statusy: Nowe &amp; &lt;b&gt;." in html


def test_cli_diagnosis_bad_dates(small_world, tmp_path, capsys):
    db, _ = small_world
    assert main(["diagnosis", "--database", db.url, "--from", "2018-13-01", "--to",
                 "2018-03-31", "--csv", str(tmp_path / "x.csv")]) == 2
    assert "nierozpoznana data" in capsys.readouterr().err
    assert main(["diagnosis", "--database", db.url, "--from", "2018-03-01", "--to",
                 "2018-01-31", "--csv", str(tmp_path / "x.csv")]) == 2


def test_exports_keep_formulas_as_text(small_world, tmp_path):
    from sqlalchemy import update

    from db.models import Beat

    db, ids = small_world
    with db.session() as s, s.begin():
        s.execute(update(Beat).where(Beat.id == ids["beats"][0]).values(name="=1+2"))
    path = tmp_path / "f.xlsx"
    d = diagnose(db, DiagnosisScope(*Q1))
    write_diagnosis_xlsx(path, d, "=cmd")
    wb = openpyxl.load_workbook(path)
    assert wb["Podsumowanie"]["B2"].value == "'=cmd"
    assert "'=1+2" in [c.value for c in wb["Rejony"]["C"]]
    from desktop.threats.export import write_top_threats_csv

    write_top_threats_csv(tmp_path / "f.csv", top_threat_by_beat(db, DiagnosisScope(*Q1)))
    assert "'=1+2" in (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
