"""Helpers for the threat tests: small files written in the shapes KMZB and users produce."""
from __future__ import annotations

from pathlib import Path

import pytest

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def write_file(tmp_path):
    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return write
