"""`razem assign`: the window's assignment rules from the command line, Polish messages and
exit codes (0 saved, 2 wrong arguments, 3 refused by the rules)."""
from __future__ import annotations

import datetime as dt

from desktop.beats import assignments as svc
from desktop.cli import main

D = dt.date


def run(world, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["assign", "--database", world.db.url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_assign_reassigns_like_the_window(world, capsys):
    code, out, _ = run(world, capsys, "--unit", "KMP Konin", "--beat", "1", "--officer", "1",
                       "--role", "dzielnicowy", "--from", "2018-01-01")
    assert code == 0
    assert "Zapisano przydział: rejon 1. Ślesin – centrum (KMP Konin), dzielnicowy " \
           "st. asp. Anna Łęcka, 01.01.2018 – bezterminowo." in out
    code, out, _ = run(world, capsys, "--unit", "kmp konin", "--beat", "1", "--officer", "2",
                       "--role", "dzielnicowy", "--from", "2018-03-01")
    assert code == 0 and "Poprzedni przydział zakończono z dniem 28.02.2018." in out
    code, out, _ = run(world, capsys, "--unit", "KMP Konin", "--beat", "2", "--officer", "4",
                       "--role", "ruch", "--from", "2018-01-01", "--to", "2018-12-31")
    assert code == 0
    rows = svc.history(world.db, world.beat1)
    assert [(r.officer, r.valid_from, r.valid_to) for r in rows] == [
        ("st. asp. Bogdan Nowak", D(2018, 3, 1), None),
        ("st. asp. Anna Łęcka", D(2018, 1, 1), D(2018, 2, 28))]
    assert [r.valid_to for r in svc.history(world.db, world.beat2)] == [D(2018, 12, 31)]


def test_rules_refuse_with_the_windows_message_and_exit_code_3(world, capsys):
    svc.assign(world.db, world.beat1, world.host_a, svc.AssignmentRole.BEAT_OFFICER,
               D(2018, 1, 1))
    cases = [
        (["--officer", "2", "--role", "dzielnicowy", "--from", "2018-01-01"],
         "W rejonie jest już dzielnicowy st. asp. Anna Łęcka w okresie 01.01.2018 – "
         "bezterminowo"),
        (["--officer", "4", "--role", "dzielnicowy", "--from", "2018-05-01"],
         "nie jest dzielnicowym"),
        (["--officer", "1", "--role", "ruch", "--from", "2018-05-01"],
         "nie jest policjantem Wydziału Ruchu Drogowego"),
        (["--officer", "7", "--role", "dzielnicowy", "--from", "2018-05-01"], "nieaktywny"),
        (["--officer", "4", "--role", "ruch", "--from", "2018-05-01", "--to", "2018-04-01"],
         "Data końca przydziału jest wcześniejsza"),
    ]
    for args, message in cases:
        code, out, err = run(world, capsys, "--unit", "KMP Konin", "--beat", "1", *args)
        assert code == 3, (args, err)
        assert err.startswith("razem: odmowa: ") and message in err and "Traceback" not in err
        assert out == ""
    assert len(svc.history(world.db, world.beat1)) == 1  # nothing was saved


def test_wrong_arguments_exit_code_2(world, capsys):
    for args, message in [
        (["--unit", "KP Nigdzie", "--beat", "1", "--officer", "1"], "Nie ma jednostki „KP Nigdzie”"),
        (["--unit", "KMP Konin", "--beat", "99", "--officer", "1"], "nie ma rejonu nr 99"),
        (["--unit", "KMP Konin", "--beat", "1", "--officer", "X1"],
         "Nie ma funkcjonariusza o numerze służbowym „X1”"),
    ]:
        code, _, err = run(world, capsys, *args, "--role", "dzielnicowy", "--from", "2018-01-01")
        assert code == 2 and message in err and "Traceback" not in err
    code, _, err = run(world, capsys, "--unit", "KMP Konin", "--beat", "1", "--officer", "1",
                       "--role", "dzielnicowy", "--from", "1.01.2018")
    assert code == 2 and "Niepoprawna data „1.01.2018”" in err


def test_substitute_from_the_command_line(world, capsys):
    svc.assign(world.db, world.beat1, world.host_a, svc.AssignmentRole.BEAT_OFFICER,
               D(2018, 1, 1))
    code, out, _ = run(world, capsys, "--unit", "KMP Konin", "--beat", "1", "--officer", "2",
                       "--role", "dzielnicowy", "--from", "2018-07-01", "--to", "2018-07-14",
                       "--zastepstwo", "--note", "urlop")
    assert code == 0 and out.startswith("Zapisano zastępstwo: rejon 1. Ślesin – centrum")
    assert [(r.kind, r.note) for r in svc.history(world.db, world.beat1)][0] == (
        svc.AssignmentKind.SUBSTITUTE, "urlop")


def test_window_loser_sees_a_polish_message_not_a_traceback(world, qtbot):
    """The assign dialog opened on one workstation; another saves first; "Zapisz" then shows
    the rule's Polish reason in the dialog and saves nothing."""
    from PySide6.QtCore import QDate

    from db.engine import Database
    from db.models import AssignmentRole
    from desktop.beats.ui.dialogs import AssignDialog

    dialog = AssignDialog(world.db, world.beat1, "1. Ślesin – centrum",
                          AssignmentRole.BEAT_OFFICER)
    qtbot.addWidget(dialog)
    dialog.select_officer(world.host_a)
    dialog.valid_from.setDate(QDate(2019, 3, 1))
    other = Database.open(world.db.url)
    try:
        svc.assign(other, world.beat1, world.host_b, AssignmentRole.BEAT_OFFICER, D(2019, 3, 1))
    finally:
        other.dispose()
    dialog.save()
    assert dialog.result_info is None and not dialog.result()
    assert dialog.error.text().startswith("W rejonie jest już dzielnicowy st. asp. Bogdan Nowak")
    assert len(svc.history(world.db, world.beat1)) == 1
