"""Layering: only the Qt layer imports PySide6; db/ never imports desktop/ or Qt; the
command line (``desktop/cli/`` and every ``commands.py``) loads neither Qt nor ``ui/``.

"Module level" means code that runs on import: top-level statements and class bodies, but
not function bodies (a lazy import inside a handler) and not ``if TYPE_CHECKING:`` blocks.
"""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_PACKAGES = ("desktop/app/", "desktop/printing/")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def _is_type_checking(node: ast.stmt) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _module_level_imports(path: Path) -> set[str]:
    """The modules a file imports while it is being imported itself."""
    names: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or _is_type_checking(node):
                continue
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
            for field in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    visit([n for n in inner if isinstance(n, ast.stmt)]
                          + [s for h in inner if isinstance(h, ast.ExceptHandler)
                             for s in h.body])

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return names


def _is_qt(name: str) -> bool:
    return name.split(".")[0] in ("PySide6", "shiboken6")


def _is_ui(name: str) -> bool:
    """A module of the Qt layer inside the app: any ``ui`` package, the window, printing."""
    parts = name.split(".")
    return parts[0] == "desktop" and ("ui" in parts[1:] or parts[1:2] in (["app"], ["printing"]))


def _is_qt_layer(rel: str) -> bool:
    return rel.startswith(QT_PACKAGES) or "/ui/" in rel


def _is_command_module(rel: str) -> bool:
    return rel.startswith("desktop/cli/") or rel.endswith("/commands.py")


def _core_offenders(path: Path) -> list[str]:
    """What a Qt-free module must not import: Qt anywhere, the Qt layer at module level."""
    return sorted({n for n in _imports(path) if _is_qt(n)}
                  | {n for n in _module_level_imports(path) if _is_ui(n)})


# The only doors from the command line into the Qt layer, imported inside a handler: opening
# the window, routing Qt's messages to the log at process start, and `razem self-check`
# (which by design exercises the real map page and printing).
APP_ENTRY_POINTS = ("desktop.app.application", "desktop.app.crash", "desktop.app.selfcheck")


def _command_offenders(path: Path) -> list[str]:
    """What a command module must not import: the above, and ``ui``/printing modules even
    inside a handler (PDFs go through ``desktop.common.document.render_pdf``)."""
    lazy_ui = {n for n in _imports(path)
               if _is_ui(n) and not n.startswith(APP_ENTRY_POINTS)}
    return sorted(set(_core_offenders(path)) | lazy_ui)


def _desktop_modules() -> list[tuple[str, Path]]:
    return [(p.relative_to(ROOT).as_posix(), p) for p in sorted((ROOT / "desktop").rglob("*.py"))]


def test_core_modules_import_no_qt():
    offenders = {rel: bad for rel, path in _desktop_modules()
                 if not _is_qt_layer(rel) and (bad := _core_offenders(path))}
    assert offenders == {}


def test_command_modules_import_neither_qt_nor_ui():
    commands = [(rel, path) for rel, path in _desktop_modules() if _is_command_module(rel)]
    assert len(commands) >= 6  # desktop/cli/* and the capabilities' commands.py
    offenders = {rel: bad for rel, path in commands if (bad := _command_offenders(path))}
    assert offenders == {}


def test_db_layer_imports_neither_qt_nor_desktop():
    offenders = []
    for path in sorted((ROOT / "db").rglob("*.py")):
        if any(name.split(".")[0] in ("PySide6", "desktop") for name in _imports(path)):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def test_checks_catch_qt_and_ui_imports(tmp_path):
    def module(text: str) -> Path:
        path = tmp_path / f"m{len(list(tmp_path.iterdir()))}.py"
        path.write_text(text, encoding="utf-8")
        return path

    assert _core_offenders(module("from PySide6.QtCore import QObject\n")) == [
        "PySide6.QtCore", "PySide6.QtCore.QObject"]
    assert _core_offenders(module("def f():\n    import PySide6\n")) == ["PySide6"]
    ui = module("from desktop.beats.ui.printing import preview_dialog\n")
    assert "desktop.beats.ui.printing" in _core_offenders(ui)
    assert "desktop.printing.paged" in _core_offenders(module(
        "try:\n    import desktop.printing.paged\nexcept ImportError:\n    pass\n"))
    assert "desktop.partners.ui" in _core_offenders(module(
        "class A:\n    from desktop.partners import ui\n"))
    lazy_ui = module("def handler():\n    from desktop.partners.ui.pdf import write\n")
    assert _core_offenders(lazy_ui) == [] and _command_offenders(lazy_ui) != []
    typing_only = module("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    from desktop.app.context import AppContext\n")
    assert _core_offenders(typing_only) == []
    fine = module("def run():\n    from desktop.app.application import run_gui\n"
                  "    from desktop.common.document import render_pdf\n")
    assert _command_offenders(fine) == []


def test_cli_help_and_version_load_no_database_or_qt_libraries():
    """`razem --version` / `--help` only build the parser: no SQLAlchemy, Qt, numpy, pyproj."""
    heavy = ("sqlalchemy", "alembic", "PySide6", "shiboken6", "numpy", "pyproj", "shapely",
             "openpyxl", "db")
    runner = ("import sys\nfrom desktop.cli import main\n"
              "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(ROOT)}
    for arg in ("--version", "--help"):
        done = subprocess.run([sys.executable, "-c", runner, arg], capture_output=True,
                              text=True, cwd=ROOT, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().splitlines()[-1] == "[]", (arg, done.stdout)


def test_modules_stay_small():
    """No 2,000-line main window: every module of the app stays a few hundred lines."""
    long = {path.relative_to(ROOT).as_posix(): n
            for path in list((ROOT / "desktop").rglob("*.py")) + list((ROOT / "db").rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
