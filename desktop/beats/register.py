"""Street register in the database: load, replace from CSV, look up "Znajdź dzielnicowego".

CSV columns (header required, ";" or "," separated, UTF-8 or Windows-1250):
``jednostka`` (optional), ``rejon`` (beat number), ``miejscowosc``, ``ulica`` (empty = whole
locality), ``strona`` (wszystkie / parzyste / nieparzyste), ``od``, ``do`` (optional numbers).
An import replaces the register of every beat named in the file, in one transaction.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import delete, insert, select

from db.engine import Database
from db.models import Beat, HouseSide, StreetRange, Unit
from desktop.beats.queries import Contact, beat_detail
from desktop.beats.street_fields import CSV_HEADER, STREET_FIELDS
from desktop.beats.streets import (
    AddressCheck,
    RangeLine,
    StreetIndex,
    check_addresses,
    parse_address,
    parse_side,
    street_key,
)
from desktop.common import csvsafe
from desktop.common.limits import (
    MAX_STREET_FILE_BYTES,
    MAX_STREET_ROWS,
    LimitError,
    check_file_size,
)
from desktop.common.logs import timed_info
from desktop.common.text import fold, plural

MAX_ERRORS_SHOWN = 20
WRITE_CHUNK = 5_000  # register lines per INSERT statement (one cancel point each)


class RegisterError(ValueError):
    """The CSV cannot be imported; the message lists the problems in Polish."""


class RegisterCancelled(Exception):
    """The user stopped the import; nothing was saved."""


def register_lines(db: Database, beat_id: int | None = None) -> list[RangeLine]:
    with db.session() as s:
        q = select(StreetRange).order_by(StreetRange.beat_id, StreetRange.locality,
                                         StreetRange.street_key, StreetRange.number_from)
        if beat_id is not None:
            q = q.where(StreetRange.beat_id == beat_id)
        return [RangeLine(r.beat_id, r.locality, r.street, r.side, r.number_from, r.number_to,
                          r.id) for r in s.scalars(q)]


def _row(beat_id: int, locality: str, street: str, side: HouseSide,
         number_from: int | None, number_to: int | None) -> StreetRange:
    return StreetRange(beat_id=beat_id, locality=locality, street=street,
                       street_key=street_key(street), side=side, number_from=number_from,
                       number_to=number_to)


@dataclass(frozen=True)
class ImportSummary:
    beats: int
    lines: int


_ALIASES = {name: f.name for f in STREET_FIELDS for name in f.synonyms}  # folded headers


def _read_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp1250"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise RegisterError("Nie można odczytać pliku: nieznane kodowanie znaków.")


def _int_or_none(text: str, what: str, line_no: int, errors: list[str]) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) == 0 or int(text) > 100000:
        errors.append(f"Wiersz {line_no}: „{text}” w kolumnie {what} nie jest numerem domu.")
        return None
    return int(text)


def _read_limited(path: str | Path) -> str:
    """A street-register or address-list file as text, within the size and line limits."""
    try:
        check_file_size(Path(path).stat().st_size, MAX_STREET_FILE_BYTES, Path(path).name)
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RegisterError(f"Nie można otworzyć pliku {path}: {exc.strerror or exc}") from exc
    except LimitError as exc:
        raise RegisterError(str(exc)) from None
    text = _read_text(data)
    lines = text.count("\n")
    if lines > MAX_STREET_ROWS + 1:
        raise RegisterError(f"Plik ma {lines} wierszy – można wczytać najwyżej "
                            f"{MAX_STREET_ROWS} wierszy z jednego pliku; nic nie zapisano.")
    return text


def check_address_file(db: Database, path: str | Path, default_locality: str = "",
                       progress: Callable[[int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None) -> list[AddressCheck]:
    """"Sprawdź listę adresów": one address per line, each checked against the register."""
    addresses = [line.strip() for line in _read_limited(path).splitlines() if line.strip()]

    def step(done: int) -> None:
        if cancelled is not None and cancelled():
            raise RegisterCancelled
        if progress is not None:
            progress(done * 100 // len(addresses))

    return check_addresses(register_lines(db), addresses, default_locality, step)


def import_csv(db: Database, path: str | Path, progress: Callable[[int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportSummary:
    """Replace the street register of the beats named in the file. All or nothing.

    ``progress`` gets a percentage; ``cancelled`` is asked every few hundred rows and up to
    the commit (RegisterCancelled: nothing is saved)."""
    started = time.monotonic()

    def check() -> None:
        if cancelled is not None and cancelled():
            raise RegisterCancelled

    text = _read_limited(path)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    total = text.count("\n") or 1
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [fold(h).strip() for h in next(reader)]
    except StopIteration:
        raise RegisterError("Plik jest pusty.") from None
    cols = {_ALIASES[h]: i for i, h in enumerate(header) if h in _ALIASES}
    missing = [STREET_FIELDS.by_name[key].synonyms[0] for key in ("beat", "locality")
               if key not in cols]
    if missing:
        raise RegisterError("Brak kolumn: " + ", ".join(missing) + ". Wymagany nagłówek: "
                            + ";".join(CSV_HEADER) + ".")
    by_number: dict[str, list[tuple[int, str, str, str]]] = {}
    with db.session() as s:
        for bid, number, short, name in s.execute(
                select(Beat.id, Beat.number, Unit.short_name, Unit.name).join(Unit)):
            by_number.setdefault(number, []).append((bid, number, fold(short or ""), fold(name)))
    errors: list[str] = []
    parsed: list[tuple[int, str, str, HouseSide, int | None, int | None]] = []

    def cell(row: list[str], key: str) -> str:
        i = cols.get(key)
        return csvsafe.unescape_cell(row[i].strip()) if i is not None and i < len(row) else ""

    for line_no, row in enumerate(reader, start=2):
        if line_no % 500 == 0:
            check()
            if progress is not None:
                progress(min(90, line_no * 90 // total))
        if not any(c.strip() for c in row):
            continue
        number, unit = cell(row, "beat"), fold(cell(row, "unit"))
        found = [b for b in by_number.get(number, ()) if not unit or unit in (b[2], b[3])]
        if not found:
            errors.append(f"Wiersz {line_no}: nie ma rejonu nr „{number}”"
                          + (f" w jednostce „{cell(row, 'unit')}”." if unit else "."))
            continue
        if len(found) > 1:
            errors.append(f"Wiersz {line_no}: rejon nr {number} jest w kilku jednostkach – "
                          "podaj kolumnę jednostka.")
            continue
        locality = cell(row, "locality")
        if not locality:
            errors.append(f"Wiersz {line_no}: brak miejscowości.")
            continue
        side = parse_side(cell(row, "side"))
        if side is None:
            errors.append(f"Wiersz {line_no}: strona „{cell(row, 'side')}” – dozwolone: "
                          "wszystkie, parzyste, nieparzyste.")
            continue
        n_from = _int_or_none(cell(row, "number_from"), "od", line_no, errors)
        n_to = _int_or_none(cell(row, "number_to"), "do", line_no, errors)
        if n_from is not None and n_to is not None and n_to < n_from:
            errors.append(f"Wiersz {line_no}: numer „do” ({n_to}) jest mniejszy niż „od” "
                          f"({n_from}).")
            continue
        street = cell(row, "street")
        too_long = STREET_FIELDS.length_problems({"locality": locality, "street": street})
        if too_long:
            errors.append(f"Wiersz {line_no}: " + "; ".join(too_long.values()) + ".")
            continue
        if not street and (n_from or n_to or side != HouseSide.ALL):
            errors.append(f"Wiersz {line_no}: zakres numerów bez ulicy – dla całej "
                          "miejscowości zostaw strona/od/do puste.")
            continue
        parsed.append((found[0][0], locality, street, side, n_from, n_to))
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        raise RegisterError("Plik nie został zaimportowany (nic nie zapisano):\n"
                            + "\n".join(shown) + (f"\n… i {plural(more, 'inny błąd', 'inne błędy', 'innych błędów')}."
                               if more else ""))
    if not parsed:
        raise RegisterError("Plik nie zawiera żadnych wierszy rejestru ulic.")
    beat_ids = sorted({p[0] for p in parsed})
    rows = [{"beat_id": beat_id, "locality": locality, "street": street,
             "street_key": street_key(street), "side": side, "number_from": n_from,
             "number_to": n_to} for beat_id, locality, street, side, n_from, n_to in parsed]
    check()
    with db.session() as s, s.begin():
        s.execute(delete(StreetRange).where(StreetRange.beat_id.in_(beat_ids)))
        for start in range(0, len(rows), WRITE_CHUNK):  # bulk inserts, a cancel point each
            check()  # a cancel up to the commit rolls the whole import back
            s.execute(insert(StreetRange), rows[start:start + WRITE_CHUNK])
            if progress is not None:
                progress(min(99, 90 + 10 * (start + WRITE_CHUNK) // len(rows)))
        check()
    if progress is not None:
        progress(100)
    timed_info(logging.getLogger("razem.beats"), "Import rejestru ulic: %d wierszy w %d rejonach",
               started, len(parsed), len(beat_ids))
    return ImportSummary(len(beat_ids), len(parsed))


@dataclass(frozen=True)
class LookupResult:
    beat_id: int
    beat: str  # "3. Konin – rejon 3 (KMP Konin)"
    unit_name: str
    unit_address: str
    beat_officer: Contact | None
    traffic: Contact | None
    matched: str  # the register line or "punkt na mapie"


def _result(db: Database, beat_id: int, matched: str, on: dt.date | None) -> LookupResult:
    d = beat_detail(db, beat_id, on)
    return LookupResult(d.id, f"{d.number}. {d.name} ({d.unit_short})", d.unit_name,
                        d.unit_address, d.beat_officer, d.traffic, matched)


def find_officer(db: Database, locality: str, street: str, number: str,
                 on: dt.date | None = None) -> list[LookupResult]:
    """"Znajdź dzielnicowego": the beat(s) of an address with their officers' contacts.

    Usually one result; two or more mean the register overlaps at that address."""
    from desktop.beats.streets import Address, describe_line, parse_house_number

    house = parse_house_number(number) if number.strip() else None
    if number.strip() and house is None:
        raise RegisterError(f"„{number}” nie jest numerem domu (np. 9, 9a, 15/3).")
    address = Address(locality.strip(), street.strip(), house)
    if not address.locality:
        raise RegisterError("Podaj miejscowość.")
    lines = StreetIndex(register_lines(db)).match(address)
    street_lines = [x for x in lines if not x.whole_locality]
    lines = street_lines or lines
    seen: dict[int, str] = {}
    for line in lines:
        seen.setdefault(line.beat_id, describe_line(line))
    return [_result(db, bid, matched, on) for bid, matched in seen.items()]


def find_officer_text(db: Database, text: str, default_locality: str = "Konin",
                      on: dt.date | None = None) -> list[LookupResult]:
    a = parse_address(text, default_locality)
    return find_officer(db, a.locality, a.street, str(a.number) if a.number else "", on)


def find_officer_at(db: Database, lon: float, lat: float,
                    on: dt.date | None = None) -> LookupResult | None:
    """The beat containing a point (clicked on the map), with its officers."""
    from desktop.common.geo import assign_points_to_beats

    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise RegisterError("Współrzędne poza zakresem (długość −180…180, szerokość −90…90).")
    with db.session() as s:
        rows = list(s.execute(select(Beat.id, Beat.boundary).order_by(Beat.id)))
    ids = assign_points_to_beats(np.array([lon]), np.array([lat]), [b for _, b in rows],
                                 [i for i, _ in rows])
    if ids[0] < 0:
        return None
    return _result(db, int(ids[0]), "punkt na mapie", on)


def find_by_officer(db: Database, name: str, on: dt.date | None = None) -> list[LookupResult]:
    """Beats whose dzielnicowy or traffic officer on the day matches the name (as the
    Moja Komenda app's search by officer name); diacritics and case are ignored."""
    from desktop.beats.queries import beat_rows
    from desktop.common.text import matches

    if not name.strip():
        raise RegisterError("Podaj nazwisko funkcjonariusza.")
    hits = [r for r in beat_rows(db, on) if matches(name, r.beat_officer, r.traffic_officer)]
    return [_result(db, r.id, "nazwisko funkcjonariusza", on) for r in hits]


_SIDE_WORDS = {HouseSide.ALL: "wszystkie", HouseSide.EVEN: "parzyste",
               HouseSide.ODD: "nieparzyste"}


def export_csv(db: Database, path: str | Path) -> int:
    """Write the whole register in the import format (UTF-8 with BOM for Excel, ";").
    Returns the number of lines; an empty register gives a header-only template."""
    with db.session() as s:
        rows = list(s.execute(
            select(Unit.short_name, Beat.number, StreetRange.locality, StreetRange.street,
                   StreetRange.side, StreetRange.number_from, StreetRange.number_to)
            .join(Beat, StreetRange.beat_id == Beat.id).join(Unit, Beat.unit_id == Unit.id)
            .order_by(Unit.id, Beat.id, StreetRange.locality, StreetRange.street_key,
                      StreetRange.number_from)))
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csvsafe.writer(fh, delimiter=";")
            writer.writerow(CSV_HEADER)
            for unit, number, locality, street, side, n_from, n_to in rows:
                writer.writerow([unit, number, locality, street,
                                 _SIDE_WORDS[side] if street else "",
                                 "" if n_from is None else n_from,
                                 "" if n_to is None else n_to])
    except OSError as exc:
        raise RegisterError(f"Nie można zapisać pliku {path}: {exc.strerror or exc}") from exc
    return len(rows)


def add_line(db: Database, beat_id: int, locality: str, street: str = "",
             side: HouseSide = HouseSide.ALL, number_from: int | None = None,
             number_to: int | None = None) -> int:
    """Add one register line after the same checks as the CSV import; returns its id."""
    locality, street = locality.strip(), street.strip()
    if not locality:
        raise RegisterError("Podaj miejscowość.")
    too_long = STREET_FIELDS.length_problems({"locality": locality, "street": street})
    if too_long:
        raise RegisterError("; ".join(too_long.values()) + ".")
    for value in (number_from, number_to):
        if value is not None and not 0 < value <= 100000:
            raise RegisterError("Numer domu musi być liczbą od 1 do 100000.")
    if number_from is not None and number_to is not None and number_to < number_from:
        raise RegisterError(f"Numer „do” ({number_to}) jest mniejszy niż „od” ({number_from}).")
    if not street and (number_from or number_to or side != HouseSide.ALL):
        raise RegisterError("Zakres numerów bez ulicy – dla całej miejscowości zostaw "
                            "stronę „wszystkie” i numery puste.")
    with db.session() as s, s.begin():
        if s.get(Beat, beat_id) is None:
            raise RegisterError("Nie ma takiego rejonu.")
        row = _row(beat_id, locality, street, side, number_from, number_to)
        s.add(row)
        s.flush()
        return row.id


def delete_line(db: Database, line_id: int) -> None:
    with db.session() as s, s.begin():
        row = s.get(StreetRange, line_id)
        if row is None:
            raise RegisterError("Tego wiersza rejestru już nie ma.")
        s.delete(row)
