"""The beat summary ("Karta rejonu") lists the beat's recent activities (one more query)."""
from __future__ import annotations

import dataclasses
import datetime as dt

from activity_helpers import WHEN
from sqlalchemy import select

from db.models import ActivityKind, Beat
from desktop.activities.service import ActivityInput, create_activity, list_activities
from desktop.beats.summary import RECENT_ACTIVITIES, body_html, collect, collect_many

HOSTILE = "<img src=x onerror=alert(1)>"


def test_summary_shows_the_last_twelve_months_of_the_beats_activities(sample_db, world):
    on = dt.date(2018, 12, 31)
    data = collect(sample_db, world.beat, on, user="jan")
    expected = [r for r in list_activities(sample_db)
                if world.beat in {b.id for b in r.beats}
                and dt.date(2018, 1, 1) <= r.starts_at.date() <= on][:RECENT_ACTIVITIES]
    assert [(a.starts_at, a.title) for a in data.activities] == [
        (r.starts_at, r.title) for r in expected]
    assert expected  # the sample gives every beat a few
    html = body_html(data)
    assert "Ostatnie działania w rejonie" in html and expected[0].title in html


def test_summary_caps_at_ten_escapes_and_skips_older_ones(sample_db, world):
    base = ActivityInput(ActivityKind.MEETING, HOSTILE, WHEN, beat_ids=(world.other_beat,),
                         officer_ids=(world.officer,))
    for day in range(12):
        create_activity(sample_db, dataclasses.replace(base, starts_at=WHEN - dt.timedelta(days=day)))
    create_activity(sample_db, dataclasses.replace(base, title="Dawno temu",
                                                   starts_at=dt.datetime(2017, 1, 5, 10, 0)))
    with sample_db.session() as s:
        beats = s.scalars(select(Beat.id).order_by(Beat.id)).all()
    many = collect_many(sample_db, beats, WHEN.date(), user="jan")
    mine = next(d for d in many if d.detail.id == world.other_beat)
    assert len(mine.activities) == RECENT_ACTIVITIES
    assert all(a.title == HOSTILE for a in mine.activities)
    html = body_html(mine)
    assert HOSTILE not in html and "&lt;img src=x" in html and "Dawno temu" not in html
    empty = collect(sample_db, world.beat, dt.date(2016, 1, 1), user="jan")
    assert empty.activities == [] and "Brak działań w ostatnich 12 miesiącach" in body_html(empty)
