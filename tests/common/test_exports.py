"""Exports: the partner export asks about the search filter, signatories with dates, natural
order of numbers, the unit for "Karty wszystkich rejonów", file dialogs remember the folder."""
from __future__ import annotations

import csv
import datetime as dt

import openpyxl
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QFileDialog

from tests.modal import answer_later


def test_partner_export_asks_when_the_search_hides_partners(sample_db, qtbot):
    from desktop.partners import service
    from desktop.partners.ui.exchange_actions import choose_rows
    from desktop.partners.ui.tab import PartnersTab

    tab = PartnersTab(sample_db)
    qtbot.addWidget(tab)
    tab.search.setText("Ślesin")
    visible = [r for r in tab.proxy.visible_rows() if r.deleted_at is None]
    everyone = service.list_partners(sample_db)
    assert 0 < len(visible) < len(everyone)
    seen = answer_later(lambda box: box.property("choices")[0].click())
    assert choose_rows(tab, visible, everyone) == visible
    text = seen[0].text()
    assert f"pokazują {len(visible)} z {len(everyone)} partnerów" in text
    answer_later(lambda box: box.property("choices")[1].click())
    assert choose_rows(tab, visible, everyone) == everyone
    answer_later(lambda box: box.reject())
    assert choose_rows(tab, visible, everyone) is None
    assert choose_rows(tab, everyone, everyone) == everyone  # nothing hidden: no question


def test_signatories_with_dates_to_csv_and_xlsx(sample_db, tmp_path, qtbot):
    from desktop.partners import agreements as svc
    from desktop.partners.ui.agreements_dialog import AgreementsDialog

    agreement = svc.get_agreement(sample_db)
    signatures = svc.list_signatures(sample_db, agreement.id)
    dialog = AgreementsDialog(sample_db)
    qtbot.addWidget(dialog)
    path = dialog.export_signatories(str(tmp_path / "lista.csv"))
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0][:7] == ["Lp.", "Partner", "Rodzaj", "Podpisujący", "Funkcja", "Status",
                           "Data podpisania"]
    assert len(rows) == len(signatures) + 1
    first = signatures[0]
    assert rows[1][1] == first.partner_name
    assert rows[1][6] == (f"{first.data.signed_on:%d.%m.%Y}" if first.data.signed_on else "")
    path = dialog.export_signatories(str(tmp_path / "lista.xlsx"))
    ws = openpyxl.load_workbook(path)["Sygnatariusze"]
    assert "1/2017" in ws["A1"].value and ws["G2"].value == "Data podpisania"
    dated = [c.value for c in ws["G"][2:] if c.value is not None]
    assert dated and all(isinstance(v, dt.datetime) for v in dated)


def test_tables_sort_numbers_naturally(qtbot):
    from desktop.common.ui.tables import SORT_ROLE, Column, RowsTableModel

    model = RowsTableModel([Column("Ulica i numery", lambda r: r)])
    model.set_rows(["ul. Kolejowa (od 10 do 12)", "ul. Kolejowa (od 2 do 4)",
                    "ul. Kolejowa (od 1 do 1)", "KMP Konin 10", "KMP Konin 2"])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(i, 0).data() for i in range(5)] == [
        "KMP Konin 2", "KMP Konin 10", "ul. Kolejowa (od 1 do 1)", "ul. Kolejowa (od 2 do 4)",
        "ul. Kolejowa (od 10 do 12)"]


def test_unit_cards_ask_which_unit(sample_db, qtbot):
    from desktop.app.context import AppContext
    from desktop.beats.queries import beat_ids_of_unit
    from desktop.beats.ui.tab import BeatsTab

    ctx = AppContext(sample_db)
    tab = BeatsTab(ctx)
    qtbot.addWidget(tab)
    first = tab.beats.model.row_object(0)
    ctx.beatSelected.emit(first.id)
    dialog = tab.unit_dialog()
    qtbot.addWidget(dialog)
    names = dialog.comboBoxItems()
    assert len(names) == len({r.unit_id for r in tab.beats.model._rows}) > 1
    assert dialog.textValue() == first.unit  # the selected beat's unit is offered first
    other = next(r for r in tab.beats.model._rows if r.unit_id != first.unit_id)
    dialog.setTextValue(other.unit)
    tab.unit_id = tab.chosen_unit(dialog)
    ids, _name = tab.print_targets(unit=True)
    assert ids == beat_ids_of_unit(sample_db, other.unit_id)


def test_file_dialogs_remember_the_last_folder(tmp_path, qtbot):
    from desktop.common.ui.file_dialogs import last_folder, save_file_name

    folder = tmp_path / "raporty"
    folder.mkdir()

    def choose(dialog):
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(folder / "a.csv"))
        dialog.accept()

    answer_later(choose)
    path, _ = save_file_name(None, "Eksport", "a.csv", "Pliki CSV (*.csv)")
    assert path == str(folder / "a.csv") and last_folder() == str(folder)

    starts = []

    def look(dialog):
        starts.append(dialog.directory().absolutePath())
        dialog.reject()

    answer_later(look)
    assert save_file_name(None, "Eksport", "b.csv", "Pliki CSV (*.csv)")[0] == ""
    assert starts == [str(folder)]  # the next dialog opens where the last file went
