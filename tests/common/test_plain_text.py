"""Names from the data are shown literally in labels, tooltips and message boxes, never as
rich text (issue 11, item 7: an <img src=…> in a name opened local files)."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import update

from db.models import Agreement, Beat
from desktop.app.context import AppContext
from desktop.common.ui.plain import plain_tooltip
from desktop.map.data import Choice
from desktop.map.ui.filters import CheckList

ROOT = Path(__file__).resolve().parents[2]
NAME = "<img src=x><b>Pogrubiony</b> & <i>Ślesin</i>"
# Modules whose labels set Qt.TextFormat.PlainText themselves (kept as they are to stay out
# of the way of parallel work on them).
LABELS_SET_ELSEWHERE = {"desktop/partners/ui/import_dialog.py",
                        "desktop/threats/ui/import_dialog.py",
                        "desktop/map/ui/view.py"}


def _sources():
    for path in (ROOT / "desktop").rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel != "desktop/common/ui/plain.py":
            yield rel, path.read_text(encoding="utf-8")


def test_no_message_box_or_label_can_guess_rich_text_from_data():
    statics = [rel for rel, text in _sources()
               if re.search(r"QMessageBox\.(question|warning|critical|information)\(", text)]
    labels = [rel for rel, text in _sources()
              if re.search(r"(?<![\w.])QLabel\(", text) and rel not in LABELS_SET_ELSEWHERE]
    tooltips = [f"{rel}: {line.strip()}" for rel, text in _sources()
                for line in text.splitlines()
                if "setToolTip(" in line and "plain_tooltip(" not in line
                and not re.search(r"setToolTip\((self\.)?_?tr\(", line)]
    assert (statics, labels, tooltips) == ([], [], [])
    for rel in LABELS_SET_ELSEWHERE:
        text = (ROOT / rel).read_text(encoding="utf-8")
        assert text.count("QLabel(") <= text.count("PlainText") + 3, rel


def _rendered(tooltip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tooltip) if GuiQt.mightBeRichText(tooltip) else doc.setPlainText(tooltip)
    return doc.toPlainText()


def test_plain_tooltip_renders_literally(qapp):
    assert _rendered(plain_tooltip(NAME)) == NAME
    assert _rendered(plain_tooltip("a < b")) == "a < b"
    assert _rendered(NAME) != NAME  # what Qt did with the raw name


def test_map_filter_tooltips_show_names_literally(qtbot):
    checks = CheckList("Kategorie")
    qtbot.addWidget(checks)
    checks.set_choices([Choice(1, NAME)])
    item = checks.list.item(0)
    assert item.text() == NAME and _rendered(item.toolTip()) == NAME


def _answer_no(seen: list[QMessageBox]) -> None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append(box)
        box.button(QMessageBox.StandardButton.No).click()
    else:
        QTimer.singleShot(20, lambda: _answer_no(seen))


def _check_box(seen: list[QMessageBox]) -> None:
    assert len(seen) == 1
    box = seen[0]
    assert box.textFormat() == Qt.TextFormat.PlainText and NAME in box.text()


def test_delete_plan_confirmation_is_plain_text(qtbot, sample_db):
    from desktop.threats.ui.plans_panel import PlansPanel

    with sample_db.session() as s, s.begin():
        s.execute(update(Beat).values(name=NAME))
    panel = PlansPanel(AppContext(sample_db))
    qtbot.addWidget(panel)
    before = panel.model.rowCount()
    panel.select_row(0)
    seen: list[QMessageBox] = []
    QTimer.singleShot(20, lambda: _answer_no(seen))
    panel.delete_selected()
    _check_box(seen)
    assert panel.model.rowCount() == before  # "Nie" keeps the plan


def test_delete_agreement_confirmation_and_history_label_are_plain_text(qtbot, sample_db):
    from desktop.partners.ui.agreements_dialog import AgreementsDialog

    with sample_db.session() as s, s.begin():
        s.execute(update(Agreement).values(title=NAME))
    dialog = AgreementsDialog(sample_db)
    qtbot.addWidget(dialog)
    seen: list[QMessageBox] = []
    QTimer.singleShot(20, lambda: _answer_no(seen))
    dialog.delete_agreement()
    _check_box(seen)
    assert dialog.list.count() >= 1


def test_partner_dialog_history_shows_agreement_names_literally(qtbot, sample_db):
    from desktop.partners import service
    from desktop.partners.ui.partner_dialog import PartnerDialog

    with sample_db.session() as s, s.begin():
        s.execute(update(Agreement).values(title=NAME, number=NAME))
    partner = next(r for r in service.list_partners(sample_db) if r.signature_status)
    dialog = PartnerDialog(sample_db, partner.data, partner_id=partner.id)
    qtbot.addWidget(dialog)
    assert NAME in dialog.history.text()
    assert dialog.history.textFormat() == Qt.TextFormat.PlainText
