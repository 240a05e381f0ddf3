"""A modest, deterministic set of activities for the sample database (2018): a few per beat,
by beat order only, so that the demo's log, beat summaries and reports show them."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Activity,
    ActivityKind,
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Beat,
    Partner,
    PriorityPlan,
    ThreatCategory,
)

# (kind, title, place, month, day, hour, attendance, outcome, follow-up)
_PATTERN = [
    (ActivityKind.MEETING, "Dzielnicowy bliżej nas – spotkanie z mieszkańcami",
     "świetlica osiedlowa", 2, 12, 17, 24,
     "Mieszkańcy wskazali miejsca spożywania alkoholu i nieoświetlone przejścia.",
     "Sprawdzić wskazane miejsca podczas służby; wniosek do gminy o oświetlenie."),
    (ActivityKind.PREVENTION, "Bezpieczna droga do szkoły – pogadanka",
     "szkoła podstawowa", 3, 7, 10, 58,
     "Uczniowie klas I–III poznali zasady bezpiecznego przechodzenia przez jezdnię.",
     "Powtórzyć we wrześniu dla nowych klas."),
    (ActivityKind.DEBATE, "Debata społeczna o bezpieczeństwie w rejonie",
     "urząd gminy, sala sesyjna", 4, 19, 18, 41,
     "Uzgodniono wspólne działania przeciw dewastacjom.", "Kolejna debata jesienią."),
    (ActivityKind.TRAFFIC_PATROL, "Wspólny patrol z policjantem ruchu drogowego",
     "okolice przejść dla pieszych przy szkole", 5, 23, 7, None,
     "Pouczono 6 kierujących, 2 mandaty za przekroczenie prędkości.",
     "Powtórzyć przed rozpoczęciem roku szkolnego."),
    (ActivityKind.JOINT_ACTION, "Bezpieczne wakacje – akcja z partnerami",
     "plac zabaw i kąpielisko", 6, 28, 11, 120,
     "Rozdano materiały profilaktyczne, sprawdzono oznakowanie kąpieliska.",
     "Partner uzupełni oznakowanie do 15 lipca."),
    (ActivityKind.CONSULTATION, "Konsultacje planu działania priorytetowego",
     "siedziba rady osiedla", 9, 13, 17, 17,
     "Mieszkańcy ocenili skutki działań i zaproponowali nowe miejsca kontroli.",
     "Uwzględnić propozycje w planie na drugie półrocze."),
    (ActivityKind.MEETING, "Dzielnicowy bliżej nas – dyżur w sołectwie",
     "remiza OSP", 10, 18, 16, 12,
     "Zgłoszono problem z nielegalnym wysypiskiem.", "Przekazać sprawę straży gminnej."),
    (ActivityKind.PREVENTION, "Senior bezpieczny – oszustwa „na wnuczka”",
     "klub seniora", 11, 21, 12, 35,
     "Seniorzy poznali sposoby działania oszustów.", "Ulotki dla parafii i przychodni."),
]
PER_BEAT = 3


def create_sample_activities(session: Session, year: int = 2018) -> int:
    """Three activities per beat in ``year``; returns how many. The caller commits."""
    beats = session.scalars(select(Beat).order_by(Beat.id)).all()
    partners = session.scalars(select(Partner).where(Partner.deleted_at.is_(None))
                               .order_by(Partner.id)).all()
    categories = session.scalars(select(ThreatCategory).order_by(ThreatCategory.sort_order,
                                                                 ThreatCategory.id)).all()
    plans = {p.beat_id: p for p in session.scalars(select(PriorityPlan)
                                                   .order_by(PriorityPlan.id))}
    people: dict[tuple[int, AssignmentRole], list[Assignment]] = {}
    for a in session.scalars(select(Assignment).where(Assignment.kind == AssignmentKind.REGULAR)
                             .order_by(Assignment.valid_from)):
        people.setdefault((a.beat_id, a.role), []).append(a)

    def on_duty(beat_id: int, role: AssignmentRole, day: dt.date) -> list:
        return [a.officer for a in people.get((beat_id, role), [])
                if a.valid_from <= day and (a.valid_to is None or a.valid_to >= day)]

    created = 0
    for n, beat in enumerate(beats):
        local = [p for p in partners if beat.gmina_id is not None and p.gmina_id == beat.gmina_id]
        for k in range(PER_BEAT):
            kind, title, place, month, day, hour, attendance, outcome, follow = \
                _PATTERN[(n + k * 3) % len(_PATTERN)]
            when = dt.datetime(year, month, 1 + (day + n) % 28, hour, 0)
            officers = on_duty(beat.id, AssignmentRole.BEAT_OFFICER, when.date())
            if kind is ActivityKind.TRAFFIC_PATROL or kind is ActivityKind.JOINT_ACTION:
                officers += on_duty(beat.id, AssignmentRole.TRAFFIC, when.date())
            if not officers:
                continue
            chosen = local[:1] or partners[n % len(partners):][:1] if partners else []
            if kind is ActivityKind.JOINT_ACTION and not chosen:
                continue
            plan = plans.get(beat.id)
            in_plan = plan if plan is not None and plan.period_from <= when.date() \
                <= plan.period_to else None
            addressed = ([in_plan.category] if in_plan is not None and in_plan.category
                         else categories[(n + k) % len(categories):][:1])
            session.add(Activity(
                kind=kind, title=title, starts_at=when,
                ends_at=when + dt.timedelta(hours=2 if kind is not ActivityKind.TRAFFIC_PATROL
                                            else 4),
                place=f"{beat.name}, {place}",
                attendance=None if attendance is None else attendance + (n * 7) % 15,
                outcome=outcome, follow_up=follow, plan=in_plan, beats=[beat],
                officers=list(dict.fromkeys(officers)),
                partners=chosen if kind in (ActivityKind.JOINT_ACTION, ActivityKind.DEBATE,
                                            ActivityKind.PREVENTION) else [],
                categories=addressed))
            created += 1
    session.flush()
    return created
