"""A real station's database: created empty (dictionaries and the command's first unit), kept
apart from the fictional sample, and the warning when real files go into the sample."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database, describe
from db.locking import startup_lock
from db.models import Unit, UnitKind
from db.services.info import (
    KIND_KEY,
    KIND_REAL,
    KIND_SAMPLE,
    data_kind,
    is_empty,
    set_info,
)
from desktop.common.columns import length
from desktop.common.document import mark_sample_data

if TYPE_CHECKING:
    from desktop.sample.generator import Progress, SampleSummary

log = logging.getLogger("razem.organisation")

SAMPLE_IMPORT_WARNING = ("Otwarta baza zawiera DANE PRZYKŁADOWE (fikcyjne). Wczytane "
                         "prawdziwe dane zmieszają się z fikcyjnymi – prawdziwe dane "
                         "wczytuj do bazy jednostki (razem init).")


class StationError(ValueError):
    """The database cannot become a station database; the message is Polish."""


@dataclass(frozen=True)
class StationChoice:
    """What the user chose on the first start: the sample, or a new unit database named so."""

    sample: bool
    unit_name: str = ""
    short_name: str = ""


def check_names(unit_name: str, short_name: str) -> tuple[str, str]:
    """The command's full and short name, trimmed; StationError with a Polish reason."""
    name, short = " ".join(unit_name.split()), " ".join(short_name.split())
    if not name:
        raise StationError("Podaj pełną nazwę jednostki (np. Komenda Miejska Policji w Koninie).")
    if not short:
        raise StationError("Podaj skróconą nazwę jednostki (np. KMP Konin).")
    if len(name) > length(Unit.name):
        raise StationError(f"Pełna nazwa jednostki może mieć najwyżej {length(Unit.name)} znaków.")
    if len(short) > length(Unit.short_name):
        raise StationError(
            f"Skrócona nazwa jednostki może mieć najwyżej {length(Unit.short_name)} znaków.")
    return name, short


def make_station(session: Session, unit_name: str, short_name: str) -> int:
    """Turn an empty database into a real station's: its first unit, marked real. Returns
    the unit's id; StationError when the database already holds data or is the sample."""
    name, short = check_names(unit_name, short_name)
    if data_kind(session) == KIND_SAMPLE or not is_empty(session):
        raise StationError("Baza zawiera już dane – bazę jednostki można założyć tylko w pustej "
                           "bazie (podaj nowy plik lub pustą bazę na serwerze).")
    unit = Unit(name=name, short_name=short, kind=UnitKind.COMMAND)
    session.add(unit)
    set_info(session, KIND_KEY, KIND_REAL)
    session.flush()
    return unit.id


def init_station(db: Database, unit_name: str, short_name: str) -> int:
    """``razem init`` and the first-start choice: the first unit in one transaction, under the
    start-up lock (another workstation may be starting on the same new database)."""
    with startup_lock(db), db.session() as s, s.begin():
        unit_id = make_station(s, unit_name, short_name)
    mark_sample_data(False)
    log.info("baza jednostki założona: %s, %s", describe(db.url), short_name)
    return unit_id


def start_new_database(db: Database, choice: StationChoice,
                       progress: Progress | None = None) -> SampleSummary | None:
    """Do what the user chose on the first start; the sample's summary when it was built."""
    if not choice.sample:
        init_station(db, choice.unit_name, choice.short_name)
        return None
    from desktop.sample.generator import SampleSpec, generate
    from desktop.startup import sample_allowed

    if not sample_allowed(db):
        raise StationError("Dane przykładowe można wczytać tylko do pliku SQLite, nie do bazy "
                           "na serwerze.")
    with startup_lock(db), db.session() as s, s.begin():
        if not is_empty(s):
            raise StationError("Baza zawiera już dane (być może wypełniono ją przed chwilą na "
                               "innym stanowisku).")
        summary = generate(s, SampleSpec(), progress)
    mark_sample_data(True)
    return summary


def database_is_sample(db: Database) -> bool:
    with db.session() as s:
        return data_kind(s) == KIND_SAMPLE


def command_name(db: Database) -> str:
    """The short name of the command (the first top-level unit), "" when there is none."""
    with db.session() as s:
        q = (select(Unit.short_name, Unit.name).where(Unit.parent_id.is_(None))
             .order_by(Unit.kind, Unit.id).limit(1))
        row = s.execute(q).first()
        return (row[0] or row[1]) if row else ""


def unit_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Unit)) or 0)
