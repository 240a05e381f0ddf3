"""Content of the agreement list (lista sygnatariuszy porozumienia) as HTML (Qt-free).

Signatories are grouped by partner type, one table per type. Each table's ``<thead>`` holds
the column header and the type's caption, so both repeat on every page the table spans (and
Qt skips whole tables outside the page it paints, which keeps 300 partners fast). Numbering
runs through all groups. Every text that comes from the database is escaped.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path

from db.engine import Database
from db.models import PartnerType, SignatureStatus
from desktop.common.document import PagedDocument, PageDecor, render_pdf
from desktop.common.labels import label
from desktop.partners.agreements import AgreementRow, SignatureRow, get_agreement, list_signatures

REPORT_CSS = """
.unit { text-align: center; font-size: 10pt; font-weight: bold; }
.unitaddr { text-align: center; font-size: 8pt; color: #333; }
h1 { text-align: center; font-size: 13pt; margin-top: 12pt; }
.meta { text-align: center; font-size: 9pt; }
table.list { margin-top: 8pt; }
td, th { padding: 0.35em; }
td.group { background-color: #f0f0f0; font-weight: bold; }
.small { font-size: 7.5pt; color: #333; }
.total { margin-top: 0.8em; }
"""

HEADERS = ("Lp.", "Partner", "Przedstawiciel i funkcja", "Data podpisania", "Podpis")
WIDTHS = ("7%", "32%", "27%", "13%", "21%")


@dataclass(frozen=True)
class AgreementReport:
    """The list as a paged document, with a suggested file name and the number of rows."""

    document: PagedDocument
    file_name: str
    rows: int


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def listed_signatures(rows: list[SignatureRow]) -> list[SignatureRow]:
    """Who goes on the list: signed and invited partners that are still in the register
    (withdrawn ones and removed partners are left out)."""
    return [r for r in rows if r.data.status is not SignatureStatus.WITHDRAWN
            and not r.partner_removed]


def _period(a: AgreementRow) -> str:
    d = a.data
    if d.valid_from and d.valid_to:
        return f"od {_date(d.valid_from)} do {_date(d.valid_to)}"
    if d.valid_from:
        return f"od {_date(d.valid_from)} na czas nieokreślony"
    if d.valid_to:
        return f"do {_date(d.valid_to)}"
    return "nie określono"


SIGNATURE_SPACE = "&nbsp;<br/>&nbsp;<br/>&nbsp;<br/>&nbsp;"


def _row_html(no: int, r: SignatureRow) -> str:
    d = r.data
    # The second line (function, or a blank one) gives every row room for a signature.
    person = f"{escape(d.signatory)}<br/><span class='small'>{escape(d.signatory_function)}</span>"
    when = _date(d.signed_on)
    if d.annex_number:
        when += f"<br/><span class='small'>{escape(d.annex_number)}</span>"
    if d.status is SignatureStatus.INVITED:
        when = f"<span class='small'>{escape(label(SignatureStatus.INVITED))}</span>"
    # The signature cell holds four empty lines: about 16 mm, room for a real signature.
    return (f"<tr><td align='right'>{no}.</td><td>{escape(r.partner_name)}</td>"
            f"<td>{person}</td><td>{when}</td><td>{SIGNATURE_SPACE}</td></tr>")


def build_html(agreement: AgreementRow, signatures: list[SignatureRow]) -> str:
    a = agreement.data
    parts = []
    if agreement.unit_name:
        parts.append(f"<p class='unit'>{escape(agreement.unit_name)}</p>")
        if agreement.unit_address:
            parts.append(f"<p class='unitaddr'>{escape(agreement.unit_address)}</p>")
    parts.append(f"<h1>{escape(a.title)}</h1>")
    made = []
    if a.number:
        made.append(f"nr {escape(a.number)}")
    if a.place or a.signed_on:
        where = f" w miejscowości {escape(a.place)}" if a.place else ""
        when = f" dnia {_date(a.signed_on)} r." if a.signed_on else ""
        made.append(f"zawarte{where}{when}")
    if made:
        parts.append(f"<p class='meta'>{', '.join(made)}</p>")
    parts.append(f"<p class='meta'>Okres obowiązywania: {_period(agreement)}</p>")
    coord = []
    if a.police_coordinator:
        coord.append(f"ze strony Policji: {escape(a.police_coordinator)}")
    if a.partners_coordinator:
        coord.append(f"ze strony partnerów: {escape(a.partners_coordinator)}")
    if coord:
        parts.append(f"<p class='meta'>Koordynatorzy – {'; '.join(coord)}</p>")
    parts.append("<h2>Lista sygnatariuszy</h2>")

    head = "".join(f"<th width='{w}'>{h}</th>" for h, w in zip(HEADERS, WIDTHS))
    listed = listed_signatures(signatures)
    no = 0
    # One table per partner type: Qt paints a page faster when whole tables lie outside it,
    # and the caption row sits in <thead>, so it repeats with the column header on every page.
    for ptype in PartnerType:
        group = [r for r in listed if r.partner_type is ptype]
        if not group:
            continue
        caption = label(ptype)
        rows = []
        for r in group:
            no += 1
            rows.append(_row_html(no, r))
        parts.append(
            "<table class='list' width='100%' cellspacing='0' cellpadding='4'><thead>"
            f"<tr>{head}</tr><tr><td class='group' colspan='5'>"
            f"{escape(caption[:1].upper() + caption[1:])} ({len(group)})</td></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
    if not no:
        parts.append("<p>Porozumienie nie ma jeszcze sygnatariuszy.</p>")
    if no:
        signed = sum(1 for r in listed if r.data.status is SignatureStatus.SIGNED)
        parts.append(f"<p class='total'>Pozycji na liście: {no} (podpisane: {signed}, "
                     f"zaproszeni: {no - signed}).</p>")
    return "\n".join(parts)


def build_report(db: Database, agreement_id: int | None = None,
                 now: dt.datetime | None = None) -> AgreementReport:
    """The agreement list of one agreement (the most recent one without an id).

    Raises ``AgreementError`` (Polish message) when there is no such agreement.
    """
    agreement = get_agreement(db, agreement_id)
    signatures = list_signatures(db, agreement.id)
    now = now or dt.datetime.now()
    number = agreement.data.number
    title = f"Lista sygnatariuszy porozumienia nr {number}" if number else \
        "Lista sygnatariuszy porozumienia"
    safe_number = "".join(c if c.isalnum() else "-" for c in number).strip("-")
    decor = PageDecor(agreement.unit_name or "Razem dla bezpieczeństwa", title,
                      f"Wygenerowano {now.strftime('%d.%m.%Y %H:%M')} – program Razem")
    return AgreementReport(
        document=PagedDocument(title, build_html(agreement, signatures), REPORT_CSS, decor),
        file_name=f"porozumienie-{safe_number or agreement.id}-lista.pdf",
        rows=len(listed_signatures(signatures)),
    )


def write_agreement_pdf(db: Database, agreement_id: int | None, path: str | Path) -> int:
    """Write the agreement list to a PDF; returns the page count.

    Raises ``AgreementError`` for a missing agreement and ``OSError`` when the file cannot
    be written."""
    return render_pdf(build_report(db, agreement_id).document, path)
