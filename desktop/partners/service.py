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
from desktop.common.conflicts import ConflictError, check_version, conflicts_as
from desktop.common.text import polish_sort_key
from desktop.partners.agreements import NEWEST_FIRST
from desktop.partners.fields import LABELS as FIELD_LABELS
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
    version: int = 0  # the stored row version when read (desktop.common.conflicts)

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
                      statuses.get(p.id), p.deleted_at, p.version)


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


def _shown(s: Session, data: PartnerData) -> dict[str, object]:
    """The fields as the user knows them (the gmina by name), for a conflict's differences."""
    values: dict[str, object] = asdict(data)
    gmina_id = values.pop("gmina_id")
    gmina = s.get(Gmina, gmina_id) if gmina_id is not None else None
    values = {"name": values.pop("name"), "partner_type": values.pop("partner_type"),
              "gmina": gmina.name if gmina else "", **values}
    return values


def _what(p: Partner) -> str:
    return f"partnera „{p.name}”"


def _gone(partner_id: int, expected_version: int | None) -> Exception:
    if expected_version is not None:  # it was there when the user loaded it
        return ConflictError(f"partnera nr {partner_id}", None, deleted=True)
    return PartnerNotFound(f"Nie ma partnera o numerze {partner_id}.")


def update_partner(db: Database, partner_id: int, data: PartnerData,
                   expected_version: int | None = None) -> int:
    """Save the partner's fields; returns the new version.

    ``expected_version`` is the version the user loaded: when someone else saved the partner
    since, ConflictError (with the differing fields) is raised and nothing is saved.
    """
    data = data.cleaned()
    with conflicts_as("partnera"), db.session() as s, s.begin():
        p = s.get(Partner, partner_id, with_for_update=expected_version is not None)
        if p is None:
            raise _gone(partner_id, expected_version)
        check_version(p, expected_version, _what(p), _shown(s, _data_of(p)), _shown(s, data),
                      FIELD_LABELS)
        errors = validate(s, data)
        if errors:
            raise PartnerValidationError(errors)
        _apply(p, data)
        s.flush()
        return p.version


def _set_deleted(db: Database, partner_id: int, when: dt.datetime | None,
                 expected_version: int | None) -> int:
    with conflicts_as("partnera"), db.session() as s, s.begin():
        p = s.get(Partner, partner_id, with_for_update=expected_version is not None)
        if p is None:
            raise _gone(partner_id, expected_version)
        check_version(p, expected_version, _what(p))
        p.deleted_at = when
        s.flush()
        return p.version


def remove_partner(db: Database, partner_id: int, expected_version: int | None = None) -> int:
    """Soft removal: the partner disappears from the register, its signatures stay.
    Returns the new version; ConflictError when someone else changed the partner since
    ``expected_version``."""
    return _set_deleted(db, partner_id, dt.datetime.now().replace(microsecond=0),
                        expected_version)


def restore_partner(db: Database, partner_id: int, expected_version: int | None = None) -> int:
    return _set_deleted(db, partner_id, None, expected_version)


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
