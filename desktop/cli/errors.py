"""Errors a command reports to the user as one Polish line (no traceback)."""
from __future__ import annotations


class CliError(Exception):
    """A user mistake reported as one Polish line and exit code 2."""
