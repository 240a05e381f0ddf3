"""Guards against a broken Qt binding release.

PySide6 6.12.0 drops a reference to Python's None on every Qt call that returns nothing; after
enough calls a Python 3.11 process aborts with "none_dealloc". constraints.txt pins a release
without the bug; this test fails if a future pin brings it back.
"""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit


def test_void_qt_calls_keep_none_alive(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    before = sys.getrefcount(None)
    for _ in range(2000):
        edit.setText("Zażółć")
    # Python 3.12+ has an immortal None (constant count); 3.11 must not lose references.
    assert sys.getrefcount(None) >= before - 50
