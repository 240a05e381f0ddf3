"""Done when (as far as this branch goes): on an empty database made by `razem init`, through
the real widgets, a user creates a unit, a gmina and beats, imports the roster, assigns
officers, and prints a beat summary with no sample marking anywhere (the PDF read back)."""
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
