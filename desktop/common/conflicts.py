"""Saving over someone else's newer change: the typed error and the version checks (Qt-free).

Every record users edit carries a ``version`` (``db.models.Versioned``). A service that saves
a change takes the version the user loaded (``expected_version``); when the stored one is
newer, someone else saved in between and the service raises ``ConflictError`` instead of
overwriting. The window then asks (``desktop.common.ui.conflict_dialog``): show their changes,
overwrite (save again with ``expected_version=error.current_version``) or cancel.
``expected_version=None`` means "no check" (scripts, imports).

The ORM adds ``WHERE version = <read>`` to each UPDATE as well, so a change committed between
our read and our write (a race the comparison alone cannot see) ends as ``StaleDataError``;
``conflicts_as`` turns that into the same ``ConflictError``.
"""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm.exc import StaleDataError


@dataclass(frozen=True)
class Difference:
    """One field that differs: its Polish label, the stored value and the one being saved."""

    label: str
    theirs: str
    mine: str


class ConflictError(Exception):
    """Someone else saved a newer version of the record; the message is Polish."""

    def __init__(self, what: str, current_version: int | None,
                 differences: tuple[Difference, ...] = (), deleted: bool = False):
        self.what = what
        self.current_version = current_version
        self.differences = differences
        self.deleted = deleted
        if deleted:
            message = (f"Ktoś inny usunął {what} po tym, jak go wczytano – nie można zapisać "
                       "zmian.")
        else:
            message = (f"Ktoś inny zmienił {what} po tym, jak go wczytano. Zapisanie teraz "
                       "nadpisałoby tamtą zmianę.")
        super().__init__(message)


@dataclass
class VersionBook:
    """The versions this workstation last saw or wrote, by (kind, id): undo and redo use them
    to make sure they are not overwriting a change made elsewhere in the meantime."""

    versions: dict[tuple[str, int], int] = field(default_factory=dict)

    def get(self, kind: str, record_id: int, default: int | None = None) -> int | None:
        return self.versions.get((kind, record_id), default)

    def set(self, kind: str, record_id: int, version: int) -> None:
        self.versions[(kind, record_id)] = version


def show_value(value: object) -> str:
    """A field value as a user reads it."""
    if value is None:
        return "—"
    if isinstance(value, enum.Enum):
        from desktop.common.labels import label

        return label(value)
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return "tak" if value else "nie"
    return str(value)


def differences(theirs: Mapping[str, object], mine: Mapping[str, object],
                labels: Mapping[str, str] | None = None) -> tuple[Difference, ...]:
    """The fields whose stored value differs from the one being saved, in ``mine``'s order."""
    labels = labels or {}
    return tuple(Difference(labels.get(k, k), show_value(theirs.get(k)), show_value(v))
                 for k, v in mine.items() if theirs.get(k) != v)


def check_version(record: object, expected: int | None, what: str,
                  theirs: Mapping[str, object] | None = None,
                  mine: Mapping[str, object] | None = None,
                  labels: Mapping[str, str] | None = None) -> None:
    """Raise ConflictError when ``record`` (an ORM object with ``version``) is newer than the
    version the user loaded. ``theirs``/``mine`` describe the difference for the dialog."""
    if expected is None:
        return
    current = record.version  # type: ignore[attr-defined]
    if current != expected:
        diff = differences(theirs, mine, labels) if theirs is not None and mine is not None else ()
        raise ConflictError(what, current, diff)


@contextmanager
def conflicts_as(what: str) -> Iterator[None]:
    """Turn the ORM's StaleDataError (a change committed between our read and our write) into
    ConflictError. Wrap the whole ``with db.session() as s, s.begin():`` block."""
    try:
        yield
    except StaleDataError as exc:
        raise ConflictError(what, None) from exc


T = TypeVar("T")


def write_resolving(action: Callable[[int | None], T], expected: int | None,
                    resolve: Callable[[ConflictError], bool] | None
                    ) -> tuple[T | None, ConflictError | None]:
    """Run ``action(expected_version)``; when someone else saved in between, ask
    ``resolve(error)`` and, if the user overwrites (and the record still exists), run it again
    against their version. Returns ``(result, None)``, or ``(None, error)`` when the user kept
    their change."""
    while True:
        try:
            return action(expected), None
        except ConflictError as exc:
            overwrite = resolve is not None and resolve(exc) and not exc.deleted
            if not overwrite:
                return None, exc
            expected = exc.current_version
