"""Programme editions (Qt-free): each agreement belongs to a year (the 2018 edition, the 2019
edition …; ``Agreement.edition_year``, unique in the database). A new edition is started from
an earlier one: a new agreement for the year with the earlier one's title, place, subject,
coordinators and unit, and its partners copied as invited ("zaproszeni").

Copied: the partners who signed or were invited (and, when asked, those who withdrew);
never a partner removed from the register. The signatory and function proposed are the
partner's current representative (else the earlier signatory). Everything in one
transaction; two workstations starting the same edition at once get one agreement (the
database's unique constraint) and a Polish message for the other.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.models import Agreement, Partner, Signature, SignatureStatus
from desktop.partners.agreements import AgreementError

log = logging.getLogger("razem.partners")

FIRST_EDITION = 2000
LAST_EDITION = 2100


@dataclass(frozen=True)
class EditionChoice:
    """An agreement a new edition can start from."""

    agreement_id: int
    year: int | None
    caption: str
    signed: int
    invited: int
    withdrawn: int


@dataclass(frozen=True)
class EditionResult:
    agreement_id: int
    year: int
    invited: int  # partners copied as invited
    withdrawn_left: int  # partners who withdrew from the earlier edition, not copied
    removed_left: int  # partners removed from the register, not copied


def check_year(year: int) -> None:
    if not FIRST_EDITION <= year <= LAST_EDITION:
        raise AgreementError(f"Rok edycji {year} jest nieprawdopodobny: podaj rok od "
                             f"{FIRST_EDITION} do {LAST_EDITION}.")


def edition_label(year: int | None) -> str:
    return f"edycja {year}" if year is not None else "bez edycji"


def edition_choices(db: Database) -> list[EditionChoice]:
    """Agreements to start from: the latest edition first, those without a year last."""
    with db.session() as s:
        counts: dict[int, dict[SignatureStatus, int]] = {}
        for agreement_id, status, n in s.execute(
                select(Signature.agreement_id, Signature.status, func.count())
                .group_by(Signature.agreement_id, Signature.status)):
            counts.setdefault(agreement_id, {})[status] = n
        rows = s.execute(select(Agreement.id, Agreement.edition_year, Agreement.number,
                                Agreement.title)
                         .order_by(Agreement.edition_year.desc().nulls_last(),
                                   Agreement.id.desc())).all()
    out = []
    for agreement_id, year, number, title in rows:
        c = counts.get(agreement_id, {})
        caption = (f"{edition_label(year).capitalize()}: " + (f"nr {number} – " if number else "")
                   + title)
        out.append(EditionChoice(agreement_id, year, caption, c.get(SignatureStatus.SIGNED, 0),
                                 c.get(SignatureStatus.INVITED, 0),
                                 c.get(SignatureStatus.WITHDRAWN, 0)))
    return out


def next_edition_year(db: Database, today: dt.date | None = None) -> int:
    """The year after the latest edition (else the current year)."""
    with db.session() as s:
        latest = s.scalar(select(func.max(Agreement.edition_year)))
    year = latest + 1 if latest is not None else (today or dt.date.today()).year
    return min(max(year, FIRST_EDITION), LAST_EDITION)


def _taken(s, year: int) -> None:
    other = s.execute(select(Agreement.title).where(Agreement.edition_year == year)).first()
    if other is not None:
        raise AgreementError(f"Edycja {year} już ma porozumienie („{other[0]}”); wybierz inny "
                             "rok albo zmień rok tamtego porozumienia.")


def start_edition(db: Database, year: int, from_agreement_id: int,
                  include_withdrawn: bool = False) -> EditionResult:
    """A new agreement for ``year`` with the partners of ``from_agreement_id`` as invited.
    AgreementError (Polish) when the year is taken or implausible; nothing is then saved."""
    started = time.monotonic()
    check_year(year)
    try:
        with db.session() as s, s.begin():
            source = s.get(Agreement, from_agreement_id)
            if source is None:
                raise AgreementError(f"Nie ma porozumienia o numerze ID {from_agreement_id}.")
            _taken(s, year)
            new = Agreement(
                title=source.title, number="", place=source.place, subject=source.subject,
                signed_on=None, valid_from=dt.date(year, 1, 1), valid_to=dt.date(year, 12, 31),
                police_coordinator=source.police_coordinator,
                partners_coordinator=source.partners_coordinator, unit_id=source.unit_id,
                edition_year=year)
            s.add(new)
            s.flush()
            invited = withdrawn_left = removed_left = 0
            earlier = edition_label(source.edition_year)
            for sig, partner in s.execute(select(Signature, Partner).join(Partner)
                                          .where(Signature.agreement_id == source.id)
                                          .order_by(Signature.id)).all():
                if partner.deleted_at is not None:
                    removed_left += 1
                    continue
                if sig.status is SignatureStatus.WITHDRAWN and not include_withdrawn:
                    withdrawn_left += 1
                    continue
                s.add(Signature(
                    agreement_id=new.id, partner_id=partner.id,
                    signatory=partner.representative or sig.signatory,
                    signatory_function=(partner.representative_function
                                        if partner.representative else sig.signatory_function),
                    signed_on=None, status=SignatureStatus.INVITED, annex_number="",
                    note=f"zaproszony na podstawie porozumienia ({earlier})"))
                invited += 1
            s.flush()
            result = EditionResult(new.id, year, invited, withdrawn_left, removed_left)
    except IntegrityError as exc:  # another workstation started this edition just now
        raise AgreementError(f"Edycję {year} rozpoczęto przed chwilą na innym stanowisku; "
                             "nic nie zapisano.") from exc
    log.info("Nowa edycja programu %d z porozumienia %d: zaproszono %d partnerów (pominięto "
             "wycofanych: %d, usuniętych z rejestru: %d) w %.2f s", year, from_agreement_id,
             invited, withdrawn_left, removed_left, time.monotonic() - started)
    return result


def summary_text(result: EditionResult) -> str:
    """One Polish sentence about a started edition."""
    text = f"Rozpoczęto edycję {result.year}: zaproszono partnerów: {result.invited}."
    if result.withdrawn_left:
        text += f" Pominięto wycofanych: {result.withdrawn_left}."
    if result.removed_left:
        text += f" Pominięto usuniętych z rejestru: {result.removed_left}."
    return text
