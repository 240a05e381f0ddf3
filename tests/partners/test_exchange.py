"""Register exchange: CSV/XLSX export, import with mapping, per-row report, all or nothing."""
from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import load_workbook

from db.models import Gmina, PartnerType
from desktop.cli import main
from desktop.partners import service
from desktop.partners.exchange import (
    ExchangeError,
    ImportCancelled,
    apply_import,
    check_import,
    export_csv,
    export_xlsx,
    guess_mapping,
    read_table,
)

HEADER = "Nazwa;Rodzaj;Gmina;Adres;Kod pocztowy;Miejscowość;Przedstawiciel;Funkcja;Telefon;E-mail;Uwagi;Porozumienie"


def copy_gminas(source, target) -> None:
    with source.session() as s:
        names = [(g.name, g.kind) for g in s.query(Gmina)]
    with target.session() as s, s.begin():
        for name, kind in names:
            s.add(Gmina(name=name, kind=kind))


def test_csv_has_bom_semicolons_and_polish_text(sample_db, tmp_path):
    path = tmp_path / "p.csv"
    export_csv(path, service.list_partners(sample_db))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == HEADER
    assert len(lines) == 36
    assert any(line.startswith("Urząd Miasta i Gminy w Ślesinie;samorząd gminy;Ślesin;")
               for line in lines)


def test_xlsx_round_trip(sample_db, empty_db, tmp_path):
    path = tmp_path / "p.xlsx"
    original = service.list_partners(sample_db)
    export_xlsx(path, original)
    ws = load_workbook(path).active
    assert ws["A1"].value == "Nazwa" and ws.max_row == 36
    copy_gminas(sample_db, empty_db)
    table = read_table(path)
    check = check_import(empty_db, table, guess_mapping(table.headers))
    assert check.can_import, [r.errors for r in check.error_rows]
    assert apply_import(empty_db, check) == 35
    imported = service.list_partners(empty_db)
    assert [(r.data.name, r.data.partner_type, r.gmina, r.data.phone, r.data.email,
             r.data.postal_code, r.data.representative) for r in imported] == \
        [(r.data.name, r.data.partner_type, r.gmina, r.data.phone, r.data.email,
          r.data.postal_code, r.data.representative) for r in original]


def test_formula_like_text_stays_text(empty_db, tmp_path):
    service.create_partner(empty_db, service.PartnerData("=HYPERLINK(\"x\")", PartnerType.NGO,
                                                          phone="+48 632 401 234"))
    rows = service.list_partners(empty_db)
    export_xlsx(tmp_path / "f.xlsx", rows)
    cell = load_workbook(tmp_path / "f.xlsx").active["A2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"x\")"
    export_csv(tmp_path / "f.csv", rows)
    assert "'=HYPERLINK" in (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    table = read_table(tmp_path / "f.csv")
    assert table.rows[0][0] == "=HYPERLINK(\"x\")" and table.rows[0][8] == "+48 632 401 234"


def write_csv(path, lines: list[str]) -> None:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def test_bad_rows_leave_database_unchanged(sample_db, tmp_path):
    path = tmp_path / "bad.csv"
    write_csv(path, [
        "Instytucja;Typ;Gmina;E-mail;Kod;Telefon",
        "Fundacja Dobra;organizacja pozarządowa;Kramsk;biuro@dobra.pl;62-511;63 240 12 34",
        "Klub <img src=x onerror=alert(1)>;ngo;;zly-adres;62511;abc",
        "Szkoła Muzyczna;szkoła lub przedszkole;Atlantyda;;;",
        "Urzad gminy KRAMSK;samorząd gminy;kramsk;;;",
    ])
    table = read_table(path)
    mapping = guess_mapping(table.headers)
    assert mapping["name"] == 0 and mapping["partner_type"] == 1 and mapping["email"] == 3
    assert mapping["postal_code"] == 4 and mapping["address"] is None
    before = service.list_partners(sample_db, include_deleted=True)
    check = check_import(sample_db, table, mapping)
    assert not check.can_import
    report = {r.line: r for r in check.rows}
    assert report[2].errors == [] and report[5].errors == []
    assert any("E-mail" in e for e in report[3].errors)
    assert any("NN-NNN" in e for e in report[3].errors)
    assert any("Telefon" in e for e in report[3].errors)
    assert report[4].errors == ["Gmina: nie ma gminy „Atlantyda”"]
    assert any("Urząd Gminy Kramsk" in w for w in report[5].warnings)
    with pytest.raises(ExchangeError):
        apply_import(sample_db, check)
    assert service.list_partners(sample_db, include_deleted=True) == before


def test_failure_or_cancel_during_save_rolls_back(sample_db, tmp_path):
    path = tmp_path / "ok.csv"
    write_csv(path, ["Nazwa;Rodzaj"] + [f"Stowarzyszenie nr {i};ngo" for i in range(120)])
    table = read_table(path)
    check = check_import(sample_db, table, guess_mapping(table.headers))
    assert check.can_import
    before = len(service.list_partners(sample_db, include_deleted=True))
    seen = []
    with pytest.raises(ImportCancelled):
        apply_import(sample_db, check, progress=lambda i, n: seen.append(i),
                     cancelled=lambda: len(seen) >= 1)
    assert seen == [50]
    assert len(service.list_partners(sample_db, include_deleted=True)) == before
    broken = replace(check.rows[-1], data=replace(check.rows[-1].data, email="x"))
    check.rows[-1] = broken
    with pytest.raises(ExchangeError, match="Wiersz 121"):
        apply_import(sample_db, check)
    assert len(service.list_partners(sample_db, include_deleted=True)) == before
    check.rows[-1] = replace(broken, data=replace(broken.data, email=""))
    assert apply_import(sample_db, check) == 120
    assert len(service.list_partners(sample_db, include_deleted=True)) == before + 120


def test_missing_required_column_and_unreadable_files(sample_db, tmp_path):
    path = tmp_path / "x.csv"
    write_csv(path, ["Nazwa,Adres", "A,B"])
    table = read_table(path)
    with pytest.raises(ExchangeError, match="Rodzaj"):
        check_import(sample_db, table, guess_mapping(table.headers))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    with pytest.raises(ExchangeError, match="XLSX"):
        read_table(fake)
    with pytest.raises(ExchangeError, match="CSV i XLSX"):
        read_table(tmp_path / "a.pdf")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ExchangeError, match="pusty"):
        read_table(empty)


def test_cli_export_partners(sample_db, tmp_path, capsys):
    out = tmp_path / "cli.csv"
    assert main(["export-partners", "--database", sample_db.url, "--csv", str(out)]) == 0
    assert "35 partnerów" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == HEADER
    xlsx = tmp_path / "cli.xlsx"
    assert main(["export-partners", "--database", sample_db.url, "--xlsx", str(xlsx)]) == 0
    assert load_workbook(xlsx).active.max_row == 36
