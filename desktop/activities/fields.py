"""The activity's fields in one list (Qt-free): the activities table, the activity dialog
(labels, length limits), the CSV/XLSX export columns, the conflict dialog's names and the
length checks. Rows are ``desktop.activities.service.ActivityRow``; names are those of
``ActivityInput``. Length limits come from ``db.activities.Activity``.
"""
from __future__ import annotations

from db.activities import Activity
from desktop.common.fields import Field, FieldList
from desktop.common.labels import N_

ACTIVITY_FIELDS = FieldList("activities", (
    Field("starts_at", N_("Data i godzina"), Activity.starts_at, form_label=N_("Początek"),
          searchable=False, export_width=17),
    Field("ends_at", N_("Koniec"), Activity.ends_at, in_table=False, searchable=False,
          export_width=17),
    Field("kind", N_("Rodzaj"), Activity.kind, export_width=28),
    Field("title", N_("Temat"), Activity.title, export_width=40),
    Field("place", N_("Miejsce"), Activity.place, export_width=30),
    Field("beat_ids", N_("Rejony"), export_width=30, value=lambda r: r.beats_text),
    Field("officer_ids", N_("Funkcjonariusze"), export_width=30,
          value=lambda r: r.officers_text),
    Field("partner_ids", N_("Partnerzy"), export_width=30, value=lambda r: r.partners_text),
    Field("attendance", N_("Liczba uczestników"), Activity.attendance,
          table_label=N_("Uczestnicy"), searchable=False, align_right=True, export_width=10),
    Field("category_ids", N_("Kategorie zagrożeń"), in_table=False, export_width=30,
          value=lambda r: r.categories_text),
    Field("outcome", N_("Wynik"), Activity.outcome, in_table=False, export_width=40),
    Field("follow_up", N_("Dalsze działania"), Activity.follow_up, in_table=False,
          export_width=40),
    Field("plan_id", N_("Plan działania priorytetowego"), Activity.plan_id,
          table_label=N_("Plan"), export_width=30, value=lambda r: r.plan),
))

# What the conflict dialog names when someone else changed the activity meanwhile.
FIELD_LABELS = ACTIVITY_FIELDS.form_labels()
