"""Export of the (filtered) register from the tab: choose CSV or XLSX and save."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.common.ui import plain
from desktop.common.ui.file_dialogs import save_file_name
from desktop.common.ui.i18n import translator
from desktop.partners.exchange import export_csv, export_xlsx
from desktop.partners.service import PartnerRow

_tr = translator("partners")


def export_rows(path: str, rows: list[PartnerRow]) -> str:
    """Write CSV or XLSX by the file's extension (CSV without one); returns the path."""
    if path.lower().endswith(".xlsx"):
        export_xlsx(path, rows)
    else:
        if not path.lower().endswith(".csv"):
            path += ".csv"
        export_csv(path, rows)
    return path


def export_scope_box(parent: QWidget, visible: int, total: int) -> QMessageBox:
    """The question asked when the search or the filters hide part of the register."""
    box = QMessageBox(QMessageBox.Icon.Question, _tr("Eksport rejestru partnerów"),
                      _tr("Wyszukiwanie i filtry pokazują {0} z {1} partnerów. Którzy mają "
                          "trafić do pliku?").format(visible, total),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    shown = box.addButton(_tr("Tylko widoczni ({0})").format(visible),
                          QMessageBox.ButtonRole.AcceptRole)
    everyone = box.addButton(_tr("Cały rejestr ({0})").format(total),
                             QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("Anuluj"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(shown)
    box.setProperty("choices", [shown, everyone])
    return box


def choose_rows(parent: QWidget, visible: list[PartnerRow],
                everyone: list[PartnerRow]) -> list[PartnerRow] | None:
    """The rows to export: all of them when nothing is hidden, else as the user answers
    (None: cancelled)."""
    if len(visible) == len(everyone):
        return everyone
    box = export_scope_box(parent, len(visible), len(everyone))
    box.exec()
    shown, all_button = box.property("choices")
    if box.clickedButton() is shown:
        return visible
    if box.clickedButton() is all_button:
        return everyone
    return None


def export_with_dialog(parent: QWidget, rows: list[PartnerRow]) -> str | None:
    csv_filter = _tr("CSV dla Excela (*.csv)")
    xlsx_filter = _tr("Skoroszyt Excel (*.xlsx)")
    path, chosen = save_file_name(parent, _tr("Eksport rejestru partnerów"),
                                  "partnerzy.xlsx", f"{xlsx_filter};;{csv_filter}")
    if not path:
        return None
    if chosen == xlsx_filter and not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    try:
        path = export_rows(path, rows)
    except OSError as exc:
        plain.message(parent, plain.Icon.Critical, _tr("Nie zapisano"),
                      _tr("Nie udało się zapisać pliku {0}:\n{1}").format(path, exc))
        return None
    plain.message(parent, plain.Icon.Information, _tr("Eksport"),
                  _tr("Zapisano plik {1} (partnerów: {0}).").format(len(rows), path))
    return path
