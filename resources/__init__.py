"""Application resources (fonts, web assets, sample geometry, dictionaries, translations).

Found through this package's own location, which works from a source checkout, an
installed wheel and a PyInstaller bundle (where the folder is collected as data).
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Absolute path of a resource; raises FileNotFoundError with the name if missing."""
    p = ROOT.joinpath(*parts)
    if not p.exists():
        raise FileNotFoundError(f"Brak zasobu aplikacji: {'/'.join(parts)}")
    return p
