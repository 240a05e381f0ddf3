"""Export of the (filtered) register from the tab: choose CSV or XLSX and save."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.common.ui import plain
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


def export_with_dialog(parent: QWidget, rows: list[PartnerRow]) -> str | None:
    csv_filter = _tr("CSV dla Excela (*.csv)")
    xlsx_filter = _tr("Skoroszyt Excel (*.xlsx)")
    path, chosen = QFileDialog.getSaveFileName(parent, _tr("Eksport rejestru partnerów"),
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
