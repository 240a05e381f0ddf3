"""Parsing single cell values: dates in many shapes, numbers with decimal commas."""
from __future__ import annotations

import datetime as dt
import math
import re
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Warsaw")
# Epoch milliseconds between 2000-01-01 and 2100-01-01: anything else is not a KMZB timestamp.
_MS_MIN, _MS_MAX = 946_684_800_000, 4_102_444_800_000
_PL_DATE = re.compile(
    r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class ValueProblem(ValueError):
    """A cell that cannot be understood; the message is Polish."""


def parse_number(value) -> float:
    """A float from a number or text such as '52,2231', '1 234,5' or '470123.5'."""
    if isinstance(value, bool):
        raise ValueProblem("wartość logiczna zamiast liczby")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            raise ValueProblem("brak wartości")
        if "," in text and "." in text:
            text = text.replace(".", "").replace(",", ".")  # 1.234,5
        else:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise ValueProblem(f"„{_short(value)}” nie jest liczbą") from None
    if not math.isfinite(number):
        raise ValueProblem("liczba nieskończona")
    return number


def from_epoch_ms(ms: float) -> dt.datetime:
    """Local (Europe/Warsaw) naive time of a UTC epoch-milliseconds timestamp."""
    if not (_MS_MIN <= ms <= _MS_MAX):
        raise ValueProblem(f"znacznik czasu {int(ms)} poza zakresem lat 2000–2100")
    return dt.datetime.fromtimestamp(ms / 1000.0, tz=LOCAL_TZ).replace(tzinfo=None)


def parse_datetime(value) -> dt.datetime:
    """ISO 8601, dd.mm.yyyy [hh:mm[:ss]], epoch milliseconds, or a spreadsheet date."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else \
            value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_epoch_ms(float(value))
    text = str(value or "").strip()
    if not text:
        raise ValueProblem("brak daty")
    if text.isdigit() and len(text) >= 11:
        return from_epoch_ms(float(text))
    m = _PL_DATE.match(text)
    try:
        if m:
            day, month, year, hh, mm, ss = m.groups()
            return dt.datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0),
                               int(ss or 0))
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueProblem(f"nierozpoznana data „{_short(text)}” (oczekiwano RRRR-MM-DD, "
                           "DD.MM.RRRR lub milisekund od 1970)") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(LOCAL_TZ).replace(tzinfo=None)
    return parsed


def parse_date(value) -> dt.date:
    return parse_datetime(value).date()


def clean_text(value, limit: int) -> str:
    """Text of a cell, stripped, control characters removed, cut to the column's length."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text.isprintable():  # rare: drop control characters, keep line breaks and tabs
        text = "".join(ch for ch in text if ch >= " " or ch in "\n\t")
    return text[:limit]


def _short(value, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
