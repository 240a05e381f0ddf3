"""The diagnosis scopes the query benchmarks time (run_all.py's query_metrics and
queries_pg_benchmark.py share them, so both measure the same thing)."""
from __future__ import annotations

import datetime as dt
from typing import Any


def diagnosis_scopes(db: Any) -> tuple[list[Any], dt.date, dt.date]:
    """(the four scopes, the first and last day of the data's last year): that whole year,
    the same for the second unit, the same for the first two statuses, its second half.
    Data without reports: the year 2018."""
    from sqlalchemy import func, select, text

    from db.models import ThreatReport, Unit
    from desktop.threats.diagnosis import DiagnosisScope

    with db.session() as s:
        last = s.scalar(select(func.max(ThreatReport.reported_at))) or dt.datetime(2018, 12, 31)
        unit = s.scalar(select(Unit.id).order_by(Unit.id).offset(1).limit(1))
        statuses = tuple(s.scalars(text("SELECT id FROM threat_statuses ORDER BY id LIMIT 2")))
    end = last.date()
    start = dt.date(end.year, 1, 1)
    scopes = [DiagnosisScope(start, end), DiagnosisScope(start, end, unit_id=unit),
              DiagnosisScope(start, end, statuses=statuses),
              DiagnosisScope(dt.date(end.year, 7, 1), end)]
    return scopes, start, end
