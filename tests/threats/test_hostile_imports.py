"""Bad files and bad values in report import (issue "no bad file can break the app"): each
test reproduces an observed failure — implausible dates, a stored date that locked the window,
XLSX bombs, hostile GeoJSON, wrong encodings, repeated report ids, a concurrent import."""
from __future__ import annotations

import datetime as dt
import io
import json
import threading
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, insert, select

from db.models import ThreatCategory, ThreatReport, ThreatStatus
from desktop.cli import main
from desktop.common import limits
from desktop.threats.diagnosis import DEFAULT_EXCLUDED_STATUSES
from desktop.threats.importer import import_reports
from desktop.threats.readers import ImportFileError, read_table

from .test_importer import KMZB_HEADER, E, N, kmzb_csv, reports

TOMORROW_PLUS = dt.date.today() + dt.timedelta(days=3)


def _row(sid: str, created: str, status: str = "Nowe", category: str = "Akty wandalizmu",
         modified: str = "", x: float = E, y: float = N) -> str:
    return f"{sid};{category};{status};;{created};;{modified};{x};{y};"


def _csv(*rows: str) -> str:
    return KMZB_HEADER + "\n" + "\n".join(rows) + "\n"


# -- item 1: implausible dates ------------------------------------------------------------

def test_implausible_dates_are_refused_per_row_with_a_polish_reason(empty_db, write_file):
    text = _csv(_row("OK", "2018-01-01"),
                _row("FAR", "9999-12-31"),
                _row("OLD", "1999-12-31"),
                _row("FUT", TOMORROW_PLUS.isoformat()),
                _row("MOD", "2018-01-01", modified="31.12.1900"))
    result = import_reports(empty_db, write_file("d.csv", text))
    assert result.added == 1
    reasons = {r.source_id: r.reason for r in result.refusals}
    assert set(reasons) == {"FAR", "OLD", "FUT", "MOD"}
    assert "31.12.9999 z przyszłości" in reasons["FAR"]
    assert "sprzed 2000 roku" in reasons["OLD"]
    assert "z przyszłości" in reasons["FUT"]
    assert reasons["MOD"].startswith("data modyfikacji:")


def _insert_report(db, when: dt.datetime, source_id: str = "BAD") -> None:
    """A row written straight into the database, as an old version or SQL would leave it."""
    with db.session() as s, s.begin():
        cat = s.scalar(select(ThreatCategory.id).limit(1))
        # A status the diagnosis counts by default (not "Niepotwierdzone" nor "Żart…").
        st = s.scalar(select(ThreatStatus.id).where(
            ThreatStatus.name.not_in(DEFAULT_EXCLUDED_STATUSES)).limit(1))
        s.execute(insert(ThreatReport), [dict(source_id=source_id, category_id=cat,
                                              status_id=st, reported_at=when, lat=52.2,
                                              lon=18.25)])


def test_diagnosis_tab_opens_on_a_database_holding_year_9999(qtbot, empty_db):
    from desktop.app.context import AppContext
    from desktop.threats.ui.diagnosis_tab import DiagnosisTab

    _insert_report(empty_db, dt.datetime(2018, 5, 1, 10, 0), "GOOD")
    _insert_report(empty_db, dt.datetime(9999, 12, 31, 0, 0))
    _insert_report(empty_db, dt.datetime(1, 1, 1, 0, 0), "ANCIENT")
    tab = DiagnosisTab(AppContext(empty_db))
    qtbot.addWidget(tab)
    # The default period follows the plausible data, not the stray row.
    assert tab.date_to.date().toPython() == dt.date(2018, 5, 1)
    assert tab.diagnosis is not None and tab.diagnosis.total == 1
    # Asking for the stray dates themselves does not crash either.
    from PySide6.QtCore import QDate

    tab.date_from.setDate(QDate(100, 1, 1))
    tab.date_to.setDate(QDate(9999, 12, 31))
    tab.refresh()
    assert tab.diagnosis.total >= 1


def test_cli_diagnosis_from_year_one_gives_a_result_not_a_traceback(sample_db, tmp_path,
                                                                    capsys):
    out = tmp_path / "d.csv"
    code = main(["diagnosis", "--database", sample_db.url, "--from", "0001-01-01",
                 "--to", "9999-12-31", "--csv", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.err and out.stat().st_size > 0


# -- item 6 and 8: XLSX bombs ---------------------------------------------------------------

def _xlsx_bytes(rows) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite_zip(data: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.pop(info.filename, src.read(info)))
        for name, content in replace.items():
            dst.writestr(name, content)
    return out.getvalue()


def test_xlsx_with_huge_shared_strings_is_refused_before_reading(tmp_path):
    base = _xlsx_bytes([["Typ", "Data utworzenia", "X", "Y"], ["a", "2018-01-01", 1, 2]])
    # 60 MB of shared strings packing to a few hundred kilobytes (the attack used 1.5 MB
    # to reach gigabytes); openpyxl would hold it all in memory.
    size = limits.MAX_XLSX_SHARED_STRINGS_BYTES + 10 * limits.MB
    body = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/' \
           b'spreadsheetml/2006/main"><si><t>' + b"A" * size + b"</t></si></sst>"
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_rewrite_zip(base, {"xl/sharedStrings.xml": body}))
    assert path.stat().st_size < 2 * limits.MB
    with pytest.raises(ImportFileError, match="sharedStrings.xml po rozpakowaniu ma"):
        read_table(path)


ENTITY_BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
               b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
               b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
               b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               b'<si><t>&lol3;</t></si></sst>')


def test_xlsx_with_an_entity_bomb_gives_one_polish_line(empty_db, tmp_path, capsys):
    base = _xlsx_bytes([["Typ", "Data utworzenia", "X", "Y"], ["a", "2018-01-01", 1, 2]])
    path = tmp_path / "lol.xlsx"
    path.write_bytes(_rewrite_zip(base, {"xl/sharedStrings.xml": ENTITY_BOMB}))
    with pytest.raises(ImportFileError, match="deklaracje DTD lub encji"):
        read_table(path)
    assert main(["import-reports", str(path), "--database", empty_db.url]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "deklaracje DTD lub encji" in err


def test_xlsx_row_limit(monkeypatch, tmp_path):
    monkeypatch.setattr(limits, "MAX_REPORT_ROWS", 5)
    path = tmp_path / "many.xlsx"
    path.write_bytes(_xlsx_bytes([["Typ", "X"]] + [["a", i] for i in range(10)]))
    with pytest.raises(ImportFileError, match="ponad 5 wierszy"):
        read_table(path)


# -- item 8: hostile GeoJSON ----------------------------------------------------------------

def _feature_collection(**extra) -> dict:
    return {"type": "FeatureCollection", **extra, "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [E, N]},
         "properties": {"Typ": "Wypalanie traw", "Data utworzenia": "2018-01-01"}}]}


@pytest.mark.parametrize("crs, message", [
    ({"type": "name", "properties": {"name": "EPSG:99999"}}, "EPSG:99999 nie jest obsługiwany"),
    ({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
     "EPSG:3857 nie jest obsługiwany"),
    ("EPSG:2180", "Niepoprawny opis układu"),
    ({"type": "name", "properties": ["EPSG:2180"]}, "Niepoprawny opis układu"),
    ({"type": "name", "properties": {"name": "Lokalny układ gminy"}}, "Nieznany układ"),
])
def test_geojson_with_unknown_or_malformed_crs_gives_one_polish_line(
        empty_db, write_file, capsys, crs, message):
    path = write_file("c.geojson", json.dumps(_feature_collection(crs=crs)))
    with pytest.raises(ImportFileError, match=message):
        read_table(path)
    assert main(["import-reports", str(path), "--database", empty_db.url]) != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_deeply_nested_geojson_gives_one_polish_line(empty_db, write_file, capsys):
    doc = json.dumps(_feature_collection())
    deep = doc[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = write_file("deep.geojson", deep)
    with pytest.raises(ImportFileError, match="zagnieżdżony głębiej"):
        read_table(path)
    assert main(["import-reports", str(path), "--database", empty_db.url]) != 0
    assert "Traceback" not in capsys.readouterr().err


def test_geojson_in_pl2000_zone_6_is_recognised_without_a_crs(empty_db, write_file):
    # Konin in EPSG:2177 (PL-2000 zone 6): report import used to take it for PUWG 1992.
    from desktop.common.geo import project

    x, y = project([18.25], [52.22], 4326, 2177)
    doc = _feature_collection()
    doc["features"][0]["geometry"]["coordinates"] = [float(x[0]), float(y[0])]
    result = import_reports(empty_db, write_file("z6.geojson", json.dumps(doc)))
    assert result.crs_used == 2177 and result.added == 1, result.refusals
    (r,) = reports(empty_db).values()
    assert r.lon == pytest.approx(18.25, abs=1e-5) and r.lat == pytest.approx(52.22, abs=1e-5)


# -- item 9: wrong results ------------------------------------------------------------------

def test_categories_are_not_added_from_refused_rows(empty_db, write_file):
    text = _csv(_row("A", "2018-01-01", category="Nowa dobra"),
                _row("B", "32.13.2018", category="Z odrzuconego wiersza"),
                _row("C", "2018-01-01", category="Poza Polską", x=10, y=10),
                _row("D", "9999-12-31", category="Z przyszłości"))
    path = write_file("cats.csv", text)
    from desktop.threats.mapping import guess_mapping

    mapping = guess_mapping(read_table(path).columns)
    mapping.add_unknown_categories = True
    result = import_reports(empty_db, path, mapping)
    assert result.added == 1 and result.refused == 3
    assert result.new_categories == ["Nowa dobra"]
    with empty_db.session() as s:
        names = set(s.scalars(select(ThreatCategory.name)))
    assert "Nowa dobra" in names
    assert not names & {"Z odrzuconego wiersza", "Poza Polską", "Z przyszłości"}


def test_iso_8859_2_file_is_not_read_as_windows_1250(empty_db, write_file):
    text = ("Typ;Data utworzenia;X;Y;Opis\n"
            f"Dzikie kąpieliska;2018-06-01;{E};{N};Ścieżka nad źródłem, ąśź ĄŚŹ\n")
    path = write_file("iso.csv", text, encoding="iso8859_2")
    from desktop.threats.mapping import guess_mapping

    mapping = guess_mapping(read_table(path).columns)
    mapping.add_unknown_categories = True
    result = import_reports(empty_db, path, mapping)
    assert "ISO-8859-2" in " ".join(result.notes)
    (r,) = reports(empty_db).values()
    assert r.description == "Ścieżka nad źródłem, ąśź ĄŚŹ"
    with empty_db.session() as s:
        assert s.scalar(select(ThreatCategory.name).where(
            ThreatCategory.id == r.category_id)) == "Dzikie kąpieliska"


def test_windows_1250_is_still_recognised_by_its_own_letters(empty_db, write_file):
    text = f"Typ;Data utworzenia;X;Y;Opis\nŻebractwo;2018-06-01;{E};{N};ąśź ĄŚŹ łóżko\n"
    result = import_reports(empty_db, write_file("cp.csv", text, encoding="cp1250"))
    assert "Windows-1250" in " ".join(result.notes)
    assert next(iter(reports(empty_db).values())).description == "ąśź ĄŚŹ łóżko"


def _status(db, sid: str) -> str:
    with db.session() as s:
        return s.scalar(select(ThreatStatus.name).join(
            ThreatReport, ThreatReport.status_id == ThreatStatus.id)
            .where(ThreatReport.source_id == sid))


def test_newest_state_of_a_repeated_report_wins(empty_db, write_file):
    # A KMZB export lists each change: by modification date when present ...
    text = _csv(_row("R1", "2018-01-01", "Potwierdzone", modified="2018-01-05"),
                _row("R1", "2018-01-01", "Nowe", modified="2018-01-02"),
                _row("R1", "2018-01-01", "Niepotwierdzone", modified="2018-01-03"),
                # ... else by row order.
                _row("R2", "2018-01-01", "Nowe"),
                _row("R2", "2018-01-01", "Potwierdzone"),
                _row("R3", "32.13.2018"))
    result = import_reports(empty_db, write_file("states.csv", text))
    assert (result.added, result.updated, result.refused, result.superseded) == (2, 0, 1, 3)
    assert _status(empty_db, "R1") == "Potwierdzone"
    assert _status(empty_db, "R2") == "Potwierdzone"
    # A later export moves R2 on and repeats R1's old state: R2 is updated, R1 keeps its
    # newer stored state; real refusals are counted apart from updates.
    later = _csv(_row("R2", "2018-01-01", "Żart lub pomyłka", modified="2018-02-01"),
                 _row("R1", "2018-01-01", "Nowe", modified="2018-01-02"),
                 _row("R4", "2018-01-01", "Dziwny"))
    result = import_reports(empty_db, write_file("later.csv", later))
    assert (result.added, result.updated, result.refused, result.kept_newer) == (0, 1, 1, 1)
    assert _status(empty_db, "R2") == "Żart lub pomyłka"
    assert _status(empty_db, "R1") == "Potwierdzone"


def test_two_concurrent_imports_of_the_same_file_both_succeed(tmp_path, write_file):
    from desktop.startup import open_database

    db = open_database(f"sqlite:///{(tmp_path / 'c.db').as_posix()}").db
    path = write_file("k.csv", kmzb_csv(3000))
    table = read_table(path)
    results, errors = [], []
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        try:
            results.append(import_reports(db, table))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    messages = [str(e) for e in errors]
    assert not any("nie jest poprawną bazą" in m for m in messages), messages
    assert all(isinstance(e, ImportFileError) for e in errors), messages
    assert sorted((r.added, r.updated) for r in results) in ([(0, 3000), (3000, 0)],
                                                              [(3000, 0)])
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ThreatReport)) == 3000
    db.dispose()


@pytest.mark.parametrize("crs, message", [("3857", "EPSG:3857 nie jest obsługiwany"),
                                          ("abc", "Niepoprawny układ współrzędnych")])
def test_unknown_crs_code_in_the_mapping_gives_one_polish_line(empty_db, write_file, capsys,
                                                               crs, message):
    path = write_file("m.csv", f"kat;kiedy;wsch;pn\nŻebractwo;05.03.2018;{E};{N}\n")
    code = main(["import-reports", str(path), "--database", empty_db.url, "--mapping",
                 f"category=kat,reported_at=kiedy,x=wsch,y=pn,crs={crs}"])
    err = capsys.readouterr().err
    assert code != 0 and message in err and "Traceback" not in err


def test_csv_with_a_giant_field_gives_a_polish_line(write_file):
    path = write_file("big.csv", "Typ;Opis\n" + "Żebractwo;krótki\n" * 60
                      + "Żebractwo;" + "x" * 200_000 + "\n")
    with pytest.raises(ImportFileError) as info:
        read_table(path)
    assert "pole dłuższe niż 131 072 znaków" in str(info.value)
    assert "field" not in str(info.value)
