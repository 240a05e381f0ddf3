"""The fields of a unit, a gmina and a beat, one list each (Qt-free): the organisation
tab's tables, its dialogs (labels, length limits), the beats tab's table and the length
checks read them. Length limits come from ``db.models`` (``Unit``, ``Gmina``, ``Beat``).
"""
from __future__ import annotations

from db.models import Beat, Gmina, Unit
from desktop.common.fields import Field, FieldList
from desktop.common.labels import N_

# Rows are ``desktop.organisation.units.UnitRow``.
UNIT_FIELDS = FieldList("organisation", (
    Field("short_name", N_("Nazwa skrócona"), Unit.short_name),
    Field("name", N_("Pełna nazwa"), Unit.name),
    Field("kind", N_("Rodzaj"), None, searchable=False),
    Field("parent_id", N_("Nadrzędna"), Unit.parent_id, form_label=N_("Jednostka nadrzędna"),
          searchable=False, value=lambda r: r.parent),
    Field("address", N_("Adres"), Unit.address),
    Field("phone", N_("Telefon"), Unit.phone, searchable=False),
))

# Rows are ``desktop.organisation.units.GminaRow``.
GMINA_FIELDS = FieldList("organisation", (
    Field("teryt", N_("TERYT"), Gmina.teryt, form_label=N_("Kod TERYT")),
    Field("name", N_("Gmina"), Gmina.name, form_label=N_("Nazwa")),
    Field("kind", N_("Rodzaj"), Gmina.kind, searchable=False),
    Field("unit_id", N_("Jednostka"), Gmina.unit_id, value=lambda r: r.unit),
))

# Rows are ``desktop.organisation.beat_editor.BeatEntry`` (the organisation tab) or
# ``desktop.beats.queries.BeatRow`` (the beats tab, through ``BEAT_SUMMARY_FIELDS``).
BEAT_FIELDS = FieldList("organisation", (
    Field("unit_id", N_("Jednostka"), Beat.unit_id, value=lambda r: r.unit),
    Field("number", N_("Numer"), Beat.number, table_label=N_("Nr")),
    Field("name", N_("Nazwa"), Beat.name, table_label=N_("Rejon")),
    Field("gmina_id", N_("Gmina"), Beat.gmina_id, value=lambda r: r.gmina,
          form_label=N_("Gmina główna")),
    Field("other_gmina_ids", N_("Pozostałe gminy"), None, value=lambda r: r.other_gminas),
    Field("description", N_("Opis"), Beat.description, in_table=False, searchable=False),
    Field("retired_on", N_("Wycofany od"), Beat.retired_on, in_form=False, searchable=False),
    Field("has_history", N_("Historia"), None, searchable=False),
))

# The beats tab's table: the beat's own fields, then who serves it and its figures.
BEAT_SUMMARY_FIELDS = FieldList("beats", (
    *(BEAT_FIELDS.by_name[name] for name in ("unit_id", "number", "name", "gmina_id")),
    Field("beat_officer", N_("Dzielnicowy")),
    Field("traffic_officer", N_("Policjant ruchu drogowego")),
    Field("area_km2", N_("Pow. [km²]"), searchable=False, align_right=True),
    Field("reports_12m", N_("Zgł. 12 mies."), searchable=False, align_right=True),
))
