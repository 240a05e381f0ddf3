"""Partner register: reading, saving, soft removal and restoring (Qt-free).

One short session per call; every write is a single transaction. Results are plain
frozen dataclasses, so widgets never hold ORM objects or sessions.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Agreement, Gmina, Partner, PartnerType, Signature, SignatureStatus
from desktop.common.text import polish_sort_key
from desktop.partners.agreements import NEWEST_FIRST
from desktop.partners.validation import FieldError, duplicate_key, validate_fields


class PartnerValidationError(ValueError):
    """Raised with the list of Polish field errors; nothing was saved."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


class PartnerNotFound(LookupError):
    pass


@dataclass(frozen=True)
class PartnerData:
    """The editable fields of a partner."""

    name: str
    partner_type: PartnerType
    gmina_id: int | None = None
    address: str = ""
    postal_code: str = ""
    city: str = ""
    representative: str = ""
    representative_function: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""

    def cleaned(self) -> PartnerData:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for key, value in values.items():
            if type(value) is str:  # not the str-based enums
                values[key] = value.strip()
        return PartnerData(**values)


@dataclass(frozen=True)
class PartnerRow:
    """A partner as the register shows it (with gmina name and signature status)."""

    id: int
    data: PartnerData
    gmina: str
    signature_status: SignatureStatus | None  # on the most recent agreement (NEWEST_FIRST)
    deleted_at: dt.datetime | None

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def partner_type(self) -> PartnerType:
        return self.data.partner_type


@dataclass(frozen=True)
class GminaChoice:
    id: int
    name: str


def _data_of(p: Partner) -> PartnerData:
    """The editable fields, read by name (PartnerData's attributes are model columns)."""
    return PartnerData(**{f.name: getattr(p, f.name) for f in fields(PartnerData)})


def _latest_statuses(s: Session) -> dict[int, SignatureStatus]:
    latest = s.scalar(select(Agreement.id).order_by(*NEWEST_FIRST).limit(1))
    if latest is None:
        return {}
    return dict(s.execute(select(Signature.partner_id, Signature.status)
                          .where(Signature.agreement_id == latest)).all())


def _row(p: Partner, statuses: dict[int, SignatureStatus]) -> PartnerRow:
    return PartnerRow(p.id, _data_of(p), p.gmina.name if p.gmina else "",
                      statuses.get(p.id), p.deleted_at)


def sort_rows(rows: list[PartnerRow]) -> list[PartnerRow]:
    """Polish alphabetical order of names (Ł after L, Ś after S, Ż last)."""
    return sorted(rows, key=lambda r: (polish_sort_key(r.name), r.id))


def list_partners(db: Database, include_deleted: bool = False) -> list[PartnerRow]:
    with db.session() as s:
        statuses = _latest_statuses(s)
        q = select(Partner)
        if not include_deleted:
            q = q.where(Partner.deleted_at.is_(None))
        return sort_rows([_row(p, statuses) for p in s.scalars(q)])


def get_partner(db: Database, partner_id: int) -> PartnerRow:
    with db.session() as s:
        p = s.get(Partner, partner_id)
        if p is None:
            raise PartnerNotFound(f"Nie ma partnera o numerze {partner_id}.")
        return _row(p, _latest_statuses(s))


def list_gminas(db: Database) -> list[GminaChoice]:
    with db.session() as s:
        rows = [GminaChoice(i, n) for i, n in s.execute(select(Gmina.id, Gmina.name))]
    return sorted(rows, key=lambda g: polish_sort_key(g.name))


def validate(s: Session, data: PartnerData) -> list[FieldError]:
    errors = validate_fields(asdict(data))
    if not isinstance(data.partner_type, PartnerType):
        errors.append(FieldError("partner_type", "nieznany rodzaj partnera"))
    if data.gmina_id is not None and s.get(Gmina, data.gmina_id) is None:
        errors.append(FieldError("gmina", "nie ma takiej gminy"))
    return errors


def _apply(p: Partner, data: PartnerData) -> None:
    for f in fields(data):
        setattr(p, f.name, getattr(data, f.name))


def add_partner_in(s: Session, data: PartnerData) -> Partner:
    """Add within a caller's transaction (used by the importer); validates first."""
    data = data.cleaned()
    errors = validate(s, data)
    if errors:
        raise PartnerValidationError(errors)
    p = Partner(name=data.name, partner_type=data.partner_type)
    _apply(p, data)
    s.add(p)
    return p


def create_partner(db: Database, data: PartnerData) -> int:
    with db.session() as s, s.begin():
        p = add_partner_in(s, data)
        s.flush()
        return p.id


def update_partner(db: Database, partner_id: int, data: PartnerData) -> None:
    data = data.cleaned()
    with db.session() as s, s.begin():
        p = s.get(Partner, partner_id)
        if p is None:
            raise PartnerNotFound(f"Nie ma partnera o numerze {partner_id}.")
        errors = validate(s, data)
        if errors:
            raise PartnerValidationError(errors)
        _apply(p, data)


def _set_deleted(db: Database, partner_id: int, when: dt.datetime | None) -> None:
    with db.session() as s, s.begin():
        p = s.get(Partner, partner_id)
        if p is None:
            raise PartnerNotFound(f"Nie ma partnera o numerze {partner_id}.")
        p.deleted_at = when


def remove_partner(db: Database, partner_id: int) -> None:
    """Soft removal: the partner disappears from the register, its signatures stay."""
    _set_deleted(db, partner_id, dt.datetime.now().replace(microsecond=0))


def restore_partner(db: Database, partner_id: int) -> None:
    _set_deleted(db, partner_id, None)


def find_duplicates(db: Database, name: str, gmina_id: int | None,
                    exclude_id: int | None = None) -> list[PartnerRow]:
    """Partners in the register (not removed) that look like the same one."""
    key = duplicate_key(name, gmina_id)
    return [r for r in list_partners(db)
            if r.id != exclude_id and duplicate_key(r.name, r.data.gmina_id) == key]


def type_counts(rows: list[PartnerRow]) -> dict[PartnerType, int]:
    """Number of partners per type, in the enum's order, types without partners left out."""
    counts = Counter(r.partner_type for r in rows)
    return {t: counts[t] for t in PartnerType if counts[t]}
