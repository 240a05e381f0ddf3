"""The programme's agreements (porozumienia) and their signatures (Qt-free).

A signature row is one partner's place on one agreement; a later accession (annex) keeps its
own number and date. One short session per call; each write is one transaction.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from db.engine import Database
from db.models import Agreement, Partner, PartnerType, Signature, SignatureStatus, Unit
from desktop.common.conflicts import ConflictError, VersionBook, check_version, conflicts_as
from desktop.common.fields import FieldList
from desktop.common.text import plural, polish_sort_key
from desktop.partners.agreement_fields import (
    AGREEMENT_FIELDS,
    AGREEMENT_LABELS,
    SIGNATURE_FIELDS,
    SIGNATURE_LABELS,
)

# "The most recent agreement": by date signed (undated ones last), then the newest record.
NEWEST_FIRST = (Agreement.signed_on.desc().nulls_last(), Agreement.id.desc())


class AgreementError(ValueError):
    """A Polish message about agreement or signature data; nothing was saved."""


@dataclass(frozen=True)
class AgreementData:
    title: str
    number: str = ""
    place: str = ""
    subject: str = ""
    signed_on: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    police_coordinator: str = ""
    partners_coordinator: str = ""
    unit_id: int | None = None
    edition_year: int | None = None  # the programme's edition (year), unique


@dataclass(frozen=True)
class AgreementRow:
    id: int
    data: AgreementData
    unit_name: str
    unit_address: str
    signed: int
    invited: int
    withdrawn: int
    version: int = 0  # the stored row version when read (desktop.common.conflicts)

    @property
    def caption(self) -> str:
        number = f"nr {self.data.number} – " if self.data.number else ""
        edition = f"Edycja {self.data.edition_year}: " if self.data.edition_year else ""
        return f"{edition}{number}{self.data.title}"


@dataclass(frozen=True)
class SignatureData:
    partner_id: int
    signatory: str = ""
    signatory_function: str = ""
    signed_on: dt.date | None = None
    status: SignatureStatus = SignatureStatus.INVITED
    annex_number: str = ""
    note: str = ""


@dataclass(frozen=True)
class SignatureRow:
    id: int
    agreement_id: int
    data: SignatureData
    partner_name: str
    partner_type: PartnerType
    partner_removed: bool
    version: int = 0


def _agreement_data(a: Agreement) -> AgreementData:
    return AgreementData(**{f.name: getattr(a, f.name) for f in fields(AgreementData)})


def _agreement_row(a: Agreement) -> AgreementRow:
    count = {st: 0 for st in SignatureStatus}
    for sig in a.signatures:
        count[sig.status] += 1
    return AgreementRow(a.id, _agreement_data(a), a.unit.name if a.unit else "",
                        a.unit.address if a.unit else "", count[SignatureStatus.SIGNED],
                        count[SignatureStatus.INVITED], count[SignatureStatus.WITHDRAWN],
                        a.version)


def list_agreements(db: Database) -> list[AgreementRow]:
    """All agreements, the newest first."""
    with db.session() as s:
        q = (select(Agreement).options(selectinload(Agreement.signatures),
                                       selectinload(Agreement.unit))
             .order_by(*NEWEST_FIRST))
        return [_agreement_row(a) for a in s.scalars(q)]


def get_agreement(db: Database, agreement_id: int | None = None) -> AgreementRow:
    """One agreement; without an id the most recent one."""
    rows = list_agreements(db)
    if not rows:
        raise AgreementError("W bazie nie ma żadnego porozumienia.")
    if agreement_id is None:
        return rows[0]
    for row in rows:
        if row.id == agreement_id:
            return row
    raise AgreementError(f"Nie ma porozumienia o numerze ID {agreement_id}.")


def list_units(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        return [(i, n) for i, n in s.execute(select(Unit.id, Unit.name).order_by(Unit.id))]


def _check_lengths(fields: FieldList, values: dict[str, object]) -> None:
    """The model's String(n) limits, checked before the database refuses the text."""
    for key, limit in fields.too_long(values):
        text = str(values[key]).strip()
        raise AgreementError(f"{fields.by_name[key].label}: tekst „{text[:40]}…” jest za długi "
                             f"(najwyżej {plural(limit, 'znak', 'znaki', 'znaków')}).")


def check_agreement(data: AgreementData) -> None:
    """Raise ``AgreementError`` when the data cannot be saved."""
    if not data.title.strip():
        raise AgreementError("Tytuł porozumienia jest wymagany.")
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        raise AgreementError("Koniec okresu obowiązywania jest wcześniejszy niż jego początek.")
    if data.edition_year is not None and not 2000 <= data.edition_year <= 2100:
        raise AgreementError(f"Rok edycji {data.edition_year} jest nieprawdopodobny: podaj rok "
                             "od 2000 do 2100.")
    _check_lengths(AGREEMENT_FIELDS, asdict(data))


def _values(data: AgreementData | SignatureData) -> dict[str, object]:
    return {f.name: (v.strip() if type(v := getattr(data, f.name)) is str else v)
            for f in fields(data)}


def save_agreement(db: Database, data: AgreementData, agreement_id: int | None = None,
                   expected_version: int | None = None,
                   versions: VersionBook | None = None) -> int:
    """Create (no id) or update an agreement; returns its id.

    ``expected_version``: the version the user loaded; ConflictError when someone else saved
    the agreement since. ``versions`` (if given) records the version now stored.
    """
    check_agreement(data)
    try:
        return _save_agreement(db, data, agreement_id, expected_version, versions)
    except IntegrityError as exc:  # the edition's year was taken meanwhile
        raise AgreementError(f"Edycja {data.edition_year} już ma porozumienie; nic nie "
                             "zapisano.") from exc


def _save_agreement(db: Database, data: AgreementData, agreement_id: int | None,
                    expected_version: int | None, versions: VersionBook | None) -> int:
    with conflicts_as("porozumienie"), db.session() as s, s.begin():
        if data.edition_year is not None:
            other = s.execute(select(Agreement.id, Agreement.title)
                              .where(Agreement.edition_year == data.edition_year)).first()
            if other is not None and other[0] != agreement_id:
                raise AgreementError(f"Edycja {data.edition_year} już ma porozumienie "
                                     f"(„{other[1]}”); wybierz inny rok.")
        if agreement_id is None:
            a = Agreement(title=data.title)
            s.add(a)
        else:
            found = s.get(Agreement, agreement_id, with_for_update=expected_version is not None)
            if found is None:
                if expected_version is not None:
                    raise ConflictError("porozumienie", None, deleted=True)
                raise AgreementError(f"Nie ma porozumienia o numerze ID {agreement_id}.")
            a = found
            check_version(a, expected_version, f"porozumienie „{a.title}”",
                          _values(_agreement_data(a)), _values(data), AGREEMENT_LABELS)
        for name, value in _values(data).items():
            setattr(a, name, value)
        s.flush()
        if versions is not None:
            versions.set("agreement", a.id, a.version)
        return a.id


def delete_agreement(db: Database, agreement_id: int, expected_version: int | None = None) -> None:
    """Delete an agreement with its signatures (partners stay in the register)."""
    with conflicts_as("porozumienie"), db.session() as s, s.begin():
        a = s.get(Agreement, agreement_id, with_for_update=expected_version is not None)
        if a is not None:
            check_version(a, expected_version, f"porozumienie „{a.title}”")
            s.delete(a)


# Signing dates outside this range are typing mistakes (an agreement of the programme cannot
# be signed before 2000 or in the future): refused with a Polish message.
EARLIEST_SIGNING = dt.date(2000, 1, 1)


def check_signing_date(value: dt.date | None, agreement_signed_on: dt.date | None = None,
                       today: dt.date | None = None) -> None:
    """A partner's signing date: from 01.01.2000 to today, not before the agreement's date."""
    if value is None:
        return
    today = today or dt.date.today()
    if not EARLIEST_SIGNING <= value <= today:
        raise AgreementError(
            f"Data podpisania {value:%d.%m.%Y} jest nieprawdopodobna: podaj datę od "
            f"{EARLIEST_SIGNING:%d.%m.%Y} do dziś ({today:%d.%m.%Y}).")
    if agreement_signed_on is not None and value < agreement_signed_on:
        raise AgreementError(
            f"Data podpisania {value:%d.%m.%Y} jest wcześniejsza niż data zawarcia "
            f"porozumienia ({agreement_signed_on:%d.%m.%Y}).")


def check_signature(data: SignatureData, agreement_signed_on: dt.date | None = None) -> None:
    """Raise ``AgreementError`` when the signature cannot be saved."""
    check_signing_date(data.signed_on, agreement_signed_on)
    if data.status is SignatureStatus.SIGNED and data.signed_on is None:
        raise AgreementError("Podpisane porozumienie wymaga daty podpisania.")
    if data.status is SignatureStatus.INVITED and data.signed_on is not None:
        raise AgreementError("Partner zaproszony nie ma jeszcze daty podpisania.")
    _check_lengths(SIGNATURE_FIELDS, asdict(data))


def _signature_data(sig: Signature) -> SignatureData:
    return SignatureData(sig.partner_id, sig.signatory, sig.signatory_function, sig.signed_on,
                         sig.status, sig.annex_number, sig.note)


def list_signatures(db: Database, agreement_id: int) -> list[SignatureRow]:
    """Signatures of one agreement, by partner type then partner name (Polish order)."""
    with db.session() as s:
        q = (select(Signature, Partner).join(Partner)
             .where(Signature.agreement_id == agreement_id))
        rows = [
            SignatureRow(sig.id, sig.agreement_id, _signature_data(sig),
                         p.name, p.partner_type, p.deleted_at is not None, sig.version)
            for sig, p in s.execute(q)
        ]
    order = {t: i for i, t in enumerate(PartnerType)}
    return sorted(rows, key=lambda r: (order[r.partner_type], polish_sort_key(r.partner_name)))


def save_signature(db: Database, agreement_id: int, data: SignatureData,
                   signature_id: int | None = None, expected_version: int | None = None,
                   versions: VersionBook | None = None) -> int:
    """Add (no id) or update a partner's signature on an agreement; returns its id.
    ``expected_version`` and ``versions`` as in ``save_agreement``."""
    check_signature(data)
    try:
        with conflicts_as("podpis"), db.session() as s, s.begin():
            if s.get(Partner, data.partner_id) is None:
                raise AgreementError("Nie ma takiego partnera.")
            agreement = s.get(Agreement, agreement_id)
            if agreement is None:
                raise AgreementError(f"Nie ma porozumienia o numerze ID {agreement_id}.")
            check_signing_date(data.signed_on, agreement.signed_on)
            if signature_id is None:
                sig = Signature(agreement_id=agreement_id, partner_id=data.partner_id)
                s.add(sig)
            else:
                stored = s.get(Signature, signature_id,
                               with_for_update=expected_version is not None)
                if stored is None:
                    if expected_version is not None:
                        raise ConflictError("podpis", None, deleted=True)
                    raise AgreementError("Ten podpis został już usunięty.")
                sig = stored
                check_version(sig, expected_version, "podpis partnera",
                              _values(_signature_data(sig)), _values(data), SIGNATURE_LABELS)
            for name, value in _values(data).items():
                setattr(sig, name, value)
            s.flush()
            if versions is not None:
                versions.set("signature", sig.id, sig.version)
            return sig.id
    except IntegrityError as exc:
        raise AgreementError("Ten partner jest już stroną tego porozumienia.") from exc


def delete_signature(db: Database, signature_id: int, expected_version: int | None = None) -> None:
    """Delete a signature; ConflictError when someone else changed it since
    ``expected_version`` (a signature already gone is nothing to delete)."""
    with conflicts_as("podpis"), db.session() as s, s.begin():
        sig = s.get(Signature, signature_id, with_for_update=expected_version is not None)
        if sig is not None:
            check_version(sig, expected_version, "podpis partnera")
            s.delete(sig)


@dataclass(frozen=True)
class PartnerSignature:
    """One line of a partner's signature history."""

    agreement: str
    status: SignatureStatus
    signed_on: dt.date | None
    annex_number: str


def partner_history(db: Database, partner_id: int) -> list[PartnerSignature]:
    """The partner's places on agreements, the most recent agreement first."""
    with db.session() as s:
        q = (select(Agreement.number, Agreement.title, Signature.status, Signature.signed_on,
                    Signature.annex_number)
             .join(Signature.agreement).where(Signature.partner_id == partner_id)
             .order_by(*NEWEST_FIRST))
        return [PartnerSignature(f"nr {n}" if n else t, st, on, annex)
                for n, t, st, on, annex in s.execute(q)]
