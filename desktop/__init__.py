"""Razem: the desktop application of the "Razem dla bezpieczeństwa" programme (KMP Konin)."""

# A literal, not importlib.metadata (0.15 s of imports on every `razem --version`); a test
# checks that it matches the installed package's version (pyproject.toml).
__version__ = "0.1.0"
