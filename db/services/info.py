"""Facts about the open database kept in the database_info table."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Beat, DatabaseInfo, Partner, ThreatReport, Unit

SAMPLE_KEY = "sample_data"
# The day the data describes when it is not "today": the sample is the programme year 2018.
REFERENCE_DATE_KEY = "reference_date"


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


def reference_date(db: Database) -> dt.date:
    """The default "as of" day: the one stored with the data (sample: 31.12.2018), else today."""
    with db.session() as s:
        value = get_info(s, REFERENCE_DATE_KEY)
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        return dt.date.today()
