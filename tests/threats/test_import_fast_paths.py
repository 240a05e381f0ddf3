"""The column-wise shortcuts of the report import give exactly what the general paths give:
a CSV without quotes split with ``str.split`` (rows as ``csv.reader`` reads them), times kept
as numpy datetime64 and written as SQLAlchemy writes them, report counts grouped in numpy,
coordinates rounded in numpy, reports assigned to beats without point geometries."""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import numpy as np
import pytest
import shapely
from sqlalchemy import select

from db.models import Beat, ThreatReport
from desktop.common import geo
from desktop.threats import bulk, readers
from desktop.threats.columns import parse_datetimes, round_list
from desktop.threats.importer import import_reports
from desktop.threats.readers import ColumnRows, ImportFileError, read_csv

from .test_aggregates import MS_2018_03, _csv, assert_counts_current

FIXED_TEXTS = [
    "a;b;c\n1;2;3\n", "a;b;c\r\n1;2;3\r\n\r\n;;\r\n4;5;6", "a;b;c\r1;2\r3;4;5;6\r",
    "a;b\n1;2\n \n3;4\n", "a;b\n\u2028x;y\x0bz\n1;2\x0c;3\n", "a,b,c\n1,2,3\n4,5,6",
    "a;b;c\n1;2;3\n\n\n", "a\tb\n1\t2\n", "id;x\n" + "1;2\n" * 5, "a;b\n ;x\n;y\n",
    "a;b\n1;2;3\n4;5\n", "a;b\n1\n", "\na;b\n1;2\n", "a;b\n1;2\n\x1e3;4\n", "a;b\r\n\r\n1;2",
]


def _texts() -> list[str]:
    r = random.Random(1)
    texts = list(FIXED_TEXTS)
    for _ in range(400):
        body = "".join(r.choice(["a", "b", ";", ";", ";", "\n", "\r", "\r\n", " ", "ą", "\t",
                                 "\x0b", "x1"]) for _ in range(r.randint(0, 80)))
        texts.append("h1;h2;h3\n" + body)
    return texts


def _read(data: bytes):
    try:
        return read_csv(data)
    except ImportFileError as exc:
        return str(exc)


def test_csv_without_quotes_reads_as_csv_reader(monkeypatch):
    fast = [_read(t.encode()) for t in _texts()]
    monkeypatch.setattr(readers, "_read_unquoted", lambda *args: None)
    columnwise = 0
    for text, got in zip(_texts(), fast):
        want = _read(text.encode())
        if isinstance(want, str) or isinstance(got, str):
            assert got == want, text
            continue
        assert (got.columns, list(got.rows), got.line_numbers, got.notes, got.last_row_cut) \
            == (want.columns, want.rows, want.line_numbers, want.notes, want.last_row_cut), text
        if got.by_column is not None:
            columnwise += 1
            assert got.by_column == [list(c) for c in zip(*want.rows)] or not want.rows, text
    assert columnwise >= 5  # the shortcut was taken, not only the fallback


def test_column_rows_are_the_rows():
    rows = ColumnRows([["a", "b", "c"], ["1", "2", "3"]])
    assert len(rows) == 3 and rows[0] == ["a", "1"] and rows[-1] == ["c", "3"]
    assert rows[1:] == [["b", "2"], ["c", "3"]] and list(rows) == rows
    with pytest.raises(IndexError):
        rows[3]


def test_sqlite_times_equal_value_by_value():
    r = random.Random(5)
    times = [None if r.random() < 0.1 else dt.datetime(1900, 1, 1)
             + dt.timedelta(microseconds=r.randrange(10 ** 16)) for _ in range(5000)]
    times += [dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 1, 0, 0, 0, 5),
              dt.datetime(1000, 1, 1), dt.datetime(9999, 12, 31, 23, 59, 59, 999999),
              dt.datetime(1969, 12, 31, 23, 59, 59, 999999)]
    dates = [None if t is None else t.date() for t in times]
    for column, unit in ((times, "us"), (dates, "D"), ([dt.datetime(1, 1, 1), None], "us"),
                         ([], "us"), ([None], "D")):
        values = np.array(column, dtype=f"datetime64[{unit}]")
        assert bulk.sqlite_times(values) == [bulk._sqlite_value(v) for v in column]
        assert bulk.plain_column(values) == column


def test_count_keys_equal_a_count_per_row():
    r = random.Random(2)
    times = [dt.datetime(1999, 1, 1) + dt.timedelta(minutes=r.randrange(10 ** 7))
             for _ in range(3000)]
    beats = [r.choice([0, 3, 7, 10 ** 6]) for _ in times]
    categories = [r.choice([1, 2, 50]) for _ in times]
    statuses = [r.choice([1, 9]) for _ in times]
    got = bulk.count_keys(np.array(times, dtype="datetime64[us]"), beats, categories, statuses)
    assert got == Counter(zip(bulk.month_keys(times), beats, categories, statuses))


def test_round_list_equals_round():
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.uniform(14, 24, 20000), rng.uniform(-180, 180, 20000),
                             np.round(rng.uniform(49, 55, 5000), 7) + 5e-8,  # halves
                             [0.0, -0.0, 1e300, 0.12345675, 2.5e-8, -2.5e-8, 52.00000005]])
    got = round_list(values, 7)
    want = [round(v, 7) for v in values.tolist()]
    assert got == want and [str(v) for v in got] == [str(v) for v in want]


def test_parse_datetimes_columns_equal_per_value():
    ms = [MS_2018_03 + k * 3_599_999 for k in range(500)]
    as_text = [dt.datetime.fromtimestamp(v / 1000, tz=dt.UTC).isoformat() for v in ms]
    fast, fast_errors = parse_datetimes([str(v) for v in ms], "data")
    slow, slow_errors = parse_datetimes(as_text, "data")
    assert fast.dtype == slow.dtype == np.dtype("datetime64[us]")
    assert (fast == slow).all() and fast_errors == slow_errors == [None] * len(ms)
    dates, errors = parse_datetimes(["", "2019-02-03", "x", "1990-01-01"], "data zdarzenia",
                                    as_date=True, optional=True)
    assert dates.dtype == np.dtype("datetime64[D]")
    assert bulk.plain_column(dates) == [None, dt.date(2019, 2, 3), None, dt.date(1990, 1, 1)]
    assert errors[:2] == [None, None] and errors[2] and errors[3]  # unparsable, before 2000


def test_assignment_by_bounds_equals_the_tree(sample_db, monkeypatch):
    with sample_db.session() as s:
        pairs = s.execute(select(Beat.id, Beat.boundary).order_by(Beat.id)).all()
    ids, boundaries = [i for i, _ in pairs], [b for _, b in pairs]
    shapes = [geo.from_geojson(b) for b in boundaries if b]
    x0, y0, x1, y1 = shapely.total_bounds(shapes)
    rng = np.random.default_rng(7)
    lon, lat = rng.uniform(x0 - 0.01, x1 + 0.01, 4000), rng.uniform(y0 - 0.01, y1 + 0.01, 4000)
    corners = np.concatenate([shapely.get_coordinates(g.boundary) for g in shapes])[::3]
    edges = np.array([shapely.line_interpolate_point(g.boundary, 0.37, normalized=True)
                      .coords[0] for g in shapes])  # on shared edges of neighbours
    lon = np.concatenate([lon, corners[:, 0], edges[:, 0]])
    lat = np.concatenate([lat, corners[:, 1], edges[:, 1]])
    monkeypatch.setattr(geo, "BY_BOUNDS_MIN_POINTS", 10 ** 9)
    tree = geo.assign_points_to_beats(lon, lat, boundaries, ids)
    monkeypatch.setattr(geo, "BY_BOUNDS_MIN_POINTS", 1)
    by_bounds = geo.assign_points_to_beats(lon, lat, boundaries, ids)
    assert (tree >= 0).sum() > 1000 and (tree < 0).sum() > 100
    assert (by_bounds == tree).all()


def _stored(db) -> list[tuple]:
    with db.session() as s:
        return [tuple(r) for r in s.execute(select(
            ThreatReport.source_id, ThreatReport.category_id, ThreatReport.status_id,
            ThreatReport.reported_at, ThreatReport.event_date, ThreatReport.modified_at,
            ThreatReport.lat, ThreatReport.lon, ThreatReport.beat_id, ThreatReport.teryt,
            ThreatReport.description).order_by(ThreatReport.source_id))]


def test_plain_and_quoted_csv_import_the_same(sample_db, write_file):
    """The same reports from a file without quotes (split into columns) and from one with
    quoted cells (csv.reader): the same stored rows and counts, on both engines."""
    rows = [(f"Q-{i}", "Akty wandalizmu" if i % 3 else "Dzikie wysypiska śmieci",
             "Nowe" if i % 2 else "Potwierdzone", MS_2018_03 + i * 3_600_000 * 13,
             (i % 40) * 25.0) for i in range(300)]
    plain = _csv(rows)
    assert '"' not in plain
    first = import_reports(sample_db, write_file("plain.csv", plain))
    assert first.added == 300 and not first.refusals
    stored = [r for r in _stored(sample_db) if r[0].startswith("Q-")]
    assert_counts_current(sample_db)
    with sample_db.session() as s, s.begin():
        s.query(ThreatReport).filter(ThreatReport.source_id.like("Q-%")).delete(
            synchronize_session=False)
    quoted = "\n".join(";".join(f'"{cell}"' for cell in line.split(";"))
                       for line in plain.splitlines()) + "\n"
    again = import_reports(sample_db, write_file("quoted.csv", quoted))
    assert again.added == 300 and not again.refusals
    assert [r for r in _stored(sample_db) if r[0].startswith("Q-")] == stored
    assert_counts_current(sample_db)


def _workbook(rows: list[list]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_by_columns_reads_as_row_by_row(monkeypatch):
    r = random.Random(4)
    sheets = [[["id", "a", "b"], ["1", 2, None], ["2", None, "x"]],
              [[None], ["id", "a", None], ["1", 2, "extra"], [None, None, None], ["3", 4, 5]],
              [["id", "a"], [None, None], ["", 3]], [["id", "a"]],
              [["id", "a", "b", "c"], ["x", 1.5, True, None], ["y", 2, False, "z"]]]
    for _ in range(30):
        width = r.randint(1, 4)
        sheets.append([[f"h{j}" for j in range(width)]] + [
            [r.choice([None, "", "a", 1, 2.5]) for _ in range(r.randint(0, width + 1))]
            for _ in range(r.randint(0, 8))])
    books = [_workbook(rows) for rows in sheets]
    got = [readers.read_xlsx(data) for data in books]
    monkeypatch.setattr(readers, "islice", lambda *args: iter(()))  # always row by row
    columnwise = 0
    for data, fast in zip(books, got):
        want = readers.read_xlsx(data)
        assert (fast.columns, list(fast.rows), fast.line_numbers, fast.notes) \
            == (want.columns, want.rows, want.line_numbers, want.notes)
        columnwise += fast.by_column is not None
    assert columnwise >= 5


def test_epoch_digits_equal_int_and_too_long_ones_are_refused():
    from desktop.threats.columns import _epoch_ms

    r = random.Random(1)
    for length in (11, 13, 15, 18):
        values = [str(r.randrange(10 ** (length - 1), 10 ** length)) for _ in range(500)]
        values += ["0" * length, "9" * length]
        assert _epoch_ms(values).tolist() == [int(v) for v in values]
    assert _epoch_ms(["12345678901", "123456789012"]).tolist() == [12345678901, 123456789012]
    # 19 digits do not fit 64 bits: before, the import stopped with an OverflowError
    times, errors = parse_datetimes(["9" * 19, str(MS_2018_03)], "data utworzenia")
    assert errors[0] == ("data utworzenia: znacznik czasu 10000000000000000000 poza zakresem "
                         "lat 2000–2100") and errors[1] is None
    assert np.isnat(times[0]) and not np.isnat(times[1])


def test_stored_reports_in_one_query_equal_a_lookup_each(sample_db):
    with sample_db.session() as s:
        stored = s.execute(select(ThreatReport.source_id, ThreatReport.id,
                                  ThreatReport.modified_at, ThreatReport.reported_at,
                                  ThreatReport.beat_id, ThreatReport.category_id,
                                  ThreatReport.status_id)).all()
        assert len(stored) > 100
        asked = [r[0] for r in stored[::3]] + ["nie-ma-takiego", "x'); DROP TABLE beats; --"]
        got = bulk.stored_reports(s, asked)
    want = {r[0]: bulk.StoredReport(*r[1:]) for r in stored[::3]}
    assert got == want
    with sample_db.session() as s:
        assert bulk.stored_reports(s, []) == {}


def test_unknown_values_from_columns_equal_from_rows():
    from desktop.threats.readers import RawTable
    from desktop.threats.ui.import_dialog import unknown_values

    table = read_csv("X;Typ\n1;A\n2;b\n3; A \n4;Known\n5;B\n6;\n7;żuk\n".encode())
    assert table.by_column is not None
    rows_only = RawTable(table.columns, list(table.rows), table.line_numbers, "CSV")
    got = unknown_values(table, "Typ", ["known"])
    assert got == unknown_values(rows_only, "Typ", ["known"])
    assert got == ["A", "b", "żuk"]
