"""Shared values for the activities tests."""
from __future__ import annotations

import datetime as dt

WHEN = dt.datetime(2019, 3, 14, 17, 30)
