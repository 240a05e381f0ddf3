"""Validation of partner data and the duplicate key (Qt-free).

Messages are Polish; the Qt layer shows them as they are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.common.text import fold, plural
from desktop.partners.fields import LABELS, TEXT_LIMITS

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_POSTAL = re.compile(r"^\d{2}-\d{3}$")
# Digits, spaces, parentheses and a leading +; hyphens and slashes only between other
# characters: a "phone" such as -1-2-3-4-5-6-7-8-9 would start a spreadsheet formula.
_PHONE_CHARS = re.compile(r"^\+?(?:\(\d[\d\s]*\)\s*)?\d(?:[\d\s]|[-/](?=\s*\d)|\(\d[\d\s]*\))*$")



@dataclass(frozen=True)
class FieldError:
    """One problem with one field, in Polish."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{LABELS.get(self.field, self.field)}: {self.message}"


def email_error(value: str) -> str | None:
    value = value.strip()
    if value and not _EMAIL.match(value):
        return "nieprawidłowy adres e-mail (oczekiwano np. sekretariat@gmina.pl)"
    return None


def phone_error(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    digits = re.sub(r"\D", "", value)
    if not _PHONE_CHARS.match(value) or not 9 <= len(digits) <= 13:
        return "nieprawidłowy numer telefonu (oczekiwano 9 cyfr, np. 63 240 12 34 lub +48 632 401 234)"
    return None


def postal_code_error(value: str) -> str | None:
    value = value.strip()
    if value and not _POSTAL.match(value):
        return "kod pocztowy musi mieć postać NN-NNN, np. 62-500"
    return None


def validate_fields(values: dict[str, str]) -> list[FieldError]:
    """Check the text fields of a partner; ``values`` maps field names to text."""
    errors: list[FieldError] = []
    if not (values.get("name") or "").strip():
        errors.append(FieldError("name", "nazwa jest wymagana"))
    for field, check in (("email", email_error), ("phone", phone_error),
                         ("postal_code", postal_code_error)):
        message = check(values.get(field) or "")
        if message:
            errors.append(FieldError(field, message))
    for field, limit in TEXT_LIMITS.items():  # the model's String(n) lengths
        if len((values.get(field) or "").strip()) > limit:
            errors.append(FieldError(field, f"tekst dłuższy niż {plural(limit, 'znak', 'znaki', 'znaków')}"))
    return errors


def duplicate_key(name: str, gmina_id: int | None) -> tuple[str, int | None]:
    """Two partners are likely the same when their names agree ignoring case, diacritics,
    punctuation and spacing, and they are in the same gmina."""
    words = re.sub(r"[^\w]+", " ", fold(name or "")).split()
    return " ".join(words), gmina_id
