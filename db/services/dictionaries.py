"""KMZB dictionaries (threat categories and statuses): editable tables seeded once."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import resources
from db.models import ThreatCategory, ThreatStatus


def kmzb_source() -> dict:
    return json.loads(Path(resources.path("data", "kmzb.json")).read_text(encoding="utf-8"))


def seed_dictionaries(session: Session) -> bool:
    """Fill the category and status tables from kmzb.json when they are empty.

    Tables that already have rows are left alone: users may have edited them.
    Returns True when anything was added.
    """
    data = kmzb_source()
    added = False
    if session.scalar(select(func.count()).select_from(ThreatStatus)) == 0:
        session.add_all(
            ThreatStatus(name=name, sort_order=i) for i, name in enumerate(data["statuses"])
        )
        added = True
    if session.scalar(select(func.count()).select_from(ThreatCategory)) == 0:
        road = set(data.get("road_categories", []))
        needs_description = set(data.get("notes", {}).get("description_required_for", []))
        session.add_all(
            ThreatCategory(
                name=name,
                is_road=name in road,
                description_required=name in needs_description,
                sort_order=i,
            )
            for i, name in enumerate(data["categories"])
        )
        added = True
    return added
