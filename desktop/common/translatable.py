"""``N_``: marks a text for translation where it is written; the Qt layer translates it
when shown. Apart from :mod:`desktop.common.labels` (which imports the models), so that
modules loaded before the database layer (the map page's texts) can mark texts too."""
from __future__ import annotations


def N_(text: str) -> str:
    return text
