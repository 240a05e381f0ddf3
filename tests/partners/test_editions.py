"""Programme editions: an agreement belongs to a year; a new edition invites the partners of
an earlier one (service, database rules, upgrade of an old database, command line, window)."""
from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
from alembic import command
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from db.base import utcnow
from db.engine import Database
from db.migrate import alembic_config
from db.models import Agreement, Partner, Signature, SignatureStatus
from desktop.cli import main
from desktop.partners import agreements as svc
from desktop.partners.agreements import AgreementData, AgreementError
from desktop.partners.editions import edition_choices, next_edition_year, start_edition
from desktop.partners.ui.agreements_dialog import AgreementsDialog
from desktop.partners.ui.edition_dialog import EditionDialog
from desktop.startup import open_database

_names = itertools.count(1)


def _count(db: Database, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_new_edition_invites_the_earlier_partners(sample_db):
    first = svc.get_agreement(sample_db)
    assert first.data.edition_year == 2018 and first.caption.startswith("Edycja 2018: ")
    sigs = svc.list_signatures(sample_db, first.id)
    # one partner withdrew, one was removed from the register
    withdrawn, removed = sigs[0], sigs[1]
    with sample_db.session() as s, s.begin():
        s.get(Signature, withdrawn.id).status = SignatureStatus.WITHDRAWN
        s.get(Partner, removed.data.partner_id).deleted_at = utcnow()
    assert next_edition_year(sample_db) == 2019

    result = start_edition(sample_db, 2019, first.id)

    assert (result.invited, result.withdrawn_left, result.removed_left) == (len(sigs) - 2, 1, 1)
    new = svc.get_agreement(sample_db, result.agreement_id)
    assert new.data.edition_year == 2019 and new.data.title == first.data.title
    assert new.data.valid_from == dt.date(2019, 1, 1) and new.data.valid_to == \
        dt.date(2019, 12, 31)
    assert new.data.signed_on is None and new.data.number == ""
    assert new.data.unit_id == first.data.unit_id
    invited = svc.list_signatures(sample_db, result.agreement_id)
    assert len(invited) == len(sigs) - 2
    assert all(r.data.status is SignatureStatus.INVITED and r.data.signed_on is None
               for r in invited)
    assert {r.data.partner_id for r in invited} == \
        {r.data.partner_id for r in sigs} - {withdrawn.data.partner_id, removed.data.partner_id}
    # the earlier edition is untouched
    assert len(svc.list_signatures(sample_db, first.id)) == len(sigs)
    assert [c.year for c in edition_choices(sample_db)][:2] == [2019, 2018]


def test_a_taken_or_implausible_year_is_refused_and_nothing_saved(sample_db):
    first = svc.get_agreement(sample_db)
    agreements, signatures = _count(sample_db, Agreement), _count(sample_db, Signature)
    with pytest.raises(AgreementError, match="Edycja 2018 już ma porozumienie"):
        start_edition(sample_db, 2018, first.id)
    with pytest.raises(AgreementError, match="nieprawdopodobny"):
        start_edition(sample_db, 1999, first.id)
    with pytest.raises(AgreementError, match="Edycja 2018 już ma porozumienie"):
        svc.save_agreement(sample_db, AgreementData("Inne", edition_year=2018))
    assert (_count(sample_db, Agreement), _count(sample_db, Signature)) == \
        (agreements, signatures)
    withdrawn = start_edition(sample_db, 2020, first.id, include_withdrawn=True)
    assert withdrawn.withdrawn_left == 0


def test_one_agreement_per_edition_is_a_rule_of_the_database(empty_db):
    with pytest.raises(IntegrityError), empty_db.session() as s, s.begin():
        s.add_all([Agreement(title="A", edition_year=2019),
                   Agreement(title="B", edition_year=2019)])
    with pytest.raises(IntegrityError), empty_db.session() as s, s.begin():
        s.add(Agreement(title="C", edition_year=1500))
    assert _count(empty_db, Agreement) == 0


@pytest.fixture
def blank_url(db_engine, tmp_path, request):
    if db_engine == "postgresql":
        server = request.getfixturevalue("postgres_server")
        name = f"old_ed_{os.getpid()}_{next(_names)}"
        yield server.create_database(name)
        server.drop_database(name)
    else:
        yield f"sqlite:///{(tmp_path / 'old.db').as_posix()}"


def test_upgrade_gives_old_agreements_their_year(blank_url):
    db = Database.open(blank_url)
    cfg = alembic_config(blank_url)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
        for title, valid_from, signed_on in (("A", dt.date(2018, 1, 1), dt.date(2017, 12, 13)),
                                             ("B", None, dt.date(2019, 3, 1)),
                                             ("C", dt.date(2018, 6, 1), None),
                                             ("D", None, None)):
            conn.execute(text("INSERT INTO agreements (title, number, place, subject, "
                              "valid_from, signed_on, police_coordinator, partners_coordinator)"
                              " VALUES (:t, '', '', '', :v, :s, '', '')"),
                         {"t": title, "v": valid_from, "s": signed_on})
    db.dispose()
    db = open_database(blank_url).db
    try:
        with db.session() as s:
            years = dict(s.execute(select(Agreement.title, Agreement.edition_year)).all())
    finally:
        db.dispose()
    assert years == {"A": 2018, "B": 2019, "C": None, "D": None}


@pytest.mark.engines("sqlite")
def test_command_line_starts_an_edition(sample_db, capsys):
    url = sample_db.url
    sample_db.dispose()
    assert main(["new-edition", "--year", "2019", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "Rozpoczęto edycję 2019: zaproszono partnerów: 35." in out
    assert main(["new-edition", "--year", "2019", "--database", url]) == 2
    assert "Edycja 2019 już ma porozumienie" in capsys.readouterr().err
    assert main(["new-edition", "--year", "2021", "--from-year", "2017", "--database", url]) == 2
    assert "nie ma porozumienia edycji 2017" in capsys.readouterr().err


def test_window_starts_an_edition(qtbot, sample_db):
    dialog = AgreementsDialog(sample_db)
    qtbot.addWidget(dialog)
    assert dialog.edition.value() == 2018
    seen: list[str] = []

    def answer_message() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    def fill_edition() -> None:
        edition = QApplication.activeModalWidget()
        assert isinstance(edition, EditionDialog)
        assert edition.year.value() == 2019
        assert "35 partnerów" in edition.counts.text()
        QTimer.singleShot(0, answer_message)
        edition.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill_edition)
    dialog.edition_button.click()
    assert seen == ["Rozpoczęto edycję 2019: zaproszono partnerów: 35."]
    assert dialog.list.currentItem().text().startswith("Edycja 2019: ")
    assert dialog.edition.value() == 2019
    assert dialog.signatures.rowCount() == 35
    # the year can be changed in the form; a taken year is refused with a Polish message
    dialog.edition.setValue(2018)

    def refuse() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(0, refuse)
    dialog.save_button.click()
    assert "Edycja 2018 już ma porozumienie" in seen[-1]
