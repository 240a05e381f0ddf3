"""Sample street register for the sample database (deterministic: no randomness).

City beats get streets of Konin with number ranges and sides, one street split between two
beats by side and one by range; rural beats get their whole localities.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Beat, HouseSide, StreetRange
from desktop.beats.streets import street_key

KONIN_STREETS = [
    "Aleje 1 Maja", "ul. Kolejowa", "ul. Dworcowa", "ul. Energetyka", "ul. Przemysłowa",
    "ul. Fryderyka Chopina", "ul. Kardynała Stefana Wyszyńskiego", "Plac Wolności",
    "ul. Zofii Urbanowskiej", "ul. Stanisława Staszica", "ul. Poznańska", "ul. Kaliska",
    "ul. Juliusza Słowackiego", "ul. Szpitalna", "ul. Wodna", "ul. Zakładowa",
    "ul. Paderewskiego", "ul. Kurów", "ul. Spółdzielców", "ul. Jana Pawła II",
    "ul. Benedyktyńska", "ul. Łąkowa", "ul. Żeglarska", "ul. Świętojańska",
    "ul. Okólna", "ul. Sosnowa", "ul. Wyzwolenia", "ul. Ślesińska", "ul. Gajowa",
    "ul. Zagórowska",
]


def _add(s: Session, beat: Beat, locality: str, street: str = "",
         side: HouseSide = HouseSide.ALL, n_from: int | None = None,
         n_to: int | None = None) -> None:
    s.add(StreetRange(beat=beat, locality=locality, street=street,
                      street_key=street_key(street), side=side, number_from=n_from,
                      number_to=n_to))


def fill_sample_register(s: Session, beats: list[Beat]) -> int:
    """Add register lines for the sample beats; returns how many were added."""
    city = [b for b in beats if b.gmina is not None and b.gmina.name == "Konin"]
    rural = [b for b in beats if b not in city]
    count = 0
    if city:
        n = len(city)
        for i, street in enumerate(KONIN_STREETS):
            beat = city[i % n]
            if i == 0 and n > 1:  # Aleje 1 Maja: 1-40 in one beat, 41 and up in the next
                _add(s, beat, "Konin", street, HouseSide.ALL, 1, 40)
                _add(s, city[1], "Konin", street, HouseSide.ALL, 41, None)
                count += 2
            elif i == 1 and n > 2:  # Kolejowa: even numbers in one beat, odd in another
                _add(s, beat, "Konin", street, HouseSide.EVEN)
                _add(s, city[2], "Konin", street, HouseSide.ODD)
                count += 2
            else:
                _add(s, beat, "Konin", street)
                count += 1
    for beat in rural:
        locality = beat.name.removeprefix("Gmina ").strip()
        _add(s, beat, locality)
        count += 1
    return count
