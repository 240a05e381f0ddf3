"""Change topics are typed: a wrong topic fails where it is written, not silently."""
from __future__ import annotations

import pytest

from desktop.app.context import AppContext, Change


def test_subscribers_get_only_their_topics(empty_db, qtbot):
    ctx = AppContext(empty_db)
    beats, reports = [], []
    ctx.subscribe(Change.BEATS, beats.append)
    ctx.subscribe(Change.REPORTS | Change.PLANS, reports.append)
    ctx.notify(Change.BEATS)
    ctx.notify(Change.PLANS)
    ctx.notify(Change.BEATS | Change.REPORTS)
    assert beats == [Change.BEATS, Change.BEATS | Change.REPORTS]
    assert reports == [Change.PLANS, Change.BEATS | Change.REPORTS]


@pytest.mark.parametrize("bad", ["beats", 1, Change(0), None])
def test_strings_and_empty_topics_are_refused_at_connect_and_send(empty_db, qtbot, bad):
    ctx = AppContext(empty_db)
    with pytest.raises(TypeError):
        ctx.subscribe(bad, print)
    with pytest.raises(TypeError):
        ctx.notify(bad)


def test_everything_holds_every_topic():
    assert all(member in Change.everything() for member in Change)
