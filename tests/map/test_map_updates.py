"""The map page after filters and imports, in the real web engine: cluster indexes reused and
bounded, only new reports sent after an import, a rebuild when older reports change."""
from __future__ import annotations

import datetime as dt

from map_helpers import page_state, show_heat_layer, wait_until
from sqlalchemy import func, select

from db.models import ThreatCategory, ThreatReport
from desktop.map.data import ReportFilter, count_reports


def _filters(db) -> list[ReportFilter]:
    with db.session() as s:
        cats = s.scalars(select(ThreatCategory.id).order_by(ThreatCategory.id)).all()
    return [ReportFilter(), ReportFilter(categories=tuple(cats[:3])),
            ReportFilter(categories=tuple(cats[3:6])), ReportFilter(unit_id=2),
            ReportFilter(date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 8, 31)),
            ReportFilter(categories=tuple(cats[:1]), date_from=dt.date(2018, 1, 1)),
            ReportFilter(statuses=()), ReportFilter(categories=tuple(cats[1:2]))]


def _apply(view, flt: ReportFilter) -> dict:
    seq = page_state(view.page)["filterSeq"]
    view.bridge.send_filter(flt.to_json())
    wait_until(lambda: page_state(view.page)["filterSeq"] > seq, 20, "a filter result")
    return page_state(view.page)


def test_filters_reuse_indexes_within_a_bounded_cache(loaded_map):
    view, db = loaded_map.view, loaded_map.db
    filters = _filters(db)
    hits = page_state(view.page)["cacheHits"]
    for shown in (True, False, True):  # 24 filter changes, each checked against the database
        show_heat_layer(view.page, shown)
        for flt in filters:
            state = _apply(view, flt)
            assert state["shown"] == state["rendered"] == count_reports(db, flt)
            assert state["heatPoints"] == (state["shown"] if shown else 0)
            assert state["cachedIndexes"] <= 6
            assert state["cachedPoints"] <= max(2 * state["total"], 200_000)
    show_heat_layer(view.page, False)
    # Going back to a recent filter reuses its index instead of building one.
    assert page_state(view.page)["cacheHits"] > hits
    _apply(view, ReportFilter())


def _add_reports(db, n: int) -> list[int]:
    with db.session() as s, s.begin():
        model = s.scalars(select(ThreatReport).order_by(ThreatReport.id).limit(1)).one()
        new = [ThreatReport(category_id=model.category_id, status_id=model.status_id,
                            reported_at=dt.datetime(2018, 12, 30, 12, 0), lat=model.lat + i * 1e-3,
                            lon=model.lon, beat_id=model.beat_id, source_id=f"nowe-{i}")
               for i in range(n)]
        s.add_all(new)
        s.flush()
        return [r.id for r in new]


def test_after_an_import_only_the_new_reports_are_sent(loaded_map, qtbot):
    view, db = loaded_map.view, loaded_map.db
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(ThreatReport))
    flt = ReportFilter(date_from=dt.date(2018, 12, 1))
    _apply(view, flt)
    before = view.delta_sizes[:]
    rebuilds: list[bool] = []
    _add_reports(db, 3)
    view.update_reports(lambda: rebuilds.append(True))
    wait_until(lambda: len(view.delta_sizes) > len(before) or rebuilds, 20, "the new reports")
    assert rebuilds == [] and view.delta_sizes[len(before):] == [3]
    wait_until(lambda: page_state(view.page)["total"] == total + 3, 10, "the page's total")
    state = page_state(view.page)
    assert state["received"] == 3
    assert state["shown"] == count_reports(db, flt)  # the user's filter, with the new ones

    # Nothing new: nothing sent, no rebuild.
    view.update_reports(lambda: rebuilds.append(True))
    wait_until(lambda: len(view.delta_sizes) > len(before) + 1 or rebuilds, 20, "an empty delta")
    assert rebuilds == [] and view.delta_sizes[-1] == 0

    # An older report edited (its status): the delta is refused and the page rebuilt.
    with db.session() as s, s.begin():
        first = s.scalars(select(ThreatReport).order_by(ThreatReport.id).limit(1)).one()
        other = s.scalars(select(ThreatReport.status_id)
                          .where(ThreatReport.status_id != first.status_id).limit(1)).one()
        first.status_id = other
    view.update_reports(lambda: rebuilds.append(True))
    wait_until(lambda: rebuilds, 20, "the rebuild request")
    assert view.delta_sizes[-1] == 0
    _apply(view, ReportFilter())
    assert page_state(view.page)["total"] == total + 3
