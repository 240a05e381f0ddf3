"""Correcting an assignment entered by mistake: other dates or another officer, or removing
it altogether. The rules hold afterwards: the corrected period is checked against the beat's
other periods (and the database refuses overlaps by itself, migration 0003); nothing else is
changed on the way, so a correction never rewrites someone else's period silently."""
from __future__ import annotations

import datetime as dt
import logging

from db.engine import Database
from db.models import Assignment, AssignmentKind, Beat
from desktop.beats.assignments import (
    _beat_periods,
    _facts,
    _refused_by_database,
    officer_label,
)
from desktop.beats.rules import Period, RuleError, check_officer, fmt_date, overlaps, plan_substitute
from desktop.common.conflicts import check_version

log = logging.getLogger("razem.beats")

LABELS = {"officer": "Funkcjonariusz", "valid_from": "Od", "valid_to": "Do"}


def correct_assignment(db: Database, assignment_id: int, officer_id: int,
                       valid_from: dt.date, valid_to: dt.date | None,
                       expected_version: int | None = None) -> list[str]:
    """Give an assignment other dates and/or another officer; returns warnings. RuleError
    (Polish) when the result would break a rule, ConflictError when it changed meanwhile."""
    with _refused_by_database(), db.session() as s, s.begin():
        a = s.get(Assignment, assignment_id)
        if a is None:
            raise RuleError("Nie ma takiego przydziału (usunięto go?).")
        s.get(Beat, a.beat_id, with_for_update=True)  # serialise with other assignment writes
        facts = _facts(s, officer_id)
        check_version(a, expected_version, f"przydział {officer_label(a.officer)}",
                      {"officer": officer_label(a.officer), "valid_from": a.valid_from,
                       "valid_to": a.valid_to},
                      {"officer": facts.name, "valid_from": valid_from, "valid_to": valid_to},
                      LABELS)
        if officer_id != a.officer_id:
            check_officer(facts, a.role)  # a new officer must be active and fit the role
        others = [p for p in _beat_periods(s, a.beat_id) if p.id != a.id]
        warnings: list[str] = []
        if a.kind == AssignmentKind.SUBSTITUTE:
            if officer_id != a.officer_id:
                warnings = plan_substitute(others, facts, a.role, valid_from, valid_to).warnings
            else:
                warnings = _substitute_check(others, a, officer_id, valid_from, valid_to)
        else:
            if valid_to is not None and valid_to < valid_from:
                raise RuleError("Data końca przydziału jest wcześniejsza niż data początku.")
            for p in others:
                if (p.role == a.role and p.kind == AssignmentKind.REGULAR
                        and overlaps(p.valid_from, p.valid_to, valid_from, valid_to)):
                    raise RuleError(
                        f"Poprawiony okres {fmt_date(valid_from)} – {fmt_date(valid_to)} "
                        f"nachodzi na przydział {p.officer_name} ({fmt_date(p.valid_from)} – "
                        f"{fmt_date(p.valid_to)}). Najpierw popraw tamten przydział.")
        before = (a.officer_id, a.valid_from, a.valid_to)
        a.officer_id, a.valid_from, a.valid_to = officer_id, valid_from, valid_to
        s.flush()
        log.info("przydział %d poprawiony: %s -> %s", a.id, before,
                 (officer_id, valid_from, valid_to))
        return warnings


def _substitute_check(others: list[Period], a: Assignment, officer_id: int, valid_from: dt.date,
                      valid_to: dt.date | None) -> list[str]:
    """The substitute rules for the same officer (who may have become inactive since: a date
    correction of an old substitute is still allowed)."""
    if valid_to is None:
        raise RuleError("Zastępstwo musi mieć datę końca.")
    if valid_to < valid_from:
        raise RuleError("Data końca zastępstwa jest wcześniejsza niż data początku.")
    for p in others:
        if p.role != a.role or not overlaps(p.valid_from, p.valid_to, valid_from, valid_to):
            continue
        if p.kind == AssignmentKind.SUBSTITUTE:
            raise RuleError(
                f"W okresie {fmt_date(p.valid_from)} – {fmt_date(p.valid_to)} zastępstwo "
                f"pełni już {p.officer_name}; zastępstwa tej samej roli nie mogą się pokrywać.")
        if p.officer_id == officer_id:
            raise RuleError("Funkcjonariusz jest w tym okresie przydzielony do rejonu na stałe "
                            "– nie może zastępować sam siebie.")
    return []


def remove_assignment(db: Database, assignment_id: int,
                      expected_version: int | None = None) -> str:
    """Remove an assignment entered by mistake (the window asks first); returns its
    description for the message. The other periods stay as they are."""
    with _refused_by_database(), db.session() as s, s.begin():
        a = s.get(Assignment, assignment_id)
        if a is None:
            raise RuleError("Nie ma takiego przydziału (usunięto go już?).")
        s.get(Beat, a.beat_id, with_for_update=True)
        what = (f"{officer_label(a.officer)}, {fmt_date(a.valid_from)} – "
                f"{fmt_date(a.valid_to)}")
        check_version(a, expected_version, f"przydział {officer_label(a.officer)}", {}, {},
                      LABELS)
        s.delete(a)
        log.info("przydział %d usunięty: %s", assignment_id, what)
        return what
