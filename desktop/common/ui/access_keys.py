"""Access keys (Alt+letter) for buttons and menu entries that were given none.

``desktop.common.text.with_access_keys`` chooses the letters; this module applies them to
real widgets: the visible buttons of a window part, the actions of a menu."""
from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QCheckBox, QMenu, QPushButton, QTabWidget, QToolButton, QWidget

from desktop.common.text import with_access_keys


def add_access_keys(root: QWidget, taken: str = "") -> None:
    """Every push/tool button and check box under ``root`` with a text gets a letter. Pages
    of a tab widget inside ``root`` are shown one at a time, so each page draws its letters
    separately (only the buttons around the pages are excluded)."""
    pages = [w for tw in root.findChildren(QTabWidget) for i in range(tw.count())
             if (w := tw.widget(i)) is not None]
    top_pages = [p for p in pages if not any(o is not p and o.isAncestorOf(p) for o in pages)]
    buttons: list[QAbstractButton] = [
        b for b in root.findChildren(QAbstractButton)
        if isinstance(b, (QPushButton, QToolButton, QCheckBox)) and b.text().strip()
        and not any(p.isAncestorOf(b) for p in top_pages)]
    texts = with_access_keys([b.text() for b in buttons], taken)
    for button, text in zip(buttons, texts, strict=True):
        if text != button.text():
            button.setText(text)
    used = taken + "".join(t[t.index("&") + 1] for t in texts
                           if "&" in t and t.index("&") + 1 < len(t))
    for page in top_pages:
        add_access_keys(page, used)


def add_menu_access_keys(menu: QMenu) -> None:
    actions = [a for a in menu.actions() if not a.isSeparator() and a.text().strip()]
    for action, text in zip(actions, with_access_keys([a.text() for a in actions]), strict=True):
        if text != action.text():
            action.setText(text)
