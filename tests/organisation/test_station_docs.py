"""README and the help describe starting a real station step by step (issue #10) with the
labels the windows really show: each label named in the steps is in the help, in the README
and in the code, so a renamed button makes this test fail until the docs follow."""
from __future__ import annotations

from pathlib import Path

import pytest

import resources

ROOT = Path(__file__).resolve().parents[2]
LABELS = ["Nowa baza jednostki", "Pełna nazwa jednostki", "Nazwa skrócona", "Dodaj…",
          "Importuj granice rejonów…", "Wybierz plik…", "Wczytaj podgląd",
          "Numer rejonu w atrybucie", "Nazwa w atrybucie", "Utwórz brakujące rejony",
          "Zapisz granice", "Przerwij", "Wczytaj wykaz…", "Przydziel dzielnicowego…",
          "Przydziel policjanta RD…", "Słowniki KMZB…", "Importuj zgłoszenia KMZB…",
          "Importuj zgłoszenia…", "Importuj", "Karta rejonu…",
          "Karty wszystkich rejonów jednostki – podgląd wydruku…"]
COMMANDS = ["razem init", "razem import-beats", "razem import-officers",
            "razem import-reports", "razem print-beats"]


def _code() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "desktop").rglob("*.py"))


@pytest.mark.parametrize("label", LABELS)
def test_every_label_of_the_steps_is_in_the_code_the_help_and_the_readme(label):
    help_text = resources.path("help", "pomoc.html").read_text(encoding="utf-8")
    steps = help_text[help_text.index('name="nowa-baza"'):help_text.index('name="organizacja"')]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme_steps = readme[readme.index("## Starting a real station database"):
                          readme.index("## What the window offers")]
    assert f'"{label}' in _code() or f'"{label.rstrip(":")}:' in _code(), label
    assert label in " ".join(steps.split())  # lines wrap anywhere
    assert label.split("…")[0] in " ".join(readme_steps.split())


@pytest.mark.parametrize("command", COMMANDS)
def test_the_commands_named_in_the_steps_exist(command, capsys):
    from desktop.cli import main

    help_text = resources.path("help", "pomoc.html").read_text(encoding="utf-8")
    assert command in help_text and command in (ROOT / "README.md").read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main([command.split()[1], "--help"])
    assert done.value.code == 0
