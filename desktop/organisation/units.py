"""Units (komenda, komisariaty, posterunki) and gminas: list, add, edit, remove.

Qt-free; one short session per call; Polish messages in ``OrganisationError.problems``.
A unit or gmina still referred to (beats, officers, partners, subordinate units) is not
removed: the message says what still uses it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Agreement,
    Beat,
    Gmina,
    GminaKind,
    Officer,
    Partner,
    Unit,
    UnitKind,
    beat_gminas,
)
from desktop.beats.officers import normalise_phone
from desktop.common.conflicts import ConflictError, check_version, conflicts_as
from desktop.common.fields import FieldList
from desktop.common.text import fold, polish_sort_key
from desktop.organisation.fields import GMINA_FIELDS, UNIT_FIELDS


class OrganisationError(ValueError):
    """Invalid organisation data; ``problems`` maps a field to a Polish message."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("\n".join(problems.values()))
        self.problems = problems


def _text(problems: dict[str, str], fields: FieldList, key: str, value: str, what: str,
          required: bool = True) -> str:
    """The text with spaces tidied; "Podaj {what}." when required and empty, the field's
    label and the model's limit when too long."""
    value = " ".join(value.split())
    if required and not value:
        problems[key] = f"Podaj {what}."
    else:
        problems.update(fields.length_problems({key: value}))
    return value


@dataclass(frozen=True)
class UnitData:
    name: str
    short_name: str
    parent_id: int | None = None
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    short_name: str
    kind: UnitKind
    parent_id: int | None
    parent: str
    address: str
    phone: str
    version: int = 1

    def data(self) -> UnitData:
        return UnitData(self.name, self.short_name, self.parent_id, self.address, self.phone)


def list_units(db: Database) -> list[UnitRow]:
    with db.session() as s:
        units = list(s.scalars(select(Unit).order_by(Unit.id)))
        names = {u.id: u.short_name or u.name for u in units}
        return [UnitRow(u.id, u.name, u.short_name, u.kind, u.parent_id,
                        names.get(u.parent_id, "") if u.parent_id else "", u.address, u.phone,
                        u.version)
                for u in units]


def _check_unit(s: Session, unit_id: int | None, d: UnitData) -> UnitData:
    problems: dict[str, str] = {}
    name = _text(problems, UNIT_FIELDS, "name", d.name, "pełną nazwę jednostki")
    short = _text(problems, UNIT_FIELDS, "short_name", d.short_name,
                  "nazwę skróconą (np. KP Golina)")
    address = _text(problems, UNIT_FIELDS, "address", d.address, "adres", required=False)
    phone = normalise_phone(d.phone)
    if phone is None:
        problems["phone"] = f"Telefon „{d.phone}” nie jest polskim numerem (9 cyfr)."
    for other in s.scalars(select(Unit).where(Unit.id != (unit_id or 0))):
        if name and fold(other.name) == fold(name):
            problems["name"] = f"Jednostka „{other.name}” już jest."
        if short and other.short_name and fold(other.short_name) == fold(short):
            problems["short_name"] = f"Nazwę skróconą „{other.short_name}” ma już inna jednostka."
    if d.parent_id is not None:
        seen = {unit_id}
        parent = s.get(Unit, d.parent_id)
        if parent is None:
            problems["parent_id"] = "Nie ma takiej jednostki nadrzędnej."
        while parent is not None:
            if parent.id in seen:
                problems["parent_id"] = ("Jednostka nie może podlegać sobie samej ani jednostce "
                                         "sobie podległej.")
                break
            seen.add(parent.id)
            parent = parent.parent
    if problems:
        raise OrganisationError(problems)
    return UnitData(name, short, d.parent_id, address, phone or "")


UNIT_LABELS = UNIT_FIELDS.labels()  # the conflict dialog's names
GMINA_LABELS = GMINA_FIELDS.labels()


def _load(s: Session, model, record_id: int, expected_version: int | None, what: str,
          missing: str):
    """The row to change, locked when the caller brings the version it loaded."""
    row = s.get(model, record_id, with_for_update=expected_version is not None)
    if row is None:
        if expected_version is not None:
            raise ConflictError(what, None, deleted=True)
        raise OrganisationError({"id": missing})
    return row


def save_unit(db: Database, unit_id: int | None, data: UnitData,
              expected_version: int | None = None) -> int:
    """Add (``unit_id`` None) or change a unit; a unit without a parent is a komenda, one
    with a parent a komisariat or posterunek. With ``expected_version`` (the version the user
    loaded) a change saved meanwhile elsewhere raises ConflictError. Returns the id."""
    try:
        with conflicts_as("jednostka"), db.session() as s, s.begin():
            d = _check_unit(s, unit_id, data)
            if unit_id is None:
                unit = Unit()
            else:
                unit = _load(s, Unit, unit_id, expected_version, "jednostka",
                             "Nie ma takiej jednostki (usunięto ją?).")
                check_version(unit, expected_version, f"jednostka {unit.short_name or unit.name}",
                              vars(UnitData(unit.name, unit.short_name, unit.parent_id,
                                            unit.address, unit.phone)), vars(d), UNIT_LABELS)
            unit.name, unit.short_name, unit.parent_id = d.name, d.short_name, d.parent_id
            unit.address, unit.phone = d.address, d.phone
            unit.kind = UnitKind.COMMAND if d.parent_id is None else UnitKind.STATION
            s.add(unit)
            s.flush()
            return unit.id
    except IntegrityError as exc:  # saved at the same moment elsewhere
        raise OrganisationError({"name": "Jednostka o tej nazwie już jest."}) from exc


def _count(s: Session, column, value: int) -> int:
    return int(s.scalar(select(func.count()).where(column == value)) or 0)


def delete_unit(db: Database, unit_id: int) -> None:
    """Remove a unit nothing refers to; OrganisationError naming what still uses it."""
    with db.session() as s, s.begin():
        unit = s.get(Unit, unit_id)
        if unit is None:
            return
        uses = [(Beat.unit_id, "rejony"), (Officer.unit_id, "funkcjonariusze"),
                (Unit.parent_id, "jednostki podległe"), (Gmina.unit_id, "gminy"),
                (Agreement.unit_id, "porozumienia")]
        used = [label for column, label in uses if _count(s, column, unit_id)]
        if used:
            raise OrganisationError({"id": f"Jednostki {unit.short_name or unit.name} nie można "
                                           f"usunąć – mają ją: {', '.join(used)}."})
        s.delete(unit)


@dataclass(frozen=True)
class GminaData:
    name: str
    kind: GminaKind
    teryt: str = ""
    unit_id: int | None = None


@dataclass(frozen=True)
class GminaRow:
    id: int
    teryt: str
    name: str
    kind: GminaKind
    unit_id: int | None
    unit: str
    version: int = 1

    def data(self) -> GminaData:
        return GminaData(self.name, self.kind, self.teryt, self.unit_id)


def list_gminas(db: Database) -> list[GminaRow]:
    with db.session() as s:
        names = {u.id: u.short_name or u.name for u in s.scalars(select(Unit))}
        rows = [GminaRow(g.id, g.teryt or "", g.name, g.kind, g.unit_id,
                         names.get(g.unit_id, "") if g.unit_id else "", g.version)
                for g in s.scalars(select(Gmina))]
    return sorted(rows, key=lambda r: polish_sort_key(r.name))


def normalise_teryt(text: str) -> str | None:
    """A gmina's TERYT code: 7 digits (spaces, dashes and underscores ignored); "" stays ""."""
    digits = re.sub(r"[\s\-_]", "", text)
    if not digits:
        return ""
    return digits if re.fullmatch(r"\d{7}", digits) else None


def _check_gmina(s: Session, gmina_id: int | None, d: GminaData) -> GminaData:
    problems: dict[str, str] = {}
    name = _text(problems, GMINA_FIELDS, "name", d.name, "nazwę gminy")
    teryt = normalise_teryt(d.teryt)
    if teryt is None:
        problems["teryt"] = (f"Kod TERYT „{d.teryt}” jest niepoprawny: gmina ma 7 cyfr "
                             "(np. 3010011 – województwo, powiat, gmina i rodzaj).")
    for other in s.scalars(select(Gmina).where(Gmina.id != (gmina_id or 0))):
        if name and fold(other.name) == fold(name):
            problems["name"] = f"Gmina „{other.name}” już jest."
        if teryt and other.teryt == teryt:
            problems["teryt"] = f"Kod TERYT {teryt} ma już gmina {other.name}."
    if d.unit_id is not None and s.get(Unit, d.unit_id) is None:
        problems["unit_id"] = "Nie ma takiej jednostki."
    if problems:
        raise OrganisationError(problems)
    return GminaData(name, d.kind, teryt or "", d.unit_id)


def save_gmina(db: Database, gmina_id: int | None, data: GminaData,
               expected_version: int | None = None) -> int:
    """Add or change a gmina (a change saved meanwhile elsewhere: ConflictError)."""
    try:
        with conflicts_as("gmina"), db.session() as s, s.begin():
            d = _check_gmina(s, gmina_id, data)
            if gmina_id is None:
                gmina = Gmina()
            else:
                gmina = _load(s, Gmina, gmina_id, expected_version, "gmina",
                              "Nie ma takiej gminy (usunięto ją?).")
                check_version(gmina, expected_version, f"gmina {gmina.name}",
                              vars(GminaData(gmina.name, gmina.kind, gmina.teryt or "",
                                             gmina.unit_id)), vars(d), GMINA_LABELS)
            gmina.name, gmina.kind, gmina.unit_id = d.name, d.kind, d.unit_id
            gmina.teryt = d.teryt or None
            s.add(gmina)
            s.flush()
            return gmina.id
    except IntegrityError as exc:
        raise OrganisationError({"name": "Gmina o tej nazwie lub kodzie TERYT już jest."}) from exc


def delete_gmina(db: Database, gmina_id: int) -> None:
    with db.session() as s, s.begin():
        gmina = s.get(Gmina, gmina_id)
        if gmina is None:
            return
        used = [label for column, label in ((Beat.gmina_id, "rejony"),
                                            (beat_gminas.c.gmina_id, "rejony (jako gmina "
                                                                     "dodatkowa)"),
                                            (Partner.gmina_id, "partnerzy"))
                if _count(s, column, gmina_id)]
        if used:
            raise OrganisationError({"id": f"Gminy {gmina.name} nie można usunąć – mają ją: "
                                           f"{', '.join(used)}."})
        s.delete(gmina)
