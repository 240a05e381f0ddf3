"""The columns of the activities log in exports (Qt-free)."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from desktop.activities.export import ExportColumn, write_table
from desktop.activities.service import ActivityRow

EXPORT_COLUMNS = [
    ExportColumn("Data i godzina", lambda r: r.starts_at, 17),
    ExportColumn("Koniec", lambda r: r.ends_at, 17),
    ExportColumn("Rodzaj", lambda r: r.kind_label, 28),
    ExportColumn("Temat", lambda r: r.title, 40),
    ExportColumn("Miejsce", lambda r: r.place, 30),
    ExportColumn("Rejony", lambda r: r.beats_text, 30),
    ExportColumn("Funkcjonariusze", lambda r: r.officers_text, 30),
    ExportColumn("Partnerzy", lambda r: r.partners_text, 30),
    ExportColumn("Liczba uczestników", lambda r: r.attendance, 10),
    ExportColumn("Kategorie zagrożeń", lambda r: r.categories_text, 30),
    ExportColumn("Wynik", lambda r: r.outcome, 40),
    ExportColumn("Dalsze działania", lambda r: r.follow_up, 40),
    ExportColumn("Plan działania priorytetowego", lambda r: r.plan, 30),
]


def export_activities(path: str | Path, rows: Sequence[ActivityRow]) -> None:
    """CSV or XLSX (by suffix) of the activities; raises OSError when it cannot write."""
    write_table(path, EXPORT_COLUMNS, rows, "Działania")
