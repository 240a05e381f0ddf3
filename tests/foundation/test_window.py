"""The main window opens on the sample database with its tabs, menus and status bar."""
from __future__ import annotations

import html

from PySide6.QtWidgets import QAbstractItemView

from db.engine import describe
from desktop.app.about import about_html
from desktop.app.main_window import MainWindow
from desktop.app.startup_dialog import open_with_progress
from desktop.common.ui.tables import Column, RowsTableModel


def _max_rows(widget) -> int:
    views = widget.findChildren(QAbstractItemView)
    return max((v.model().rowCount() for v in views if v.model() is not None), default=0)


def test_window_shows_three_tabs_with_sample_data(qtbot, sample_db):
    window = MainWindow(sample_db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    window.show()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles[:3] == ["Mapa", "Rejony i przydziały", "Partnerzy"]
    assert _max_rows(window.tab_by_key["beats"]) >= 24
    assert _max_rows(window.tab_by_key["partners"]) >= 35
    status = window.database_label.text()
    assert describe(sample_db.url) in status and "DANE PRZYKŁADOWE" in status
    assert "stan na 31.12.2018" in status


def test_menus_are_polish_and_quit_closes(qtbot, sample_db):
    window = MainWindow(sample_db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    window.show()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&Plik", "Pomo&c"]
    assert window.quit_action.text() == "&Zakończ"
    assert window.about_action.text() == "&O programie"
    window.quit_action.trigger()
    assert not window.isVisible()


def test_about_names_version_data_location_and_attribution(sample_db):
    text = about_html(sample_db.url)
    assert "Wersja" in text and "Piotr Patrzyk" in text and "MIT" in text
    assert "Folder danych" in text and html.escape(describe(sample_db.url)) in text


def test_first_start_fills_empty_database_in_a_worker_thread(qtbot, tmp_path):
    from desktop.organisation.station import StationChoice

    opened = open_with_progress(f"sqlite:///{(tmp_path / 'first.db').as_posix()}",
                                choose=lambda _parent, _allowed: StationChoice(sample=True))
    assert opened is not None and opened.sample is not None
    assert opened.sample.beats == 24 and opened.sample.reports == 3000
    opened.db.dispose()


def test_rows_table_model_is_a_valid_qt_model(qtmodeltester):
    model = RowsTableModel([Column("Nazwa", lambda r: r[0]), Column("Liczba", lambda r: r[1], True)],
                           [("Ślesin", 3), ("Sompolno", 10), ("Łęka", None)])
    qtmodeltester.check(model)


def test_table_sorting_follows_values_and_polish_alphabet(qtbot):
    import datetime as dt

    from PySide6.QtCore import QSortFilterProxyModel

    from desktop.common.ui.tables import SORT_ROLE

    rows = [("Ślesin", dt.datetime(2018, 9, 26), 10), ("Sompolno", dt.datetime(2018, 9, 15), 2),
            ("Łęka", dt.datetime(2018, 10, 4), None), ("Lubomin", dt.datetime(2017, 1, 1), 7)]
    model = RowsTableModel([Column("a", lambda r: r[0]), Column("b", lambda r: r[1]),
                            Column("c", lambda r: r[2])], rows)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)

    def column(c):
        proxy.sort(c)
        return [proxy.index(i, 0).data() for i in range(proxy.rowCount())]

    assert column(0) == ["Lubomin", "Łęka", "Sompolno", "Ślesin"]
    assert column(1) == ["Lubomin", "Sompolno", "Ślesin", "Łęka"]
    assert column(2)[1:] == ["Sompolno", "Lubomin", "Ślesin"]


def test_help_opens_offline_polish_guide(qtbot, sample_db):
    window = MainWindow(sample_db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    window.show()
    assert window.help_action.shortcut().toString() == "F1"
    window.help_action.trigger()
    browser = window.help_dialog.browser
    text = browser.toPlainText()
    assert "Razem dla bezpieczeństwa – pomoc" in text and "Znajdź dzielnicowego" in text
    assert browser.source().isLocalFile()
    import resources

    assert "http" not in resources.path("help", "pomoc.html").read_text(encoding="utf-8")


def test_start_on_a_broken_database_shows_a_polish_error(qtbot, tmp_path, monkeypatch):
    from desktop.common.ui import plain

    shown = []
    monkeypatch.setattr(plain, "message",
                        lambda parent, icon, title, text: shown.append((title, text)))
    path = tmp_path / "broken.db"
    path.write_bytes(b"\x00garbage" * 500)
    assert open_with_progress(str(path)) is None
    assert shown and shown[0][0] == "Nie można otworzyć bazy"
    assert "nie jest poprawną bazą programu Razem" in shown[0][1]
