"""The partner core stays Qt-free; the Qt layer lives in desktop/partners/ui."""
from __future__ import annotations

import ast
from pathlib import Path

import desktop.partners

CORE = Path(desktop.partners.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_qt():
    core = [p for p in CORE.glob("*.py")]
    assert len(core) >= 6
    for path in core:
        qt = {m for m in imported_modules(path) if m.split(".")[0] == "PySide6"}
        assert not qt, f"{path.name} imports {qt}"


def test_modules_stay_small():
    for path in CORE.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 320, path.name
