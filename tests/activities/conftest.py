"""Helpers for the activities tests: ids picked from the real sample database."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from db.models import Beat, Officer, OfficerRole, Partner, PriorityPlan, ThreatCategory


@dataclass(frozen=True)
class World:
    beat: int
    other_beat: int
    officer: int
    traffic: int
    partner: int
    category: int
    plan: int
    plan_beat: int


@pytest.fixture
def world(sample_db) -> World:
    with sample_db.session() as s:
        beats = s.scalars(select(Beat.id).order_by(Beat.id)).all()
        officer = s.scalars(select(Officer.id).where(Officer.role == OfficerRole.BEAT_OFFICER)
                            .order_by(Officer.id)).first()
        traffic = s.scalars(select(Officer.id).where(Officer.role == OfficerRole.TRAFFIC)
                            .order_by(Officer.id)).first()
        partner = s.scalars(select(Partner.id).order_by(Partner.id)).first()
        category = s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id)).first()
        plan = s.scalars(select(PriorityPlan).order_by(PriorityPlan.id)).first()
        assert plan is not None and officer and traffic and partner and category
        other = next(b for b in beats if b != plan.beat_id)
        return World(plan.beat_id, other, officer, traffic, partner, category, plan.id,
                     plan.beat_id)


