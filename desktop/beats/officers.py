"""Officer roster: validation of contacts and add / edit / deactivate services.

Officers are never deleted (their assignments are history); deactivation keeps the record.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from db.engine import Database
from db.models import Assignment, AssignmentKind, AssignmentRole, Beat, Officer, OfficerRole, Unit
from desktop.beats.officer_fields import OFFICER_FIELDS, OFFICER_LABELS
from desktop.common.columns import length
from desktop.common.conflicts import ConflictError, check_version, conflicts_as
from desktop.common.text import plural, polish_sort_key

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


class OfficerError(ValueError):
    """Invalid officer data; ``problems`` maps a field name to a Polish message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("\n".join(problems.values()))
        self.problems = problems


def normalise_phone(text: str) -> str | None:
    """A Polish phone number in the house format, or None if it is not one.

    Accepts "+48", "0048" or "(48)" prefixes and spaces, dashes, dots and brackets.
    Mobiles are shown as "600 123 456", landlines (by their area code) as "63 240 12 00". "" stays "" (the field is optional).
    """
    raw = text.strip()
    if not raw:
        return ""
    if re.search(r"[^\d\s+\-().]", raw):
        return None
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+") and not digits.startswith("48"):
        return None
    if len(digits) == 11 and digits.startswith("48"):
        digits = digits[2:]
    elif len(digits) == 13 and digits.startswith("0048"):
        digits = digits[4:]
    elif len(digits) == 10 and digits.startswith("0"):  # old trunk prefix: 0 63 ...
        digits = digits[1:]
    if len(digits) != 9 or digits[0] == "0":
        return None
    if digits[0] in "5678" and not _is_landline_area(digits[:2]):
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"{digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"


# Area codes that begin with 5-8 (others begin with 1-4, 9).
_LANDLINE_AREAS = {"52", "54", "55", "56", "58", "59", "61", "62", "63", "65", "67", "68",
                   "71", "74", "75", "76", "77", "81", "82", "83", "84", "85", "86", "87", "89"}


def _is_landline_area(prefix: str) -> bool:
    return prefix in _LANDLINE_AREAS


def is_valid_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


@dataclass
class OfficerData:
    """What the roster form edits."""

    first_name: str
    last_name: str
    service_number: str
    role: OfficerRole
    rank: str = ""
    unit_id: int | None = None
    phone: str = ""
    mobile: str = ""
    email: str = ""
    active: bool = True


def validate(data: OfficerData) -> OfficerData:
    """Checked and normalised copy of the data; raises OfficerError listing every problem."""
    problems: dict[str, str] = {}
    first, last = data.first_name.strip(), data.last_name.strip()
    if not first:
        problems["first_name"] = "Podaj imię."
    if not last:
        problems["last_name"] = "Podaj nazwisko."
    number = data.service_number.strip()
    if not number:
        problems["service_number"] = "Podaj numer służbowy (identyfikator)."
    elif len(number) > (limit := length(Officer.service_number)):
        problems["service_number"] = f"Numer służbowy może mieć najwyżej {plural(limit, 'znak', 'znaki', 'znaków')}."
    phone = normalise_phone(data.phone)
    if phone is None:
        problems["phone"] = (f"Telefon stacjonarny „{data.phone}” nie jest polskim numerem "
                             "(9 cyfr, np. 63 240 12 00 lub +48 63 240 12 00).")
    mobile = normalise_phone(data.mobile)
    if mobile is None:
        problems["mobile"] = (f"Telefon komórkowy „{data.mobile}” nie jest polskim numerem "
                              "(9 cyfr, np. 600 123 456 lub +48 600 123 456).")
    email = data.email.strip()
    if email and not is_valid_email(email):
        problems["email"] = f"Adres e-mail „{email}” jest niepoprawny (np. jan.kowalski@policja.gov.pl)."
    values = {"first_name": first, "last_name": last, "rank": data.rank, "email": email,
              "phone": phone or "", "mobile": mobile or ""}
    for key, limit in OFFICER_FIELDS.too_long(values):  # the model's String(n)
        if key not in problems:
            problems[key] = f"Tekst jest za długi (najwyżej {plural(limit, 'znak', 'znaki', 'znaków')})."
    if problems:
        raise OfficerError(problems)
    return OfficerData(first, last, number, data.role, data.rank.strip(), data.unit_id,
                       phone or "", mobile or "", email, data.active)


@dataclass(frozen=True)
class OfficerRow:
    id: int
    rank: str
    first_name: str
    last_name: str
    service_number: str
    role: OfficerRole
    unit: str
    unit_id: int | None
    phone: str
    mobile: str
    email: str
    active: bool
    beats: str  # current beats, "1 (KMP Konin), 5 (KP Golina)"
    version: int = 0  # the stored row version when read (desktop.common.conflicts)

    @property
    def name(self) -> str:
        return f"{self.rank} {self.first_name} {self.last_name}".strip()

    def data(self) -> OfficerData:
        return OfficerData(self.first_name, self.last_name, self.service_number, self.role,
                           self.rank, self.unit_id, self.phone, self.mobile, self.email,
                           self.active)


def list_officers(db: Database, on: dt.date | None = None,
                  include_inactive: bool = True) -> list[OfficerRow]:
    on = on or dt.date.today()
    with db.session() as s:
        current: dict[int, list[str]] = {}
        q = (select(Assignment.officer_id, Beat.number, Beat.name, Assignment.kind)
             .join(Beat).where(Assignment.valid_from <= on)
             .where((Assignment.valid_to.is_(None)) | (Assignment.valid_to >= on))
             .order_by(Beat.id))
        for oid, number, name, kind in s.execute(q):
            suffix = " – zastępstwo" if kind == AssignmentKind.SUBSTITUTE else ""
            current.setdefault(oid, []).append(f"{number}. {name}{suffix}")
        oq = select(Officer, Unit.short_name).outerjoin(Unit).order_by(Officer.last_name,
                                                                      Officer.first_name)
        if not include_inactive:
            oq = oq.where(Officer.active.is_(True))
        rows = [OfficerRow(o.id, o.rank, o.first_name, o.last_name, o.service_number, o.role,
                           unit or "", o.unit_id, o.phone, o.mobile, o.email, o.active,
                           "; ".join(current.get(o.id, [])), o.version)
                for o, unit in s.execute(oq)]
    # Polish alphabetical order (SQLite would put "Łuczak" after "Żak")
    return sorted(rows, key=lambda r: (polish_sort_key(r.last_name),
                                       polish_sort_key(r.first_name)))


def get_officer(db: Database, officer_id: int) -> OfficerRow:
    for row in list_officers(db):
        if row.id == officer_id:
            return row
    raise OfficerError({"id": "Nie ma takiego funkcjonariusza."})


def _apply(o: Officer, d: OfficerData) -> None:
    o.first_name, o.last_name, o.service_number = d.first_name, d.last_name, d.service_number
    o.role, o.rank, o.unit_id = d.role, d.rank, d.unit_id
    o.phone, o.mobile, o.email, o.active = d.phone, d.mobile, d.email, d.active


def _duplicate() -> OfficerError:
    return OfficerError({"service_number": "Funkcjonariusz o tym numerze służbowym już jest "
                                           "w wykazie."})


def create_officer(db: Database, data: OfficerData) -> int:
    d = validate(data)
    try:
        with db.session() as s, s.begin():
            if s.scalar(select(Officer.id).where(Officer.service_number == d.service_number)):
                raise _duplicate()
            o = Officer()
            _apply(o, d)
            s.add(o)
            s.flush()
            return o.id
    except IntegrityError as exc:  # a concurrent insert on a shared server
        raise _duplicate() from exc


def _values(s, d: OfficerData) -> dict[str, object]:
    values: dict[str, object] = dict(vars(d))
    unit = s.get(Unit, d.unit_id) if d.unit_id is not None else None
    values["unit_id"] = unit.short_name if unit else ""
    return values


def _stored(o: Officer) -> OfficerData:
    return OfficerData(o.first_name, o.last_name, o.service_number, o.role, o.rank, o.unit_id,
                       o.phone, o.mobile, o.email, o.active)


def _load(s, officer_id: int, expected_version: int | None) -> Officer:
    o = s.get(Officer, officer_id, with_for_update=expected_version is not None)
    if o is None:
        if expected_version is not None:
            raise ConflictError("funkcjonariusza", None, deleted=True)
        raise OfficerError({"id": "Nie ma takiego funkcjonariusza."})
    return o


def update_officer(db: Database, officer_id: int, data: OfficerData,
                   expected_version: int | None = None) -> int:
    """Save an officer's data; returns the new version. ``expected_version``: the version the
    user loaded (ConflictError when someone else saved the officer since)."""
    d = validate(data)
    with conflicts_as("funkcjonariusza"), db.session() as s, s.begin():
        o = _load(s, officer_id, expected_version)
        check_version(o, expected_version, f"funkcjonariusza {o.full_name}",
                      _values(s, _stored(o)), _values(s, d), OFFICER_LABELS)
        if s.scalar(select(Officer.id).where(Officer.service_number == d.service_number,
                                             Officer.id != officer_id)):
            raise _duplicate()
        if o.role != d.role and _has_open_assignments(s, officer_id, o.role, d.role):
            raise OfficerError({"role": "Funkcjonariusz ma bieżące przydziały, do których nowa "
                                        "funkcja nie pasuje – najpierw zakończ te przydziały."})
        _apply(o, d)
        s.flush()
        return o.version


def _has_open_assignments(s, officer_id: int, old: OfficerRole, new: OfficerRole) -> bool:
    from desktop.beats.rules import ALLOWED_ROLES

    today = dt.date.today()
    roles = [r for r in AssignmentRole if new not in ALLOWED_ROLES[r]]
    q = select(Assignment.id).where(Assignment.officer_id == officer_id,
                                    Assignment.role.in_(roles),
                                    (Assignment.valid_to.is_(None)) | (Assignment.valid_to >= today))
    return s.scalar(q) is not None


def set_active(db: Database, officer_id: int, active: bool, on: dt.date | None = None,
               expected_version: int | None = None) -> int:
    """Deactivate (or reactivate) an officer. Deactivating ends the officer's open assignments
    on ``on`` (default today) so that no beat keeps an inactive officer; returns how many.
    ``expected_version`` as in ``update_officer``."""
    on = on or dt.date.today()
    with conflicts_as("funkcjonariusza"), db.session() as s, s.begin():
        o = _load(s, officer_id, expected_version)
        check_version(o, expected_version, f"funkcjonariusza {o.full_name}",
                      {"active": o.active}, {"active": active}, OFFICER_LABELS)
        o.active = active
        ended = 0
        if not active:
            q = select(Assignment).where(Assignment.officer_id == officer_id,
                                         (Assignment.valid_to.is_(None))
                                         | (Assignment.valid_to > on))
            for a in s.scalars(q):
                if a.valid_from > on:
                    raise OfficerError({"active": (
                        f"Funkcjonariusz ma przydział zaczynający się {a.valid_from:%d.%m.%Y} – "
                        "usuń go z planu przed dezaktywacją.")})
                a.valid_to = on
                ended += 1
        return ended


def units(db: Database) -> list[tuple[int, str]]:
    with db.session() as s:
        return [(i, n) for i, n in s.execute(select(Unit.id, Unit.short_name).order_by(Unit.id))]
