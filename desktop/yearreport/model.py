"""The content of the year's report as frozen dataclasses (Qt-free); ``content.collect``
fills them, the document, the XLSX file and the tests read them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.models import ActivityKind, PlanEvaluation
from desktop.threats.plans import PlanMeasure

KINDS: tuple[ActivityKind, ...] = tuple(ActivityKind)


# --- the parts ---------------------------------------------------------------------------
@dataclass(frozen=True)
class AgreementLine:
    caption: str
    signed_on: dt.date | None
    signed: int  # signed by the end of the period
    signed_in_period: int
    invited: int
    withdrawn: int


@dataclass(frozen=True)
class SignatureLine:
    partner: str
    partner_type: str
    signatory: str
    signed_on: dt.date | None
    annex: str
    removed: bool  # the partner has since been removed from the register


@dataclass(frozen=True)
class PartnersPart:
    agreements: tuple[AgreementLine, ...]
    signatures: tuple[SignatureLine, ...]  # signed by the end of the period
    by_type: tuple[tuple[str, int], ...]  # partners who signed, by type
    partners_signed: int  # distinct partners
    signed_in_period: int  # signatures dated within the period
    partners_in_activities: int  # distinct partners taking part in the period's activities


@dataclass(frozen=True)
class BeatActivities:
    unit: str
    number: str
    name: str
    counts: tuple[int, ...]  # per KINDS
    attendance: int

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class ActivitiesPart:
    total: int
    attendance: int
    by_kind: tuple[tuple[ActivityKind, int, int], ...]  # kind, count, attendance
    by_month: tuple[tuple[dt.date, int, int], ...]  # first day of month, count, attendance
    by_beat: tuple[BeatActivities, ...]
    with_partners: int
    linked_to_plans: int


@dataclass(frozen=True)
class PlanLine:
    unit: str
    beat: str  # "nr 3 – Centrum"
    officer: str
    category: str
    period_from: dt.date
    period_to: dt.date
    actions: int
    actions_done: int
    activities: int  # activities of the log linked to the plan (any date)
    measure: PlanMeasure
    evaluation: PlanEvaluation | None


@dataclass(frozen=True)
class PlansPart:
    plans: tuple[PlanLine, ...]

    def count(self, evaluation: PlanEvaluation | None) -> int:
        return sum(1 for p in self.plans if p.evaluation is evaluation)


@dataclass(frozen=True)
class BeatTrend:
    unit: str
    number: str
    name: str
    current: int
    previous: int
    top_category: str
    top_count: int

    @property
    def change(self) -> int:
        return self.current - self.previous

    @property
    def change_pct(self) -> float | None:
        return 100.0 * self.change / self.previous if self.previous else None


@dataclass(frozen=True)
class ThreatsPart:
    statuses: str  # which report statuses are counted
    total: int
    previous_total: int
    outside_beats: int
    monthly: tuple[tuple[dt.date, int], ...]
    previous_monthly: tuple[tuple[dt.date, int], ...]
    beats: tuple[BeatTrend, ...]
    categories: tuple[tuple[str, int, int], ...]  # name, current, previous (current order)

    @property
    def change_pct(self) -> float | None:
        if not self.previous_total:
            return None
        return 100.0 * (self.total - self.previous_total) / self.previous_total


@dataclass(frozen=True)
class TrafficOfficerLine:
    officer: str
    beats: int  # beats with this officer as the traffic officer on the last day
    activities: int


@dataclass(frozen=True)
class TrafficPart:
    road_categories: tuple[tuple[str, int, int], ...]  # name, current, previous
    activities: int
    attendance: int
    by_kind: tuple[tuple[ActivityKind, int], ...]
    officers: tuple[TrafficOfficerLine, ...]
    beats_with_traffic: int
    beats_total: int

    @property
    def road_total(self) -> int:
        return sum(c for _, c, _ in self.road_categories)

    @property
    def road_previous(self) -> int:
        return sum(p for _, _, p in self.road_categories)


@dataclass(frozen=True)
class YearReport:
    date_from: dt.date
    date_to: dt.date
    previous_from: dt.date
    previous_to: dt.date
    unit_name: str  # the command's (or the chosen unit's) full name
    scope: str  # "cały obszar KMP Konin" or "KP Golina"
    generated_at: dt.datetime
    user: str
    partners: PartnersPart
    activities: ActivitiesPart
    plans: PlansPart
    threats: ThreatsPart
    traffic: TrafficPart
