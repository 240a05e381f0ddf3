"""Units and gminas edited on two workstations never overwrite each other unseen; a beat
covers further gminas besides its main one (editor, list, summary, deletion rules)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from db.models import Beat, GminaKind, Partner, PartnerType, beat_gminas
from desktop.beats.summary import body_html, collect
from desktop.common.conflicts import ConflictError
from desktop.organisation.beat_editor import BeatData, create_beat, list_beats, update_beat
from desktop.organisation.units import (
    GminaData,
    OrganisationError,
    UnitData,
    delete_gmina,
    list_gminas,
    list_units,
    save_gmina,
    save_unit,
)


def test_a_unit_changed_elsewhere_is_a_conflict_not_a_silent_overwrite(station):
    db, kmp = station
    [mine] = list_units(db)  # both workstations loaded version 1
    [theirs] = list_units(db)
    save_unit(db, kmp, UnitData(theirs.name, theirs.short_name, None, "ul. Kolejowa 5",
                                "63 240 00 00"), theirs.version)
    with pytest.raises(ConflictError) as err:
        save_unit(db, kmp, UnitData(mine.name, mine.short_name, None, "ul. Nowa 1", ""),
                  mine.version)
    labels = {d.label for d in err.value.differences}
    assert {"Adres", "Telefon"} <= labels
    [stored] = list_units(db)
    assert stored.address == "ul. Kolejowa 5" and stored.version == mine.version + 1
    # the user chose "Nadpisz": saved against the version now stored
    save_unit(db, kmp, UnitData(mine.name, mine.short_name, None, "ul. Nowa 1", ""),
              err.value.current_version)
    assert list_units(db)[0].address == "ul. Nowa 1"


def test_a_gmina_changed_elsewhere_is_a_conflict(station):
    db, kmp = station
    gid = save_gmina(db, None, GminaData("Kramsk", GminaKind.RURAL, "3010062"))
    [loaded] = list_gminas(db)
    save_gmina(db, gid, GminaData("Kramsk", GminaKind.RURAL, "3010062", kmp), loaded.version)
    with pytest.raises(ConflictError, match="gmina Kramsk"):
        save_gmina(db, gid, GminaData("Kramsk", GminaKind.URBAN_RURAL, "3010062"),
                   loaded.version)
    assert list_gminas(db)[0].unit_id == kmp  # theirs kept


def _gminas(db, kmp):
    return [save_gmina(db, None, GminaData(n, GminaKind.RURAL, t, kmp))
            for n, t in (("Golina", "3010032"), ("Rychwał", "3010073"), ("Rzgów", "3010082"))]


def test_a_beat_covers_further_gminas(station):
    db, kmp = station
    golina, rychwal, rzgow = _gminas(db, kmp)
    bid = create_beat(db, BeatData(kmp, "7", "Golina – wieś", golina, "",
                                   (rzgow, golina, rychwal)))  # the main one is dropped
    [row] = list_beats(db)
    assert row.other_gmina_ids == tuple(sorted((rychwal, rzgow)))
    assert row.other_gminas == "Rychwał, Rzgów"
    with db.session() as s:
        stored = set(s.execute(select(beat_gminas.c.gmina_id)
                               .where(beat_gminas.c.beat_id == bid)).scalars())
    assert stored == {rychwal, rzgow}
    # changing only the further gminas raises the beat's version (a conflict is seen)
    new_version = update_beat(db, bid, BeatData(kmp, "7", "Golina – wieś", golina, "",
                                                (rychwal,)), row.version)
    assert new_version == row.version + 1
    with pytest.raises(ConflictError) as err:
        update_beat(db, bid, BeatData(kmp, "7", "Golina – wieś", golina, "", ()), row.version)
    assert "Pozostałe gminy" in {d.label for d in err.value.differences}
    with pytest.raises(OrganisationError, match="gminę główną"):
        update_beat(db, bid, BeatData(kmp, "7", "Golina – wieś", None, "", (rychwal,)))
    with pytest.raises(OrganisationError, match="rejony \\(jako gmina dodatkowa\\)"):
        delete_gmina(db, rychwal)
    delete_gmina(db, rzgow)  # no longer used


def test_the_summary_lists_further_gminas_and_their_partners(station):
    db, kmp = station
    golina, rychwal, _ = _gminas(db, kmp)
    bid = create_beat(db, BeatData(kmp, "7", "Golina – wieś", golina, "", (rychwal,)))
    with db.session() as s, s.begin():
        for name, gmina in (("OSP Golina", golina), ("Szkoła w Rychwale <b>", rychwal)):
            s.add(Partner(name=name, partner_type=PartnerType.SCHOOL, gmina_id=gmina))
    data = collect(db, bid)
    assert data.other_gminas == ["Rychwał"]
    assert [p.name for p in data.partners] == ["OSP Golina", "Szkoła w Rychwale <b>"]
    html = body_html(data)
    assert "Golina (także: Rychwał)" in html
    assert "Partnerzy programu w gminach Golina, Rychwał" in html
    assert "Szkoła w Rychwale &lt;b&gt;" in html


def test_beat_dialog_saves_checked_gminas(qtbot, station):
    from desktop.organisation.ui.dialogs import BeatDialog

    db, kmp = station
    golina, rychwal, rzgow = _gminas(db, kmp)
    dialog = BeatDialog(db)
    qtbot.addWidget(dialog)
    dialog.number.setText("12")
    dialog.name.setText("Rychwał – Rzgów")
    dialog.gmina.setCurrentIndex(dialog.gmina.findData(rychwal))
    by_id = {dialog.other_gminas.item(i).data(Qt.ItemDataRole.UserRole):
             dialog.other_gminas.item(i) for i in range(dialog.other_gminas.count())}
    assert not by_id[rychwal].flags() & Qt.ItemFlag.ItemIsEnabled  # the main one: not again
    assert by_id[rzgow].flags() & Qt.ItemFlag.ItemIsEnabled
    for i in range(dialog.other_gminas.count()):
        item = dialog.other_gminas.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == rzgow:
            item.setCheckState(Qt.CheckState.Checked)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    [row] = list_beats(db)
    assert (row.gmina_id, row.other_gmina_ids) == (rychwal, (rzgow,))
    edit = BeatDialog(db, row)
    qtbot.addWidget(edit)
    assert edit.checked_other_gminas() == (rzgow,)


def test_unit_dialog_shows_a_conflict_and_keeps_theirs_on_cancel(qtbot, station):
    from desktop.common.ui.conflict_dialog import ConflictDialog
    from desktop.organisation.ui.dialogs import UnitDialog

    db, kmp = station
    [row] = list_units(db)
    dialog = UnitDialog(db, row)
    qtbot.addWidget(dialog)
    save_unit(db, kmp, UnitData(row.name, row.short_name, None, "ul. Kolejowa 5", ""),
              row.version)  # another workstation, meanwhile
    dialog.address.setText("ul. Nowa 1")
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        seen.append(type(box).__name__)
        if isinstance(box, ConflictDialog):
            box.cancel_button.click()

    QTimer.singleShot(200, answer)
    dialog.save()
    assert seen == ["ConflictDialog"]
    assert "jednostka KMP Konin" in dialog.error.text()
    assert list_units(db)[0].address == "ul. Kolejowa 5"
    with db.session() as s:
        assert s.scalar(select(Beat.id)) is None
