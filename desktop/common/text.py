"""Polish text helpers: diacritics-insensitive search and Polish collation without ICU."""
from __future__ import annotations

import re
import unicodedata

# Polish alphabet order: a ą b c ć d e ę f g h i j k l ł m n ń o ó p q r s ś t u v w x y z ź ż
_ALPHABET = ["a", "ą", "b", "c", "ć", "d", "e", "ę", "f", "g", "h", "i", "j", "k", "l", "ł", "m", "n", "ń", "o", "ó", "p", "q", "r", "s", "ś", "t", "u", "v", "w", "x", "y", "z", "ź", "ż"]
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def fold(text: str) -> str:
    """Lower-case text with Polish (and other) diacritics removed: 'Ślesin' -> 'slesin'."""
    text = text.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def matches(query: str, *fields: str) -> bool:
    """True when every word of the query occurs in one of the fields, ignoring case and
    diacritics."""
    words = fold(query).split()
    haystack = " ".join(fold(f or "") for f in fields)
    return all(w in haystack for w in words)


def polish_sort_key(text: str) -> tuple:
    """Sort key following the Polish alphabet (Ł after L, Ś after S, Ż last), case-insensitive,
    digits before letters, other characters by code point."""
    key = []
    for ch in (text or "").strip().lower():
        if ch in _RANK:
            key.append((1, _RANK[ch]))
        elif ch.isdigit():
            key.append((0, ord(ch)))
        elif ch.isspace():
            key.append((0, -1))
        else:
            base = fold(ch)
            if base and base[0] in _RANK:
                key.append((1, _RANK[base[0]]))
            else:
                key.append((2, ord(ch)))
    return tuple(key)


def polish_collation_string(text: str) -> str:
    """A string whose plain (code point) order is the Polish alphabetical order of ``text``;
    for sort roles in Qt models, where Python tuples cannot be compared."""
    out = []
    for kind, code in polish_sort_key(text):
        if kind == 0:  # digits and spaces
            out.append(chr(0x20 + max(code, -1) + 1) if code < 0 else chr(0x30 + code - 48 + 1))
        elif kind == 1:
            out.append(chr(0x100 + code))
        else:
            out.append(chr(0x1000 + code))
    return "".join(out)


def plural(n: int, one: str, few: str, many: str) -> str:
    """Polish plural: 1 rejon, 2-4 rejony (but 12-14 rejonów), 5+ rejonów."""
    if n == 1:
        return f"{n} {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"


def officer_picker_label(rank: str, first_name: str, last_name: str) -> str:
    """How pickers list an officer: "Nowak Jan (st. asp.)", so typing a surname finds it."""
    name = f"{last_name} {first_name}".strip()
    return f"{name} ({rank})" if rank.strip() else name


def with_access_keys(labels: list[str], taken: str = "") -> list[str]:
    """Labels with a '&' before a letter no other label (nor ``taken``) uses: the first letter
    of a word if free, else any letter. Labels that already have one keep it (and reserve it);
    a label with no free letter stays as it is. Alt+letter then reaches each of them."""
    used = {c.casefold() for c in taken}
    for label in labels:
        i = label.replace("&&", "").find("&")
        if i >= 0 and i + 1 < len(label.replace("&&", "")):
            used.add(label.replace("&&", "")[i + 1].casefold())
    out = []
    for label in labels:
        if "&" in label.replace("&&", "") or not label.strip():
            out.append(label)
            continue
        starts = [i for i, c in enumerate(label) if c.isalpha() and (i == 0 or
                                                                     not label[i - 1].isalnum())]
        others = [i for i, c in enumerate(label) if c.isalpha() and i not in starts]
        pos = next((i for i in starts + others if label[i].casefold() not in used), None)
        if pos is None:
            out.append(label)
            continue
        used.add(label[pos].casefold())
        out.append(label[:pos] + "&" + label[pos:])
    return out


def natural_collation_string(text: str) -> str:
    """Polish order with numbers compared as numbers: "ul. Kolejowa 2" before "… 10"."""
    return polish_collation_string(re.sub(r"\d+", lambda m: m.group().zfill(12), text or ""))
