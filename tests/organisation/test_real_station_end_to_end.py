"""Issue #10, "Done when": on an empty database made by `razem init`, through the real widgets
of the main window, a user creates units and gminas, imports beats from a GeoJSON in EPSG:2180
and a KML with the numbers in the placemark names, imports the roster, assigns officers,
imports KMZB reports and saves the beat summaries as PDF — read back: the beats, officers and
report counts are there, and no sample marking anywhere (window title, status bar, paper)."""
from __future__ import annotations

import datetime as dt
import unicodedata

from db.engine import Database
from db.models import AssignmentKind, AssignmentRole
from desktop.beats import assignments as svc
from desktop.cli import main
from tests.partners.pdf_text import page_texts

HEADER = "stopien;imie;nazwisko;numer_sluzbowy;rola;jednostka;telefon;telefon_komorkowy;email"


def test_a_new_station_from_razem_init_to_a_printed_beat_summary(qtbot, tmp_path, capsys):
    from desktop.app.main_window import MainWindow
    from desktop.organisation.ui.dialogs import BeatDialog, GminaDialog, UnitDialog
    from desktop.organisation.ui.roster_import_dialog import RosterImportDialog

    path = tmp_path / "kmp.db"
    assert main(["init", "--unit", "Komenda Miejska Policji w Koninie", "--short", "KMP Konin",
                 "--database", str(path)]) == 0
    db = Database.open(f"sqlite:///{path.as_posix()}")
    window = MainWindow(db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    assert window.windowTitle() == "KMP Konin – Razem dla bezpieczeństwa"
    assert "PRZYKŁADOWE" not in window.database_label.text()
    org = window.tab_by_key["organisation"]

    unit_dialog = UnitDialog(db, None, org.units)
    qtbot.addWidget(unit_dialog)
    qtbot.keyClicks(unit_dialog.name, "Komisariat Policji w Golinie")
    qtbot.keyClicks(unit_dialog.short_name, "KP Golina")
    unit_dialog.parent_unit.setCurrentIndex(unit_dialog.parent_unit.findText("KMP Konin"))
    qtbot.keyClicks(unit_dialog.phone, "63 241 10 00")
    unit_dialog.save()
    assert unit_dialog.result() == unit_dialog.DialogCode.Accepted
    org.units.changed("Zapisano.", unit_dialog.saved_id)
    assert org.units.model.rowCount() == 2

    gmina_dialog = GminaDialog(db, None, org.gminas)
    qtbot.addWidget(gmina_dialog)
    qtbot.keyClicks(gmina_dialog.teryt, "3010023")
    qtbot.keyClicks(gmina_dialog.name, "Golina")
    gmina_dialog.save()
    assert gmina_dialog.result() == gmina_dialog.DialogCode.Accepted
    org.gminas.changed("Zapisano.", gmina_dialog.saved_id)

    for number, name in (("1", "Golina centrum"), ("2", "Golina zachod")):
        beat_dialog = BeatDialog(db, None, org.beats)
        qtbot.addWidget(beat_dialog)
        beat_dialog.unit.setCurrentIndex(beat_dialog.unit.findText("KP Golina"))
        qtbot.keyClicks(beat_dialog.number, number)
        qtbot.keyClicks(beat_dialog.name, name)
        beat_dialog.gmina.setCurrentIndex(beat_dialog.gmina.findText("Golina"))
        beat_dialog.save()
        assert beat_dialog.result() == beat_dialog.DialogCode.Accepted, beat_dialog.error.text()
        org.beats.changed("Zapisano.", beat_dialog.saved_id)
    beats_page = window.tab_by_key["beats"].beats
    assert sorted(r.number for r in beats_page.model._rows) == ["1", "2"]  # told via BEATS

    roster_file = tmp_path / "wykaz.csv"
    roster_file.write_text(HEADER + "\n"
                           "asp.;Marek;Górny;9001;dzielnicowy;KP Golina;;600 200 300;\n"
                           "sierż.;Iga;Drogowska;9002;ruch drogowy;KMP Konin;;;\n",
                           encoding="utf-8")
    importer = RosterImportDialog(db, window)
    qtbot.addWidget(importer)
    importer.load(str(roster_file))
    qtbot.waitUntil(lambda: importer.worker is None)
    importer.save_button.click()
    qtbot.waitUntil(lambda: importer.worker is None)
    assert importer.saved is not None and importer.saved.added == 2

    beat1 = next(r.id for r in beats_page.model._rows if r.number == "1")
    window.ctx.beatSelected.emit(beat1)
    start = dt.date.today() - dt.timedelta(days=7)
    for role, officer_name in ((AssignmentRole.BEAT_OFFICER, "Górny"),
                               (AssignmentRole.TRAFFIC, "Drogowska")):
        dialog = beats_page.make_assign_dialog(role, AssignmentKind.REGULAR)
        qtbot.addWidget(dialog)
        dialog.officer.setCurrentIndex(next(i for i in range(dialog.officer.count())
                                            if officer_name in dialog.officer.itemText(i)))
        dialog.valid_from.setDate(dialog.valid_from.date().addDays(-7))
        dialog.save()
        assert dialog.result() == dialog.DialogCode.Accepted, dialog.error.text()
        beats_page.after_assign(dialog)
    assert {h.valid_from for h in svc.history(db, beat1)} == {start}
    window.close()
    db.dispose()

    pdf = tmp_path / "karta.pdf"
    assert main(["print-beat", "1", "--unit", "KP Golina", "--pdf", str(pdf),
                 "--database", str(path)]) == 0
    text = unicodedata.normalize("NFKC", " ".join(page_texts(pdf)))
    assert "Golina centrum" in text and "Górny" in text and "Drogowska" in text
    assert "PRZYKŁADOWE" not in text.upper() and "fikcyjne" not in text


# -- the whole chain with files in the real formats --------------------------------------------

# Beats near Golina/Konin in PUWG 1992 metres (easting, northing): two squares side by side
# from a GeoJSON in EPSG:2180, a third north of them from a KML in WGS84.
SQUARES_2180 = {"1": (468_000, 485_000, 470_000, 487_000),
                "2": (470_000, 485_000, 472_000, 487_000),
                "3": (468_000, 487_000, 470_000, 489_000)}


def _ring_2180(number: str) -> list[list[float]]:
    x0, y0, x1, y1 = SQUARES_2180[number]
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def _write_geojson_2180(path):
    import json

    features = [{"type": "Feature",
                 "properties": {"NR_REJONU": number, "NAZWA": name, "OBWOD": "Golina"},
                 "geometry": {"type": "Polygon", "coordinates": [_ring_2180(number)]}}
                for number, name in (("1", "Golina centrum"), ("2", "Golina zachód"))]
    path.write_text(json.dumps({
        "type": "FeatureCollection", "name": "rejony_golina",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2180"}},
        "features": features}, ensure_ascii=False), encoding="utf-8")
    return path


def _write_kml_wgs84(path):
    """Placemarks with the beat number only in the name: beat 3 is new, beat 2 gets a new
    boundary (a little larger to the north)."""
    from shapely.geometry import Polygon

    from desktop.common.geo import PUWG1992, WGS84, reproject

    def coords(ring):
        g = reproject(Polygon(ring), PUWG1992, WGS84)
        return " ".join(f"{x:.7f},{y:.7f},0" for x, y in g.exterior.coords)

    bigger_2 = [[470_000, 485_000], [472_000, 485_000], [472_000, 487_500],
                [470_000, 487_500], [470_000, 485_000]]
    placemarks = (("Rejon 3 Przemysłowa", _ring_2180("3")), ("Rejon 2 Golina zachód", bigger_2))
    body = "".join(
        f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing><coordinates>"
        f"{coords(ring)}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>\n"
        for name, ring in placemarks)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
                    f"<name>Rejony KP Golina</name>\n{body}</Document></kml>\n", encoding="utf-8")
    return path


def _write_kmzb_reports(path, day: dt.date):
    """A KMZB export (semicolon CSV, EPSG:2180): 3 reports in beat 1, 2 in beat 3."""
    lines = ["ID;Typ;Status;TERYT;Data utworzenia;Data zdarzenia;Data modyfikacji;X;Y;Opis"]
    points = [("1", 469_000 + i * 100, 486_000) for i in range(3)]
    points += [("3", 469_000 + i * 100, 488_000) for i in range(2)]
    for i, (_beat, x, y) in enumerate(points):
        lines.append(f"GOL-{i};Akty wandalizmu;Potwierdzone;3010023;{day:%Y-%m-%d};"
                     f"{day:%Y-%m-%d};;{x};{y};zgłoszenie {i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _no_sample_marking(*texts: str) -> None:
    for text in texts:
        assert "PRZYKŁADOWE" not in text.upper() and "fikcyjn" not in text.lower(), text


def _boundary_import(qtbot, beats_tab, path, unit: str, create: bool):
    dialog = beats_tab.make_boundary_dialog()
    qtbot.addWidget(dialog)
    dialog.unit.setCurrentIndex(dialog.unit.findText(unit))
    dialog.create_missing.setChecked(create)
    dialog.path.setText(str(path))
    dialog.read_button.click()
    qtbot.waitUntil(lambda: dialog.job is None and dialog.preview is not None, timeout=20000)
    return dialog


def test_a_new_station_imports_real_files_through_the_main_window(qtbot, tmp_path,
                                                                  monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog
    from sqlalchemy import select

    from db.models import Beat
    from desktop.app.context import Change
    from desktop.app.main_window import MainWindow
    from desktop.organisation.ui.dialogs import BeatDialog, GminaDialog, UnitDialog
    from desktop.organisation.ui.roster_import_dialog import RosterImportDialog
    from desktop.threats.ui.import_dialog import ImportDialog

    path = tmp_path / "kmp.db"
    assert main(["init", "--unit", "Komenda Miejska Policji w Koninie", "--short", "KMP Konin",
                 "--database", str(path)]) == 0
    db = Database.open(f"sqlite:///{path.as_posix()}")
    window = MainWindow(db)
    qtbot.addWidget(window)
    org = window.tab_by_key["organisation"]
    beats_tab = window.tab_by_key["beats"]
    beats_page = beats_tab.beats

    # units and gminas
    unit_dialog = UnitDialog(db, None, org.units)
    qtbot.addWidget(unit_dialog)
    qtbot.keyClicks(unit_dialog.name, "Komisariat Policji w Golinie")
    qtbot.keyClicks(unit_dialog.short_name, "KP Golina")
    unit_dialog.parent_unit.setCurrentIndex(unit_dialog.parent_unit.findText("KMP Konin"))
    unit_dialog.save()
    assert unit_dialog.result() == unit_dialog.DialogCode.Accepted
    org.units.changed("Zapisano.", unit_dialog.saved_id)
    gmina_dialog = GminaDialog(db, None, org.gminas)
    qtbot.addWidget(gmina_dialog)
    qtbot.keyClicks(gmina_dialog.teryt, "3010023")
    qtbot.keyClicks(gmina_dialog.name, "Golina")
    gmina_dialog.save()
    assert gmina_dialog.result() == gmina_dialog.DialogCode.Accepted
    org.gminas.changed("Zapisano.", gmina_dialog.saved_id)

    # beats from a GeoJSON in EPSG:2180: the attributes chosen in the combos
    dialog = _boundary_import(qtbot, beats_tab, _write_geojson_2180(tmp_path / "rejony.geojson"),
                              "KP Golina", create=True)
    assert dialog.preview.epsg == 2180 and dialog.preview.source_format == "GeoJSON"
    dialog.number_field.setCurrentIndex(dialog.number_field.findText("NR_REJONU"))
    dialog.name_field.setCurrentIndex(dialog.name_field.findText("NAZWA"))
    qtbot.waitUntil(lambda: dialog.job is None and dialog.save_button.isEnabled(), timeout=20000)
    assert "Nowe rejony: 2; nowe granice: 0; odrzucone: 0." in dialog.messages.toPlainText()
    with qtbot.waitSignal(dialog.saved, timeout=20000):
        dialog.save_button.click()
    assert dialog.summary.created == ["KP Golina 1. Golina centrum",
                                      "KP Golina 2. Golina zachód"]
    assert sorted(r.number for r in beats_page.model._rows) == ["1", "2"]  # told via BEATS

    # a KML (WGS84) with the numbers only in the placemark names: one new beat, one updated
    dialog = _boundary_import(qtbot, beats_tab, _write_kml_wgs84(tmp_path / "rejony.kml"),
                              "KP Golina", create=True)
    assert dialog.preview.epsg == 4326
    qtbot.waitUntil(lambda: dialog.job is None and dialog.save_button.isEnabled(), timeout=20000)
    assert "Nowe rejony: 1; nowe granice: 1; odrzucone: 0." in dialog.messages.toPlainText()
    with qtbot.waitSignal(dialog.saved, timeout=20000):
        dialog.save_button.click()
    assert dialog.summary.created == ["KP Golina 3. Przemysłowa"]
    assert dialog.summary.updated == ["KP Golina 2. Golina zachód"]
    with db.session() as s:
        stored = {b.number: (b.name, round(b.area_km2 or 0, 1)) for b in s.scalars(select(Beat))}
    assert stored == {"1": ("Golina centrum", 4.0), "2": ("Golina zachód", 5.0),
                      "3": ("Przemysłowa", 4.0)}

    # the imported beats get their gmina in the beat editor
    for row in [r for r in org.beats.model._rows]:
        beat_dialog = BeatDialog(db, row, org.beats)
        qtbot.addWidget(beat_dialog)
        beat_dialog.gmina.setCurrentIndex(beat_dialog.gmina.findText("Golina"))
        beat_dialog.save()
        assert beat_dialog.result() == beat_dialog.DialogCode.Accepted, beat_dialog.error.text()
        org.beats.changed("Zapisano.", beat_dialog.saved_id)

    # the roster, then officers assigned in the beats tab
    roster_file = tmp_path / "wykaz.csv"
    roster_file.write_text(HEADER + "\n"
                           "asp.;Marek;Górny;9001;dzielnicowy;KP Golina;;600 200 300;\n"
                           "st. sierż.;Ola;Polna;9003;dzielnicowy;KP Golina;;;\n"
                           "sierż.;Iga;Drogowska;9002;ruch drogowy;KMP Konin;;;\n",
                           encoding="utf-8")
    importer = RosterImportDialog(db, window)
    qtbot.addWidget(importer)
    importer.load(str(roster_file))
    qtbot.waitUntil(lambda: importer.worker is None)
    importer.save_button.click()
    qtbot.waitUntil(lambda: importer.worker is None)
    assert importer.saved is not None and importer.saved.added == 3
    ids = {r.number: r.id for r in beats_page.model._rows}
    for number, role, officer_name in (("1", AssignmentRole.BEAT_OFFICER, "Górny"),
                                       ("1", AssignmentRole.TRAFFIC, "Drogowska"),
                                       ("3", AssignmentRole.BEAT_OFFICER, "Polna")):
        beats_page.select_beat(ids[number])
        assert beats_page.current_beat_id() == ids[number]
        assign = beats_page.make_assign_dialog(role, AssignmentKind.REGULAR)
        qtbot.addWidget(assign)
        assign.officer.setCurrentIndex(next(i for i in range(assign.officer.count())
                                            if officer_name in assign.officer.itemText(i)))
        assign.valid_from.setDate(assign.valid_from.date().addDays(-60))
        assign.save()
        assert assign.result() == assign.DialogCode.Accepted, assign.error.text()
        beats_page.after_assign(assign)

    # reports from a KMZB export fall into the imported beats
    reports = ImportDialog(db, window)
    qtbot.addWidget(reports)
    with qtbot.waitSignal(reports.fileLoaded, timeout=20000) as loaded:
        reports.load_file(_write_kmzb_reports(tmp_path / "kmzb.csv",
                                              dt.date.today() - dt.timedelta(days=20)))
    assert loaded.args[0] and reports.import_button.isEnabled()
    reports.import_button.click()
    qtbot.waitUntil(lambda: reports.worker is None, timeout=20000)
    assert reports.result_summary is not None and reports.result_summary.added == 5
    reports.close_button.click()
    window.ctx.notify(Change.REPORTS)  # what the diagnosis tab does after its dialog
    counts = {r.number: r for r in beats_page.model._rows}
    assert set(counts) == {"1", "2", "3"}

    # the beat summary of the whole unit saved as PDF from the beats tab, read back
    beats_page.select_beat(ids["1"])
    pdf = tmp_path / "karty.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(pdf), "Dokument PDF (*.pdf)")))
    QTimer.singleShot(0, _accept_unit_question)  # "Karty rejonów której jednostki…": OK
    beats_tab.save_unit_action.trigger()
    qtbot.waitUntil(lambda: beats_tab.print_job is None and pdf.exists(), timeout=30000)
    pages = page_texts(pdf)
    assert beats_page.message.text() == f"Zapisano {pdf} ({len(pages)} str.)."
    text = unicodedata.normalize("NFKC", " ".join(pages))
    for expected in ("Karta rejonu nr 1", "Golina centrum", "Karta rejonu nr 2", "Golina zachód",
                     "Karta rejonu nr 3", "Przemysłowa", "Górny", "Drogowska", "Polna",
                     "Wszystkich zgłoszeń w rejonie w tym okresie: 3",
                     "Wszystkich zgłoszeń w rejonie w tym okresie: 2",
                     "Komisariat Policji w Golinie", "Golina"):
        assert expected in text, expected
    _no_sample_marking(window.windowTitle(), window.database_label.text(),
                       window.statusBar().currentMessage(), text)
    beats_tab.wait_for_jobs()
    window.close()
    db.dispose()


def _accept_unit_question() -> None:
    from PySide6.QtWidgets import QApplication, QInputDialog

    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QInputDialog) and dialog.textValue() == "KP Golina"
    dialog.accept()
