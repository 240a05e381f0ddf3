"""A few priority action plans for the sample database (deterministic: beat order only)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Beat, Partner, PartnerType
from desktop.threats.plans import (
    ActionData,
    PlanMeasure,
    PlanPartnerData,
    _apply,
    _count,
    draft_plan,
    half_year_periods,
)

SAMPLE_PLAN_EVERY = 3  # every third beat gets a plan


def create_sample_plans(session: Session, year: int = 2018) -> int:
    """Plans for 1 Feb–31 Jul of ``year`` in every third beat, evaluated from the reports.
    Returns the number of plans created; the caller owns the transaction."""
    period_from, period_to = half_year_periods(year)[0]
    beats = session.scalars(select(Beat).order_by(Beat.id)).all()
    partners = session.scalars(select(Partner).where(Partner.deleted_at.is_(None))
                               .order_by(Partner.id)).all()
    ngos = [p for p in partners if p.partner_type is PartnerType.NGO]
    created = 0
    for n, beat in enumerate(beats):
        if n % SAMPLE_PLAN_EVERY:
            continue
        plan = draft_plan(session, beat.id, period_from, period_to)
        if plan.category_id is None:
            continue
        plan.goal = "Ograniczenie liczby zgłoszeń tej kategorii o co najmniej 20% w półroczu."
        plan.actions = [
            ActionData("Debata społeczna z mieszkańcami rejonu", dt.date(year, 3, 15),
                       "dzielnicowy", True),
            ActionData("Wzmożone patrole w miejscach wskazanych na KMZB", dt.date(year, 6, 30),
                       "dzielnicowy z Wydziałem Ruchu Drogowego", True),
            ActionData("Ankieta wśród mieszkańców i podsumowanie", period_to, "dzielnicowy",
                       False),
        ]
        local = [p for p in partners if beat.gmina_id is not None and p.gmina_id == beat.gmina_id]
        chosen = local[:1] + (ngos[n // SAMPLE_PLAN_EVERY % len(ngos):][:1] if ngos else [])
        plan.partners = [PlanPartnerData(p.id, p.name, "współorganizator")
                         for p in dict.fromkeys(chosen)]
        length = period_to - period_from
        before_to = period_from - dt.timedelta(days=1)
        m = PlanMeasure(_count(session, beat.id, plan.category_id, period_from, period_to),
                        _count(session, beat.id, plan.category_id, before_to - length, before_to),
                        True)
        plan.evaluation = m.suggested
        plan.evaluation_note = (f"Zgłoszenia w okresie planu: {m.during}, w półroczu "
                                f"poprzednim: {m.before}.")
        _apply(session, plan)
        created += 1
    return created
