"""Assignment rules, Qt-free and database-free: they work on plain period records.

A beat has at most one regular dzielnicowy and one regular traffic officer on any day;
periods of the same beat and role never overlap. Reassigning ends the previous period the
day before the new one starts. A substitute (zastępstwo) covers a date range without ending
the regular assignment. Messages are Polish because they reach the user as they are.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from db.models import AssignmentKind, AssignmentRole, OfficerRole

ONE_DAY = dt.timedelta(days=1)

# Which officer roles may hold which assignment role.
ALLOWED_ROLES: dict[AssignmentRole, frozenset[OfficerRole]] = {
    AssignmentRole.BEAT_OFFICER: frozenset({OfficerRole.BEAT_OFFICER,
                                            OfficerRole.HEAD_OF_BEAT_OFFICERS}),
    AssignmentRole.TRAFFIC: frozenset({OfficerRole.TRAFFIC}),
}


class RuleError(ValueError):
    """An assignment would break a rule; the message is Polish and shown to the user."""


@dataclass(frozen=True)
class Period:
    """One stored assignment as the rules see it (valid_to inclusive, None = open)."""

    id: int
    beat_id: int
    officer_id: int
    role: AssignmentRole
    kind: AssignmentKind
    valid_from: dt.date
    valid_to: dt.date | None
    officer_name: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class OfficerFacts:
    id: int
    role: OfficerRole
    active: bool
    name: str = ""


@dataclass
class Plan:
    """What the service must do: close some periods, insert one, and tell the user warnings."""

    close: dict[int, dt.date] = field(default_factory=dict)  # assignment id -> new valid_to
    warnings: list[str] = field(default_factory=list)


def fmt_date(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else "bezterminowo"


def overlaps(a_from: dt.date, a_to: dt.date | None, b_from: dt.date, b_to: dt.date | None) -> bool:
    """Inclusive periods [a_from, a_to] and [b_from, b_to] share at least one day."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


_ROLE_FORMS = {  # Polish cases: nominative, genitive, instrumental
    AssignmentRole.BEAT_OFFICER: ("dzielnicowy", "dzielnicowego", "dzielnicowym"),
    AssignmentRole.TRAFFIC: ("policjant ruchu drogowego", "policjanta ruchu drogowego",
                             "policjantem ruchu drogowego"),
}


def _role_name(role: AssignmentRole, case: int = 1) -> str:
    return _ROLE_FORMS[role][case]


def check_officer(officer: OfficerFacts, role: AssignmentRole) -> None:
    if not officer.active:
        raise RuleError(f"Funkcjonariusz {officer.name} jest nieaktywny – nie można mu "
                        "przydzielić rejonu.")
    if officer.role not in ALLOWED_ROLES[role]:
        if role == AssignmentRole.TRAFFIC:
            raise RuleError(f"{officer.name} nie jest policjantem Wydziału Ruchu Drogowego – "
                            "policjant ruchu drogowego rejonu musi pochodzić z tego wydziału.")
        raise RuleError(f"{officer.name} nie jest dzielnicowym – rolę dzielnicowego rejonu "
                        "może pełnić tylko dzielnicowy (lub kierownik dzielnicowych).")


def plan_regular(existing: list[Period], officer: OfficerFacts, role: AssignmentRole,
                 valid_from: dt.date, valid_to: dt.date | None,
                 other_beats_of_officer: Sequence[Period] = ()) -> Plan:
    """Plan a new regular assignment of ``officer`` to the beat whose periods are ``existing``.

    The regular period that runs on ``valid_from`` and began earlier is ended the day before
    (reassignment). Any other overlap is an error: history is never rewritten silently.
    """
    check_officer(officer, role)
    if valid_to is not None and valid_to < valid_from:
        raise RuleError("Data końca przydziału jest wcześniejsza niż data początku.")
    plan = Plan()
    for p in existing:
        if p.role != role or p.kind != AssignmentKind.REGULAR:
            continue
        if not overlaps(p.valid_from, p.valid_to, valid_from, valid_to):
            continue
        if p.valid_from < valid_from:
            if p.officer_id == officer.id and (p.valid_to is None or
                                               (valid_to is not None and p.valid_to >= valid_to)):
                raise RuleError(f"{officer.name} jest już {_role_name(role, 2)} tego rejonu "
                                f"od {fmt_date(p.valid_from)}.")
            if valid_to is not None and (p.valid_to is None or p.valid_to > valid_to):
                raise RuleError(
                    f"Nowy okres ({fmt_date(valid_from)} – {fmt_date(valid_to)}) mieści się "
                    f"wewnątrz przydziału {p.officer_name} ({fmt_date(p.valid_from)} – "
                    f"{fmt_date(p.valid_to)}). Na krótki okres dodaj zastępstwo.")
            plan.close[p.id] = valid_from - ONE_DAY
            continue
        raise RuleError(
            f"W rejonie jest już {_role_name(role, 0)} {p.officer_name} w okresie "
            f"{fmt_date(p.valid_from)} – {fmt_date(p.valid_to)}, który nachodzi na nowy okres "
            f"{fmt_date(valid_from)} – {fmt_date(valid_to)}. Okresy dla tego samego rejonu "
            "i roli nie mogą się pokrywać.")
    if role == AssignmentRole.BEAT_OFFICER:
        for p in other_beats_of_officer:
            if (p.role == role and p.kind == AssignmentKind.REGULAR
                    and p.officer_id == officer.id
                    and overlaps(p.valid_from, p.valid_to, valid_from, valid_to)):
                plan.warnings.append(
                    f"Uwaga: {officer.name} jest już dzielnicowym innego rejonu "
                    f"(od {fmt_date(p.valid_from)}). Dzielnicowy prowadzący więcej niż jeden "
                    "rejon jest dopuszczalny, ale nietypowy.")
                break
    return plan


def plan_substitute(existing: list[Period], officer: OfficerFacts, role: AssignmentRole,
                    valid_from: dt.date, valid_to: dt.date | None) -> Plan:
    """Plan a substitute: a closed range, not overlapping another substitute of the same role,
    not the officer who is being substituted. The regular assignment is left as it is."""
    check_officer(officer, role)
    if valid_to is None:
        raise RuleError("Zastępstwo musi mieć datę końca.")
    if valid_to < valid_from:
        raise RuleError("Data końca zastępstwa jest wcześniejsza niż data początku.")
    plan = Plan()
    regular_found = False
    for p in existing:
        if p.role != role or not overlaps(p.valid_from, p.valid_to, valid_from, valid_to):
            continue
        if p.kind == AssignmentKind.SUBSTITUTE:
            raise RuleError(
                f"W okresie {fmt_date(p.valid_from)} – {fmt_date(p.valid_to)} zastępstwo "
                f"pełni już {p.officer_name}; zastępstwa tej samej roli nie mogą się pokrywać.")
        regular_found = True
        if p.officer_id == officer.id:
            raise RuleError(f"{officer.name} jest w tym okresie przydzielony do rejonu "
                            "na stałe – nie może zastępować sam siebie.")
    if not regular_found:
        plan.warnings.append("Uwaga: w tym okresie rejon nie ma stałego "
                             f"{_role_name(role)} – zastępstwo niczego nie zastępuje.")
    return plan


@dataclass(frozen=True)
class Responsible:
    """Who answered for a beat in one role on one day: the acting officer (a substitute if
    one covers the day) and the regular holder."""

    acting: Period | None
    regular: Period | None

    @property
    def is_substitute(self) -> bool:
        return self.acting is not None and self.acting.kind == AssignmentKind.SUBSTITUTE


def responsible_on(periods: list[Period], role: AssignmentRole, day: dt.date) -> Responsible:
    regular = next((p for p in periods if p.role == role and p.kind == AssignmentKind.REGULAR
                    and p.covers(day)), None)
    substitute = next((p for p in periods if p.role == role
                       and p.kind == AssignmentKind.SUBSTITUTE and p.covers(day)), None)
    return Responsible(substitute or regular, regular)
