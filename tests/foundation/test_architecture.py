"""Layering: only the Qt layer imports PySide6; db/ never imports desktop/ or Qt."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QT_PACKAGES = ("desktop/app/", "desktop/printing/")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _is_qt_layer(rel: str) -> bool:
    return rel.startswith(QT_PACKAGES) or "/ui/" in rel


def test_core_modules_import_no_qt():
    offenders = []
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if _is_qt_layer(rel):
            continue
        if any(name.split(".")[0] in ("PySide6", "shiboken6") for name in _imports(path)):
            offenders.append(rel)
    assert offenders == []


def test_db_layer_imports_neither_qt_nor_desktop():
    offenders = []
    for path in sorted((ROOT / "db").rglob("*.py")):
        if any(name.split(".")[0] in ("PySide6", "desktop") for name in _imports(path)):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def test_check_would_catch_a_qt_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert "PySide6.QtCore" in _imports(bad)


def test_modules_stay_small():
    """No 2,000-line main window: every module of the app stays a few hundred lines."""
    long = {path.relative_to(ROOT).as_posix(): n
            for path in list((ROOT / "desktop").rglob("*.py")) + list((ROOT / "db").rglob("*.py"))
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}
