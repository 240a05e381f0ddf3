"""Signatories of one agreement with their signing dates, to CSV (for Excel) or XLSX."""
from __future__ import annotations

from pathlib import Path

from db.engine import Database
from desktop.common import csvsafe
from desktop.partners.agreement_fields import SIGNATURE_FIELDS
from desktop.partners.agreements import SignatureRow, get_agreement, list_signatures

# "Lp." and then the signature's field list (desktop.partners.agreement_fields).
HEADER = ["Lp.", *SIGNATURE_FIELDS.export_headers()]
WIDTHS = [5, *(f.export_width for f in SIGNATURE_FIELDS.export)]
DATE_COLUMN = 2 + [f.name for f in SIGNATURE_FIELDS.export].index("signed_on")  # 1-based


def _text(value: str) -> str:
    # Spreadsheets run cells starting with = + - @ as formulas: keep data as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def signatory_rows(signatures: list[SignatureRow]) -> list[list]:
    """One row per signature (removed partners included: the agreement still names them);
    the date stays a ``date`` (CSV writes dd.mm.rrrr, XLSX a date cell)."""
    return [[n, *SIGNATURE_FIELDS.export_row(r)] for n, r in enumerate(signatures, start=1)]


def export_signatories(db: Database, agreement_id: int, path: str | Path) -> int:
    """Write the agreement's signatories by the file's extension (.xlsx, else CSV with ";"
    and a BOM). Returns the number of rows; raises ``OSError`` when it cannot be written."""
    agreement = get_agreement(db, agreement_id)
    rows = signatory_rows(list_signatures(db, agreement_id))
    title = f"{agreement.caption}"
    if str(path).lower().endswith(".xlsx"):
        from openpyxl import Workbook
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        wb = Workbook()
        ws = wb.active
        ws.title = "Sygnatariusze"
        ws.append([_text(title)])
        ws.append(HEADER)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([_text(v) if isinstance(v, str) else v for v in row])
        for cell in ws[get_column_letter(DATE_COLUMN)][2:]:
            cell.number_format = "DD.MM.YYYY"
        for i, width in enumerate(WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
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
