"""Keyboard use through real widgets: Tab follows the form, tables let Tab go on."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def _tab_through(qtbot, start, steps: int) -> list:
    """Press Tab ``steps`` times from ``start``; the widgets that got the focus."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start, timeout=2000)
    seen = []
    for _ in range(steps):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


def test_partner_dialog_tab_order_follows_the_form(sample_db, qtbot):
    from desktop.partners.fields import EDITABLE
    from desktop.partners.ui.partner_dialog import PartnerDialog

    dialog = PartnerDialog(sample_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    form = dialog.layout().itemAt(0).layout()
    in_form = [form.itemAt(i, form.ItemRole.FieldRole).widget() for i in range(len(EDITABLE))]
    seen = _tab_through(qtbot, in_form[0], len(in_form) - 1)
    assert seen == in_form[1:]
    assert dialog.type_combo in seen and dialog.gmina_combo in seen


def _window(qtbot, db):
    from desktop.app.main_window import MainWindow

    window = MainWindow(db)
    qtbot.waitUntil(lambda: not window.startup_pending(), timeout=20000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    return window


def test_tables_let_tab_go_on_and_ctrl_f_finds_in_the_shown_tab(qtbot, sample_db):
    from PySide6.QtWidgets import QTableView

    window = _window(qtbot, sample_db)
    tables = window.findChildren(QTableView)
    assert len(tables) >= 8
    assert [t.objectName() or type(t).__name__ for t in tables if t.tabKeyNavigation()] == []
    # Tab from a table goes to the next widget instead of the next cell.
    partners = window.tab_by_key["partners"]
    window.tabs.setCurrentWidget(partners)
    partners.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is partners.view, timeout=2000)
    qtbot.keyClick(partners.view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not partners.view

    for key, field in (("partners", lambda t: t.search), ("beats", lambda t: t.beats.search),
                       ("diagnosis", lambda t: t.scope_combo),
                       ("map", lambda t: t.filters.beat), ("reports", lambda t: t.search),
                       ("activities", lambda t: t.search)):
        tab = window.tab_by_key[key]
        window.tabs.setCurrentWidget(tab)
        window.tabs.setFocus()
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda f=field(tab): QApplication.focusWidget() is f, timeout=2000)


def test_ctrl_p_prints_from_the_shown_tab(qtbot, sample_db):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    window = _window(qtbot, sample_db)
    window.tabs.setCurrentWidget(window.tab_by_key["diagnosis"])
    opened = []

    def close_preview():
        dialog = QApplication.activeModalWidget()
        opened.append(dialog.windowTitle() if dialog else None)
        if isinstance(dialog, QDialog):
            dialog.reject()

    QTimer.singleShot(500, close_preview)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert opened[0] and "Podgląd" in opened[0]
    window.tabs.setCurrentWidget(window.tab_by_key["map"])
    assert not window.print_action.isEnabled() and window.find_action.isEnabled()


def test_window_title_names_the_program_once(qtbot, sample_db):
    app = QApplication.instance()
    old = app.applicationDisplayName()
    app.setApplicationDisplayName("Razem dla bezpieczeństwa")  # as desktop.app.application
    try:
        window = _window(qtbot, sample_db)
        # Qt appends the display name unless the title ends with it.
        assert window.windowTitle().endswith(app.applicationDisplayName())
        assert window.windowTitle().count("Razem") == 1
    finally:
        app.setApplicationDisplayName(old)



def test_access_key_letters_are_unique_and_keep_existing_ones():
    from desktop.common.text import with_access_keys

    assert with_access_keys(["Dodaj…", "Drukuj", "&Usuń", "Edytuj", "Usuń wszystko"]) == [
        "&Dodaj…", "D&rukuj", "&Usuń", "&Edytuj", "Usuń &wszystko"]
    assert with_access_keys(["Plik"], taken="p") == ["P&lik"]
    assert with_access_keys(["a", "A", ""]) == ["&a", "A", ""]  # no free letter: unchanged


def test_buttons_and_menus_have_access_keys(qtbot, sample_db):
    from PySide6.QtWidgets import QAbstractButton, QPushButton

    window = _window(qtbot, sample_db)
    for action in window.menuBar().actions():
        texts = [a.text() for a in action.menu().actions() if not a.isSeparator()]
        assert all("&" in t for t in texts), texts
        letters = [t[t.index("&") + 1].lower() for t in texts]
        assert len(set(letters)) >= len(letters) - 2  # more entries than letters is rare
    for key, tab in window.tab_by_key.items():
        texts = [b.text() for b in tab.findChildren(QPushButton) if b.text().strip()]
        assert texts and all("&" in t for t in texts), (key, texts)
    # Alt+letter presses the button: "Zapisz" in the partner dialog (empty name: refused).
    from desktop.partners.ui.partner_dialog import PartnerDialog

    dialog = PartnerDialog(sample_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)
    save = next(b for b in dialog.findChildren(QAbstractButton) if "Zapisz" in
                b.text().replace("&", ""))
    letter = save.text()[save.text().index("&") + 1]
    dialog.edits["name"].setFocus()
    qtbot.keyClick(dialog.edits["name"], getattr(Qt.Key, f"Key_{letter.upper()}"),
                   Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=2000)
