"""Signatories of one agreement with their signing dates, to CSV (for Excel) or XLSX."""
from __future__ import annotations

from pathlib import Path

from db.engine import Database
from desktop.common import csvsafe
from desktop.common.labels import label
from desktop.partners.agreements import SignatureRow, get_agreement, list_signatures

HEADER = ["Lp.", "Partner", "Rodzaj", "Podpisujący", "Funkcja", "Status", "Data podpisania",
          "Przystąpienie (aneks)", "Uwagi"]


def _text(value: str) -> str:
    # Spreadsheets run cells starting with = + - @ as formulas: keep data as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def signatory_rows(signatures: list[SignatureRow]) -> list[list]:
    """One row per signature (removed partners included: the agreement still names them);
    the date stays a ``date`` (CSV writes dd.mm.rrrr, XLSX a date cell)."""
    return [[n, r.partner_name, label(r.partner_type), r.data.signatory,
             r.data.signatory_function, label(r.data.status), r.data.signed_on,
             r.data.annex_number, r.data.note]
            for n, r in enumerate(signatures, start=1)]


def export_signatories(db: Database, agreement_id: int, path: str | Path) -> int:
    """Write the agreement's signatories by the file's extension (.xlsx, else CSV with ";"
    and a BOM). Returns the number of rows; raises ``OSError`` when it cannot be written."""
    agreement = get_agreement(db, agreement_id)
    rows = signatory_rows(list_signatures(db, agreement_id))
    title = f"{agreement.caption}"
    if str(path).lower().endswith(".xlsx"):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = "Sygnatariusze"
        ws.append([_text(title)])
        ws.append(HEADER)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_text(v) if isinstance(v, str) else v for v in row])
        for cell in ws["G"][2:]:
            cell.number_format = "DD.MM.YYYY"
        for letter, width in zip("ABCDEFGHI", (5, 45, 22, 26, 26, 14, 15, 20, 30), strict=True):
            ws.column_dimensions[letter].width = width
        wb.save(str(path))
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            w = csvsafe.writer(f, delimiter=";")
            w.writerow(HEADER)
            for row in rows:
                w.writerow([f"{v:%d.%m.%Y}" if hasattr(v, "strftime") else
                            _text(v) if isinstance(v, str) else "" if v is None else v
                            for v in row])
    return len(rows)
