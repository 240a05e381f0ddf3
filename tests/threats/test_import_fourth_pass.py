"""The fourth pass over the report import (docs/scaling.md): foreign keys checked once per
distinct parent on SQLite (a missing parent still refuses the whole write, the connection
checks per row again afterwards), constant columns written as literals (the same rows as
bound values), and the column shortcuts equal their general paths."""
from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from sqlalchemy import select, text

from db.models import ThreatCategory, ThreatReport, ThreatStatus
from desktop.threats import bulk, parents
from desktop.threats import importer as importer_module
from desktop.threats.columns import _epoch_ms, clean_repeated, clean_texts, parse_numbers
from desktop.threats.importer import ImportCancelled, import_reports
from desktop.threats.readers import ImportFileError
from desktop.threats.values import from_epoch_ms

from .test_aggregates import MS_2018_03, _csv, assert_counts_current
from .test_bulk_import import _indexes, _rows


def _checks_on(db) -> list[int]:
    """PRAGMA foreign_keys of three connections out of the pool at once."""
    conns = [db.engine.connect() for _ in range(3)]
    try:
        return [c.exec_driver_sql("PRAGMA foreign_keys").scalar() for c in conns]
    finally:
        for c in conns:
            c.close()


def _count(db) -> int:
    with db.engine.connect() as conn:
        return conn.scalar(text("SELECT count(*) FROM threat_reports"))


@pytest.mark.engines("sqlite")
def test_per_row_checks_back_on_after_import_cancel_and_failure(sample_db, write_file,
                                                                monkeypatch):
    db = sample_db
    import_reports(db, write_file("a.csv", _csv(_rows(50, "A"))))
    assert _checks_on(db) == [1, 1, 1]
    monkeypatch.setattr(importer_module, "WRITE_CHUNK", 10)
    stages: list[str] = []
    with pytest.raises(ImportCancelled):  # while writing
        import_reports(db, write_file("b.csv", _csv(_rows(50, "B"))),
                       progress=lambda _p, stage: stages.append(stage),
                       cancelled=lambda: stages.count("Zapisywanie zgłoszeń") >= 2)
    assert _checks_on(db) == [1, 1, 1]

    def broken(*_args):
        raise RuntimeError("zapis przerwany")

    monkeypatch.setattr(bulk, "recreate_indexes", broken)
    with pytest.raises(RuntimeError):
        import_reports(db, write_file("c.csv", _csv(_rows(50, "C"))))
    assert _checks_on(db) == [1, 1, 1]
    with db.session() as s:  # and they work: a report of a status that does not exist
        report = s.scalars(select(ThreatReport)).first()
        assert report is not None
        with pytest.raises(Exception, match="FOREIGN KEY"):
            s.execute(text("UPDATE threat_reports SET status_id = 999999 WHERE id = :i"),
                      {"i": report.id})
    assert _count(db) == 2000 + 50


@pytest.mark.engines("sqlite")
def test_write_session_pauses_only_when_every_key_is_written(empty_db):
    inside = []
    with parents.write_session(empty_db, bulk.TABLE, bulk.COLUMNS) as s:
        inside.append(s.connection().exec_driver_sql("PRAGMA foreign_keys").scalar())
    with parents.write_session(empty_db, bulk.TABLE, ("source_id", "category_id")) as s:
        inside.append(s.connection().exec_driver_sql("PRAGMA foreign_keys").scalar())
        assert not parents.checks_paused(s.connection())
    assert inside == [0, 1]
    with pytest.raises(RuntimeError), \
            parents.write_session(empty_db, bulk.TABLE, bulk.COLUMNS) as s:
        s.add(ThreatCategory(name="X", sort_order=99))
        s.flush()
        raise RuntimeError("przerwane")
    with empty_db.session() as s:  # rolled back, checks on again
        assert s.scalar(select(ThreatCategory.id).where(ThreatCategory.name == "X")) is None
    assert _checks_on(empty_db) == [1, 1, 1]


def test_missing_beat_refuses_the_whole_import(sample_db, write_file, monkeypatch):
    """A beat that does not exist (deleted between the assignment and the write): the write
    fails as the per-row check failed before, nothing is written, indexes and counts stay."""
    db = sample_db
    before = _indexes(db)

    def nowhere(lon, _lat, _boundaries, _ids):
        return np.full(len(lon), 10 ** 6, dtype=np.int64)

    monkeypatch.setattr(importer_module, "assign_points_to_beats", nowhere)
    with pytest.raises(ImportFileError, match="nic nie zapisano"):
        import_reports(db, write_file("a.csv", _csv(_rows(300, "M"))))
    assert _count(db) == 2000
    assert _indexes(db) == before
    assert_counts_current(db)
    if db.engine.dialect.name == "sqlite":
        assert _checks_on(db) == [1, 1, 1]


def test_status_deleted_before_the_write_refuses_it(empty_db, write_file):
    from desktop.threats.mapping import guess_mapping
    from desktop.threats.readers import read_table

    db = empty_db
    table = read_table(write_file("a.csv", _csv(_rows(40, "S"))))
    dicts = importer_module._load_dictionaries(db)
    prep = importer_module.prepare_import(table, guess_mapping(table.columns), dicts)
    with db.session() as s, s.begin():
        s.execute(text("DELETE FROM threat_statuses WHERE name = 'Nowe'"))
    with pytest.raises(ImportFileError, match="nic nie zapisano"):
        importer_module.write_import(db, prep, dicts)
    assert _count(db) == 0
    assert_counts_current(db)


def test_check_parents_names_the_missing_one(sample_db):
    with sample_db.session() as s, s.begin():
        conn = s.connection()
        status = s.scalar(select(ThreatStatus.id))
        values = {"category_id": [s.scalar(select(ThreatCategory.id))], "status_id": [status],
                  "beat_id": [None]}
        parents.check_parents(conn, bulk.TABLE, values)  # all there: nothing raised
    with parents.write_session(sample_db, bulk.TABLE, bulk.COLUMNS) as s:
        conn = s.connection()
        if sample_db.engine.dialect.name == "sqlite":
            assert parents.checks_paused(conn)
            with pytest.raises(Exception, match="threat_reports.beat_id = 424242"):
                parents.check_parents(conn, bulk.TABLE, {**values, "beat_id": [None, 424242]})
        else:  # PostgreSQL checks every row itself: nothing to do here
            parents.check_parents(conn, bulk.TABLE, {**values, "beat_id": [424242]})


def test_constant_columns_as_literals_equal_bound_values(empty_db):
    """A batch whose columns hold one value each (written as SQL literals on SQLite) stores
    exactly what the same rows bound one by one store, quotes and 1 == 1.0 == True included."""
    with empty_db.session() as s:
        category = s.scalar(select(ThreatCategory.id))
        status = s.scalar(select(ThreatStatus.id))
    now = dt.datetime(2026, 12, 1, 22, 30, 0, 123456)
    times = np.array(["2018-03-05T10:00:00"] * 4, dtype="datetime64[us]")

    def columns(prefix: str, description: list) -> list[list]:
        return [[f"{prefix}{i}" for i in range(4)], [category] * 4, [status] * 4, times,
                np.array(["2018-03-05"] * 4, dtype="datetime64[D]"), ["O'Brien'); --"] * 4,
                np.array(["NaT"] * 4, dtype="datetime64[us]"), [52.2] * 4, [18.3] * 4,
                [""] * 4, description, [None] * 4, [now] * 4, [now] * 4]

    cases = [["1", "1", "1", "1"], [1, 1.0, True, 1], [7, 7, 7, 7], ["ą\tb"] * 4,
             ["x" * 300] * 4]
    for k, description in enumerate(cases):
        with empty_db.session() as s, s.begin():
            bulk.insert_columns(s.connection(), columns(f"L{k}-", description))
            for i in range(4):  # one row per statement: every value bound
                bulk.insert_columns(s.connection(), [c[i:i + 1] for c in columns(
                    f"B{k}-", description)])
    names = [c for c in bulk.COLUMNS if c != "source_id"]
    with empty_db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT source_id, {', '.join(names)} FROM threat_reports").all()
        if conn.dialect.name == "sqlite":
            kinds = conn.exec_driver_sql(
                f"SELECT source_id, {', '.join(f'typeof({c})' for c in names)} "
                "FROM threat_reports").all()
            rows = [tuple(r) + tuple(k[1:]) for r, k in zip(rows, kinds)]
    stored = {r[0]: tuple(r[1:]) for r in rows}
    assert len(stored) == 8 * len(cases)
    for k in range(len(cases)):
        for i in range(4):
            assert stored[f"L{k}-{i}"] == stored[f"B{k}-{i}"], (k, i)
    assert stored["L0-0"][4] == "O'Brien'); --"


def test_literal_only_for_one_plain_value():
    assert bulk._literal(["a'b"] * 3) == "'a''b'"
    assert bulk._literal([None, None]) == "NULL"
    assert bulk._literal([5, 5]) == "5"
    for column in ([1, 1.0], [1, True], [1.5, 1.5], ["a", "b"], ["x" * 201] * 2, ["a\x00"] * 2,
                   ["\n"] * 2, [], np.array([1, 1]), [b"x", b"x"], [dt.date(2020, 1, 1)] * 2):
        assert bulk._literal(column) is None, column


def test_fixed_width_epoch_digits_equal_int():
    r = random.Random(4)
    for width in range(11, 19):
        values = [str(r.randrange(10 ** width)).zfill(width) for _ in range(300)]
        assert _epoch_ms(values).tolist() == [int(v) for v in values]
    odd = [
        ["12345678901", "1234567890"], ["123456789012", "12345678901\n"],
        ["1234567890123", "123456789012x"], ["1234567890123", "１２３４５６７８９０１２３"],
        ["1234567890123", 1234567890123], ["1234567890123", "123456789012", "12345678901234"],
        ["1234567890123", " 234567890123"], ["1234567890123\n1234567890123", "1"],
    ]
    for values in odd:  # every other shape: the general path's answer
        general = _general_epoch_ms(values)
        got = _epoch_ms(values)
        assert (got is None and general is None) or got.tolist() == general, values


def _general_epoch_ms(values: list) -> list[int] | None:
    """What the general path of _epoch_ms gives (digits only, at least 11, as int)."""
    if set(map(type, values)) <= {int, float}:
        return [int(v) for v in values]
    if not all(isinstance(v, str) for v in values):
        return None
    joined = "".join(values)
    if not joined.isdigit() or min(map(len, values)) < 11:
        return None
    return [int(v) for v in values]


def test_parse_numbers_of_strings_as_before():
    from desktop.threats.columns import _memo
    from desktop.threats.values import parse_number

    def before(values):  # the type of each value looked at first, as before this pass
        kinds = set(map(type, values))
        if values and bool not in kinds and type(None) not in kinds:
            try:
                arr = np.array(values, dtype=float)
            except (ValueError, TypeError):
                arr = None
            if arr is not None and np.isfinite(arr).all():
                return arr, [None] * len(values)
        parsed, errors = _memo(values, parse_number)
        return np.array([np.nan if p is None else p for p in parsed], dtype=float), errors

    for values in (["1.5", "2", "-3e2"], ["1,5", "2"], ["1.5", None], ["1.5", True],
                   ["nan", "1"], [], ["1", 2.5], [2.5, "1"], ["1_0", "2"], [" 7 ", "x"],
                   ["."], ["1.", "2."], [".5", ".7"], ["12", "1"], ["1.5", "15."],
                   ["1\n2", "3.4"], ["1.5", "2\n5"], ["1.5", "1,5"], ["1.5", "-1.5"],
                   ["1234567890123456", "1"], ["123.4", "1e3.4"], ["12.5", "1_25"]):
        got, errors = parse_numbers(values)
        want, want_errors = before(values)
        assert np.array_equal(got, want, equal_nan=True) and errors == want_errors, values


def test_clean_repeated_equals_clean_texts():
    r = random.Random(2)
    pieces = ["Nowe", " Nowe ", "Nowe\t", "Kradzież", "", "a" * 250, "ż\x00", "1"]
    columns = [[r.choice(pieces) for _ in range(400)] for _ in range(20)]
    columns += [[1, 1.0, True, "1"] * 50, [None] * 100, ["x"] * 100, [["a"], "b"] * 50,
                [str(i) for i in range(100)], [1.5, "1.5"] * 60, []]
    for column in columns:
        assert clean_repeated(column, 200) == clean_texts(column, 200), column[:8]
    assert clean_texts(["a b ", " c", "d"], 10) == ["a b", "c", "d"]  # the space shortcut
    assert clean_texts(["ab", "cd"], 10) == ["ab", "cd"]


def test_kmzb_import_as_before(sample_db, write_file):
    """A KMZB file through every shortcut: stored as the ORM reads them, counts current."""
    with sample_db.session() as s, s.begin():
        s.execute(text("DELETE FROM threat_reports"))
    rows = _rows(120, "K")
    result = import_reports(sample_db, write_file("k.csv", _csv(rows)))
    assert result.added == 120
    with sample_db.session() as s:
        got = s.execute(select(ThreatReport.source_id, ThreatReport.event_time,
                               ThreatReport.description, ThreatReport.teryt,
                               ThreatReport.created_at, ThreatReport.updated_at,
                               ThreatReport.reported_at)).all()
    assert len(got) == 120
    assert {(r.event_time, r.teryt) for r in got} == {("", "3062011")}
    assert len({(r.created_at, r.updated_at) for r in got}) == 1
    assert got[0].created_at == got[0].updated_at
    stored = {r.source_id: r.reported_at for r in got}
    assert stored["K-0"] == from_epoch_ms(MS_2018_03)
    assert stored["K-7"] == from_epoch_ms(rows[7][3])
    assert_counts_current(sample_db)


def _all_indexes(db) -> set[tuple[str, str]]:
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql(
                "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name IN ('threat_reports', 'report_counts')")
        else:
            rows = conn.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename IN ('threat_reports', 'report_counts')")
        return set(rows)


def test_count_indexes_as_before_after_import_and_failure(sample_db, write_file, monkeypatch):
    """The counts' covering index, dropped while the counts of a batch larger than the table
    are added, is back with its definition after an import and after a failure there."""
    db = sample_db
    before = _all_indexes(db)
    assert any(name == "ix_report_counts_cover" for name, _ in before)
    with db.session() as s, s.begin():
        s.execute(text("DELETE FROM threat_reports"))
    import_reports(db, write_file("a.csv", _csv(_rows(300, "A"))))
    assert _all_indexes(db) == before
    assert_counts_current(db)
    with db.session() as s, s.begin():
        s.execute(text("DELETE FROM threat_reports"))
    dropped: list[list[str]] = []
    real_drop = bulk.drop_indexes_for

    def drop(conn, inserts, table=bulk.TABLE):
        dropped.append(real_drop(conn, inserts, table))
        return dropped[-1]

    real_recreate = bulk.recreate_indexes

    def recreate(conn, statements):  # fails on the counts' index (on PostgreSQL: at once)
        if not statements or "report_counts" in " ".join(statements):
            raise RuntimeError("zapis przerwany")
        real_recreate(conn, statements)

    monkeypatch.setattr(bulk, "drop_indexes_for", drop)
    monkeypatch.setattr(bulk, "recreate_indexes", recreate)
    with pytest.raises(RuntimeError):
        import_reports(db, write_file("b.csv", _csv(_rows(300, "B"))))
    if db.engine.dialect.name == "sqlite":  # both tables' indexes were dropped, then restored
        assert len(dropped) == 2 and all(dropped)
        assert any("report_counts" in sql for sql in dropped[1])
    assert _all_indexes(db) == before
    assert _count(db) == 0
    assert_counts_current(db)


def test_counts_grouped_by_ranges_or_densely_equal_a_count_per_row():
    from collections import Counter

    r = random.Random(3)
    for big in (False, True):
        n = 3000
        times = np.array([MS_2018_03 + r.randrange(10 ** 11) for _ in range(n)],
                         dtype="datetime64[ms]")
        scale = 10 ** 15 if big else 1
        beats = [r.choice([0, 3, 7 * scale]) for _ in range(n)]
        categories = [r.choice([1, 2, 5 * scale]) for _ in range(n)]
        statuses = [r.choice([4, 9]) for _ in range(n)]
        months = [f"{t.astype('datetime64[M]')}-01" for t in times]
        want = Counter(zip(months, beats, categories, statuses))
        got = bulk._grouped(times, beats, categories, statuses)
        assert dict(zip(zip(*got[:4]), got[4])) == dict(want)
        assert list(zip(*got[:4])) == sorted(want)  # in the key order of report_counts


@pytest.mark.engines("sqlite")
def test_tables_written_beside_the_reports_have_no_foreign_keys(empty_db):
    """An import's transaction writes these too while the per-row checks are paused
    (desktop.threats.parents checks only threat_reports' keys): a key added to one of them
    would go unchecked, so this test asks for a look at parents.py first."""
    with empty_db.engine.connect() as conn:
        for table in ("threat_categories", "report_counts", "audit_log", "report_marker"):
            assert conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all() == [], \
                table


def test_fixed_width_decimals_equal_float_bit_for_bit():
    """KMZB's coordinates ("452592.67": one width, the point in one column) read as one
    digit matrix give exactly the doubles float() gives."""
    from desktop.threats.columns import _fixed_decimals

    r = random.Random(6)
    read = 0
    for _ in range(2000):
        width = r.randint(1, 17)
        point = r.randint(-1, width - 1)
        values = []
        for _ in range(r.randint(1, 40)):
            digits = "".join(r.choice("0123456789") for _ in range(width))
            values.append(digits if point < 0 else digits[:point] + "." + digits[point + 1:])
        got = _fixed_decimals(values)
        if got is None:
            assert width - (point >= 0) > 15 or width == 1 and point == 0
            continue
        read += 1
        want = np.array([float(v) for v in values])
        assert got.view(np.int64).tolist() == want.view(np.int64).tolist(), values
    assert read > 1500


UPDATED_ROWS = text("SELECT source_id, beat_id, status_id FROM threat_reports "
                    "WHERE source_id LIKE :p ORDER BY source_id")


def test_missing_beat_in_updated_reports_refuses_the_reimport(sample_db, write_file,
                                                              monkeypatch):
    db = sample_db
    import_reports(db, write_file("a.csv", _csv(_rows(60, "U"))))
    with db.engine.connect() as conn:
        before = conn.execute(UPDATED_ROWS, {"p": "U-%"}).all()

    def nowhere(lon, _lat, _boundaries, _ids):
        return np.full(len(lon), 10 ** 6, dtype=np.int64)

    monkeypatch.setattr(importer_module, "assign_points_to_beats", nowhere)
    changed = [(sid, cat, "Nowe", ms + 86_400_000, dx) for sid, cat, _s, ms, dx
               in _rows(60, "U")]
    with pytest.raises(ImportFileError, match="nic nie zapisano"):
        import_reports(db, write_file("b.csv", _csv(changed)))
    with db.engine.connect() as conn:
        assert conn.execute(UPDATED_ROWS, {"p": "U-%"}).all() == before
    assert _count(db) == 2060
    assert_counts_current(db)
