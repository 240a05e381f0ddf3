"""Razem: the desktop application of the "Razem dla bezpieczeństwa" programme (KMP Konin)."""
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("razem")
except PackageNotFoundError:  # running from a checkout without installation
    __version__ = "0.1.0"
