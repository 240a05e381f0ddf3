"""Beats as the organisation changes: create, edit (renumber, rename, move to a gmina),
retire from a date, delete one without history. Qt-free, one transaction per call.

A beat with history (assignments, reports, priority plans) is retired, never deleted:
from ``retired_on`` it leaves the current lists and the map; its assignments that were still
open end the day before, and its history stays. Edits carry the row version the user loaded
(``expected_version``; ``desktop.common.conflicts``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from db.engine import Database
from db.models import Assignment, Beat, Gmina, PriorityPlan, ThreatReport, Unit, beat_gminas
from desktop.common.columns import length
from desktop.common.conflicts import ConflictError, check_version, conflicts_as
from desktop.common.text import fold, polish_sort_key
from desktop.organisation.fields import BEAT_FIELDS
from desktop.organisation.units import OrganisationError

LABELS = BEAT_FIELDS.labels()  # the conflict dialog's names (desktop.organisation.fields)


@dataclass(frozen=True)
class BeatData:
    unit_id: int
    number: str
    name: str
    gmina_id: int | None = None
    description: str = ""
    other_gmina_ids: tuple[int, ...] = ()  # further gminas the beat covers (sorted)


@dataclass(frozen=True)
class BeatEntry:
    id: int
    unit_id: int
    unit: str
    number: str
    name: str
    gmina_id: int | None
    gmina: str
    description: str
    retired_on: dt.date | None
    has_history: bool
    version: int
    other_gmina_ids: tuple[int, ...] = ()
    other_gminas: str = ""  # their names, comma-separated

    def data(self) -> BeatData:
        return BeatData(self.unit_id, self.number, self.name, self.gmina_id, self.description,
                        self.other_gmina_ids)


def other_gminas(s: Session, beat_ids: list[int] | None = None
                 ) -> dict[int, list[tuple[int, str]]]:
    """beat id -> [(gmina id, name)] of the further gminas (by name), one query."""
    q = (select(beat_gminas.c.beat_id, Gmina.id, Gmina.name)
         .join(Gmina, Gmina.id == beat_gminas.c.gmina_id))
    if beat_ids is not None:
        q = q.where(beat_gminas.c.beat_id.in_(beat_ids))
    out: dict[int, list[tuple[int, str]]] = {}
    for beat_id, gmina_id, name in s.execute(q):
        out.setdefault(beat_id, []).append((gmina_id, name))
    for items in out.values():
        items.sort(key=lambda item: polish_sort_key(item[1]))
    return out


def _history_count(s: Session, beat_id: int) -> int:
    return sum(int(s.scalar(select(func.count()).where(column == beat_id)) or 0)
               for column in (Assignment.beat_id, ThreatReport.beat_id, PriorityPlan.beat_id))


def list_beats(db: Database, include_retired: bool = True) -> list[BeatEntry]:
    """Every beat (current first by unit and number; retired ones too when asked)."""
    with db.session() as s:
        used = set()
        for column in (Assignment.beat_id, ThreatReport.beat_id, PriorityPlan.beat_id):
            used |= {b for (b,) in s.execute(select(column).distinct()) if b is not None}
        q = (select(Beat, Unit.short_name, Unit.name, Gmina.name)
             .join(Unit, Beat.unit_id == Unit.id)
             .outerjoin(Gmina, Beat.gmina_id == Gmina.id).order_by(Unit.id))
        if not include_retired:
            q = q.where(Beat.retired_on.is_(None))
        others = other_gminas(s)
        rows = [BeatEntry(b.id, b.unit_id, short or uname, b.number, b.name, b.gmina_id,
                          gmina or "", b.description, b.retired_on, b.id in used, b.version,
                          tuple(sorted(g for g, _ in others.get(b.id, []))),
                          ", ".join(n for _, n in others.get(b.id, [])))
                for b, short, uname, gmina in s.execute(q)]
    return sorted(rows, key=lambda r: (r.retired_on is not None, r.unit_id,
                                       _number_key(r.number)))


def _number_key(number: str) -> tuple[int, str]:
    digits = "".join(c for c in number if c.isdigit())
    return (int(digits) if digits else 10**9, number)


def _check(s: Session, beat_id: int | None, d: BeatData) -> BeatData:
    problems: dict[str, str] = {}
    number = d.number.strip()
    name = " ".join(d.name.split())
    if not number:
        problems["number"] = "Podaj numer rejonu."
    elif len(number) > length(Beat.number):
        problems["number"] = f"Numer rejonu może mieć najwyżej {length(Beat.number)} znaków."
    if not name:
        problems["name"] = "Podaj nazwę rejonu."
    elif len(name) > length(Beat.name):
        problems["name"] = f"Nazwa rejonu może mieć najwyżej {length(Beat.name)} znaków."
    unit = s.get(Unit, d.unit_id)
    if unit is None:
        problems["unit_id"] = "Wybierz jednostkę rejonu."
    if d.gmina_id is not None and s.get(Gmina, d.gmina_id) is None:
        problems["gmina_id"] = "Nie ma takiej gminy."
    others = tuple(sorted(set(d.other_gmina_ids) - {d.gmina_id}))
    if others and d.gmina_id is None:
        problems["other_gmina_ids"] = ("Najpierw wybierz gminę główną rejonu, potem "
                                       "pozostałe.")
    elif others and len(set(s.scalars(select(Gmina.id).where(Gmina.id.in_(others))))) != len(
            others):
        problems["other_gmina_ids"] = "Jednej z pozostałych gmin już nie ma."
    if unit is not None and number:  # unique among current beats: a retired one's is free
        for other in s.scalars(select(Beat).where(Beat.unit_id == d.unit_id,
                                                  Beat.id != (beat_id or 0),
                                                  Beat.retired_on.is_(None))):
            if fold(other.number) == fold(number):
                problems["number"] = (f"{unit.short_name or unit.name} ma już rejon nr "
                                      f"{other.number} – „{other.name}”.")
    if problems:
        raise OrganisationError(problems)
    return BeatData(d.unit_id, number, name, d.gmina_id, d.description.strip(), others)


def _write_other_gminas(s: Session, beat_id: int, gmina_ids: tuple[int, ...]) -> None:
    s.execute(delete(beat_gminas).where(beat_gminas.c.beat_id == beat_id))
    if gmina_ids:
        s.execute(insert(beat_gminas), [{"beat_id": beat_id, "gmina_id": g} for g in gmina_ids])


def create_beat(db: Database, data: BeatData) -> int:
    try:
        with db.session() as s, s.begin():
            d = _check(s, None, data)
            beat = Beat(unit_id=d.unit_id, number=d.number, name=d.name, gmina_id=d.gmina_id,
                        description=d.description)
            s.add(beat)
            s.flush()
            _write_other_gminas(s, beat.id, d.other_gmina_ids)
            return beat.id
    except IntegrityError as exc:  # the same number saved elsewhere at the same moment
        raise OrganisationError({"number": "Jednostka ma już rejon o tym numerze."}) from exc


def _values(d: BeatData) -> dict[str, object]:
    return dict(vars(d))


def _load(s: Session, beat_id: int, expected_version: int | None) -> Beat:
    beat = s.get(Beat, beat_id, with_for_update=expected_version is not None)
    if beat is None:
        if expected_version is not None:
            raise ConflictError("rejon", None, deleted=True)
        raise OrganisationError({"id": "Nie ma takiego rejonu."})
    return beat


def _stored(s: Session, beat: Beat) -> BeatData:
    others = tuple(sorted(g for g, _ in other_gminas(s, [beat.id]).get(beat.id, [])))
    return BeatData(beat.unit_id, beat.number, beat.name, beat.gmina_id, beat.description,
                    others)


def update_beat(db: Database, beat_id: int, data: BeatData,
                expected_version: int | None = None) -> int:
    """Save a beat's data (also a new number); returns the new version."""
    try:
        with conflicts_as("rejon"), db.session() as s, s.begin():
            beat = _load(s, beat_id, expected_version)
            d = _check(s, beat_id, data)
            stored = _stored(s, beat)
            check_version(beat, expected_version, f"rejon {beat.number}",
                          _values(stored), _values(d), LABELS)
            beat.unit_id, beat.number, beat.name = d.unit_id, d.number, d.name
            beat.gmina_id, beat.description = d.gmina_id, d.description
            if stored.other_gmina_ids != d.other_gmina_ids:
                _write_other_gminas(s, beat.id, d.other_gmina_ids)
                flag_modified(beat, "description")  # the link rows alone would not raise the version
            s.flush()
            return beat.version
    except IntegrityError as exc:
        raise OrganisationError({"number": "Jednostka ma już rejon o tym numerze."}) from exc


def retire_beat(db: Database, beat_id: int, on: dt.date,
                expected_version: int | None = None) -> int:
    """Retire a beat from ``on`` (its first day without the beat). Assignments still open then
    end the day before; an assignment starting on or after ``on`` must be removed first.
    Returns how many assignments were ended."""
    with conflicts_as("rejon"), db.session() as s, s.begin():
        beat = _load(s, beat_id, expected_version)
        check_version(beat, expected_version, f"rejon {beat.number}",
                      {"retired_on": beat.retired_on}, {"retired_on": on}, LABELS)
        later = s.scalar(select(Assignment).where(Assignment.beat_id == beat_id,
                                                  Assignment.valid_from >= on)
                         .order_by(Assignment.valid_from))
        if later is not None:
            raise OrganisationError({"retired_on": (
                f"Rejon ma przydział zaczynający się {later.valid_from:%d.%m.%Y} – usuń go albo "
                f"wycofaj rejon od późniejszego dnia.")})
        ended = 0
        for a in s.scalars(select(Assignment).where(
                Assignment.beat_id == beat_id,
                Assignment.valid_to.is_(None) | (Assignment.valid_to >= on))):
            a.valid_to = on - dt.timedelta(days=1)
            ended += 1
        beat.retired_on = on
        return ended


def restore_beat(db: Database, beat_id: int, expected_version: int | None = None) -> None:
    """Undo a retirement: the beat is current again (its ended assignments stay ended)."""
    with conflicts_as("rejon"), db.session() as s, s.begin():
        beat = _load(s, beat_id, expected_version)
        check_version(beat, expected_version, f"rejon {beat.number}",
                      {"retired_on": beat.retired_on}, {"retired_on": None}, LABELS)
        if beat.retired_on is not None:
            _check(s, beat_id, _stored(s, beat))  # its number may have gone to a new beat
        beat.retired_on = None


def delete_beat(db: Database, beat_id: int, expected_version: int | None = None) -> None:
    """Delete a beat entered by mistake: only one without history (else retire it)."""
    with conflicts_as("rejon"), db.session() as s, s.begin():
        beat = _load(s, beat_id, expected_version)
        check_version(beat, expected_version, f"rejon {beat.number}", {}, {}, LABELS)
        if _history_count(s, beat_id):
            raise OrganisationError({"id": (
                f"Rejon {beat.number} ma historię (przydziały, zgłoszenia lub plany) – nie "
                "można go usunąć; wycofaj go od wybranego dnia.")})
        s.delete(beat)
