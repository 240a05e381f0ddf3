"""Importing threat reports: validate every row, then write all accepted rows in one
transaction (upsert by source id), or nothing at all on error or cancel.

Rows that cannot be used are refused one by one with a Polish reason (implausible dates
included, see ``desktop.common.limits``); the import of the other rows goes on unless
``strict`` is set. A report's id repeated in the file (a KMZB export lists each change of
status) is not a refusal: its newest state wins, by "Data modyfikacji" when present, else the
later row; a stored report with a newer modification date than the file's is kept.
The coordinate system is recognised by ``desktop.common.geo.detect_crs`` (the rule boundary
import uses too); projected coordinates are reprojected to WGS84 in one vectorised pyproj
call; reports are assigned to beats with ``desktop.common.geo.assign_points_to_beats``.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from db import aggregates
from db.base import utcnow
from db.dictionary_names import name_key
from db.engine import Database
from db.models import Beat, ThreatCategory, ThreatStatus
from desktop.common.gcpause import gc_paused
from desktop.common.geo import (
    WGS84,
    CrsError,
    assign_points_to_beats,
    check_supported,
    detect_crs,
    in_poland,
    project,
)
from desktop.common.logs import timed_info
from desktop.common.text import fold as _fold
from desktop.common.text import plural as _plural
from desktop.threats import bulk, parents
from desktop.threats.columns import (
    clean_repeated,
    clean_texts,
    looked_up,
    newest_wins,
    parse_datetimes,
    parse_numbers,
    pick,
    round_list,
    synthetic_id,
    take,
)
from desktop.threats.mapping import CRS_AUTO, FIELDS, ColumnMapping, guess_mapping
from desktop.threats.readers import ImportFileError, RawTable, read_table

log = logging.getLogger("razem.threats")
WRITE_CHUNK = 5000
Progress = Callable[[int, str], None]  # (percent, stage)
# The columns of an accepted row; "category_key" is the folded category name.
ROW_FIELDS = ("source_id", "category_key", "status_id", "reported_at", "event_date",
              "event_time", "modified_at", "lat", "lon", "teryt", "description")


class ImportCancelled(Exception):
    """The user cancelled; the transaction was rolled back."""


@dataclass(frozen=True)
class Refusal:
    line: int
    source_id: str
    reason: str


@dataclass
class PreparedImport:
    """Accepted rows column by column (``columns[name][i]``, names of ``ROW_FIELDS``) and
    refusals, before any write. The time columns are numpy datetime64 arrays (NaT for
    none); the others lists."""

    columns: dict[str, Any]
    lines: list[int]
    refusals: list[Refusal]
    new_categories: list[str]
    crs_used: int
    notes: list[str] = field(default_factory=list)
    superseded: int = 0  # rows replaced by a newer state of the same report in the file


@dataclass
class ImportResult:
    added: int
    updated: int
    refusals: list[Refusal]
    outside_beats: list[tuple[int, str]]  # (line, source id) of reports in no beat
    new_categories: list[str]
    crs_used: int
    notes: list[str] = field(default_factory=list)
    superseded: int = 0  # rows of the file replaced by a newer row of the same report
    kept_newer: int = 0  # stored reports left alone: modified later than the file says

    @property
    def refused(self) -> int:
        return len(self.refusals)


@dataclass
class _Dictionaries:
    categories: dict[str, int]  # folded name -> id
    category_names: dict[str, str]  # folded name -> name as stored
    statuses: dict[str, int]


def _load_dictionaries(db: Database) -> _Dictionaries:
    with db.session() as s:
        cats = s.execute(select(ThreatCategory.id, ThreatCategory.name)).all()
        sts = s.execute(select(ThreatStatus.id, ThreatStatus.name)).all()
    return _Dictionaries({_fold(n): i for i, n in cats}, {_fold(n): n for _, n in cats},
                         {_fold(n): i for i, n in sts})


def _check_cancel(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled()


def _decide_crs(mapping: ColumnMapping, table: RawTable, xs: np.ndarray,
                ys: np.ndarray) -> tuple[int, bool, list[str]]:
    """(EPSG code, swap the axes, notes): the user's choice, the file's own "crs", or the
    shared recognition rule of ``desktop.common.geo``."""
    if mapping.crs != CRS_AUTO:
        try:
            return check_supported(int(mapping.crs)), False, []
        except CrsError as exc:
            raise ImportFileError(str(exc)) from None
        except ValueError:
            raise ImportFileError(f"Niepoprawny układ współrzędnych „{mapping.crs}” – podaj "
                                  "kod EPSG, np. 2180.") from None
    if table.crs_epsg is not None and table.crs_epsg != WGS84:
        return table.crs_epsg, False, []
    if not len(xs):
        return WGS84, False, []
    found = detect_crs(xs, ys)
    if found is None:
        return WGS84, False, ["nie rozpoznano układu współrzędnych (oczekiwano stopni, "
                              "PUWG 1992 lub PL-2000)"]
    if found.swapped:
        return found.epsg, True, ["zamieniono kolejność współrzędnych X/Y (PL-2000 zapisany "
                                  "od północy)"]
    return found.epsg, False, []


def prepare_import(table: RawTable, mapping: ColumnMapping, dicts: _Dictionaries,
                   progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> PreparedImport:
    """Validate and convert every row; no database access."""
    missing = mapping.missing_required()
    if missing:
        raise ImportFileError("Brak przypisania kolumn dla pól: " +
                              ", ".join(FIELDS[f] for f in missing) + ".")
    absent = [c for c in mapping.fields.values() if c and c not in table.columns]
    if absent:
        raise ImportFileError("W pliku nie ma kolumn: " + ", ".join(absent) + ".")
    index = {f: table.columns.index(c) for f, c in mapping.fields.items() if c}
    width = len(table.columns)
    fold = _fold
    cat_map = {fold(k): v for k, v in mapping.category_map.items()}
    st_map = {fold(k): v for k, v in mapping.status_map.items()}
    default_status = dicts.statuses.get(fold(mapping.default_status))
    to_add = {fold(n) for n in mapping.add_categories}

    rows_in, n_rows = table.rows, len(table.rows)
    if table.by_column is not None:  # every row full width, the columns already split
        shortest = longest = width
        col = {f: table.by_column[index[f]] if f in index else [None] * n_rows
               for f in FIELDS}
    else:
        shortest = min(map(len, rows_in)) if n_rows else 0
        longest = max(map(len, rows_in)) if n_rows else 0
        col = {f: take(rows_in, index.get(f), shortest) for f in FIELDS}
    # The first problem of each row, in the order the checks are listed here.
    errors: list[str | None] = [None] * n_rows

    def note(found: list[str | None]) -> None:
        if found.count(None) == len(found):  # no problem in this check: the usual case
            return
        for i, e in enumerate(found):
            if e is not None and errors[i] is None:
                errors[i] = e

    if table.last_row_cut and n_rows:
        errors[-1] = ("wiersz urwany: plik kończy się wewnątrz cudzysłowu "
                      "(plik urwany lub uszkodzony)")
    if table.source_format == "CSV" and n_rows \
            and not shortest == width == longest:  # some row not full width
        note([None if len(r) == width else
              f"wiersz niepełny: {len(r)} z {width} kolumn (plik urwany lub uszkodzony)"
              if len(r) < width else f"za dużo kolumn: {len(r)} zamiast {width}"
              for r in rows_in])
    if progress:
        progress(5, "Sprawdzanie wierszy")
    sids = clean_texts(col["source_id"], 100)
    cat_texts = clean_repeated(col["category"], 200)
    new_categories: dict[str, str] = {}
    cat_keys: dict[str, tuple[str | None, str | None]] = {}  # text -> (key, problem)
    for text in set(cat_texts):
        if not text:
            cat_keys[text] = (None, "brak kategorii")
            continue
        key = fold(text)
        if key in cat_map:
            target = fold(cat_map[key])
            if target not in dicts.categories:
                cat_keys[text] = (None, f"mapowanie kategorii wskazuje nieistniejącą "
                                        f"„{cat_map[key]}”")
                continue
            key = target
        if key not in dicts.categories and not (mapping.add_unknown_categories
                                                or key in to_add):
            cat_keys[text] = (None, f"nieznana kategoria „{text}” (można ją przypisać "
                                    "do istniejącej albo dodać do słownika)")
            continue
        cat_keys[text] = (key, None)
    keys, problems = looked_up(cat_texts, cat_keys)
    note(problems)
    for i, cat_key in enumerate(keys if set(keys) - {None} - set(dicts.categories) else ()):
        if cat_key is not None and cat_key not in dicts.categories and errors[i] is None:
            new_categories.setdefault(cat_key, cat_texts[i])  # added only if a row is kept
    st_texts = clean_repeated(col["status"], 200)
    st_ids: dict[str, tuple[int | None, str | None]] = {}
    for text in set(st_texts):
        if text:
            found = dicts.statuses.get(fold(st_map.get(fold(text), text)))
            st_ids[text] = (found, None if found is not None else f"nieznany status „{text}”")
        elif default_status is not None:
            st_ids[text] = (default_status, None)
        else:
            st_ids[text] = (None, "brak statusu")
    status_ids, problems = looked_up(st_texts, st_ids)
    note(problems)
    _check_cancel(cancelled)
    if progress:
        progress(15, "Sprawdzanie wierszy")
    reported, problems = parse_datetimes(col["reported_at"], "data utworzenia")
    note(problems)
    event_dates, problems = parse_datetimes(col["event_date"], "data zdarzenia", as_date=True,
                                            optional=True)
    note(problems)
    modified, problems = parse_datetimes(col["modified_at"], "data modyfikacji", optional=True)
    note(problems)
    _check_cancel(cancelled)
    if progress:
        progress(30, "Sprawdzanie wierszy")
    x_all, x_err = parse_numbers(col["x"])
    y_all, y_err = parse_numbers(col["y"])
    if x_err.count(None) + y_err.count(None) < 2 * n_rows:
        note([None if a is None and b is None else f"współrzędne: {a or b}"
              for a, b in zip(x_err, y_err)])
    event_times = clean_texts(col["event_time"], 40)
    teryts = clean_repeated(col["teryt"], 10)
    descriptions = clean_texts(col["description"], 20000)

    clean = errors.count(None) == n_rows  # no row refused so far: the usual case
    refusals = [] if clean else [Refusal(line, sid, e) for line, sid, e
                                 in zip(table.line_numbers, sids, errors) if e is not None]
    ok = list(range(n_rows)) if clean else [i for i, e in enumerate(errors) if e is None]
    ax, ay = x_all[ok], y_all[ok]

    _check_cancel(cancelled)
    if mapping.swap_xy:  # first column is the northing / latitude
        ax, ay = ay, ax
    crs, swap, crs_notes = _decide_crs(mapping, table, ax, ay)
    xs, ys = (ay, ax) if mapping.swap_xy else (ax, ay)  # as written in the file
    if swap:
        ax, ay = ay, ax
    notes = list(table.notes) + crs_notes
    try:
        lon, lat = project(ax, ay, crs, WGS84)
    except CrsError as exc:
        raise ImportFileError(str(exc)) from None
    inside = in_poland(lon, lat)
    if crs == WGS84 and mapping.crs == CRS_AUTO and not mapping.swap_xy and len(lon):
        # In Poland latitudes (49–55) and longitudes (14–24) do not overlap, so columns in the
        # other order are recognised without asking.
        swapped = in_poland(lat, lon)
        if swapped.mean() > 0.5 > inside.mean():
            lon, lat, inside = lat, lon, swapped
            notes.append("zamieniono kolejność długości i szerokości geograficznej")

    for k in np.flatnonzero(~inside).tolist():
        i = ok[k]
        refusals.append(Refusal(table.line_numbers[i], sids[i], (
            f"współrzędne ({float(xs[k]):g}; {float(ys[k]):g}) poza Polską w układzie "
            f"EPSG:{crs} – sprawdź układ współrzędnych i kolejność X/Y")))
    keep = np.flatnonzero(inside).tolist()  # positions in ``ok``
    for k in keep if "" in sids else ():  # rows without an id get a stable one
        i = ok[k]
        if not sids[i]:
            sids[i] = synthetic_id(cat_texts[i], reported[i].item(), float(lon[k]),
                                    float(lat[k]))
    newest = newest_wins(pick(sids, ok), pick(modified, ok), keep)
    superseded = len(keep) - len(newest)
    if superseded:
        notes.append(f"wierszy zastąpionych nowszym stanem tego samego zgłoszenia: "
                     f"{superseded}")
    rows = pick(ok, newest)  # positions in the file's table
    columns = {
        "source_id": pick(sids, rows), "category_key": pick(keys, rows),
        "status_id": pick(status_ids, rows), "reported_at": pick(reported, rows),
        "event_date": pick(event_dates, rows), "event_time": pick(event_times, rows),
        "modified_at": pick(modified, rows), "teryt": pick(teryts, rows),
        "description": pick(descriptions, rows),
        "lat": round_list(lat[newest], 7), "lon": round_list(lon[newest], 7)}
    out_lines = pick(table.line_numbers, rows)
    # Only categories of rows that are written: a refused row adds nothing to the dictionary.
    used_categories = set(columns["category_key"])
    added_categories = [text for key, text in new_categories.items() if key in used_categories]
    refusals.sort(key=lambda r: r.line)
    return PreparedImport(columns, out_lines, refusals, added_categories, crs, notes,
                          superseded)


def _beats(db: Database) -> tuple[list[str | None], list[int]]:
    with db.session() as s:
        pairs = s.execute(select(Beat.id, Beat.boundary).order_by(Beat.id)).all()
    return [b for _, b in pairs], [i for i, _ in pairs]


def write_import(db: Database, prep: PreparedImport, dicts: _Dictionaries,
                 progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Write accepted rows in one transaction; any error or cancel rolls everything back.

    Another import writing the same reports at the same moment (a second window, the command
    line) makes the insert collide: the write is then retried once against the new state,
    so the duplicate import updates instead of failing.
    """
    boundaries, beat_ids = _beats(db)
    lon = np.array(prep.columns["lon"], dtype=float)
    lat = np.array(prep.columns["lat"], dtype=float)
    assigned = assign_points_to_beats(lon, lat, boundaries, beat_ids)
    sids = prep.columns["source_id"]
    outside = [(prep.lines[i], sids[i])
               for i in np.flatnonzero(assigned < 0).tolist()] if beat_ids else []
    started = time.monotonic()
    for attempt in (1, 2):
        try:
            added, updated, kept, new_categories = _write(db, prep, assigned, progress,
                                                          cancelled)
            break
        except IntegrityError as exc:
            if attempt == 2:
                raise ImportFileError(
                    "Inny import zapisał w tej samej chwili te same zgłoszenia lub kategorie "
                    "– spróbuj ponownie; nic nie zapisano.") from exc
            log.info("report import collided with a concurrent import; retrying")
        except OperationalError as exc:
            if "locked" not in str(exc.orig or exc).lower():
                raise
            raise ImportFileError(
                "Baza danych jest zajęta innym zapisem (np. drugim importem) – spróbuj "
                "ponownie za chwilę; nic nie zapisano.") from exc
    notes = list(prep.notes)
    if kept:
        notes.append(f"pominięto {kept} zgłoszeń zmienionych w bazie później niż w pliku")
    if progress:
        progress(100, "Gotowe")
    log.info("report import: %d added, %d updated, %d refused, %d superseded, %d kept in "
             "%.1f s", added, updated, len(prep.refusals), prep.superseded, kept,
             time.monotonic() - started)
    return ImportResult(added, updated, prep.refusals, outside, new_categories,
                        prep.crs_used, notes, prep.superseded, kept)


def _write(db: Database, prep: PreparedImport, assigned: np.ndarray,
           progress: Progress | None,
           cancelled: Callable[[], bool] | None) -> tuple[int, int, int, list[str]]:
    """One transaction: (added, updated, kept because newer in the database, new categories)."""
    with parents.write_session(db, bulk.TABLE, bulk.COLUMNS) as s:
        known = s.execute(select(ThreatCategory.id, ThreatCategory.name)).all()
        categories = {_fold(n): i for i, n in known}
        keys = {name_key(n): i for i, n in known}  # the database's unique key (0014)
        order, new_categories = len(categories), []
        for name in prep.new_categories:
            same = categories.get(_fold(name), keys.get(name_key(name)))
            if same is not None:  # added meanwhile by another import, or only spaces differ
                categories[_fold(name)] = same
                continue
            cat = ThreatCategory(name=name, sort_order=order)
            order += 1
            s.add(cat)
            s.flush()
            categories[_fold(name)] = keys[name_key(name)] = cat.id
            new_categories.append(name)
        cols = prep.columns
        sids = cols["source_id"]
        existing = bulk.stored_reports(s, sids)
        beats = [None if b < 0 else b for b in assigned.tolist()]
        cat_ids = list(map(categories.__getitem__, cols["category_key"]))
        now = utcnow()  # one timestamp for the whole import, set here instead of per-row defaults
        values = [sids, cat_ids, cols["status_id"], cols["reported_at"], cols["event_date"],
                  cols["event_time"], cols["modified_at"], cols["lat"], cols["lon"],
                  cols["teryt"], cols["description"], beats]  # bulk.COLUMNS order
        changes: Counter[bulk.CountKey] = Counter()  # of report_counts, when paused
        inserted, updates, kept = list(range(len(sids))), [], 0
        if existing:
            inserted, updated, old_keys = [], [], []
            # Row by row only here (a re-import): the time columns as datetime objects.
            values = [bulk.plain_column(v) for v in values]
            modified = values[6]
            for i, sid in enumerate(sids):
                stored = existing.get(sid)
                if stored is None:
                    inserted.append(i)
                elif stored.modified_at is not None and modified[i] is not None \
                        and stored.modified_at > modified[i]:
                    kept += 1  # the database already holds a newer state of this report
                else:
                    updated.append(i)
                    updates.append((*(v[i] for v in values), now, stored.id))  # UPDATED, id
                    old_keys.append(stored)
            changes.subtract(zip(bulk.month_keys([o.reported_at for o in old_keys]),
                                 [o.beat_id or 0 for o in old_keys],
                                 [o.category_id for o in old_keys],
                                 [o.status_id for o in old_keys]))
            changes.update(bulk.count_keys(pick(cols["reported_at"], updated),
                                           [beats[i] or 0 for i in updated],
                                           pick(cat_ids, updated),
                                           pick(cols["status_id"], updated)))
            values[3], values[4], values[6] = (cols["reported_at"], cols["event_date"],
                                               cols["modified_at"])
        new_rows = [pick(v, inserted) for v in values]
        new_rows += [[now] * len(inserted), [now] * len(inserted)]  # created_at, updated_at
        # SQLite: foreign keys checked once per distinct parent, not per row (see parents)
        parents.check_parents(s.connection(), bulk.TABLE, bulk.written(new_rows, updates))
        # The report counts (db/aggregates.py): on SQLite the row triggers are paused in this
        # transaction and the counts changed once per key before commit (about 10× cheaper).
        conn = s.connection()
        pause = aggregates.pauses_for_bulk(conn)
        if pause:
            aggregates.drop_triggers(conn)
        total = max(1, len(inserted) + len(updates))
        done = 0
        # Plain tuples through the driver (desktop.threats.bulk): SQLAlchemy's per-row
        # parameter processing cost seconds here; COPY for new rows on PostgreSQL. A large
        # batch into a small table rebuilds the secondary indexes once afterwards (SQLite).
        with bulk.larger_cache(conn):
            indexes = bulk.drop_indexes_for(conn, len(inserted))
            for start in range(0, len(inserted), WRITE_CHUNK):
                _check_cancel(cancelled)
                bulk.insert_columns(conn, [c[start:start + WRITE_CHUNK] for c in new_rows])
                done += min(WRITE_CHUNK, len(inserted) - start)
                if progress:
                    progress(40 + int(58 * done / total), "Zapisywanie zgłoszeń")
            for start in range(0, len(updates), WRITE_CHUNK):
                _check_cancel(cancelled)
                part = updates[start:start + WRITE_CHUNK]
                bulk.update_rows(conn, part)
                done += len(part)
                if progress:
                    progress(40 + int(58 * done / total), "Zapisywanie zgłoszeń")
            _check_cancel(cancelled)
            bulk.recreate_indexes(conn, indexes)
            _check_cancel(cancelled)
            if pause:  # in the large page cache too (tens of thousands of keys)
                bulk.add_counts(conn, new_rows[3], [b or 0 for b in new_rows[11]],
                                new_rows[1], new_rows[2])
                bulk.apply_count_changes(conn, changes)
        if pause:
            aggregates.install_triggers(conn)
    return len(inserted), len(updates), kept, new_categories


def import_reports(db: Database, source: str | Path | RawTable,
                   mapping: ColumnMapping | None = None, *, strict: bool = False,
                   progress: Progress | None = None,
                   cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Read, validate and write. ``strict``: any refused row stops the import (nothing written).
    Raises ImportFileError (unreadable file, bad mapping) and ImportCancelled."""
    started = time.monotonic()
    with gc_paused():  # hundreds of thousands of short-lived strings, tuples (see gcpause)
        table = source if isinstance(source, RawTable) else read_table(source)
        mapping = mapping or guess_mapping(table.columns)
        dicts = _load_dictionaries(db)
        prep = prepare_import(table, mapping, dicts, progress, cancelled)
        if strict and prep.refusals:
            first = prep.refusals[0]
            raise ImportFileError(f"Odrzucono {_plural(len(prep.refusals), 'wiersz', 'wiersze', 'wierszy')} (pierwszy: wiersz "
                                  f"{first.line}: {first.reason}); nic nie zapisano.")
        result = write_import(db, prep, dicts, progress, cancelled)
        del table, prep  # freed while paused: the collector's first pass would walk them
    timed_info(logging.getLogger("razem.threats"), "Import zgłoszeń KMZB: %d dodanych, %d zaktualizowanych, %d odrzuconych",
               started, result.added, result.updated, result.refused)
    return result
