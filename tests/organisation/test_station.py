"""Two kinds of database: `razem init` makes a real one, the sample is marked everywhere it is
shown or printed, a real one never is, and real files going into the sample warn first."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import ThreatCategory, Unit
from db.services.info import KIND_NEW, KIND_REAL, KIND_SAMPLE, data_kind
from desktop.cli import main
from desktop.common.document import PagedDocument, PageDecor, mark_sample_data, render_pdf
from desktop.organisation.station import StationChoice, StationError, init_station
from desktop.startup import open_database
from tests.partners.pdf_text import page_texts as _page_texts


def page_texts(path) -> list[str]:
    """Pages as text, ligatures (the "fi" of "fikcyjne") unfolded."""
    return [unicodedata.normalize("NFKC", t) for t in _page_texts(path)]

KMP = ["--unit", "Komenda Miejska Policji w Koninie", "--short", "KMP Konin"]


def _kind(db: Database) -> str:
    with db.session() as s:
        return data_kind(s)


def test_init_makes_a_real_database_with_its_first_unit(tmp_path, capsys):
    path = tmp_path / "kmp.db"
    assert main(["init", *KMP, "--database", str(path)]) == 0
    assert "Założono bazę jednostki KMP Konin" in capsys.readouterr().out
    db = Database.open(f"sqlite:///{path.as_posix()}")
    try:
        assert _kind(db) == KIND_REAL
        with db.session() as s:
            units = s.scalars(select(Unit)).all()
            assert [(u.name, u.short_name) for u in units] == [
                ("Komenda Miejska Policji w Koninie", "KMP Konin")]
            assert s.scalar(select(func.count()).select_from(ThreatCategory)) > 10
    finally:
        db.dispose()
    # a second init on a database with data is refused, nothing changes
    assert main(["init", "--unit", "Komisariat Policji w Golinie", "--short", "KP Golina",
                 "--database", str(path)]) == 2
    assert "zawiera już dane" in capsys.readouterr().err


def test_init_refuses_the_sample_and_empty_names(sample_db, tmp_path, capsys):
    assert main(["init", *KMP, "--database", sample_db.url]) == 2
    assert "zawiera już dane" in capsys.readouterr().err
    assert main(["init", "--unit", " ", "--short", "KMP", "--database",
                 str(tmp_path / "x.db")]) == 2
    assert "pełną nazwę jednostki" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_new_database_waits_for_the_choice_until_made(tmp_path):
    url = f"sqlite:///{(tmp_path / 'new.db').as_posix()}"
    first = open_database(url)
    assert first.awaiting_choice and _kind(first.db) == KIND_NEW
    first.db.dispose()
    again = open_database(url)  # not chosen yet (window closed): asked again
    assert again.awaiting_choice
    init_station(again.db, "Komenda Powiatowa Policji w Słupcy", "KPP Słupca")
    again.db.dispose()
    last = open_database(url)
    assert not last.awaiting_choice and _kind(last.db) == KIND_REAL
    with pytest.raises(StationError):
        init_station(last.db, "Inna", "Inna")
    last.db.dispose()


def test_an_existing_database_without_a_marker_is_never_offered_the_choice(sample_db):
    opened = open_database(sample_db.url)
    assert not opened.awaiting_choice and _kind(opened.db) == KIND_SAMPLE
    opened.db.dispose()


def _pdf(tmp_path: Path, name: str) -> str:
    doc = PagedDocument("Próba", "<p>Treść</p>", decor=PageDecor("KMP", "Próba", "Wygenerowano"))
    render_pdf(doc, tmp_path / name)
    return " ".join(page_texts(tmp_path / name))


def test_every_printout_of_the_sample_is_marked_and_a_real_one_never(qapp, tmp_path, sample_db):
    opened = open_database(sample_db.url)  # opening the sample marks this process's prints
    opened.db.dispose()
    assert "DANE PRZYKŁADOWE (fikcyjne)" in _pdf(tmp_path, "sample.pdf")
    real = open_database(str(tmp_path / "real.db"))
    init_station(real.db, "Komenda Miejska Policji w Koninie", "KMP Konin")
    real.db.dispose()
    assert "PRZYKŁADOWE" not in _pdf(tmp_path, "real.pdf")


def test_beat_summary_of_the_sample_is_marked_on_every_page(qapp, tmp_path, sample_db, capsys):
    assert main(["print-beat", "1", "--unit", "KMP Konin", "--pdf", str(tmp_path / "b.pdf"),
                 "--database", sample_db.url]) == 0
    pages = page_texts(tmp_path / "b.pdf")
    assert pages and all("DANE PRZYKŁADOWE (fikcyjne)" in p for p in pages)


def test_window_title_and_status_bar_name_the_kind(qtbot, sample_db, tmp_path):
    from desktop.app.main_window import MainWindow

    window = MainWindow(sample_db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    assert "– DANE PRZYKŁADOWE (fikcyjne) –" in window.windowTitle()
    assert "DANE PRZYKŁADOWE" in window.database_label.text()
    real = open_database(str(tmp_path / "real.db"))
    init_station(real.db, "Komenda Miejska Policji w Koninie", "KMP Konin")
    other = MainWindow(real.db)
    qtbot.waitUntil(lambda: not other.startup_pending(), timeout=20000)
    qtbot.addWidget(other)
    assert other.windowTitle() == "KMP Konin – Razem dla bezpieczeństwa"
    assert "PRZYKŁADOWE" not in other.database_label.text()
    assert "PRZYKŁADOWE" not in _pdf(tmp_path, "after-window.pdf")
    other.close()
    real.db.dispose()


def test_importing_real_files_into_the_sample_warns_on_the_command_line(sample_db, tmp_path,
                                                                        capsys):
    roster = tmp_path / "wykaz.csv"
    roster.write_text("stopien;imie;nazwisko;numer_sluzbowy;rola;jednostka;telefon;"
                      "telefon_komorkowy;email\nasp.;Jan;Próbny;T-1;dzielnicowy;KMP Konin;;;\n",
                      encoding="utf-8")
    assert main(["import-officers", str(roster), "--database", sample_db.url]) == 0
    assert "uwaga: Otwarta baza zawiera DANE PRZYKŁADOWE" in capsys.readouterr().err
    real = tmp_path / "real.db"
    assert main(["init", *KMP, "--database", str(real)]) == 0
    assert main(["import-officers", str(roster), "--database", str(real)]) == 0
    assert "uwaga" not in capsys.readouterr().err


def test_window_import_into_the_sample_asks_first(qtbot, sample_db, monkeypatch):
    from desktop.common.ui import plain
    from desktop.organisation.ui.sample_guard import confirm_import_into_sample

    asked = []
    monkeypatch.setattr(plain, "ask", lambda *a, **k: bool(asked.append(a[2])))
    assert not confirm_import_into_sample(sample_db, None)
    assert "DANE PRZYKŁADOWE" in asked[0]


def test_first_start_dialog_names_the_command_or_takes_the_sample(qtbot, tmp_path):
    from desktop.app.startup_dialog import open_with_progress
    from desktop.organisation.ui.first_start import FirstStartDialog

    dialog = FirstStartDialog(True)
    qtbot.addWidget(dialog)
    assert dialog.sample_button.isChecked() and not dialog.unit_name.isEnabled()
    dialog.real_button.setChecked(True)
    dialog.save()
    assert dialog.choice is None and "pełną nazwę" in dialog.error.text()
    qtbot.keyClicks(dialog.unit_name, "Komenda Miejska Policji w Koninie")
    qtbot.keyClicks(dialog.short_name, "KMP Konin")
    dialog.save()
    assert dialog.choice == StationChoice(False, "Komenda Miejska Policji w Koninie", "KMP Konin")
    server = FirstStartDialog(False)
    qtbot.addWidget(server)
    assert not server.sample_button.isEnabled() and server.real_button.isChecked()

    choice = dialog.choice
    opened = open_with_progress(str(tmp_path / "first.db"), choose=lambda _p, _a: choice)
    assert opened is not None and opened.sample is None
    assert _kind(opened.db) == KIND_REAL
    opened.db.dispose()
    reopened = open_with_progress(str(tmp_path / "first.db"),
                                  choose=lambda _p, _a: pytest.fail("asked twice"))
    assert reopened is not None and not reopened.awaiting_choice
    reopened.db.dispose()
    mark_sample_data(False)
