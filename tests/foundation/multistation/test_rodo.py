"""Personal data (RODO): one person's data exported, then erased with history kept."""
from __future__ import annotations

import csv
import json

from sqlalchemy import func, select

from db.models import Assignment, AuditEntry, Officer, Partner, PlanAction, Signature
from desktop.audit import rodo
from desktop.cli import main as cli_main


def _busy_officer(db):
    """An officer with assignments, edited once (so the audit log has old → new values)."""
    with db.session() as s, s.begin():
        officer_id = s.scalar(select(Assignment.officer_id).group_by(Assignment.officer_id)
                              .order_by(func.count().desc()).limit(1))
        o = s.get(Officer, officer_id)
        o.mobile = "600 111 222"
        name = f"{o.first_name} {o.last_name}"
        s.add(PlanAction(plan_id=1, description="Spotkanie", responsible=name))
        return officer_id, name, o.service_number


def test_officer_export_holds_everything_and_erasure_keeps_history(sample_db, tmp_path):
    officer_id, name, number = _busy_officer(sample_db)
    data = rodo.export_officer(sample_db, officer_id)
    assert data["dane"]["service_number"] == number and data["dane"]["mobile"] == "600 111 222"
    assert len(data["przydzialy"]) >= 1
    assert any(m["pole"] == "responsible" for m in data["wzmianki"])
    assert any((e["zmiany"].get("mobile") or [None, None])[1] == "600 111 222" for e in data["dziennik_zmian"])
    with sample_db.session() as s:
        assignments = s.scalar(select(func.count()).where(Assignment.officer_id == officer_id))

    result = rodo.erase_officer(sample_db, officer_id)

    assert result.records >= 2 and result.audit_entries >= 2
    with sample_db.session() as s:
        o = s.get(Officer, officer_id)
        assert (o.first_name, o.last_name, o.mobile, o.active) == (
            "Osoba", f"usunięta nr {officer_id}", "", False)
        assert number not in o.service_number
        # History not broken: the assignments stay, with the anonymised officer.
        assert s.scalar(select(func.count()).where(Assignment.officer_id == officer_id)) \
            == assignments
        assert s.scalar(select(func.count()).where(PlanAction.responsible == name)) == 0
        log = " ".join(f"{e.label} {e.changes}" for e in s.scalars(select(AuditEntry)))
    for secret in (name, number, "600 111 222"):
        assert secret not in log, secret
    assert rodo.REDACTED in log
    # The erasure itself is in the log, without the values.
    after = rodo.export_officer(sample_db, officer_id)
    assert name not in json.dumps(after, ensure_ascii=False)


def test_representative_export_and_erasure(sample_db, tmp_path):
    with sample_db.session() as s:
        sig = s.scalars(select(Signature).where(Signature.signatory != "")).first()
        partner_id, signatory = sig.partner_id, sig.signatory
        p = s.get(Partner, partner_id)
        representative, partner_name = p.representative, p.name
    with sample_db.session() as s, s.begin():
        s.get(Partner, partner_id).email = "jan.kowalski@gmina.example.pl"
    data = rodo.export_representative(sample_db, partner_id)
    out = tmp_path / "osoba.csv"
    rodo.write_export(data, out)
    with open(out, encoding="utf-8-sig", newline="") as f:
        cells = [c for row in csv.reader(f, delimiter=";") for c in row]
    assert signatory in cells and "jan.kowalski@gmina.example.pl" in cells

    rodo.erase_representative(sample_db, partner_id)

    with sample_db.session() as s:
        p = s.get(Partner, partner_id)
        assert p.name == partner_name and p.representative == "" and p.email == ""
        sigs = s.scalars(select(Signature).where(Signature.partner_id == partner_id)).all()
        assert sigs and all(x.signatory in ("", rodo.REDACTED) for x in sigs)
        assert all(x.status is not None for x in sigs)  # the signing history stays
        log = " ".join(f"{e.label} {e.changes}" for e in s.scalars(
            select(AuditEntry).where(AuditEntry.table_name.in_(["partners", "signatures"]))))
    assert "jan.kowalski@gmina.example.pl" not in log
    assert signatory not in log and (not representative or representative not in log)


def test_cli_rodo_export_and_erase(sample_db, tmp_path, capsys):
    with sample_db.session() as s:
        number = s.scalar(select(Officer.service_number).limit(1))
    out = tmp_path / "osoba.json"
    assert cli_main(["rodo", "export", "--officer", number, "--out", str(out),
                     "--database", sample_db.url]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["dane"]["service_number"] == number
    assert cli_main(["rodo", "erase", "--officer", number, "--yes",
                     "--database", sample_db.url]) == 0
    assert cli_main(["rodo", "erase", "--officer", number, "--yes",
                     "--database", sample_db.url]) == 2
    assert "Nie ma policjanta" in capsys.readouterr().err
    assert cli_main(["rodo", "export", "--partner", "99999", "--out", str(out),
                     "--database", sample_db.url]) == 2
