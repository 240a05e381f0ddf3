"""Only a database the program has just created may get the sample; an empty file someone
already had stays without it, and a foreign SQLite file is refused and left untouched."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest
from sqlalchemy import func, select

from db.migrate import SchemaUpgradeError, current_revision, head_revision
from db.models import ThreatReport
from db.services.info import is_sample
from desktop.cli import main
from desktop.startup import open_database


def test_an_existing_empty_file_gets_the_schema_but_not_the_sample(tmp_path):
    path = tmp_path / "pusty.db"
    path.write_bytes(b"")

    opened = open_database(str(path), fill_sample=True)
    try:
        assert opened.sample is None
        assert current_revision(opened.db.engine) == head_revision()
        with opened.db.session() as s:
            assert s.scalar(select(func.count()).select_from(ThreatReport)) == 0
            assert not is_sample(s)
    finally:
        opened.db.dispose()


def _foreign_file(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE faktury (nr TEXT, kwota REAL)")
        conn.execute("INSERT INTO faktury VALUES ('FV/1/2026', 123.45)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_foreign_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "ksiegowosc.db"
    digest = _foreign_file(path)

    with pytest.raises(SchemaUpgradeError, match="nie jest bazą programu Razem") as err:
        open_database(str(path), fill_sample=True)

    assert "faktury" in str(err.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ksiegowosc.db"]


def test_a_foreign_sqlite_file_gives_one_polish_line_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "obcy.db"
    digest = _foreign_file(path)
    assert main(["db", "upgrade", "--database", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nie jest bazą programu Razem" in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_the_window_shows_the_refusal_as_a_polish_message(qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.app.startup_dialog import open_with_progress

    path = tmp_path / "obcy.db"
    digest = _foreign_file(path)
    shown: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.close()
        else:
            QTimer.singleShot(50, close_box)

    QTimer.singleShot(50, close_box)
    assert open_with_progress(str(path)) is None
    assert len(shown) == 1 and "nie jest bazą programu Razem" in shown[0]
    assert "Traceback" not in shown[0]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
