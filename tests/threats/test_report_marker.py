"""The change marker of the reports (db/report_marker.py): every kind of write to
``threat_reports`` gives a new key, on SQLite and PostgreSQL; reads and rolled-back writes
leave it as it was."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select, text, update

from db import report_marker
from db.models import Beat, ThreatReport, ThreatStatus
from desktop.threats.assignment import reassign_reports
from desktop.threats.importer import import_reports

from .test_importer import KMZB_HEADER, E, N

MS_2018_03 = 1520244000000  # 2018-03-05
DAY_MS = 86_400_000


def key(db) -> str:
    with db.engine.connect() as conn:
        got = report_marker.report_key(conn)
    assert got is not None
    return got


def _csv(rows: list[tuple[str, str, int, float]]) -> str:
    lines = [KMZB_HEADER]
    for sid, status, ms, dx in rows:
        lines.append(f"{sid};Akty wandalizmu;{status};3062011;{ms};{ms};{ms};{E + dx:.1f};"
                     f"{N:.1f};o")
    return "\n".join(lines) + "\n"


class Keys:
    """Every key seen must be new after a write, and the same after no write."""

    def __init__(self, db):
        self.db = db
        self.seen = [key(db)]

    def changed(self, what: str) -> None:
        now = key(self.db)
        assert now not in self.seen, what
        self.seen.append(now)

    def same(self, what: str) -> None:
        assert key(self.db) == self.seen[-1], what


def test_triggers_and_row_at_head(sample_db):
    with sample_db.engine.connect() as conn:
        assert report_marker.triggers_present(conn)
        assert conn.execute(text("SELECT count(*) FROM report_marker")).scalar() == 1


def test_every_write_changes_the_key(sample_db, write_file):
    db = sample_db
    keys = Keys(db)
    with db.session() as s:  # reading changes nothing
        s.execute(select(ThreatReport)).all()
    keys.same("a read")
    with pytest.raises(RuntimeError), db.session() as s, s.begin():
        s.execute(delete(ThreatReport))
        raise RuntimeError("cancel")
    keys.same("a rolled-back delete")

    rows = [(f"M-{i}", "Potwierdzone", MS_2018_03 + i * DAY_MS, i * 5.0) for i in range(30)]
    import_reports(db, write_file("a.csv", _csv(rows)))
    keys.changed("an import of new reports")
    changed = [(sid, "Nowe", ms, dx) for sid, _st, ms, dx in rows[:10]]
    result = import_reports(db, write_file("b.csv", _csv(changed)))
    assert result.updated == 10
    keys.changed("a re-import changing statuses")
    moved = [(sid, st, ms, dx + 50.0) for sid, st, ms, dx in changed[:3]]
    import_reports(db, write_file("c.csv", _csv(moved)))
    keys.changed("a re-import moving reports")

    with db.session() as s, s.begin():  # an edit through the ORM
        report = s.scalars(select(ThreatReport).order_by(ThreatReport.id)).first()
        assert report is not None
        statuses = list(s.scalars(select(ThreatStatus.id)))
        report.status_id = statuses[-1] if report.status_id != statuses[-1] else statuses[0]
    keys.changed("an ORM edit of a status")
    with db.session() as s, s.begin():
        report = s.get(ThreatReport, report.id)
        assert report is not None
        report.reported_at = report.reported_at - dt.timedelta(days=3)
    keys.changed("an edit of the date")
    with db.session() as s, s.begin():
        s.execute(text("UPDATE threat_reports SET lat = lat + 0.001 WHERE id % 13 = 0"))
    keys.changed("raw SQL moving reports")
    with db.session() as s, s.begin():
        s.execute(delete(ThreatReport).where(ThreatReport.id % 17 == 0))
    keys.changed("a deletion")
    with db.session() as s, s.begin():  # as many rows as before, other ones
        newest = s.scalars(select(ThreatReport).order_by(ThreatReport.id.desc())).first()
        assert newest is not None
        s.execute(delete(ThreatReport).where(ThreatReport.id == newest.id))
        s.add(ThreatReport(source_id="X-1", category_id=newest.category_id,
                           status_id=newest.status_id, reported_at=newest.reported_at,
                           lat=newest.lat, lon=newest.lon + 0.01))
    keys.changed("a report replaced by another in one transaction")

    with db.session() as s, s.begin():  # a boundary change, then the re-assignment
        beats = s.scalars(select(Beat).order_by(Beat.id)).all()
        beats[0].boundary, beats[1].boundary = beats[1].boundary, None
    summary = reassign_reports(db)
    assert summary.changed > 0
    keys.changed("beats re-assigned after a boundary change")
    with db.session() as s, s.begin():  # a beat deleted: ON DELETE SET NULL on its reports
        beat_id = beats[0].id
        for table in ("assignments", "priority_plans", "activity_beats", "street_ranges"):
            s.execute(text(f"DELETE FROM {table} WHERE beat_id = :b"), {"b": beat_id})
        s.execute(text("DELETE FROM beats WHERE id = :b"), {"b": beat_id})
    keys.changed("a deleted beat's reports")
    with db.session() as s, s.begin():
        s.execute(delete(ThreatReport))
    keys.changed("every report deleted")
    with db.session() as s, s.begin():
        report_marker.touch(s.connection())
    keys.changed("touch")


@pytest.mark.engines("sqlite")
def test_sqlite_key_ignores_columns_the_map_does_not_read(sample_db):
    keys = Keys(sample_db)
    with sample_db.session() as s, s.begin():
        s.execute(update(ThreatReport).where(ThreatReport.id % 3 == 0)
                  .values(description="tylko opis"))
        s.execute(text("UPDATE threat_reports SET lat = lat WHERE id % 5 = 0"))  # no change
    keys.same("descriptions and unchanged coordinates")


def test_install_is_repeatable_and_key_survives(sample_db):
    before = key(sample_db)
    with sample_db.engine.begin() as conn:
        report_marker.install_triggers(conn)
        assert report_marker.triggers_present(conn)
    assert key(sample_db) == before


def test_a_restore_gives_a_new_key(sample_db, tmp_path):
    from desktop.backup.core import backup_database, restore_database

    keys = Keys(sample_db)
    suffix = ".db" if sample_db.engine.dialect.name == "sqlite" else ".zip"
    backup = backup_database(sample_db, tmp_path / f"kopia{suffix}")
    keys.same("a backup")
    restore_database(sample_db, backup.path)
    keys.changed("a restore (the same reports, but another history may follow)")
