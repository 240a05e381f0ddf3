"""The offline HTML set, read back: links between the pages, zero external addresses, no
script, text escaped, UTF-8 with Polish letters, the sample marked on every page."""
from __future__ import annotations

from pathlib import Path

import pytest

from desktop.common.ui.jobs import JobCancelled
from desktop.publish.content import SAMPLE_NOTICE, collect, unit_beats
from desktop.publish.site import INDEX, write_site
from tests.publish.site_check import external_references, parse
from tests.publish.town import HOSTILE, ON


def _check_set(folder: Path, expected_pages: int) -> dict[str, object]:
    files = sorted(p.name for p in folder.glob("*.html"))
    assert INDEX in files and len(files) == expected_pages + 1
    pages = {name: parse(folder / name) for name in files}
    for name, page in pages.items():
        raw = (folder / name).read_bytes()
        raw.decode("utf-8")  # strict
        assert b'<meta charset="utf-8">' in raw
        assert "script" not in page.tags and "iframe" not in page.tags
        assert "link" not in page.tags and "img" not in page.tags  # nothing fetched
        assert external_references(page) == [], name
        # an address may appear only as escaped text that a person typed in (a hostile name)
        typed = "".join(page.text) + "".join(v for _, n, v in page.attrs if n == "aria-label")
        assert raw.count(b"://") == typed.count("://")
        for link in page.links:  # every link is one of the set's pages
            assert link in files, (name, link)
    index = pages[INDEX]
    assert sorted(index.links) == sorted(f for f in files if f != INDEX)
    for name, page in pages.items():
        if name != INDEX:
            assert page.links == [INDEX]
    return pages


def test_html_set_of_a_unit_read_back(town, tmp_path):
    items = collect(town.db, unit_beats(town.db, town.command, ON), ON)
    written = write_site(items, tmp_path / "www")
    assert len(written) == 3
    pages = _check_set(tmp_path / "www", 2)
    beat1 = next(p for n, p in pages.items() if n.endswith("-1.html"))
    assert beat1.tags.count("svg") == 1 and "path" in beat1.tags  # the map, inline
    assert ("svg", "viewbox", "0 0 1600 1100") in beat1.attrs
    text = beat1.all_text
    for expected in ("Twój dzielnicowy", "Rejon nr 1: Łężyn – śródmieście",
                     "st. asp. Żaneta Gęślińska", "żaneta.gęślińska@kmp-konin.example",
                     "st. asp. Ryszard Drogowy", "ul. Wyszyńskiego 6, 62-510 Konin",
                     "Psy bez nadzoru", "Debata społeczna w Łężynie (do 15.09.2018)",
                     "Stowarzyszenie „Bezpieczny Łężyn”", "Stan na dzień 01.10.2018", "112"):
        assert expected in text, expected
    assert SAMPLE_NOTICE not in text  # not the sample
    beat2 = next(p for n, p in pages.items() if n.endswith("-2.html"))
    assert HOSTILE in beat2.all_text  # the hostile name is text, not elements
    assert "Jan " + HOSTILE in beat2.all_text
    index_text = pages[INDEX].all_text
    assert "Rejon nr 2: " + HOSTILE in index_text and "Wycofany" not in index_text


def test_rewriting_keeps_other_files_and_cancel_writes_nothing(town, tmp_path):
    items = collect(town.db, [town.beat1], ON)
    folder = tmp_path / "strona"
    folder.mkdir()
    (folder / "kontakt.html").write_text("własna strona", encoding="utf-8")

    def cancel() -> None:
        raise JobCancelled

    with pytest.raises(JobCancelled):
        write_site(items, folder, check=cancel)
    assert [p.name for p in folder.iterdir()] == ["kontakt.html"]
    write_site(items, folder)
    write_site(items, folder)  # again: replaced, no temporary files left
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["kontakt.html", INDEX, "rejon-kmp-konin-1.html"])
    assert (folder / "kontakt.html").read_text(encoding="utf-8") == "własna strona"


def test_sample_set_is_marked_on_every_page(sample_db, tmp_path):
    from db.models import Unit

    with sample_db.session() as s:
        unit_id = s.query(Unit.id).filter(Unit.short_name == "KP Kleczew").scalar()
    ids = unit_beats(sample_db, unit_id)
    write_site(collect(sample_db, ids), tmp_path)
    pages = _check_set(tmp_path, len(ids))
    for page in pages.values():
        assert SAMPLE_NOTICE in page.all_text


def test_station_page_without_boundary_or_address(town, tmp_path):
    write_site(collect(town.db, unit_beats(town.db, town.station, ON), ON), tmp_path)
    pages = _check_set(tmp_path, 1)
    page = pages["rejon-kp-slesin-1.html"]
    text = page.all_text
    assert "svg" not in page.tags and "Mapa rejonu" not in text  # no boundary, no map
    assert "Jednostka nadrzędna: Komenda Miejska Policji w Koninie" in text
    assert "Obecnie brak przydziału." in text
    assert "Wykaz ulic rejonu nie został jeszcze uzupełniony." in text
