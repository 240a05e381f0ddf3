"""The printed beat summary: content, escaping, map, PDF read back, command line."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.models import (
    AssignmentRole,
    Beat,
    Partner,
    PartnerType,
    PlanAction,
    PlanPartner,
    PriorityPlan,
    ThreatCategory,
    ThreatReport,
    ThreatStatus,
    Unit,
)
from desktop.beats import assignments as svc
from desktop.beats.mapsvg import MapShape, beat_map_svg
from desktop.beats.summary import beat_document, collect, write_beats_pdf
from desktop.cli import main

D = dt.date
HOSTILE = "<img src=x onerror=alert(1)>"
SQUARE = '{"type":"Polygon","coordinates":[[[18.2,52.2],[18.3,52.2],[18.3,52.3],[18.2,52.3],[18.2,52.2]]]}'
EAST = '{"type":"Polygon","coordinates":[[[18.3,52.2],[18.4,52.2],[18.4,52.3],[18.3,52.3],[18.3,52.2]]]}'


def _text(path) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages).split())


@pytest.fixture
def filled(world):
    """World with officers, partners, reports and a current plan for beat 1."""
    db = world.db
    svc.assign(db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER, D(2018, 1, 1))
    svc.assign(db, world.beat1, world.traffic_x, AssignmentRole.TRAFFIC, D(2018, 1, 1))
    with db.session() as s, s.begin():
        b1, b2 = s.get(Beat, world.beat1), s.get(Beat, world.beat2)
        b1.boundary, b1.area_km2, b2.boundary = SQUARE, 76.1, EAST
        gmina_id = b1.gmina_id
        s.add(Partner(name="Urząd Gminy Ślesin", partner_type=PartnerType.GMINA,
                      gmina_id=gmina_id, representative="Mariusz Zięba",
                      representative_function="Burmistrz", phone="63 270 50 10"))
        s.add(Partner(name="Usunięty partner", partner_type=PartnerType.NGO, gmina_id=gmina_id,
                      deleted_at=dt.datetime(2018, 5, 1)))
        s.add(Partner(name=HOSTILE, partner_type=PartnerType.NGO, gmina_id=gmina_id))
        cats = list(s.scalars(select(ThreatCategory).order_by(ThreatCategory.id)))[:3]
        status = s.scalars(select(ThreatStatus)).first()
        n = 0
        for cat, count in zip(cats, (5, 3, 1)):
            for i in range(count):
                n += 1
                s.add(ThreatReport(category=cat, status=status, lat=52.25, lon=18.25,
                                   reported_at=dt.datetime(2018, 6, 1 + i), beat_id=world.beat1))
        s.add(ThreatReport(category=cats[2], status=status, lat=52.25, lon=18.25,
                           reported_at=dt.datetime(2016, 1, 1), beat_id=world.beat1))  # too old
        plan = PriorityPlan(beat_id=world.beat1, officer_id=world.host_a, category=cats[0],
                            problem="Psy bez nadzoru przy ul. Łąkowej", goal="Mniej zgłoszeń",
                            period_from=D(2018, 8, 1), period_to=D(2019, 1, 31))
        plan.actions.append(PlanAction(description="Debata społeczna w Ślesinie",
                                       deadline=D(2018, 9, 15), responsible="dzielnicowy"))
        partner = s.scalars(select(Partner).where(Partner.name == "Urząd Gminy Ślesin")).one()
        plan.partners.append(PlanPartner(partner=partner))
        s.add(plan)
    return world, cats


def test_collect_gathers_every_section(filled):
    world, cats = filled
    data = collect(world.db, world.beat1, D(2018, 10, 1), user="jan")
    assert data.detail.beat_officer.name == "st. asp. Anna Łęcka"
    assert data.detail.traffic.name == "st. asp. Xawery Ruch"
    assert [p.name for p in data.partners] == ["Urząd Gminy Ślesin", HOSTILE]
    assert [(c.name, c.count) for c in data.categories] == [(cats[0].name, 5),
                                                            (cats[1].name, 3),
                                                            (cats[2].name, 1)]
    assert data.reports_total == 9
    assert data.plan is not None and data.plan.partners == ["Urząd Gminy Ślesin"]
    assert collect(world.db, world.beat1, D(2019, 2, 1)).plan is None  # plan over


def test_html_escapes_data_and_embeds_the_map(filled):
    world, _ = filled
    with world.db.session() as s, s.begin():
        s.get(Beat, world.beat1).name = HOSTILE
    doc = beat_document(world.db, [world.beat1], D(2018, 10, 1), user="<b>x</b>")
    assert "<img src=x" not in doc.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc.html
    assert "data:image/svg+xml;base64," in doc.html
    assert doc.decor.footer_left.endswith("użytkownik: <b>x</b>")  # drawn as plain text by QPainter


def test_map_svg_draws_beat_neighbours_and_escapes_labels():
    svg = beat_map_svg(MapShape("1", SQUARE), [MapShape(HOSTILE, EAST),
                                               MapShape("far", None)])
    assert svg.count("<path") == 3  # neighbour, beat, north arrow
    assert "&lt;img" in svg and "<img" not in svg
    assert re.search(r">\d+ km<", svg)  # scale bar
    empty = beat_map_svg(MapShape("1", None), [])
    assert "Brak granic rejonu" in empty


def test_pdf_reads_back_with_polish_text(filled, tmp_path, qapp):
    world, cats = filled
    path = tmp_path / "karta.pdf"
    pages = write_beats_pdf(world.db, [world.beat1], path, D(2018, 10, 1), user="jan")
    reader = PdfReader(str(path))
    assert len(reader.pages) == pages >= 1
    text = _text(path)
    for expected in ["Karta rejonu nr 1: Ślesin – centrum", "Komenda Miejska Policji w Koninie",
                     "st. asp. Anna Łęcka", "st. asp. Xawery Ruch", "Urząd Gminy Ślesin",
                     cats[0].name, "Psy bez nadzoru przy ul. Łąkowej",
                     "Debata społeczna w Ślesinie", "użytkownik: jan",
                     f"Strona 1 z {pages}", HOSTILE]:
        assert expected in text, expected
    assert "Usunięty partner" not in text


def test_cli_print_beat_and_print_beats(sample_db, tmp_path, capsys):
    url = sample_db.url
    one = tmp_path / "one.pdf"
    assert main(["print-beat", "1", "--unit", "KP Golina", "--pdf", str(one),
                 "--database", url]) == 0
    text = _text(one)
    assert "Karta rejonu nr 1: Gmina Golina" in text and "Komisariat Policji w Golinie" in text
    # numbers repeat across units: --unit is required then
    assert main(["print-beat", "1", "--pdf", str(tmp_path / "x.pdf"), "--database", url]) == 2
    assert "podaj --unit" in capsys.readouterr().err
    assert main(["print-beat", "99", "--unit", "KMP Konin", "--pdf", str(tmp_path / "y.pdf"),
                 "--database", url]) == 2
    assert main(["print-beat", "1", "--unit", "KP Golina", "--date", "1.10.2018",
                 "--pdf", str(tmp_path / "z.pdf"), "--database", url]) == 2
    assert "Niepoprawna data" in capsys.readouterr().err
    many = tmp_path / "all.pdf"
    assert main(["print-beats", "--unit", "kmp konin", "--pdf", str(many),
                 "--database", url]) == 0
    with sample_db.session() as s:
        n = len(list(s.scalars(select(Beat).join(Unit).where(Unit.short_name == "KMP Konin"))))
    text = _text(many)
    assert all(f"Karta rejonu nr {i}:" in text for i in range(1, n + 1))
    pages = len(PdfReader(str(many)).pages)
    assert pages >= n and f"Strona {pages} z {pages}" in text
    assert main(["print-beats", "--unit", "KP Nigdzie", "--pdf", str(many),
                 "--database", url]) == 2


def _statements_and_checkouts(db, fn):
    """SQL statements run and connections taken from the pool while ``fn`` runs."""
    from sqlalchemy import event

    counts = {"statements": 0, "checkouts": 0}

    def on_execute(*_args):
        counts["statements"] += 1

    def on_checkout(*_args):
        counts["checkouts"] += 1

    event.listen(db.engine, "before_cursor_execute", on_execute)
    event.listen(db.engine.pool, "checkout", on_checkout)
    try:
        result = fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        event.remove(db.engine.pool, "checkout", on_checkout)
    return result, counts


def test_summaries_read_in_one_session_with_a_constant_number_of_queries(sample_db):
    """One beat and a whole unit cost the same: one session, one query per kind of data
    (before: four sessions per beat and the assignment join twice)."""
    from desktop.beats.queries import beat_ids_of_unit
    from desktop.beats.summary import collect_many

    on = D(2018, 6, 1)  # the sample's plans cover the first half of 2018
    with sample_db.session() as s:
        planned = s.scalars(select(PriorityPlan.beat_id).where(
            PriorityPlan.period_from <= on, PriorityPlan.period_to >= on)).first()
        unit_id = s.get(Beat, planned).unit_id
    unit = beat_ids_of_unit(sample_db, unit_id)
    assert planned in unit and len(unit) >= 5
    one, single = _statements_and_checkouts(
        sample_db, lambda: collect_many(sample_db, [planned], on, user="jan"))
    many, whole = _statements_and_checkouts(
        sample_db, lambda: collect_many(sample_db, unit, on, user="jan"))
    assert one[0].plan is not None and [d.detail.id for d in many] == unit
    assert single["checkouts"] == whole["checkouts"] == 1
    # 10 + activities + further gminas + the category names (the counts come from
    # report_counts, which has only the ids)
    assert whole["statements"] == single["statements"] <= 13
    # the reference date ("stan na dzień") is read in the same session
    _, default_day = _statements_and_checkouts(sample_db, lambda: collect_many(sample_db, unit))
    assert default_day["checkouts"] == 1


def test_category_counts_come_from_the_report_counts_and_equal_a_direct_count(sample_db):
    """The 12 months' counts per beat and category (whole months from ``report_counts``,
    the partial ones from the reports) equal a count over the reports, to the day."""
    from sqlalchemy import func

    from desktop.beats.queries import twelve_months_before
    from desktop.beats.summary import _categories

    with sample_db.session() as s:
        ids = list(s.scalars(select(Beat.id)))
        for on in (D(2018, 6, 15), D(2018, 12, 31), D(2019, 2, 28)):
            since = dt.datetime.combine(twelve_months_before(on), dt.time())
            until = dt.datetime.combine(on + dt.timedelta(days=1), dt.time())
            direct: dict[int, list] = {}
            for bid, name, road, n in s.execute(
                    select(ThreatReport.beat_id, ThreatCategory.name, ThreatCategory.is_road,
                           func.count()).join(ThreatReport.category)
                    .where(ThreatReport.beat_id.in_(ids), ThreatReport.reported_at >= since,
                           ThreatReport.reported_at < until)
                    .group_by(ThreatReport.beat_id, ThreatCategory.name,
                              ThreatCategory.is_road)):
                direct.setdefault(bid, []).append((name, n, bool(road)))
            got = _categories(s, ids, on)
            assert direct and {k: sorted(v) for k, v in got.items()} == \
                {k: sorted(v) for k, v in direct.items()}, on


def test_unknown_beat_is_a_lookup_error(world):
    from desktop.beats.summary import collect_many

    with pytest.raises(LookupError, match="Nie ma rejonu"):
        collect_many(world.db, [world.beat1, 999])
