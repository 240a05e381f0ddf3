"""Street register: Polish street-name normalisation, house-number ranges and the matcher.

A register line is a street of a locality with a house-number range and side (all / even /
odd; open ends allowed) or, with an empty street, a whole locality (rural beats). The key of
a street ignores case, diacritics, punctuation and the type word, so that "al. 1 Maja",
"Aleje 1 Maja" and "1 MAJA" are the same street.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from db.models import HouseSide
from desktop.common.text import fold

# Words naming the kind of street; dropped from the key ("ul. Kolejowa" = "Kolejowa").
_TYPE_WORDS = {
    "ul", "ulica", "ulicy", "al", "aleja", "aleje", "alei", "alej", "pl", "plac", "placu",
    "os", "osiedle", "osiedla", "rondo", "skwer", "bulwar", "bulw", "park", "wybrzeze",
    "trakt", "droga",
}
# Honorifics written out or abbreviated; dropped ("ks. Popiełuszki" = "Księdza Popiełuszki").
_TITLE_WORDS = {
    "sw", "sw.", "swietego", "swietej", "swietych", "gen", "generala", "ks", "ksiedza",
    "kard", "kardynala", "prof", "profesora", "dr", "doktora", "im", "imienia", "marsz",
    "marszalka", "pplk", "plk", "pulkownika", "kpt", "kapitana", "bp", "biskupa", "abp",
    "arcybiskupa", "sen", "senatora", "hm", "harcmistrza", "bl", "blogoslawionego",
}
_HOUSE = re.compile(r"^(\d+)\s*([a-zA-Z]?)(?:\s*/\s*\w+)?$")
_SIDE_NAMES = {
    "": HouseSide.ALL, "all": HouseSide.ALL, "wszystkie": HouseSide.ALL,
    "parzyste i nieparzyste": HouseSide.ALL, "obie": HouseSide.ALL, "w": HouseSide.ALL,
    "even": HouseSide.EVEN, "parzyste": HouseSide.EVEN, "p": HouseSide.EVEN,
    "odd": HouseSide.ODD, "nieparzyste": HouseSide.ODD, "np": HouseSide.ODD,
    "n": HouseSide.ODD,
}


def street_key(name: str) -> str:
    """Normalised street name: "al. 1 Maja" and "Aleje 1 Maja" both give "1 maja"."""
    text = fold(name or "")
    text = re.sub(r"[.,;:\"'„”()]", " ", text)
    text = text.replace("-", " ")
    words = text.split()
    while words and words[0] in _TYPE_WORDS:
        words = words[1:]
    words = [w for w in words if w not in _TITLE_WORDS]
    return " ".join(words)


def locality_key(name: str) -> str:
    return " ".join(fold(name or "").replace("-", " ").split())


def parse_side(text: str) -> HouseSide | None:
    return _SIDE_NAMES.get(fold(text or "").strip())


@dataclass(frozen=True)
class HouseNumber:
    number: int
    suffix: str = ""

    def __str__(self) -> str:
        return f"{self.number}{self.suffix}"


def parse_house_number(text: str) -> HouseNumber | None:
    """ "9", "9a", "12B", "15/3" (flat dropped) -> HouseNumber; anything else -> None."""
    m = _HOUSE.match((text or "").strip())
    if not m:
        return None
    return HouseNumber(int(m.group(1)), m.group(2).lower())


@dataclass(frozen=True)
class Address:
    locality: str
    street: str
    number: HouseNumber | None


def parse_address(text: str, default_locality: str = "") -> Address:
    """ "Konin, al. 1 Maja 9" / "al. 1 Maja 9" (with default town) / "Kramsk 12" -> Address.

    The last word is the house number when it looks like one; "locality, street number"
    separates the town with a comma.
    """
    text = " ".join((text or "").split())
    locality, rest = default_locality, text
    if "," in text:
        locality, rest = (p.strip() for p in text.split(",", 1))
    words = rest.split()
    number = None
    if words:
        number = parse_house_number(words[-1])
        if number is not None:
            words = words[:-1]
    street = " ".join(words)
    if not locality:  # "Kramsk 12": a village without streets
        locality, street = street, ""
    return Address(locality, street, number)


@dataclass(frozen=True)
class RangeLine:
    """One register line (the matcher's view of a StreetRange row)."""

    beat_id: int
    locality: str
    street: str
    side: HouseSide
    number_from: int | None
    number_to: int | None
    id: int = 0

    @property
    def whole_locality(self) -> bool:
        return not street_key(self.street)

    def contains(self, number: int) -> bool:
        if self.side == HouseSide.EVEN and number % 2:
            return False
        if self.side == HouseSide.ODD and not number % 2:
            return False
        if self.number_from is not None and number < self.number_from:
            return False
        return self.number_to is None or number <= self.number_to


def _parity_overlap(a: RangeLine, b: RangeLine) -> int | None:
    """The lowest house number both lines cover (None if none): sides and ranges intersect."""
    low = max(a.number_from or 1, b.number_from or 1)
    highs = [x for x in (a.number_to, b.number_to) if x is not None]
    high = min(highs) if highs else None
    for n in (low, low + 1):
        if (high is None or n <= high) and a.contains(n) and b.contains(n):
            return n
    return None


def describe_line(line: RangeLine) -> str:
    """Polish description as on police web pages: "ul. Rybnicka (parzyste od 48)"."""
    if line.whole_locality:
        return f"{line.locality} (cała miejscowość)"
    side = {HouseSide.ALL: "", HouseSide.EVEN: "parzyste", HouseSide.ODD: "nieparzyste"}[
        line.side]
    parts = [side] if side else []
    if line.number_from is not None:
        parts.append(f"od {line.number_from}")
    if line.number_to is not None:
        parts.append(f"do {line.number_to}")
    if not parts:
        parts = ["całość"]
    return f"{line.street} ({' '.join(parts)})"


class StreetIndex:
    """Fast lookups over the whole register: (locality key, street key) -> lines."""

    def __init__(self, lines: list[RangeLine]):
        self._streets: dict[tuple[str, str], list[RangeLine]] = {}
        self._localities: dict[str, list[RangeLine]] = {}
        self._by_last_word: dict[tuple[str, str], list[RangeLine]] = {}
        for line in lines:
            loc = locality_key(line.locality)
            key = street_key(line.street)
            if not key:
                self._localities.setdefault(loc, []).append(line)
            else:
                self._streets.setdefault((loc, key), []).append(line)
                self._by_last_word.setdefault((loc, key.split()[-1]), []).append(line)

    def match(self, address: Address) -> list[RangeLine]:
        """Lines covering the address, most specific first (a street line before a whole
        locality). More than one beat among them means the register overlaps there."""
        loc = locality_key(address.locality)
        key = street_key(address.street)
        found: list[RangeLine] = []
        if key:
            candidates = self._streets.get((loc, key))
            if candidates is None:
                # "ul. Wyszyńskiego" for "ul. Kardynała Stefana Wyszyńskiego": the surname
                # alone, when exactly one street of the town ends with it.
                last = self._by_last_word.get((loc, key.split()[-1]), [])
                if len({street_key(c.street) for c in last}) == 1 and len(key.split()) == 1:
                    candidates = last
            for line in candidates or []:
                if address.number is None or line.contains(address.number.number):
                    found.append(line)
        if not found:
            found = list(self._localities.get(loc, []))
        return found


@dataclass(frozen=True)
class Overlap:
    first: RangeLine
    second: RangeLine
    example: str  # an address in both beats, e.g. "Konin, ul. Kolejowa 12"


def find_overlaps(lines: list[RangeLine]) -> list[Overlap]:
    """Pairs of lines of different beats that cover a common address."""
    by_locality: dict[str, list[RangeLine]] = {}
    for line in lines:
        by_locality.setdefault(locality_key(line.locality), []).append(line)
    out: list[Overlap] = []
    for group in by_locality.values():
        wholes = [x for x in group if x.whole_locality]
        streets: dict[str, list[RangeLine]] = {}
        for x in group:
            if not x.whole_locality:
                streets.setdefault(street_key(x.street), []).append(x)
        for i, a in enumerate(wholes):
            for b in wholes[i + 1:]:
                if a.beat_id != b.beat_id:
                    out.append(Overlap(a, b, a.locality))
            for same in streets.values():
                for b in same:
                    if a.beat_id != b.beat_id:
                        out.append(Overlap(a, b, f"{b.locality}, {b.street}"))
        for same in streets.values():
            for i, a in enumerate(same):
                for b in same[i + 1:]:
                    if a.beat_id == b.beat_id:
                        continue
                    n = _parity_overlap(a, b)
                    if n is not None:
                        out.append(Overlap(a, b, f"{a.locality}, {a.street} {n}"))
    return out


@dataclass(frozen=True)
class AddressCheck:
    text: str
    address: Address
    beat_ids: tuple[int, ...]  # () = gap, 2+ = overlap


def check_addresses(lines: list[RangeLine], addresses: list[str],
                    default_locality: str = "",
                    step: Callable[[int], None] | None = None) -> list[AddressCheck]:
    """Which beat each address falls in; gaps have no beat, overlaps more than one.

    ``step(done)`` is called every 1,000 addresses (progress, and a place to cancel)."""
    index = StreetIndex(lines)
    out = []
    for done, text in enumerate(addresses):
        if step is not None and done % 1000 == 999:
            step(done)
        address = parse_address(text, default_locality)
        found = index.match(address)
        if not found and "," not in text and address.street:
            # "Żychlin 5": a village without streets rather than a street of the default town
            village = parse_address(text)
            found = index.match(village)
            address = village if found else address
        beats = tuple(dict.fromkeys(x.beat_id for x in found))
        if len(beats) > 1 and any(not x.whole_locality for x in found):
            # a street line beats a whole-locality line of another beat
            beats = tuple(dict.fromkeys(x.beat_id for x in found if not x.whole_locality))
        out.append(AddressCheck(text, address, beats))
    return out
