"""The `razem` command line: help, version, sample, db upgrade, --database anywhere."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from db.engine import Database, resolve_database_url
from db.migrate import current_revision, head_revision
from db.models import Beat, ThreatReport
from desktop import __version__
from desktop.cli import main


def _count(url, model):
    db = Database.open(url)
    try:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(model))
    finally:
        db.dispose()


def test_installed_entry_point_lists_subcommands():
    out = subprocess.run([sys.executable, "-m", "desktop", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for word in ("sample", "db", "--database", "--version"):
        assert word in out


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"razem {__version__}"


def test_version_literal_matches_the_package():
    from importlib.metadata import version

    assert __version__ == version("razem")


def test_version_and_help_load_neither_sqlalchemy_nor_qt():
    import subprocess
    import sys

    code = ("import sys\nfrom desktop.cli import main\n"
            "for argv in (['--version'], ['--help']):\n"
            "    try:\n        main(argv, configure_logging=True)\n"
            "    except SystemExit:\n        pass\n"
            "heavy = [m for m in ('sqlalchemy', 'PySide6', 'numpy', 'alembic', 'importlib.metadata')"
            " if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "HEAVY []" in out


@pytest.mark.parametrize("before", [True, False])
def test_sample_with_database_before_or_after_subcommand(tmp_path, capsys, before):
    url = f"sqlite:///{(tmp_path / 's.db').as_posix()}"
    args = ["sample", "--reports", "300", "--seed", "5"]
    argv = ["--database", url, *args] if before else [*args, "--database", url]
    assert main(argv) == 0
    assert "300 zgłoszeń" in capsys.readouterr().out
    assert _count(url, ThreatReport) == 300
    assert _count(url, Beat) == 24


def test_sample_refuses_a_database_with_data(tmp_path, capsys):
    url = f"sqlite:///{(tmp_path / 's.db').as_posix()}"
    assert main(["sample", "--reports", "10", "--database", url]) == 0
    capsys.readouterr()
    assert main(["sample", "--reports", "10", "--database", url]) == 2
    assert "zawiera już dane" in capsys.readouterr().err
    assert _count(url, ThreatReport) == 10


def test_sample_bad_beats_value(tmp_path, capsys):
    url = f"sqlite:///{(tmp_path / 's.db').as_posix()}"
    assert main(["sample", "--beats", "3", "--database", url]) == 2
    assert "co najmniej 15" in capsys.readouterr().err


def test_db_upgrade_uses_environment_variable(tmp_path, monkeypatch, capsys):
    path = tmp_path / "env.db"
    monkeypatch.setenv("RAZEM_DATABASE_URL", f"sqlite:///{path.as_posix()}")
    assert main(["db", "upgrade"]) == 0
    assert "Uaktualniono" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "najnowszy schemat" in capsys.readouterr().out
    db = Database.open(f"sqlite:///{path.as_posix()}")
    assert current_revision(db.engine) == head_revision()
    db.dispose()


def test_default_database_lives_in_user_data_folder(tmp_path):
    # conftest points RAZEM_DATA_DIR at a temporary folder
    assert resolve_database_url(None) == f"sqlite:///{(tmp_path / 'userdata' / 'razem.db').as_posix()}"
    assert resolve_database_url("plik.db").endswith("/plik.db")
    assert resolve_database_url("postgresql+psycopg://u@h/razem") == "postgresql+psycopg://u@h/razem"


def test_help_and_argument_errors_are_polish(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("użycie: razem") and "opcje:" in out and "podkomendy:" in out
    assert "pokaż tę pomoc" in out and "show this help" not in out
    assert out.count("opcje:") == 1
    with pytest.raises(SystemExit) as exc:
        main(["sample", "--reports", "dużo"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "błąd: argument --reports: niepoprawna wartość" in err and "invalid" not in err
    with pytest.raises(SystemExit):
        main(["db"])
    assert "brakuje wymaganych argumentów" in capsys.readouterr().err


@pytest.mark.parametrize("url, expected", [
    ("FILE", "nie jest poprawną bazą programu Razem"),
    ("postgresql+psycopg://razem@/razem?host=/nonexistent-socket-dir", "Nie można połączyć się"),
    ("nonsense://", "Nieznany rodzaj bazy danych"),
    ("oracle://u@h/db", "Brak sterownika"),
    ("postgresql+psycopg://h:port/db", "Niepoprawny adres bazy danych"),
])
def test_unusable_database_is_explained_in_polish(tmp_path, capsys, url, expected):
    if url == "FILE":
        path = tmp_path / "not-a-db.db"
        path.write_text("to nie jest baza danych\n" * 100, encoding="utf-8")
        url = str(path)
    assert main(["db", "upgrade", "--database", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("razem: błąd: ") and expected in err
    assert "Traceback" not in err
    if url.endswith("not-a-db.db"):
        assert path.read_text(encoding="utf-8").startswith("to nie jest")  # left untouched
