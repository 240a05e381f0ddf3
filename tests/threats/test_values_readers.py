"""Cell parsing and file reading details: delimiters, dates, numbers, cut-off files."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from desktop.threats.importer import import_reports
from desktop.threats.readers import ImportFileError, read_csv, read_xlsx, sniff_delimiter
from desktop.threats.values import ValueProblem, clean_text, parse_datetime, parse_number

from .test_importer import E, N, count


@pytest.mark.parametrize("text,expected", [
    ("52,2231", 52.2231), ("1 234,5", 1234.5), ("1.234,5", 1234.5), ("470123.5", 470123.5),
    (18, 18.0), ("\u00a0-3,5 ", -3.5),
])
def test_numbers(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "nan", "inf", True])
def test_bad_numbers(text):
    with pytest.raises(ValueProblem):
        parse_number(text)


@pytest.mark.parametrize("value,expected", [
    ("2018-03-05", dt.datetime(2018, 3, 5)),
    ("2018-03-05 14:30:15", dt.datetime(2018, 3, 5, 14, 30, 15)),
    ("2018-07-01T10:00:00Z", dt.datetime(2018, 7, 1, 12, 0)),  # summer time in Warsaw
    ("5.3.2018", dt.datetime(2018, 3, 5)),
    ("05-03-2018 7:05", dt.datetime(2018, 3, 5, 7, 5)),
    ("1530439200000", dt.datetime(2018, 7, 1, 12, 0)),
    (1530439200000, dt.datetime(2018, 7, 1, 12, 0)),
    (dt.date(2018, 1, 2), dt.datetime(2018, 1, 2)),
])
def test_dates(value, expected):
    assert parse_datetime(value) == expected


@pytest.mark.parametrize("value", ["2018-02-30", "30.02.2018", "12345678901", "jutro", ""])
def test_bad_dates(value):
    with pytest.raises(ValueProblem):
        parse_datetime(value)


def test_clean_text_drops_control_characters_and_cuts():
    assert clean_text("a\x00b\x1bc\nd", 100) == "abc\nd"
    assert clean_text("x" * 300, 200) == "x" * 200
    assert clean_text(12.0, 10) == "12"


@pytest.mark.parametrize("delim", [";", ",", "\t", "|"])
def test_sniff_delimiter(delim):
    text = delim.join(["Typ", "Data", "X", "Y"]) + "\n" + delim.join(["a", "b", "1", "2"]) + "\n"
    assert sniff_delimiter(text) == delim


def test_quoted_delimiters_and_newlines_inside_fields():
    data = b'Typ;Opis;X\n"Akty wandalizmu";"jeden; dwa\ntrzy";1\n'
    table = read_csv(data)
    assert table.rows == [["Akty wandalizmu", "jeden; dwa\ntrzy", "1"]]


def test_unterminated_quote_at_the_end_is_refused(empty_db, write_file):
    text = (f"Typ;Data utworzenia;X;Y;Opis\nŻebractwo;2018-01-01;{E};{N};ok\n"
            f'Żebractwo;2018-01-02;{E};{N};"urwany opis')
    result = import_reports(empty_db, write_file("q.csv", text))
    assert (result.added, result.refused) == (1, 1)
    assert "wewnątrz cudzysłowu" in result.refusals[0].reason and result.refusals[0].line == 3
    assert count(empty_db) == 1


def test_doubled_quotes_are_not_a_cut(empty_db, write_file):
    text = f'Typ;Data utworzenia;X;Y;Opis\nŻebractwo;2018-01-01;{E};{N};"mówi ""stop"""\n'
    result = import_reports(empty_db, write_file("q2.csv", text))
    assert (result.added, result.refused) == (1, 0)


def test_xlsx_cut_in_half(tmp_path):
    wb = openpyxl.Workbook()
    for i in range(200):
        wb.active.append(["Akty wandalizmu", "2018-01-01", 18.2, 52.2, f"opis {i}"])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    with pytest.raises(ImportFileError, match="XLSX"):
        read_xlsx(data[: len(data) // 2], "r.xlsx")


def test_excel_unicode_text_utf16_tabs(empty_db, write_file):
    text = f"Typ\tData utworzenia\tX\tY\nŻebractwo\t05.03.2018\t{E}\t{N}\n"
    result = import_reports(empty_db, write_file("u16.txt", text, encoding="utf-16"))
    assert (result.added, result.refused) == (1, 0)
    assert "kodowanie UTF-16" in result.notes


def test_header_only_file_imports_nothing(empty_db, write_file):
    result = import_reports(empty_db, write_file("h.csv", "Typ;Data utworzenia;X;Y\n"))
    assert (result.added, result.updated, result.refused) == (0, 0, 0)


def test_unquoted_decimal_commas_with_comma_delimiter_are_refused(empty_db, write_file):
    result = import_reports(empty_db, write_file(
        "c.csv", "Typ,Data utworzenia,Y,X\nŻebractwo,2018-01-01,52,22,18,25\n"))
    assert result.added == 0 and "za dużo kolumn" in result.refusals[0].reason
