"""Which attribute of a boundary file holds the beat number and which the name.

Files come with many layouts: ``NR_REJONU`` and ``NAZWA`` in a Shapefile, ``numer`` in a
GeoJSON, or only a KML placemark name such as "Rejon 101 Starówka" or "RD 7 – Osiedle". The
user may name the attributes; otherwise they are guessed. A number is found inside a text
("Rejon 101 Starówka" -> "101"); when the name comes from the same attribute, the number and
the word before it are dropped from it ("Starówka").
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from desktop.common.text import fold

NUMBER_KEYS = ("nr", "numer", "rejon", "nr_rejonu", "numer_rejonu", "nr_rej", "number", "beat",
               "beat_number", "id_rejonu")
NAME_KEYS = ("nazwa", "nazwa_rejonu", "name", "nazwa_rej", "opis_rejonu")
UNIT_KEYS = ("jednostka", "unit", "komisariat")

# The first run of digits (not part of a longer number), with one letter glued to it when no
# other letter follows ("12a Osiedle" -> "12a", "101Starówka" -> "101").
_NUMBER = re.compile(r"(?<!\d)(\d+)([A-Za-z](?![^\W\d_]))?")
_SEPARATORS = " \t-–—:.,;/|()"


def field_names(props: Iterable[dict]) -> list[str]:
    """Every attribute name of the features, in the order first seen."""
    seen: dict[str, None] = {}
    for p in props:
        for k in p:
            seen.setdefault(str(k), None)
    return list(seen)


def find_field(fields: Sequence[str], wanted: str) -> str | None:
    """The file's spelling of an attribute the user typed ("nr_rejonu" -> "NR_REJONU")."""
    key = fold(wanted.strip())
    return next((f for f in fields if fold(f) == key), None)


def value(props: dict, field: str | None) -> str:
    """The attribute's text ("" when absent; 101.0 -> "101")."""
    if not field:
        return ""
    v = props.get(field)
    if v is None:
        folded = fold(field)
        v = next((x for k, x in props.items() if fold(str(k)) == folded), None)
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return " ".join(str(v).split())


def keyed_value(props: dict, keys: tuple[str, ...]) -> str:
    """The first non-empty attribute among ``keys`` (names compared without case/diacritics)."""
    folded = {fold(str(k)): k for k in props}
    for k in keys:
        if k in folded:
            text = value(props, folded[k])
            if text:
                return text
    return ""


def number_in(text: str) -> str:
    """The beat number in an attribute's text: "101" -> "101", "Rejon 101 Starówka" -> "101",
    "RD 7 – Osiedle" -> "7", "12a" -> "12a"; "" when there is none."""
    m = _NUMBER.search(text)
    return (m.group(1) + (m.group(2) or "")) if m else ""


def name_without_number(text: str) -> str:
    """The name in a text that also carries the number: "Rejon 101 Starówka" -> "Starówka",
    "RD 7 – Osiedle" -> "Osiedle", "Rejon 5" -> ""."""
    m = _NUMBER.search(text)
    if not m:
        return text.strip()
    return text[m.end():].strip(_SEPARATORS)


def number_key(number: str) -> str:
    """Numbers compared as the users mean them: case, diacritics and leading zeros ignored."""
    key = fold(number.strip())
    stripped = key.lstrip("0")
    return stripped if stripped and stripped[0].isdigit() else key


def guess_number_field(fields: Sequence[str], props: Sequence[dict]) -> str | None:
    """An attribute named like a number (``nr``, ``NR_REJONU`` …), else one whose every
    value carries a number (a KML placemark name "Rejon 12 Zatorze")."""
    by_fold = {fold(f): f for f in fields}
    for key in NUMBER_KEYS:
        if key in by_fold:
            return by_fold[key]
    for f in fields:
        folded = fold(f)
        if (folded.startswith(("nr", "numer")) or "rejon" in folded) and "nazw" not in folded:
            return f
    best: str | None = None
    for f in fields:
        values = [value(p, f) for p in props]
        values = [v for v in values if v]
        if values and all(number_in(v) for v in values):
            if all(v == number_in(v) for v in values):
                return f  # plain numbers beat texts with a number inside
            best = best or f
    if best is None and fields:  # a KML's placemark name, or the only attribute there is
        best = "name" if "name" in fields else (fields[0] if len(fields) == 1 else None)
    return best


def guess_name_field(fields: Sequence[str], number_field: str | None) -> str | None:
    """An attribute named like a name (``nazwa``, ``name`` …); None when there is none."""
    by_fold = {fold(f): f for f in fields}
    for key in NAME_KEYS:
        if key in by_fold:
            return by_fold[key]
    return next((f for f in fields if "nazw" in fold(f) and f != number_field), None)


def beat_name(props: dict, name_field: str | None, number_field: str | None) -> str:
    """The beat's name from the chosen attribute (without the number when it is the same
    attribute as the number)."""
    text = value(props, name_field)
    if name_field and number_field and fold(name_field) == fold(number_field):
        return name_without_number(text)
    return text
