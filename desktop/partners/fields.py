"""The partner's fields in one list (Qt-free): labels, table and export columns, import
synonyms and length limits all come from here.

Adding a partner column: the model (``db.models.Partner``) and its migration, the attribute of
``PartnerData`` (``desktop.partners.service``), and one ``PartnerField`` below. The register
table, the edit dialog, CSV/XLSX export and import and validation follow; the length limit is
read from the model's ``String(n)``.

Labels are Polish, marked with ``N_``; the Qt layer translates them in the ``partners``
context (``QCoreApplication.translate(FIELDS_CONTEXT, field.label)``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from db.models import Partner
from desktop.common.fields import Field, FieldList
from desktop.common.labels import N_, label

if TYPE_CHECKING:
    from desktop.partners.service import PartnerRow

FIELDS_CONTEXT = "partners"

# A partner's field is the generic one (``desktop.common.fields.Field``); ``column`` is
# ``Partner.gmina_id`` for the gmina (shown by name) and None for the signature status.
PartnerField = Field

FIELDS = FieldList(FIELDS_CONTEXT, (
    PartnerField("name", N_("Nazwa"), Partner.name, export_width=45,
                 synonyms=("nazwa partnera", "partner", "instytucja")),
    PartnerField("partner_type", N_("Rodzaj"), Partner.partner_type, searchable=False,
                 export_width=24,
                 synonyms=("typ", "rodzaj partnera", "typ partnera")),
    PartnerField("gmina", N_("Gmina"), Partner.gmina_id, export_width=18),
    PartnerField("address", N_("Adres"), Partner.address, in_table=False, export_width=28,
                 synonyms=("ulica",)),
    PartnerField("postal_code", N_("Kod pocztowy"), Partner.postal_code, in_table=False,
                 searchable=False, export_width=10, synonyms=("kod",)),
    PartnerField("city", N_("Miejscowość"), Partner.city, in_table=False, export_width=18,
                 synonyms=("miasto", "poczta")),
    PartnerField("representative", N_("Przedstawiciel"), Partner.representative,
                 export_width=26, synonyms=("reprezentant", "osoba", "imie i nazwisko")),
    PartnerField("representative_function", N_("Funkcja"), Partner.representative_function,
                 export_width=28, synonyms=("stanowisko", "funkcja przedstawiciela"),
                 form_label=N_("Funkcja przedstawiciela")),
    PartnerField("phone", N_("Telefon"), Partner.phone, export_width=16,
                 synonyms=("tel", "tel.", "nr telefonu")),
    PartnerField("email", N_("E-mail"), Partner.email, export_width=30,
                 synonyms=("email", "mail", "adres e-mail")),
    PartnerField("notes", N_("Uwagi"), Partner.notes, in_table=False, searchable=False,
                 export_width=30,
                 synonyms=("notatki",)),
    PartnerField("signature_status", N_("Porozumienie"), None, searchable=False,
                 export_width=14),
))

BY_NAME = FIELDS.by_name
EDITABLE = FIELDS.editable  # the import's columns, in file order
TABLE = FIELDS.table
SEARCHABLE = FIELDS.searchable
TEXT_LIMITS = FIELDS.text_limits()
LABELS = FIELDS.labels()


def display_value(row: PartnerRow, name: str,
                  label_of: Callable[[object], str] = label) -> str:
    """The text of one field of a register row (enums through ``label_of``, the gmina by
    name); the same text goes to the table (translated labels) and to the export."""
    if name == "partner_type":
        return label_of(row.partner_type)
    if name == "signature_status":
        return label_of(row.signature_status) if row.signature_status else ""
    if name == "gmina":
        return row.gmina
    value = getattr(row.data, name)
    return value if isinstance(value, str) else str(value)
