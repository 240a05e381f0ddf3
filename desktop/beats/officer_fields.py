"""The officer's fields in one list (Qt-free): the roster table, the officer dialog (labels
and length limits), the roster import's header names and the validation lengths.

``synonyms`` are the roster file's header names (the first is the one the import asks for);
length limits come from ``db.models.Officer``.
"""
from __future__ import annotations

from db.models import Officer
from desktop.common.fields import Field, FieldList
from desktop.common.labels import N_

OFFICER_FIELDS = FieldList("officers", (
    Field("rank", N_("Stopień"), Officer.rank, synonyms=("stopien",)),
    Field("last_name", N_("Nazwisko"), Officer.last_name, synonyms=("nazwisko",)),
    Field("first_name", N_("Imię"), Officer.first_name, synonyms=("imie",)),
    Field("service_number", N_("Numer służbowy"), Officer.service_number,
          table_label=N_("Nr służbowy"),
          synonyms=("numer_sluzbowy", "nr_sluzbowy", "identyfikator")),
    Field("role", N_("Funkcja"), Officer.role, searchable=False, synonyms=("rola", "funkcja")),
    Field("unit_id", N_("Jednostka"), Officer.unit_id, value=lambda r: r.unit,
          synonyms=("jednostka",)),
    Field("phone", N_("Telefon stacjonarny"), Officer.phone, table_label=N_("Telefon"),
          searchable=False, synonyms=("telefon", "telefon_stacjonarny")),
    Field("mobile", N_("Telefon komórkowy"), Officer.mobile, table_label=N_("Komórka"),
          searchable=False, synonyms=("telefon_komorkowy", "komorka")),
    Field("email", N_("E-mail"), Officer.email, synonyms=("email", "e_mail")),
    Field("active", N_("Aktywny"), Officer.active, in_form=False, searchable=False),
    Field("beats", N_("Bieżące rejony"), None),
))

# What the conflict dialog names when someone else changed the officer meanwhile.
OFFICER_LABELS = OFFICER_FIELDS.labels()
