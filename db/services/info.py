"""Facts about the open database kept in the database_info table."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Beat, DatabaseInfo, Partner, ThreatReport, Unit

SAMPLE_KEY = "sample_data"


def set_info(session: Session, key: str, value: str) -> None:
    session.merge(DatabaseInfo(key=key, value=value))


def get_info(session: Session, key: str) -> str | None:
    row = session.get(DatabaseInfo, key)
    return row.value if row else None


def is_sample(session: Session) -> bool:
    return bool(get_info(session, SAMPLE_KEY))


def is_empty(session: Session) -> bool:
    """True when the database holds no programme data yet (dictionaries do not count)."""
    for model in (Unit, Beat, Partner, ThreatReport):
        if session.scalar(select(func.count()).select_from(model)):
            return False
    return True
