"""Street register in the database: CSV import (good and broken), lookup, sample data."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import AssignmentRole, StreetRange
from desktop.beats import assignments as svc
from desktop.beats.register import (
    RegisterError,
    find_officer,
    find_officer_at,
    find_officer_text,
    import_csv,
    register_lines,
)
from desktop.beats.streets import find_overlaps

GOOD = """jednostka;rejon;miejscowosc;ulica;strona;od;do
KMP Konin;1;Ślesin;Aleje 1 Maja;wszystkie;1;40
KMP Konin;2;Ślesin;Aleje 1 Maja;wszystkie;41;
KMP Konin;2;Ślesin;ul. Kolejowa;parzyste;;
KMP Konin;1;Ślesin;ul. Kolejowa;nieparzyste;;
KMP Konin;2;Żychlin;;;;
"""


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(StreetRange))


def test_import_and_find_officer_with_contacts(world, tmp_path):
    svc.assign(world.db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER,
               dt.date(2018, 1, 1))
    svc.assign(world.db, world.beat1, world.traffic_x, AssignmentRole.TRAFFIC,
               dt.date(2018, 1, 1))
    path = tmp_path / "ulice.csv"
    path.write_text(GOOD, encoding="utf-8")
    summary = import_csv(world.db, path)
    assert (summary.beats, summary.lines) == (2, 5)
    found = find_officer(world.db, "Slesin", "al. 1 Maja", "9")
    assert len(found) == 1 and found[0].beat_id == world.beat1
    r = found[0]
    assert r.beat_officer.name == "st. asp. Anna Łęcka" and r.beat_officer.mobile
    assert r.traffic.name == "st. asp. Xawery Ruch"
    assert r.matched == "Aleje 1 Maja (od 1 do 40)"
    assert find_officer(world.db, "Ślesin", "Kolejowa", "12")[0].beat_id == world.beat2
    assert find_officer(world.db, "Ślesin", "Kolejowa", "13")[0].beat_id == world.beat1
    assert find_officer_text(world.db, "Żychlin, ul. Polna 3")[0].beat_id == world.beat2
    assert find_officer(world.db, "Ślesin", "ul. Nieznana", "1") == []
    with pytest.raises(RegisterError, match="numerem domu"):
        find_officer(world.db, "Ślesin", "Kolejowa", "abc")
    assert find_overlaps(register_lines(world.db)) == []
    # a second import of the same beats replaces their lines
    path.write_text("rejon;miejscowosc\n1;Ślesin\n", encoding="utf-8")
    import_csv(world.db, path)
    assert _count(world.db) == 4  # beat 1: one line, beat 2 untouched: three lines


def test_import_windows_1250_and_comma_separated(world, tmp_path):
    path = tmp_path / "ulice.csv"
    path.write_bytes("rejon,miejscowosc,ulica,strona\n1,Ślesin,ul. Łąkowa,nieparzyste\n"
                     .encode("cp1250"))
    assert import_csv(world.db, path).lines == 1
    assert register_lines(world.db)[0].street == "ul. Łąkowa"


@pytest.mark.parametrize("content, message", [
    ("", "pusty"),
    ("nazwa;adres\nx;y\n", "Brak kolumn"),
    ("rejon;miejscowosc\n99;Ślesin\n", "nie ma rejonu nr „99”"),
    ("rejon;miejscowosc;ulica;strona\n1;Ślesin;Kolejowa;boczne\n", "strona „boczne”"),
    ("rejon;miejscowosc;ulica;od;do\n1;Ślesin;Kolejowa;20;10\n", "mniejszy"),
    ("rejon;miejscowosc;ulica;od\n1;Ślesin;Kolejowa;12a\n", "nie jest numerem domu"),
    ("rejon;miejscowosc;ulica\n1;;Kolejowa\n", "brak miejscowości"),
    ("rejon;miejscowosc;ulica;strona\n1;Ślesin;;parzyste\n", "bez ulicy"),
    ("rejon;miejscowosc\n", "żadnych wierszy"),
])
def test_broken_files_save_nothing(world, tmp_path, content, message):
    path = tmp_path / "ulice.csv"
    path.write_text("rejon;miejscowosc\n2;Żychlin\n", encoding="utf-8")
    import_csv(world.db, path)
    if content.count("\n") > 1:  # good lines before the bad one must not be saved either
        head, rest = content.split("\n", 1)
        good = ";".join(["1", "Ślesin"] + [""] * (head.count(";") - 1))
        content = f"{head}\n{good}\n{rest}" if head.startswith("rejon;miejscowosc") else content
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RegisterError, match=message):
        import_csv(world.db, path)
    assert [(x.beat_id, x.locality) for x in register_lines(world.db)] == [(world.beat2,
                                                                            "Żychlin")]


def test_binary_file_is_refused(world, tmp_path):
    path = tmp_path / "ulice.csv"
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10)
    with pytest.raises(RegisterError):
        import_csv(world.db, path)


def test_sample_register_and_point_lookup(sample_db):
    lines = register_lines(sample_db)
    assert len(lines) > 30
    assert find_overlaps(lines) == []
    found = find_officer(sample_db, "Konin", "al. 1 Maja", "9")
    assert len(found) == 1 and found[0].beat_officer is not None
    assert found[0].traffic is not None
    other = find_officer(sample_db, "Konin", "Aleje 1 Maja", "41")
    assert other[0].beat_id != found[0].beat_id
    village = find_officer(sample_db, "Kramsk", "", "")
    assert village and village[0].beat.startswith("1. Gmina Kramsk") or \
        "Gmina Kramsk" in village[0].beat
    # Konin city centre is inside a city beat; a point in the Baltic is in no beat
    hit = find_officer_at(sample_db, 18.25, 52.22)
    assert hit is not None and "Konin" in hit.beat
    assert find_officer_at(sample_db, 18.0, 55.0) is None
    with pytest.raises(RegisterError, match="zakresem"):
        find_officer_at(sample_db, 18.0, 95.0)


def test_export_round_trips_through_import(sample_db, tmp_path):
    from desktop.beats.register import export_csv

    before = sorted((x.beat_id, x.locality, x.street, x.side, x.number_from, x.number_to)
                    for x in register_lines(sample_db))
    path = tmp_path / "rejestr.csv"
    assert export_csv(sample_db, path) == len(before)
    text = path.read_text(encoding="utf-8-sig")
    assert text.startswith("jednostka;rejon;miejscowosc;ulica;strona;od;do")
    assert "KMP Konin;1;Konin;Aleje 1 Maja;wszystkie;1;40" in text
    import_csv(sample_db, path)
    after = sorted((x.beat_id, x.locality, x.street, x.side, x.number_from, x.number_to)
                   for x in register_lines(sample_db))
    assert after == before
    with pytest.raises(RegisterError, match="Nie można zapisać"):
        export_csv(sample_db, tmp_path / "brak" / "x.csv")


def test_cancel_saves_nothing_and_limits_refuse_big_files(world, tmp_path, monkeypatch):
    from desktop.beats import register
    from desktop.beats.register import RegisterCancelled

    path = tmp_path / "ulice.csv"
    path.write_text("rejon;miejscowosc\n2;Żychlin\n", encoding="utf-8")
    import_csv(world.db, path)
    rows = "".join(f"1;Ślesin;ul. Długa {i};wszystkie;;\n" for i in range(3000))
    path.write_text("rejon;miejscowosc;ulica;strona;od;do\n" + rows, encoding="utf-8")
    asked: list[int] = []
    seen: list[int] = []

    def cancel_third_time() -> bool:
        asked.append(1)
        return len(asked) >= 3

    with pytest.raises(RegisterCancelled):
        import_csv(world.db, path, seen.append, cancel_third_time)
    assert seen and max(seen) < 100  # stopped while reading rows, with progress on the way
    assert [(x.beat_id, x.locality) for x in register_lines(world.db)] == [(world.beat2,
                                                                            "Żychlin")]
    writing: list[int] = []  # a cancel while the lines are being written saves nothing too
    big = tmp_path / "duze.csv"
    big.write_text("rejon;miejscowosc;ulica;strona;od;do\n" + rows * 4, encoding="utf-8")
    with pytest.raises(RegisterCancelled):
        import_csv(world.db, big, lambda pct: pct >= 90 and writing.append(pct),
                   lambda: len(writing) >= 1)
    assert writing and _count(world.db) == 1
    done: list[int] = []
    assert import_csv(world.db, path, done.append, lambda: False).lines == 3000
    assert done[-1] == 100 and done == sorted(done)
    monkeypatch.setattr(register, "MAX_STREET_ROWS", 100)
    with pytest.raises(RegisterError, match="najwyżej 100 wierszy"):
        import_csv(world.db, path)
    monkeypatch.setattr(register, "MAX_STREET_FILE_BYTES", 1000)
    with pytest.raises(RegisterError, match="za duży"):
        import_csv(world.db, path)
    assert _count(world.db) == 3000 + 1  # the refused files changed nothing


def test_address_list_check_cancels_and_keeps_limits(world, tmp_path, monkeypatch):
    from desktop.beats import register
    from desktop.beats.register import RegisterCancelled, check_address_file

    path = tmp_path / "adresy.txt"
    path.write_text("".join(f"Ślesin, Kolejowa {i}\n" for i in range(1, 3001)), "utf-8")
    seen: list[int] = []
    assert len(check_address_file(world.db, path, "Ślesin", seen.append)) == 3000
    assert seen == [33, 66, 99]  # after every 1,000 addresses
    with pytest.raises(RegisterCancelled):
        check_address_file(world.db, path, "Ślesin", cancelled=lambda: True)
    monkeypatch.setattr(register, "MAX_STREET_ROWS", 100)
    with pytest.raises(RegisterError, match="najwyżej 100 wierszy"):
        check_address_file(world.db, path)
