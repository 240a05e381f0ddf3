"""Audit log: every insert, update and delete stored with user, workstation, time and the
changed fields, in the same transaction; filters and CSV export."""
from __future__ import annotations

import csv
import datetime as dt
import getpass
import json
import socket

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Officer, OfficerRole, ThreatReport
from desktop.audit.log import AuditFilter, list_entries, write_csv
from desktop.cli import main as cli_main
from desktop.threats.importer import import_reports


def _officer(**kw):
    data = dict(first_name="Anna", last_name="Wiśniewska", service_number="T-1",
                role=OfficerRole.BEAT_OFFICER)
    data.update(kw)
    return Officer(**data)


def _audit_count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def test_insert_update_delete_are_logged_with_who_where_and_fields(any_db):
    db = any_db
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    with db.session() as s, s.begin():
        s.add(_officer())
    with db.session() as s, s.begin():
        o = s.scalar(select(Officer).where(Officer.service_number == "T-1"))
        o.last_name, o.mobile = "Nowak", "600 100 200"
        officer_id = o.id
    with db.session() as s, s.begin():
        s.delete(s.get(Officer, officer_id))

    rows = list_entries(db, AuditFilter(table="officers", record=str(officer_id)))
    assert [r.action for r in rows] == ["delete", "update", "insert"]
    deleted, updated, inserted = rows
    for r in rows:
        assert r.os_user == getpass.getuser() and r.workstation == socket.gethostname()
        assert r.at >= before
    assert inserted.changes["last_name"] == [None, "Wiśniewska"]
    assert updated.changes == {"last_name": ["Wiśniewska", "Nowak"],
                               "mobile": ["", "600 100 200"]}
    assert updated.changes_text() == "last_name: Wiśniewska → Nowak; mobile:  → 600 100 200"
    assert deleted.changes["service_number"] == ["T-1", None]
    assert deleted.label == "Anna Nowak"


def test_a_rolled_back_change_leaves_no_audit_entry(any_db):
    count = _audit_count(any_db)
    with pytest.raises(RuntimeError), any_db.session() as s, s.begin():
        s.add(_officer(service_number="T-2"))
        s.flush()
        raise RuntimeError("rezygnacja")
    assert _audit_count(any_db) == count


def test_bulk_import_is_one_entry_per_statement_with_its_count(any_db, tmp_path):
    csv_path = tmp_path / "kmzb.csv"
    lines = ["Id;Typ;Status;Data;Lat;Lon"] + [
        f"X{i};Akty wandalizmu;Potwierdzone;2018-06-{1 + i % 28:02d} 10:00;"
        f"52.22{i % 10};18.25{i % 7}" for i in range(40)]
    csv_path.write_text("\n".join(lines), encoding="utf-8")
    count = _audit_count(any_db)
    result = import_reports(any_db, csv_path)
    assert result.added == 40, result.refusals[:3]
    entries = [r for r in list_entries(any_db) if r.id > 0][: _audit_count(any_db) - count]
    bulk = [r for r in entries if r.table_name == "threat_reports"]
    assert sum(r.row_count for r in bulk) == 40 and all(r.action == "insert" for r in bulk)
    assert "source_id" in bulk[0].changes["columns"]


def test_bulk_delete_logs_each_removed_row(any_db):
    from sqlalchemy import delete

    with any_db.session() as s:
        ids = s.scalars(select(ThreatReport.id).order_by(ThreatReport.id).limit(3)).all()
    with any_db.session() as s, s.begin():
        s.execute(delete(ThreatReport).where(ThreatReport.id.in_(ids)))
    rows = list_entries(any_db, AuditFilter(table="threat_reports", action="delete"))
    assert sorted(int(r.record_id) for r in rows) == sorted(ids)
    assert all("reported_at" in r.changes for r in rows)


def test_filters_and_csv_never_start_a_formula(empty_db, tmp_path):
    with empty_db.session() as s, s.begin():
        s.add(_officer(first_name="=HYPERLINK(\"x\")", last_name="@SUM", service_number="-1"))
    rows = list_entries(empty_db, AuditFilter(table="officers"))
    assert len(rows) == 1
    assert list_entries(empty_db, AuditFilter(who="nikt-taki")) == []
    assert list_entries(empty_db, AuditFilter(record="HYPERLINK")) == rows
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert list_entries(empty_db, AuditFilter(date_from=tomorrow)) == []
    out = tmp_path / "audyt.csv"
    write_csv(out, rows)
    with open(out, encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert table[0][0] == "Czas (UTC)"
    for cell in table[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert table[1][7] == "'=HYPERLINK(\"x\") @SUM"


def test_cli_audit_writes_the_period(empty_db, tmp_path, capsys):
    with empty_db.session() as s, s.begin():
        s.add(_officer())
    out = tmp_path / "a.csv"
    today = dt.date.today()
    code = cli_main(["audit", "--from", (today - dt.timedelta(days=1)).isoformat(),
                     "--to", (today + dt.timedelta(days=1)).isoformat(), "--csv", str(out),
                     "--database", empty_db.url])
    assert code == 0
    text = out.read_text(encoding="utf-8-sig")
    assert "Wiśniewska" in text and "policjant" in text
    assert "wpisów dziennika" in capsys.readouterr().out
    empty = tmp_path / "b.csv"
    assert cli_main(["audit", "--from", "2001-01-01", "--to", "2001-01-02", "--csv", str(empty),
                     "--database", empty_db.url]) == 0
    assert len(empty.read_text(encoding="utf-8-sig").splitlines()) == 1
    assert cli_main(["audit", "--from", "2001-01-02", "--to", "2001-01-01", "--csv",
                     str(empty), "--database", empty_db.url]) == 2


def test_changes_are_valid_json_even_for_long_geometry(sample_db):
    from db.models import Beat

    with sample_db.session() as s, s.begin():
        beat = s.scalar(select(Beat).limit(1))
        beat.boundary = json.dumps({"type": "Polygon", "coordinates": [[[18.0, 52.0]] * 500]})
    row = list_entries(sample_db, AuditFilter(table="beats", action="update"))[0]
    old, new = row.changes["boundary"]
    assert new.endswith("znaków)") and len(new) < 400
