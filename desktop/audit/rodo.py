"""Personal data on request (RODO/GDPR): everything stored about one person, and its erasure.

Two kinds of persons are stored: officers (the roster) and partners' representatives (the
partner register and the signatures of agreements). Erasure anonymises, it does not delete:
assignments, plans and signatures stay (history is not broken) but point to an anonymised
officer or carry no name; free-text mentions of the name and every audit entry about the
person have the personal values replaced. The erasure itself is audited without the values.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, or_, select, update

from db.audit import AUDIT_TABLE, REDACT, REDACTED, plain
from db.engine import Database
from db.models import (
    Agreement,
    Assignment,
    AuditEntry,
    Officer,
    Partner,
    PlanAction,
    PriorityPlan,
    Signature,
)
from desktop.common import csvsafe

OFFICER_FIELDS = ("first_name", "last_name", "service_number", "phone", "mobile", "email")
REPRESENTATIVE_FIELDS = ("representative", "representative_function", "phone", "email")
SIGNATORY_FIELDS = ("signatory", "signatory_function")


class PersonNotFound(LookupError):
    """No such officer or partner; the text is Polish."""


@dataclass(frozen=True)
class ErasureResult:
    records: int  # domain rows anonymised
    audit_entries: int  # audit entries with personal values replaced


def _columns(obj: Any) -> dict[str, Any]:
    return {c.key: plain(getattr(obj, c.key)) for c in obj.__mapper__.column_attrs}


def _audit(conn: Connection, table: str, record_id: str, needles: list[str]) -> list[AuditEntry]:
    conds: list[Any] = [(AuditEntry.table_name == table) & (AuditEntry.record_id == record_id)]
    for n in needles:
        pattern = "%" + n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conds += [AuditEntry.label.like(pattern, escape="\\"),
                  AuditEntry.changes.like(pattern, escape="\\")]
    rows = conn.execute(select(AUDIT_TABLE).where(or_(*conds))
                        .order_by(AuditEntry.id)).all()
    return [AuditEntry(**dict(r._mapping)) for r in rows]


def _audit_export(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    return [{"czas": plain(e.at), "uzytkownik": e.os_user, "stanowisko": e.workstation,
             "operacja": e.action, "tabela": e.table_name, "rekord": e.record_id,
             "opis": e.label, "zmiany": json.loads(e.changes or "{}")} for e in entries]


def _needles(*values: str) -> list[str]:
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 3})


def _officer(s, officer_id: int) -> Officer:
    officer = s.get(Officer, officer_id)
    if officer is None:
        raise PersonNotFound(f"Nie ma policjanta o identyfikatorze {officer_id}.")
    return officer


def find_officer(db: Database, service_number: str) -> int:
    with db.session() as s:
        found = s.scalar(select(Officer.id).where(Officer.service_number == service_number))
    if found is None:
        raise PersonNotFound(f"Nie ma policjanta o numerze służbowym {service_number!r}.")
    return found


def _officer_needles(o: Officer) -> list[str]:
    return _needles(f"{o.first_name} {o.last_name}", f"{o.last_name} {o.first_name}",
                    o.service_number, o.email, o.mobile, o.phone)


def _mentions(s, needles: list[str]) -> list[tuple[Any, str]]:
    """Free-text fields naming the person: (object, attribute)."""
    found: list[tuple[Any, str]] = []
    for model, attrs in ((PlanAction, ("responsible",)),
                         (Agreement, ("police_coordinator", "partners_coordinator")),
                         (Assignment, ("note",)), (PriorityPlan, ("problem", "goal"))):
        for obj in s.scalars(select(model)):
            for attr in attrs:
                value = getattr(obj, attr) or ""
                if any(n in value for n in needles):
                    found.append((obj, attr))
    return found


def export_officer(db: Database, officer_id: int) -> dict[str, Any]:
    """Everything stored about one officer."""
    with db.session() as s:
        o = _officer(s, officer_id)
        needles = _officer_needles(o)
        assignments = s.scalars(select(Assignment).where(Assignment.officer_id == o.id)
                                .order_by(Assignment.valid_from)).all()
        plans = s.scalars(select(PriorityPlan).where(PriorityPlan.officer_id == o.id)).all()
        mentions = [{"tabela": obj.__tablename__, "id": obj.id, "pole": attr,
                     "tekst": getattr(obj, attr)} for obj, attr in _mentions(s, needles)]
        entries = _audit(s.connection(), "officers", str(o.id), needles)
        return {"osoba": "policjant", "dane": _columns(o),
                "przydzialy": [_columns(a) for a in assignments],
                "plany_priorytetowe": [_columns(p) for p in plans],
                "wzmianki": mentions, "dziennik_zmian": _audit_export(entries)}


def export_representative(db: Database, partner_id: int) -> dict[str, Any]:
    """Everything stored about a partner's representative (and the signatories of its
    agreements, usually the same person)."""
    with db.session() as s:
        p = s.get(Partner, partner_id)
        if p is None:
            raise PersonNotFound(f"Nie ma partnera o identyfikatorze {partner_id}.")
        signatures = s.scalars(select(Signature).where(Signature.partner_id == p.id)).all()
        needles = _needles(p.representative, p.email, p.phone,
                           *[sig.signatory for sig in signatures])
        entries = _audit(s.connection(), "partners", str(p.id), needles)
        return {"osoba": "przedstawiciel partnera", "partner": p.name,
                "dane": {k: getattr(p, k) for k in REPRESENTATIVE_FIELDS},
                "podpisy": [{"id": sig.id, "porozumienie": sig.agreement_id,
                             **{k: getattr(sig, k) for k in SIGNATORY_FIELDS},
                             "data": plain(sig.signed_on)} for sig in signatures],
                "wzmianki": [{"tabela": obj.__tablename__, "id": obj.id, "pole": attr,
                              "tekst": getattr(obj, attr)}
                             for obj, attr in _mentions(s, needles)],
                "dziennik_zmian": _audit_export(entries)}


def write_export(data: dict[str, Any], path: str | Path) -> None:
    """JSON for ``.json``, otherwise CSV (section; field; value) with formula-safe cells."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str),
                        encoding="utf-8")
        return
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csvsafe.writer(f, delimiter=";")  # no cell is run as a formula
        w.writerow(["Sekcja", "Nr", "Pole", "Wartość"])
        for section, value in data.items():
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items, 1):
                if isinstance(item, dict):
                    for key, v in item.items():
                        text = json.dumps(v, ensure_ascii=False) if isinstance(
                            v, (dict, list)) else "" if v is None else str(v)
                        w.writerow([section, i, key, text])
                else:
                    w.writerow([section, i, "", str(item)])


def _scrub(value: Any, needles: list[str], fields: tuple[str, ...], key: str = "") -> Any:
    if key in fields and isinstance(value, list):  # [old, new] of a personal field
        return [v if v in (None, "") else REDACTED for v in value]
    if key in fields and value not in (None, ""):
        return REDACTED
    if isinstance(value, str):
        for n in needles:
            value = value.replace(n, REDACTED)
        return value
    if isinstance(value, list):
        return [_scrub(v, needles, fields) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, needles, fields, k) for k, v in value.items()}
    return value


def _scrub_audit(conn: Connection, table: str, record_id: str, needles: list[str],
                 fields: tuple[str, ...]) -> int:
    entries = _audit(conn, table, record_id, needles)
    t = AUDIT_TABLE
    for e in entries:
        own = e.table_name == table and e.record_id == record_id
        changes = json.loads(e.changes or "{}")
        changes = _scrub(changes, needles, fields if own else ())
        label = REDACTED if own else _scrub(e.label, needles, ())
        conn.execute(update(t).where(t.c.id == e.id).values(
            changes=json.dumps(changes, ensure_ascii=False), label=label))
    return len(entries)


def _scrub_mentions(s, needles: list[str]) -> int:
    mentions = _mentions(s, needles)
    for obj, attr in mentions:
        setattr(obj, attr, _scrub(getattr(obj, attr), needles, ()))
    return len(mentions)


def erase_officer(db: Database, officer_id: int) -> ErasureResult:
    """Anonymise one officer; their assignments and plans stay with the anonymised record."""
    with db.session() as s, s.begin():
        s.info[REDACT] = True
        o = _officer(s, officer_id)
        needles = _officer_needles(o)
        o.first_name, o.last_name = "Osoba", f"usunięta nr {o.id}"
        o.service_number = f"USUNIĘTY-{o.id}"
        o.phone = o.mobile = o.email = ""
        o.active = False
        records = 1 + _scrub_mentions(s, needles)
        s.flush()
        entries = _scrub_audit(s.connection(), "officers", str(o.id), needles, OFFICER_FIELDS)
    return ErasureResult(records, entries)


def erase_representative(db: Database, partner_id: int) -> ErasureResult:
    """Remove a partner's representative (name, function, contact) and their signatures'
    names; the partner, its agreements and signature history stay."""
    with db.session() as s, s.begin():
        s.info[REDACT] = True
        p = s.get(Partner, partner_id)
        if p is None:
            raise PersonNotFound(f"Nie ma partnera o identyfikatorze {partner_id}.")
        signatures = s.scalars(select(Signature).where(Signature.partner_id == p.id)).all()
        needles = _needles(p.representative, p.email, p.phone,
                           *[sig.signatory for sig in signatures])
        for key in REPRESENTATIVE_FIELDS:
            setattr(p, key, "")
        for sig in signatures:
            sig.signatory = REDACTED if sig.signatory else ""
            sig.signatory_function = ""
        records = 1 + len(signatures) + _scrub_mentions(s, needles)
        s.flush()
        conn = s.connection()
        entries = _scrub_audit(conn, "partners", str(p.id), needles, REPRESENTATIVE_FIELDS)
        for sig in signatures:
            entries += _scrub_audit(conn, "signatures", str(sig.id), [], SIGNATORY_FIELDS)
    return ErasureResult(records, entries)
