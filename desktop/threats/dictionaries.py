"""Editing the KMZB dictionaries (threat categories and report statuses), Qt-free.

Entries are added, renamed, marked as road-related (categories) and retired or restored;
never deleted, since reports, plans and activities keep pointing at them. Every change by a
user marks the row ``user_edited``, so a newer kmzb.json shipped with the program never
overwrites it (``db.services.dictionaries.sync_dictionaries``). A retired entry stays on the
reports and in the history but is no longer offered for new plans and activities, and the map
and report filters leave it unticked by default.

Road-related categories (``is_road``) are the ones the traffic officer of a beat verifies:
``road_category_ids`` is the one place the rest of the program asks.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import ThreatCategory, ThreatReport, ThreatStatus
from db.services.dictionaries import name_key
from desktop.common.columns import length
from desktop.common.text import plural

Kind = Literal["category", "status"]
_MODELS: dict[str, type[ThreatCategory] | type[ThreatStatus]] = {
    "category": ThreatCategory, "status": ThreatStatus}
_WHAT = {"category": ("kategoria", "kategorii", "kategorię"),
         "status": ("status", "statusu", "status")}


class DictionaryError(ValueError):
    """A Polish message about a dictionary change; nothing was saved."""


@dataclass(frozen=True)
class DictionaryEntry:
    id: int
    kind: str
    name: str
    is_road: bool
    active: bool
    shipped_name: str | None
    user_edited: bool
    reports: int

    @property
    def origin(self) -> str:
        """Polish: where the entry comes from, as the editor shows it."""
        if self.shipped_name is None:
            return "własna"
        if self.shipped_name != self.name:
            return f"KMZB (zmieniona nazwa; pierwotnie „{self.shipped_name}”)"
        return "KMZB (zmieniona)" if self.user_edited else "KMZB"


def max_name_length(kind: Kind) -> int:
    return length(_MODELS[kind].name)


def _model(kind: str) -> type[ThreatCategory] | type[ThreatStatus]:
    try:
        return _MODELS[kind]
    except KeyError:
        raise ValueError(f"unknown dictionary {kind!r}") from None


def list_entries(db: Database, kind: Kind) -> list[DictionaryEntry]:
    """Every entry of one dictionary in its order, with the number of reports using it."""
    model = _model(kind)
    column = ThreatReport.category_id if kind == "category" else ThreatReport.status_id
    with db.session() as s:
        counts = dict(s.execute(select(column, func.count()).group_by(column)).all())
        rows = cast(list[ThreatCategory | ThreatStatus],
                    list(s.scalars(select(model).order_by(model.sort_order, model.id))))
        return [DictionaryEntry(r.id, kind, r.name, bool(getattr(r, "is_road", False)),
                                r.active, r.shipped_name, r.user_edited, counts.get(r.id, 0))
                for r in rows]


def check_name(session: Session, kind: Kind, name: str, entry_id: int | None = None) -> str:
    """The name to store (spaces trimmed); DictionaryError when it is empty, too long or
    already used in this dictionary (ignoring case and spaces)."""
    _model(kind)  # an unknown kind is a programming error
    clean = " ".join(name.split())
    what = _WHAT[kind]
    if not clean:
        raise DictionaryError(f"Podaj nazwę ({what[1]}).")
    limit = max_name_length(kind)
    if len(clean) > limit:
        raise DictionaryError(f"Nazwa jest za długa: {len(clean)} znaków, najwyżej "
                              f"{plural(limit, 'znak', 'znaki', 'znaków')}.")
    other = _holder(session, kind, clean, entry_id)
    if other is not None:
        raise _taken(other)
    return clean


def _holder(session: Session, kind: Kind, name: str, entry_id: int | None = None) -> str | None:
    """The stored name another entry has that equals ``name`` ignoring case and spaces (the
    key the database keeps unique, ``db.dictionary_names``)."""
    model = _model(kind)
    return session.scalar(select(model.name).where(model.name_key == name_key(name),
                                                   model.id != (entry_id or 0)).limit(1))


def _taken(other: str) -> DictionaryError:
    return DictionaryError(f"Nazwa „{other}” jest już w słowniku – wybierz inną.")


def _write(db: Database, kind: Kind, change, name: str | None = None) -> int:
    """Run ``change`` in one write transaction. When the database refuses the name (another
    workstation saved the same one, in any letter case, after this one checked), the user gets
    the same message as from the check, naming the entry that now has it."""
    try:
        with db.session() as s, s.begin():
            return change(s)
    except IntegrityError as exc:
        other = None
        if name is not None:
            with db.session() as s:
                other = _holder(s, kind, name)
        if other is not None:
            raise _taken(other) from exc
        raise DictionaryError("Taka nazwa jest już w słowniku (zapisana przed chwilą na innym "
                              "stanowisku); nic nie zapisano.") from exc


def add_entry(db: Database, kind: Kind, name: str, is_road: bool = False) -> int:
    """A user's own entry at the end of the dictionary; returns its id."""
    model = _model(kind)

    def change(s: Session) -> int:
        clean = check_name(s, kind, name)
        order = (s.scalar(select(func.max(model.sort_order))) or 0) + 1
        row = model(name=clean, sort_order=order, active=True, user_edited=True)
        if isinstance(row, ThreatCategory):
            row.is_road = is_road
        s.add(row)
        s.flush()
        return row.id
    return _write(db, kind, change, name)


def _get(s: Session, kind: Kind, entry_id: int) -> ThreatCategory | ThreatStatus:
    row = cast(ThreatCategory | ThreatStatus | None,
               s.get(_model(kind), entry_id, with_for_update=True))
    if row is None:
        raise DictionaryError(f"Tej pozycji ({_WHAT[kind][1]}) już nie ma w słowniku.")
    return row


def update_entry(db: Database, kind: Kind, entry_id: int, name: str,
                 is_road: bool | None = None) -> None:
    """Rename an entry and (categories, when ``is_road`` is given) mark it as road-related
    (verified by the traffic officer) or not, in one transaction."""
    def change(s: Session) -> int:
        row = _get(s, kind, entry_id)
        clean = check_name(s, kind, name, entry_id)
        if clean != row.name:
            row.name = clean
            row.user_edited = True
        if isinstance(row, ThreatCategory) and is_road is not None and row.is_road != is_road:
            row.is_road = is_road
            row.user_edited = True
        return entry_id
    _write(db, kind, change, name)


def rename_entry(db: Database, kind: Kind, entry_id: int, name: str) -> None:
    update_entry(db, kind, entry_id, name)


def set_road(db: Database, category_id: int, is_road: bool) -> None:
    """Mark a category as road-related (verified by the traffic officer) or not."""
    def change(s: Session) -> int:
        row = _get(s, "category", category_id)
        assert isinstance(row, ThreatCategory)
        if row.is_road != is_road:
            row.is_road = is_road
            row.user_edited = True
        return category_id
    _write(db, "category", change)


def set_active(db: Database, kind: Kind, entry_id: int, active: bool) -> None:
    """Retire (``active`` False) or restore an entry. The last entry in use cannot be
    retired: an import needs at least one category and one status to offer."""
    model = _model(kind)

    def change(s: Session) -> int:
        row = _get(s, kind, entry_id)
        if row.active == active:
            return entry_id
        if not active:
            others = s.scalar(select(func.count()).select_from(model)
                              .where(model.active.is_(True), model.id != entry_id))
            if not others:
                raise DictionaryError(f"To ostatni używany {_WHAT[kind][0]} w słowniku – "
                                      "nie można go wycofać.")
        row.active = active
        row.user_edited = True
        return entry_id
    _write(db, kind, change)


def road_category_ids(session: Session) -> set[int]:
    """Ids of the road-related categories (the traffic officer's part), from the data."""
    return set(session.scalars(select(ThreatCategory.id).where(ThreatCategory.is_road.is_(True))))


def retired_ids(session: Session, kind: Kind) -> set[int]:
    model = _model(kind)
    return set(session.scalars(select(model.id).where(model.active.is_(False))))


def offered_categories(db: Database, keep: int | None = None) -> list[tuple[int, str]]:
    """Categories offered for a new plan or activity: the active ones in the dictionary's
    order, plus ``keep`` (the one a stored record already has, even when retired)."""
    with db.session() as s:
        rows = s.execute(select(ThreatCategory.id, ThreatCategory.name, ThreatCategory.active)
                         .order_by(ThreatCategory.sort_order, ThreatCategory.id)).all()
    return [(i, n if active else f"{n} (wycofana)") for i, n, active in rows
            if active or i == keep]
