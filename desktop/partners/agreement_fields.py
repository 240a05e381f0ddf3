"""The fields of an agreement and of a signature on it, one list each (Qt-free): the
agreement form, the signatures table, the signature dialog, the signatories export and the
length checks read them. Length limits come from ``db.models.Agreement`` / ``Signature``.
"""
from __future__ import annotations

from db.models import Agreement, Signature
from desktop.common.fields import Field, FieldList
from desktop.common.labels import N_

AGREEMENT_FIELDS = FieldList("partners", (
    Field("title", N_("Tytuł"), Agreement.title),
    Field("edition_year", N_("Edycja (rok)"), Agreement.edition_year),
    Field("number", N_("Numer"), Agreement.number),
    Field("place", N_("Miejsce"), Agreement.place, form_label=N_("Miejsce zawarcia")),
    Field("signed_on", N_("Data podpisania"), Agreement.signed_on,
          form_label=N_("Data zawarcia")),
    Field("valid_from", N_("Obowiązuje od"), Agreement.valid_from),
    Field("valid_to", N_("Obowiązuje do"), Agreement.valid_to),
    Field("police_coordinator", N_("Koordynator (Policja)"), Agreement.police_coordinator),
    Field("partners_coordinator", N_("Koordynator (partnerzy)"),
          Agreement.partners_coordinator),
    Field("unit_id", N_("Jednostka"), Agreement.unit_id),
    Field("subject", N_("Przedmiot"), Agreement.subject),
))

# Rows are ``desktop.partners.agreements.SignatureRow``.
SIGNATURE_FIELDS = FieldList("partners", (
    Field("partner_id", N_("Partner"), Signature.partner_id, export_width=45,
          value=lambda r: r.partner_name),
    Field("partner_type", N_("Rodzaj"), None, export_width=22,
          value=lambda r: r.partner_type),
    Field("signatory", N_("Podpisujący"), Signature.signatory, export_width=26,
          value=lambda r: r.data.signatory),
    Field("signatory_function", N_("Funkcja"), Signature.signatory_function, export_width=26,
          value=lambda r: r.data.signatory_function),
    Field("status", N_("Status"), Signature.status, export_width=14,
          value=lambda r: r.data.status),
    Field("signed_on", N_("Data podpisania"), Signature.signed_on, table_label=N_("Data"),
          export_width=15, value=lambda r: r.data.signed_on),
    Field("annex_number", N_("Przystąpienie (aneks)"), Signature.annex_number,
          table_label=N_("Aneks"), export_width=20, value=lambda r: r.data.annex_number),
    Field("note", N_("Uwagi"), Signature.note, in_table=False, export_width=30,
          value=lambda r: r.data.note),
))

# What the conflict dialog names when someone else changed the record meanwhile.
AGREEMENT_LABELS = AGREEMENT_FIELDS.labels()
SIGNATURE_LABELS = SIGNATURE_FIELDS.labels()
