"""The boundary import dialog through its real widgets: numbers in KML placemark names, the
attribute combos, "Utwórz brakujące rejony", the unit, the DBF encoding combo, a cancelled
save."""
from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import Beat, Unit, UnitKind
from desktop.app.context import AppContext
from desktop.beats.ui.tab import BeatsTab
from tests.beats.boundary_files import EAST, NORTH, WEST, kml, shapefile_zip


def _dialog(qtbot, db):
    tab = BeatsTab(AppContext(db))
    qtbot.addWidget(tab)
    dialog = tab.make_boundary_dialog()
    qtbot.addWidget(dialog)
    return dialog


def _read(qtbot, dialog, path):
    dialog.path.setText(str(path))
    dialog.read_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)


def _settle(qtbot, dialog):
    qtbot.waitUntil(lambda: dialog.job is None and not dialog._pending, timeout=10000)


def _column(dialog, title: str) -> list[str]:
    model = dialog.model
    col = next(c for c in range(model.columnCount())
               if model.headerData(c, Qt.Orientation.Horizontal) == title)
    return [str(model.index(r, col).data()) for r in range(model.rowCount())]


def test_kml_numbers_in_names_and_creating_missing_beats(qtbot, world, tmp_path):
    """The defects "brak numeru rejonu" (numbers only in placemark names) and "nie ma rejonu
    nr 101" (beats not in the database yet), through the dialog."""
    dialog = _dialog(qtbot, world.db)
    assert dialog.unit.currentText() == "KMP Konin"  # the only unit is chosen
    _read(qtbot, dialog, kml(tmp_path / "rejony.kml", [("Rejon 1 Ślesin", WEST),
                                                       ("Rejon 101 Starówka", EAST),
                                                       ("RD 7 – Osiedle", NORTH)]))
    assert dialog.number_field.currentText() == "name"
    assert dialog.name_field.currentText() == "name"
    assert _column(dialog, "Nr") == ["1", "101", "7"]
    assert _column(dialog, "Działanie") == ["nowa granica", "odrzucony", "odrzucony"]
    assert "nie ma rejonu nr 101" in dialog.messages.toPlainText()
    assert dialog.save_button.isEnabled()

    dialog.create_missing.click()
    _settle(qtbot, dialog)
    assert _column(dialog, "Działanie") == ["nowa granica", "nowy rejon", "nowy rejon"]
    assert _column(dialog, "Nazwa") == ["Ślesin", "Starówka", "Osiedle"]
    assert "Nowe rejony: 2; nowe granice: 1; odrzucone: 0." in dialog.messages.toPlainText()

    # no name attribute: new beats are called "Rejon N"
    dialog.name_field.setCurrentIndex(dialog.name_field.findData(""))
    _settle(qtbot, dialog)
    assert _column(dialog, "Nazwa")[1:] == ["Rejon 101", "Rejon 7"]
    dialog.name_field.setCurrentIndex(dialog.name_field.findText("name"))
    _settle(qtbot, dialog)

    with qtbot.waitSignal(dialog.saved) as sig:
        dialog.save_button.click()
    assert sig.args == [3]
    assert dialog.summary.created == ["KMP Konin 101. Starówka", "KMP Konin 7. Osiedle"]
    with world.db.session() as s:
        rows = {b.number: (b.name, b.boundary is not None) for b in s.scalars(select(Beat))}
    assert rows == {"1": ("Ślesin – centrum", True), "2": ("Żychlin", False),
                    "101": ("Starówka", True), "7": ("Osiedle", True)}


def test_attribute_combos_and_the_encoding_of_a_shapefile(qtbot, world, tmp_path):
    path = shapefile_zip(tmp_path / "rejony.zip", [("RD 21", "Śródmieście", WEST),
                                                   ("22", "Łężyn", EAST)],
                         cpg=None, fields=("KOD", "OPIS"))
    dialog = _dialog(qtbot, world.db)
    dialog.create_missing.setChecked(True)
    _read(qtbot, dialog, path)
    assert [dialog.number_field.itemText(i) for i in range(dialog.number_field.count())] == [
        "KOD", "OPIS"]
    assert dialog.number_field.currentText() == "KOD"  # every value carries a number
    dialog.name_field.setCurrentIndex(dialog.name_field.findText("OPIS"))
    _settle(qtbot, dialog)
    assert _column(dialog, "Nazwa") == ["Śródmieście", "Łężyn"]  # CP1250 found
    assert "odczytano go jako Windows-1250" in dialog.messages.toPlainText()

    dialog.encoding.setCurrentIndex(dialog.encoding.findData("utf-8"))  # a wrong choice
    _read(qtbot, dialog, path)
    assert "�" in _column(dialog, "Nazwa")[0] or "\ufffd" in _column(dialog, "Nazwa")[0]
    assert "Plik .dbf nie jest w UTF-8" in dialog.messages.toPlainText()
    dialog.encoding.setCurrentIndex(dialog.encoding.findData("cp1250"))
    _read(qtbot, dialog, path)
    dialog.name_field.setCurrentIndex(dialog.name_field.findText("OPIS"))
    _settle(qtbot, dialog)
    assert _column(dialog, "Nazwa") == ["Śródmieście", "Łężyn"]
    assert "Windows-1250" not in dialog.messages.toPlainText()


def test_with_several_units_the_new_beats_go_to_the_unit_chosen(qtbot, world, tmp_path):
    with world.db.session() as s, s.begin():
        s.add(Unit(name="Komisariat Policji w Golinie", short_name="KP Golina",
                   kind=UnitKind.STATION, parent_id=world.unit))
    dialog = _dialog(qtbot, world.db)
    dialog.create_missing.setChecked(True)
    _read(qtbot, dialog, kml(tmp_path / "r.kml", [("Rejon 5 Golina", WEST)]))
    assert "nie wybrano jednostki" in _column(dialog, "Stan")[0]
    dialog.unit.setCurrentIndex(dialog.unit.findText("KP Golina"))
    _settle(qtbot, dialog)
    assert _column(dialog, "Rejon w bazie") == ["KP Golina 5. Golina"]


def test_cancelling_the_save_leaves_the_database_unchanged(qtbot, world, tmp_path):
    dialog = _dialog(qtbot, world.db)
    _read(qtbot, dialog, kml(tmp_path / "r.kml", [("Rejon 1", WEST), ("Rejon 2", EAST)]))
    dialog.save_button.click()
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    if dialog.summary is None:  # cancelled in time (else it finished first: all saved)
        assert "Przerwano" in dialog.messages.toPlainText()
        with world.db.session() as s:
            assert s.get(Beat, world.beat1).boundary is None
            assert s.get(Beat, world.beat2).boundary is None
    assert dialog.read_button.isEnabled()
