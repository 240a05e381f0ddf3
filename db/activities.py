"""The programme's activities log: meetings with residents, debates, consultations,
prevention talks, joint actions with partners and patrols with the traffic officer.

A module of its own (``db.models`` re-exports everything here); relationships name the other
models by string, so this module imports nothing from ``db.models``.
"""
from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Timestamped, Versioned
from db.base import enum_column as _enum

if TYPE_CHECKING:
    from db.models import Beat, Officer, Partner, PriorityPlan, ThreatCategory


class ActivityKind(str, enum.Enum):
    MEETING = "meeting"  # spotkanie z mieszkańcami ("Dzielnicowy bliżej nas")
    DEBATE = "debate"  # debata społeczna
    CONSULTATION = "consultation"  # konsultacje społeczne
    PREVENTION = "prevention"  # pogadanka / prelekcja profilaktyczna
    JOINT_ACTION = "joint_action"  # wspólne działanie z partnerami
    TRAFFIC_PATROL = "traffic_patrol"  # patrol z policjantem ruchu drogowego


def _link(name: str, other: str, column: str) -> Table:
    """A many-to-many link table of activities (deleting an activity deletes its links; a
    linked beat, officer, partner or category cannot be deleted)."""
    return Table(
        name, Base.metadata,
        Column("activity_id", ForeignKey("activities.id", ondelete="CASCADE"),
                primary_key=True),
        Column(column, ForeignKey(f"{other}.id", ondelete="RESTRICT"), primary_key=True,
                index=True),
    )


activity_beats = _link("activity_beats", "beats", "beat_id")
activity_officers = _link("activity_officers", "officers", "officer_id")
activity_partners = _link("activity_partners", "partners", "partner_id")
activity_categories = _link("activity_categories", "threat_categories", "category_id")


class Activity(Versioned, Timestamped, Base):
    """A piece of the programme's work: a meeting with residents, a debate, a consultation,
    a prevention talk, a joint action with partners or a patrol with the traffic officer."""

    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint("ends_at IS NULL OR ends_at >= starts_at", name="period_order"),
        CheckConstraint("attendance IS NULL OR attendance >= 0", name="attendance_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActivityKind] = mapped_column(_enum(ActivityKind, "activity_kind"))
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    attendance: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority_plans.id", ondelete="SET NULL"), index=True
    )

    plan: Mapped[PriorityPlan | None] = relationship()
    beats: Mapped[list[Beat]] = relationship(secondary=activity_beats, order_by="Beat.id")
    officers: Mapped[list[Officer]] = relationship(secondary=activity_officers,
                                                   order_by="Officer.id")
    partners: Mapped[list[Partner]] = relationship(secondary=activity_partners,
                                                   order_by="Partner.id")
    categories: Mapped[list[ThreatCategory]] = relationship(secondary=activity_categories,
                                                            order_by="ThreatCategory.id")
