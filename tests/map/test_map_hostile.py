"""Hostile text from the database stays text in the page: no script from data runs."""
from __future__ import annotations

import datetime as dt

import pytest
from map_helpers import QT_NOISE, close_view, load_view, run_js, wait_until
from sqlalchemy import select

from db.models import (
    Assignment,
    AssignmentRole,
    Beat,
    Gmina,
    GminaKind,
    Officer,
    OfficerRole,
    ThreatCategory,
    ThreatReport,
    ThreatStatus,
    Unit,
    UnitKind,
)

pytestmark = pytest.mark.qt_log_ignore(*QT_NOISE)

# Short enough for every column they go into (PostgreSQL enforces String(n); SQLite does not).
IMG = '<img src=x onerror="__xss=1">'  # sets window.__xss if it ever runs
SCRIPT = "<script>__xss=1</script>"
NUMBER = "7<script>1</script>"  # beat numbers are String(20)
SQUARE = ('{"type":"Polygon","coordinates":[[[18.20,52.20],[18.30,52.20],[18.30,52.25],'
          '[18.20,52.25],[18.20,52.20]]]}')


def _hostile_data(db) -> int:
    with db.session() as s, s.begin():
        unit = Unit(name="KP " + IMG, short_name="KP", kind=UnitKind.STATION)
        gmina = Gmina(name="Gmina " + SCRIPT, kind=GminaKind.RURAL, boundary=SQUARE)
        beat = Beat(number=NUMBER, name="Rejon " + IMG, unit=unit, gmina=gmina,
                    boundary=SQUARE)
        officer = Officer(rank="st. sierż.", first_name=IMG, last_name=SCRIPT,
                          service_number="X1", role=OfficerRole.BEAT_OFFICER,
                          phone=IMG, email="a@b.pl" + SCRIPT)
        s.add_all([unit, gmina, beat, officer])
        s.flush()
        s.add(Assignment(beat=beat, officer=officer, role=AssignmentRole.BEAT_OFFICER,
                         valid_from=dt.date(2000, 1, 1)))
        category = s.scalars(select(ThreatCategory).order_by(ThreatCategory.id).limit(1)).one()
        category.name = "Kat " + IMG
        status = s.scalars(select(ThreatStatus).order_by(ThreatStatus.id).limit(1)).one()
        s.add(ThreatReport(category=category, status=status, reported_at=dt.datetime(2018, 3, 1),
                           lat=52.22, lon=18.25, beat=beat, description=IMG))
        return beat.id


def test_hostile_names_show_literally_and_never_run(qtbot, empty_db):
    beat_id = _hostile_data(empty_db)
    view, state = load_view(empty_db)
    try:
        assert state["beats"] == 1 and state["total"] == 1
        assert run_js(view.page, f"razem.openBeat({beat_id})") is True
        popup = wait_until(lambda: run_js(
            view.page, "(document.querySelector('.leaflet-popup-content') || {}).textContent"),
            10, "the beat popup")
        assert "Rejon " + IMG in popup and IMG in popup and SCRIPT in popup
        tooltip = run_js(view.page, "document.querySelector('.leaflet-tooltip').textContent")
        assert tooltip == NUMBER + " Rejon " + IMG
        legend = run_js(view.page, "document.querySelector('.razem-legend').textContent")
        assert "KP " + IMG in legend
        assert run_js(view.page, "razem.openReport(0)") is True
        report = wait_until(lambda: "Kat " in (run_js(
            view.page, "(document.querySelector('.leaflet-popup-content') || {}).textContent")
            or ""), 10, "the report popup")
        assert report
        run_js(view.page, "razem.setColourBy('gmina'); 1")
        legend = run_js(view.page, "document.querySelector('.razem-legend').textContent")
        assert "Gmina " + SCRIPT in legend
        # Give any injected handler the chance to fire, then prove none did.
        wait_until(lambda: run_js(view.page, "document.readyState") == "complete", 5)
        injected = run_js(view.page, "document.querySelectorAll("
                                     "'.leaflet-popup img, .leaflet-tooltip img, .razem-legend img,"
                                     " .leaflet-popup script, .razem-legend script').length")
        assert injected == 0
        assert run_js(view.page, "typeof window.__xss") == "undefined"
        assert view.interceptor.blocked == []
        assert not any(path.endswith("/x") for path in view.handler.failed)
    finally:
        close_view(view)
