"""The shared Qt kit: one table helper, OK/Cancel box, translation helper, contact card."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from desktop.beats.queries import Contact
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.contact import contact_card_html
from desktop.common.ui.i18n import translator
from desktop.common.ui.tables import Column, RowsTableModel, make_table, selected_object


@dataclass(frozen=True)
class Place:
    name: str
    number: str


ROWS = [Place("Żnin", "10"), Place("Ślesin", "2"), Place("Łódź", "1"), Place("Konin", "3")]


def _table(qtbot, **kwargs):
    parent = QWidget()
    qtbot.addWidget(parent)
    model = RowsTableModel([Column("Nazwa", lambda r: r.name), Column("Nr", lambda r: r.number)],
                           ROWS, parent=parent)
    view, proxy = make_table(parent, model, lambda r: (r.name,), **kwargs)
    view.keep_parent = parent  # the test holds the view; the view holds its parent
    return view, model, proxy


def _names(proxy) -> list[str]:
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_table_sorts_in_polish_order_and_searches_without_diacritics(qtbot, qtmodeltester):
    view, model, proxy = _table(qtbot)
    qtmodeltester.check(proxy)
    assert _names(proxy) == ["Konin", "Łódź", "Ślesin", "Żnin"]
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # numbers as numbers: 1, 2, 3, 10
    assert _names(proxy) == ["Łódź", "Ślesin", "Konin", "Żnin"]
    proxy.set_query("slesin")
    assert _names(proxy) == ["Ślesin"]
    proxy.set_query("")
    assert proxy.rowCount() == 4


def test_table_without_sort_column_keeps_the_model_order(qtbot):
    view, _, proxy = _table(qtbot, sort_column=None)
    assert _names(proxy) == [r.name for r in ROWS]
    assert view.editTriggers() == view.EditTrigger.NoEditTriggers


def test_selected_object_maps_through_sorting_and_search(qtbot):
    view, _, proxy = _table(qtbot)
    assert selected_object(view) is None
    proxy.set_query("lodz")
    view.selectionModel().select(proxy.index(0, 0), QItemSelectionModel.SelectionFlag.Rows
                                 | QItemSelectionModel.SelectionFlag.Select)
    assert selected_object(view) == Place("Łódź", "1")


def test_ok_cancel_buttons_have_polish_labels_and_call_back(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    saved = []
    buttons = ok_cancel_buttons(dialog, "Zapisz", on_ok=lambda: saved.append(True))
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert (ok.text(), cancel.text()) == ("Zapisz", "Anuluj")
    ok.click()
    assert saved == [True] and dialog.result() == QDialog.DialogCode.Rejected
    plain = ok_cancel_buttons(dialog)
    assert plain.button(QDialogButtonBox.StandardButton.Ok).text() == "OK"
    plain.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_translator_without_a_translation_returns_the_polish_text(qapp):
    assert translator("partners")("Zaimportowano partnerów: {0}.") == \
        "Zaimportowano partnerów: {0}."


def test_contact_card_escapes_everything_from_data():
    evil = "<img src=x onerror=alert(1)>"
    card = contact_card_html("Dzielnicowy", Contact(1, evil, "63 240 12 00", "", "a&b@policja.pl",
                                                    "Jan <b>Kowalski</b>"), "brak")
    assert "<img" not in card and "&lt;img src=x" in card and "<b>Kowalski" not in card
    assert "tel. 63 240 12 00" in card and "tel. kom." not in card
    assert "a&amp;b@policja.pl" in card and "zastępstwo za: Jan &lt;b&gt;" in card
    assert contact_card_html("Policjant <RD>", None, "brak przydziału") == \
        "<p><b>Policjant &lt;RD&gt;:</b> <i>brak przydziału</i></p>"


def test_a_hidden_table_is_fitted_when_it_is_shown(qtbot):
    """Issue 14: a table filled behind another tab is not measured until it is shown."""
    from desktop.common.ui.column_fit import fit_columns

    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(400, 300)
    model = RowsTableModel([Column("Nazwa", lambda r: r), Column("Nr", lambda r: 1)],
                           parent=parent)
    view, _proxy = make_table(parent, model)
    view.resize(400, 300)
    fitter = fit_columns(view, [0])
    model.set_rows(["x" * 80] * 3)
    fitter.fit()
    assert fitter._stale  # hidden: nothing measured
    parent.show()
    qtbot.waitUntil(lambda: not fitter._stale, timeout=5000)
    header = view.horizontalHeader()
    assert header.sectionSize(0) + header.sectionSize(1) <= view.viewport().width() + 1


def test_a_big_table_measures_a_sample_of_its_rows(qtbot):
    """Issue 14: a column's width is measured on CONTENT_ROWS rows, not Qt's default 1000
    (showing a tab with big tables asked data() tens of thousands of times)."""
    from desktop.common.ui.tables import CONTENT_ROWS

    read: list[int] = []
    parent = QWidget()
    qtbot.addWidget(parent)
    model = RowsTableModel([Column("Nazwa", lambda r: read.append(r) or f"wiersz {r}")],
                           parent=parent)
    view, _proxy = make_table(parent, model, sort_column=None)
    model.set_rows(range(5000))
    read.clear()
    width = view.sizeHintForColumn(0)
    assert width > view.fontMetrics().horizontalAdvance("wiersz 1")
    assert 0 < len(set(read)) <= CONTENT_ROWS < 1000  # Qt's default: 1000 rows


def test_columns_are_measured_one_per_turn_to_qts_widths(qtbot):
    """Issue 14: fitting a table measured every column in one turn (35–70 ms of the UI thread
    for the beats table while the tabs filled in); one column per turn now, then all are
    sized together, to the widths Qt's resizeColumnsToContents gives them."""
    from desktop.common.ui.column_fit import fit_columns

    parent = QWidget()
    qtbot.addWidget(parent)
    columns = [Column("Nazwa", lambda r: f"Rejon służbowy nr {r} – Żółkiewskiego {r * 7}"),
               Column("Nr", lambda r: r),
               Column("Dzielnicowy", lambda r: "mł. asp. Ąę" * (r % 3)),
               Column("Zgł. 12 mies.", lambda r: r * 1234, align_right=True),
               Column("Od", lambda r: f"2018-01-{r % 28 + 1:02d}")]
    model = RowsTableModel(columns, parent=parent)
    view, _proxy = make_table(parent, model)
    parent.resize(1400, 400)
    view.resize(1400, 400)
    fitter = fit_columns(view, [0])
    parent.show()
    qtbot.waitExposed(parent)
    model.set_rows(range(60))
    qtbot.waitUntil(lambda: not fitter.fitting(), timeout=5000)
    fitter.fit()  # the first column now, the others a turn apart
    assert fitter.fitting() and len(fitter._measured) == 1
    qtbot.waitUntil(lambda: not fitter.fitting(), timeout=5000)
    header = view.horizontalHeader()
    ours = [header.sectionSize(c) for c in range(len(columns))]
    assert sum(ours) == view.viewport().width()  # column 0 (elastic) takes the spare room
    view.resizeColumnsToContents()
    assert ours[1:] == [header.sectionSize(c) for c in range(1, len(columns))]
    assert ours[0] > header.sectionSize(0)
