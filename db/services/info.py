"""Facts about the open database kept in the database_info table."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import Beat, DatabaseInfo, Partner, ThreatReport, Unit

SAMPLE_KEY = "sample_data"
# What kind of data the database holds: the fictional sample or a real station's data. A
# database the app has just created waits for the user's choice ("new"); an older database
# without the key is real unless SAMPLE_KEY says otherwise.
KIND_KEY = "data_kind"
KIND_SAMPLE = "sample"
KIND_REAL = "real"
KIND_NEW = "new"
# The day the data describes when it is not "today": the sample is the programme year 2018.
REFERENCE_DATE_KEY = "reference_date"


def set_info(session: Session, key: str, value: str) -> None:
    session.merge(DatabaseInfo(key=key, value=value))


def get_info(session: Session, key: str) -> str | None:
    row = session.get(DatabaseInfo, key)
    return row.value if row else None


def data_kind(session: Session) -> str:
    """KIND_SAMPLE, KIND_REAL or KIND_NEW (created by the app, the first-start choice pending)."""
    if get_info(session, SAMPLE_KEY):
        return KIND_SAMPLE
    kind = get_info(session, KIND_KEY)
    return kind if kind in (KIND_SAMPLE, KIND_NEW) else KIND_REAL


def is_sample(session: Session) -> bool:
    return data_kind(session) == KIND_SAMPLE


def is_empty(session: Session) -> bool:
    """True when the database holds no programme data yet (dictionaries do not count)."""
    for model in (Unit, Beat, Partner, ThreatReport):
        if session.scalar(select(func.count()).select_from(model)):
            return False
    return True


def reference_date(db: Database) -> dt.date:
    """The default "as of" day: the one stored with the data (sample: 31.12.2018), else today."""
    with db.session() as s:
        return session_reference_date(s)


def session_reference_date(session: Session) -> dt.date:
    """``reference_date`` within the caller's session."""
    value = get_info(session, REFERENCE_DATE_KEY)
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        return dt.date.today()
