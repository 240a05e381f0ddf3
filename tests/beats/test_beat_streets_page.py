"""Page "Ulice i Znajdź dzielnicowego" with real widgets."""
from __future__ import annotations

from desktop.app.context import AppContext
from desktop.beats.ui.tab import BeatsTab


def _tab(qtbot, db):
    ctx = AppContext(db)
    tab = BeatsTab(ctx)
    qtbot.addWidget(tab)
    return tab, ctx


def test_find_officer_by_address_selects_the_beat(qtbot, sample_db):
    tab, ctx = _tab(qtbot, sample_db)
    page = tab.streets
    qtbot.addWidget(page)
    qtbot.keyClicks(page.street, "al. 1 Maja")
    qtbot.keyClicks(page.number, "9")
    with qtbot.waitSignal(ctx.beatSelected) as sig:
        qtbot.mouseClick(page.find_button, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    text = page.result.toPlainText()
    assert "Dzielnicowy:" in text and "Policjant ruchu drogowego:" in text
    assert "Aleje 1 Maja (od 1 do 40)" in text
    assert tab.beats.current_beat_id() == sig.args[0]
    page.number.setText("x1")
    page.find_address()
    assert "nie jest numerem domu" in page.result.toPlainText()
    page.street.setText("ul. Nieistniejąca")
    page.number.setText("1")
    page.find_address()
    assert "nie należy do żadnego rejonu" in page.result.toPlainText()


def test_find_by_point(qtbot, sample_db):
    tab, _ = _tab(qtbot, sample_db)
    page = tab.streets
    page.lon.setValue(18.25)
    page.lat.setValue(52.22)
    page.find_point()
    assert "Konin" in page.result.toPlainText()


def _import(qtbot, page, path) -> bool:
    """Run the page's background import to its end; True when it saved."""
    job = page.import_file(str(path))
    assert not page.import_button.isEnabled()  # one import at a time
    qtbot.waitSignal(job.finished, timeout=20000).wait()
    assert page.import_button.isEnabled()
    return job.result is not None


def test_import_overlaps_and_gaps(qtbot, world, tmp_path, qtmodeltester):
    tab, _ = _tab(qtbot, world.db)
    page = tab.streets
    bad = tmp_path / "bad.csv"
    bad.write_text("rejon;miejscowosc;ulica;strona\n1;Ślesin;Kolejowa;boczne\n", "utf-8")
    assert not _import(qtbot, page, bad)
    assert "nic nie zapisano" in page.report.toPlainText()
    assert page.model.rowCount() == 0
    good = tmp_path / "good.csv"
    good.write_text("rejon;miejscowosc;ulica;strona;od;do\n"
                    "1;Ślesin;ul. Kolejowa;wszystkie;1;20\n"
                    "2;Ślesin;ul. Kolejowa;parzyste;20;\n"
                    "<b>2</b>;x;;;;\n".replace("<b>2</b>;x;;;;\n", "2;Żychlin;;;;\n"), "utf-8")
    assert _import(qtbot, page, good)
    assert page.model.rowCount() == 3
    qtmodeltester.check(page.model)
    report = page.report.toPlainText()
    assert "Zaimportowano 3 wiersze rejestru dla 2 rejonów." in report and "Nakładanie się rejonów: 1" in report
    assert "Ślesin, ul. Kolejowa 20" in report
    addresses = tmp_path / "adresy.txt"
    addresses.write_text("Ślesin, Kolejowa 3\nŚlesin, Kolejowa 20\nŚlesin, Polna 1\n"
                         "Żychlin 5\n<img src=x onerror=alert(1)>\n", "utf-8")
    qtbot.waitSignal(page.check_address_file(str(addresses)).finished, timeout=20000).wait()
    report = page.report.toPlainText()
    assert "Sprawdzono adresów: 5; poza rejonami (luki): 2; w kilku rejonach: 1." in report
    assert "<img src=x onerror=alert(1)>" in report  # shown as text, not as an element
    assert "<img" not in page.report.toHtml().split("<body", 1)[1].replace("&lt;img", "")


def test_import_runs_in_background_and_cancel_saves_nothing(qtbot, world, tmp_path):
    import time

    tab, _ = _tab(qtbot, world.db)
    page = tab.streets
    big = tmp_path / "duzy.csv"
    rows = "".join(f"1;Ślesin;ul. Długa {i};wszystkie;;\n" for i in range(150_000))
    big.write_text("rejon;miejscowosc;ulica;strona;od;do\n" + rows, "utf-8")
    job = page.import_file(str(big))
    assert job.running  # the window keeps answering while the file is read
    qtbot.wait(50)
    asked = time.monotonic()
    job.cancel()
    qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert time.monotonic() - asked < 1.0
    assert "Przerwano import rejestru ulic – nic nie zapisano." in page.report.toPlainText()
    assert page.model.rowCount() == 0 and page.import_button.isEnabled()


def test_streets_page_screenshot(qtbot, sample_db, tmp_path):
    tab, _ = _tab(qtbot, sample_db)
    tab.resize(1400, 800)
    tab.pages.setCurrentWidget(tab.streets)
    tab.show()
    tab.streets.street.setText("al. 1 Maja")
    tab.streets.number.setText("9")
    tab.streets.find_address()
    tab.streets.check_overlaps()
    assert tab.grab().save(str(tmp_path / "streets.png"))
    tab.grab().save("/tmp/beats_streets.png")


def test_find_by_officer_name_without_diacritics(qtbot, world):
    import datetime as dt

    from db.models import AssignmentRole
    from desktop.beats import assignments as svc

    svc.assign(world.db, world.beat1, world.host_a, AssignmentRole.BEAT_OFFICER,
               dt.date.today() - dt.timedelta(days=10))
    svc.assign(world.db, world.beat1, world.traffic_x, AssignmentRole.TRAFFIC,
               dt.date.today() - dt.timedelta(days=10))
    svc.assign(world.db, world.beat2, world.traffic_x, AssignmentRole.TRAFFIC,
               dt.date.today() - dt.timedelta(days=10))
    tab, _ = _tab(qtbot, world.db)
    page = tab.streets
    qtbot.keyClicks(page.officer_name, "lecka")
    page.find_officer_name()
    text = page.result.toPlainText()
    assert "Ślesin – centrum" in text and "Anna Łęcka" in text
    page.officer_name.setText("ruch")  # a traffic officer covering two beats
    page.find_officer_name()
    text = page.result.toPlainText()
    assert "Ślesin – centrum" in text and "Żychlin" in text and "nakłada" not in text
    page.officer_name.setText("nikt")
    page.find_officer_name()
    assert "Żaden rejon" in page.result.toPlainText()


def test_export_button_writes_the_register(qtbot, sample_db, tmp_path):
    tab, _ = _tab(qtbot, sample_db)
    page = tab.streets
    path = tmp_path / "rejestr.csv"
    page.export_file(str(path))
    assert "Zapisano" in page.report.toPlainText() and path.exists()
    assert path.read_text(encoding="utf-8-sig").count("\n") == page.model.rowCount() + 1


def test_add_and_delete_register_lines(qtbot, world):
    from db.models import HouseSide

    tab, _ = _tab(qtbot, world.db)
    page = tab.streets
    dialog = page.make_line_dialog()
    qtbot.addWidget(dialog)
    dialog.beat.setCurrentIndex(dialog.beat.findData(world.beat1))
    dialog.street.setText("ul. Kolejowa")
    dialog.save()
    assert "miejscowość" in dialog.error.text()  # locality missing: nothing saved
    dialog.locality.setText("Ślesin")
    dialog.side.setCurrentIndex(dialog.side.findData(HouseSide.EVEN))
    dialog.number_from.setValue(20)
    dialog.number_to.setValue(10)
    dialog.save()
    assert "mniejszy" in dialog.error.text()
    dialog.number_to.setValue(0)  # open end
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    page.line_added()
    assert page.model.rowCount() == 1
    assert page.model.index(0, 2).data() == "ul. Kolejowa (parzyste od 20)"
    page.view.selectRow(0)
    page.delete_selected()
    assert page.model.rowCount() == 0 and "Usunięto" in page.report.toPlainText()
    page.delete_selected()
    assert "Zaznacz wiersz" in page.report.toPlainText()


def test_long_address_list_is_counted_whole_and_listed_in_part(qtbot, world, tmp_path):
    tab, _ = _tab(qtbot, world.db)
    page = tab.streets
    addresses = tmp_path / "adresy.txt"
    addresses.write_text("".join(f"Nigdzie, ul. Pusta {i}\n" for i in range(1, 701)), "utf-8")
    qtbot.waitSignal(page.check_address_file(str(addresses)).finished, timeout=20000).wait()
    report = page.report.toPlainText()
    assert "Sprawdzono adresów: 700; poza rejonami (luki): 700; w kilku rejonach: 0." in report
    assert "Nigdzie, ul. Pusta 300" in report and "Nigdzie, ul. Pusta 301" not in report
    assert "… i 400 innych" in report
    assert page.gaps_button.isEnabled()


def test_address_check_has_przerwij_and_a_cancelled_check_shows_nothing(qtbot, world,
                                                                          tmp_path, monkeypatch):
    """"Sprawdź listę adresów…" runs behind the shared progress dialog: its *Przerwij* stops
    the check within a second and no partial count or list is shown. The real check runs;
    it is held at its first progress report until Przerwij is clicked (on a quick machine
    the whole check could otherwise end before the dialog shows — CI saw that)."""
    import threading
    import time

    from desktop.beats.ui import streets_page

    gate = threading.Event()
    real = streets_page.check_address_file

    def held(db, path, locality, progress, cancelled):
        def report(pct: int) -> None:
            progress(pct)
            gate.wait(20)

        return real(db, path, locality, report, cancelled)

    monkeypatch.setattr(streets_page, "check_address_file", held)

    import shiboken6
    from PySide6.QtWidgets import QPushButton

    from desktop.common.ui.progress import progress_dialog

    tab, _ = _tab(qtbot, world.db)
    tab.show()
    page = tab.streets
    addresses = tmp_path / "adresy.txt"
    addresses.write_text("".join(f"Nigdzie, ul. Pusta {i}\n" for i in range(1, 140_001)),
                         "utf-8")
    job = page.check_address_file(str(addresses))
    dialog = progress_dialog(job)
    assert dialog is not None and not page.gaps_button.isEnabled()
    qtbot.waitUntil(dialog.isVisible, timeout=20000)
    assert job.running
    button = dialog.findChild(QPushButton)
    assert button.text() == "Przerwij"
    asked = time.monotonic()
    button.click()
    gate.set()  # the check goes on from its first report and meets the cancel at the next
    qtbot.waitSignal(job.finished, timeout=5000).wait()
    assert time.monotonic() - asked < 1.0
    assert job.was_cancelled and job.result is None
    report = page.report.toPlainText()
    assert "Przerwano sprawdzanie listy adresów – nie pokazano żadnego wyniku." in report
    assert "Sprawdzono adresów" not in report and "Nigdzie" not in report
    assert page.gaps_button.isEnabled()
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
