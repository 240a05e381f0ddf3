"""The street register's fields in one list (Qt-free): the register table, the "Nowy
wiersz" dialog (labels, length limits), the CSV file's header (``synonyms``: the first is
the exported name, all are recognised on import) and the length checks.
Length limits come from ``db.models.StreetRange``.
"""
from __future__ import annotations

from db.models import StreetRange
from desktop.common.fields import Field, FieldList
from desktop.common.labels import N_

STREET_FIELDS = FieldList("streets", (
    Field("unit", N_("Jednostka"), None, in_table=False, synonyms=("jednostka",)),
    Field("beat", N_("Rejon"), StreetRange.beat_id,
          synonyms=("rejon", "nr rejonu", "numer rejonu")),
    Field("locality", N_("Miejscowość"), StreetRange.locality, synonyms=("miejscowosc",)),
    Field("street", N_("Ulica"), StreetRange.street, table_label=N_("Ulica i numery"),
          synonyms=("ulica",)),
    Field("side", N_("Strona"), StreetRange.side, in_table=False, synonyms=("strona",)),
    Field("number_from", N_("Od numeru"), StreetRange.number_from, in_table=False,
          synonyms=("od",)),
    Field("number_to", N_("Do numeru"), StreetRange.number_to, in_table=False,
          synonyms=("do",)),
))

CSV_HEADER = [f.synonyms[0] for f in STREET_FIELDS]  # the import and export file's header
