"""Fixtures of the publication tests."""
from tests.publish.town import town  # noqa: F401
