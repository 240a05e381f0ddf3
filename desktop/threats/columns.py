"""Whole columns of an import parsed at once, with the same results and Polish messages as
the cell parsers of ``desktop.threats.values`` (which they fall back to).

Fast paths: KMZB's epoch-millisecond timestamps become local (Europe/Warsaw) times in numpy,
the UTC offset looked up once per distinct hour through zoneinfo; numbers written plainly are
converted by numpy; every other value is parsed once per distinct value (dates, categories
and statuses repeat). Each function returns the values and, per row, the error (or None).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import numpy as np

from desktop.common import limits
from desktop.common.text import fold
from desktop.threats.values import (
    _MS_MAX,
    _MS_MIN,
    LOCAL_TZ,
    ValueProblem,
    clean_text,
    parse_datetime,
    parse_number,
)

_HOUR_MS = 3_600_000
_DAY_MS = 86_400_000


def take(rows: Sequence[Sequence[Any]], index: int | None,
         shortest: int | None = None) -> list[Any]:
    """Column ``index`` of every row (None where the row is short or the field unmapped);
    ``shortest``: the length of the shortest row, when the caller knows it."""
    if index is None:
        return [None] * len(rows)
    if shortest is None:
        shortest = min(map(len, rows)) if rows else 0
    if shortest > index:  # every row long enough: a C-level loop
        return list(map(itemgetter(index), rows))
    return [row[index] if index < len(row) else None for row in rows]


def clean_texts(values: Sequence[Any], limit: int) -> list[str]:
    """``clean_text`` of every value; plain printable strings take the short way."""
    if values.count(None) == len(values):  # an unmapped field
        return [""] * len(values)
    try:  # all strings and all printable (the usual case): one check for the whole column
        joined = "".join(values)
        plain = joined.isprintable()
    except TypeError:
        plain = False
    if plain:  # the only printable character str.strip removes is the space
        out = list(map(str.strip, values)) if " " in joined else list(values)
        if out and max(map(len, out)) > limit:
            out = [text[:limit] for text in out]
        return out
    out = []
    for v in values:
        if v.__class__ is str:
            text = v.strip()
            out.append(text[:limit] if text.isprintable() else clean_text(text, limit))
        else:
            out.append(clean_text(v, limit))
    return out


def clean_repeated(values: Sequence[Any], limit: int) -> list[str]:
    """``clean_texts`` of a column whose texts repeat (categories, statuses, TERYT codes):
    each distinct text cleaned once and the column mapped at C level."""
    try:
        distinct = set(values)
    except TypeError:  # an unhashable cell (a list in a GeoJSON property)
        return clean_texts(values, limit)
    # Strings only: a set merges equal values of other types (1, 1.0, True) that clean
    # to different texts.
    if len(distinct) * 4 > len(values) or any(v.__class__ is not str for v in distinct):
        return clean_texts(values, limit)
    texts = list(distinct)
    return list(map(dict(zip(texts, clean_texts(texts, limit))).__getitem__, values))


def _memo(values: Sequence[Any], parse: Callable[[Any], Any]) -> tuple[list[Any], list[str | None]]:
    """``parse`` once per distinct value: (results, errors)."""
    cache: dict[Any, tuple[Any, str | None]] = {}
    out: list[Any] = []
    errors: list[str | None] = []
    for v in values:
        try:
            hit = cache[v]
        except KeyError:
            try:
                hit = (parse(v), None)
            except ValueProblem as exc:
                hit = (None, str(exc))
            cache[v] = hit
        except TypeError:  # an unhashable cell (a list in a GeoJSON property)
            try:
                hit = (parse(v), None)
            except ValueProblem as exc:
                hit = (None, str(exc))
        out.append(hit[0])
        errors.append(hit[1])
    return out, errors


def _epoch_ms(values: Sequence[Any]) -> np.ndarray | None:
    """Milliseconds when every value is an epoch-ms digit string (as KMZB writes) or a whole
    number (a spreadsheet's cell), else None."""
    if not values:
        return None
    first = values[0]
    if first.__class__ is str and 11 <= len(first) <= 18:
        fixed = _fixed_digits(values, len(first))
        if fixed is not None:
            return fixed
    kinds = set(map(type, values))
    if kinds <= {int, float}:
        try:
            numbers = np.array(values, dtype=float)
        except OverflowError:
            return None
        if not (np.isfinite(numbers).all() and (numbers == np.floor(numbers)).all()
                and (np.abs(numbers) < 2.0 ** 53).all()):
            return None
        return numbers.astype(np.int64)
    try:  # every value a string (join raises otherwise) of digits only, at least 11 long
        joined = "".join(values)
    except TypeError:
        return None
    if not joined.isdigit() or (shortest := min(map(len, values))) < 11:
        return None
    if len(joined) == shortest * len(values) and shortest <= 18 and joined.isascii():
        # All equally long (KMZB's 13 digits): the digits as one byte matrix, no int() each.
        digits = np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, shortest)
        ms = np.zeros(len(values), dtype=np.int64)
        for k in range(shortest):  # Horner's rule, a column of digits at a time
            ms *= 10
            ms += digits[:, k]
            ms -= 48
        return ms
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:  # 19 digits or more: the per-value path says it is out of range
        return None


def _fixed_matrix(values: Sequence[Any], width: int) -> np.ndarray | None:
    """The characters of strings of exactly ``width`` ASCII characters each as one byte
    matrix (a row per value), else None: the strings joined by line ends must put a line end
    in every ``width + 1``-th place and nowhere else — no pass per value in Python."""
    try:
        data = "\n".join(values).encode("ascii")
    except (TypeError, UnicodeEncodeError):  # not all strings, or not all ASCII
        return None
    if len(data) + 1 != (width + 1) * len(values):
        return None
    matrix = np.frombuffer(data + b"\n", dtype=np.uint8).reshape(-1, width + 1)
    body = matrix[:, :width]
    if not ((matrix[:, width] == 10).all() and (body != 10).all()):
        return None  # a value of another length (the line ends are not all in one column)
    return body


def _digits_value(digits: np.ndarray) -> np.ndarray | None:
    """The integers of a matrix of ASCII digits (a row per number), None if any is not."""
    if not ((digits >= 48).all() and (digits <= 57).all()):
        return None
    powers = 10 ** np.arange(digits.shape[1] - 1, -1, -1, dtype=np.int64)
    result: np.ndarray = digits.astype(np.int64) @ powers - 48 * int(powers.sum())
    return result


def _fixed_digits(values: Sequence[Any], width: int) -> np.ndarray | None:
    """The numbers of strings of exactly ``width`` ASCII digits each (KMZB's 13-digit epoch
    milliseconds), else None."""
    matrix = _fixed_matrix(values, width)
    return None if matrix is None else _digits_value(matrix)


def _fixed_decimals(values: Sequence[Any]) -> np.ndarray | None:
    """Floats of strings of one width with digits and the decimal point in one column (KMZB's
    coordinates, "452592.67"), else None. ``n / 10**k`` is exactly ``float(text)``: the
    integer n < 2**53 and 10**k are exact doubles and the division rounds correctly, as
    ``float`` does."""
    first = values[0]
    width = len(first)
    point = first.find(".")
    if not 1 <= width - (point >= 0) <= 15:
        return None
    matrix = _fixed_matrix(values, width)
    if matrix is None or (point >= 0 and not (matrix[:, point] == 46).all()):
        return None
    whole = _digits_value(np.delete(matrix, point, axis=1) if point >= 0 else matrix)
    if whole is None:
        return None
    return whole / (10.0 ** (width - 1 - point) if point >= 0 else 1.0)


def local_times(ms: np.ndarray) -> list[Any]:
    """Naive Europe/Warsaw times of UTC epoch milliseconds (as ``values.from_epoch_ms``)."""
    return _local(ms).astype("datetime64[us]").astype(object).tolist()


def _local(ms: np.ndarray) -> np.ndarray:
    """``local_times`` as datetime64[ms]. The UTC offset is looked up once per distinct day
    (at its first and last millisecond) and per hour only on days where it changes (DST)."""
    days, inverse = np.unique(ms // _DAY_MS, return_inverse=True)
    first = np.array([_offset_ms(int(d) * _DAY_MS) for d in days], dtype=np.int64)
    last = np.array([_offset_ms(int(d) * _DAY_MS + _DAY_MS - 1) for d in days], dtype=np.int64)
    offsets = first[inverse]
    changing = np.flatnonzero((first != last)[inverse])
    if len(changing):
        hours, at = np.unique(ms[changing] // _HOUR_MS, return_inverse=True)
        offsets[changing] = np.array([_offset_ms(int(h) * _HOUR_MS) for h in hours],
                                     dtype=np.int64)[at]
    return (ms + offsets).astype("datetime64[ms]")


def _offset_ms(utc_ms: int) -> int:
    """Europe/Warsaw's UTC offset at a UTC epoch millisecond, in milliseconds."""
    offset = dt.datetime.fromtimestamp(utc_ms // 1000, tz=LOCAL_TZ).utcoffset()
    return int(offset.total_seconds()) * 1000 if offset is not None else 0


def parse_datetimes(values: Sequence[Any], label: str, *, as_date: bool = False,
                    optional: bool = False) -> tuple[np.ndarray, list[str | None]]:
    """(times, errors) with the messages of the per-cell path, prefixed with ``label`` (e.g.
    "data utworzenia"); implausible dates (``limits.date_problem``) are errors too. The times
    are a numpy column, ``datetime64[us]`` (``[D]`` with ``as_date``), NaT where a row has
    none (or a parse error); they stay numpy down to the driver. ``optional``: an empty cell
    gives NaT without an error."""
    unit = "datetime64[D]" if as_date else "datetime64[us]"
    ms = _epoch_ms(values)
    parsed: list[Any]
    errors: list[str | None]
    earliest = dt.datetime.combine(limits.EARLIEST_DATE, dt.time())
    after = dt.datetime.combine(limits.latest_date() + dt.timedelta(days=1), dt.time())
    if ms is not None and ((ms >= _MS_MIN) & (ms <= _MS_MAX)).all():
        # Epoch milliseconds (never empty): converted and checked as whole arrays; the
        # limits are midnights, so a date is inside them exactly when its time is.
        local = _local(ms)
        times = local.astype(unit)
        errors = [None] * len(values)
        outside = (local < np.datetime64(earliest, "ms")) | (local >= np.datetime64(after, "ms"))
        for i in np.flatnonzero(outside).tolist():
            errors[i] = f"{label}: {limits.date_problem(times[i].item())}"
        return times, errors
    parsed, errors = _memo(values, parse_datetime)
    if optional:
        for i, v in enumerate(values):
            if v is None or v == "":
                parsed[i], errors[i] = None, None
    for i, when in enumerate(parsed):
        if errors[i] is not None:
            errors[i] = f"{label}: {errors[i]}"
            parsed[i] = None
        elif when is not None:
            if as_date:
                parsed[i] = when = when.date()
            if not (earliest <= _as_datetime(when) < after):
                errors[i] = f"{label}: {limits.date_problem(when)}"
    return np.array(parsed, dtype=unit), errors


def _as_datetime(value: dt.date) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def parse_numbers(values: Sequence[Any]) -> tuple[np.ndarray, list[str | None]]:
    """(floats, errors) as ``values.parse_number`` gives them."""
    if values and values[0].__class__ is str:
        fixed = _fixed_decimals(values)
        if fixed is not None:
            return fixed, [None] * len(values)
    kinds = {str} if _all_strings(values) else set(map(type, values))
    if values and bool not in kinds and type(None) not in kinds:
        try:
            arr = np.array(values, dtype=float)
        except (ValueError, TypeError):
            arr = None
        if arr is not None and np.isfinite(arr).all():
            return arr, [None] * len(values)
    parsed, errors = _memo(values, parse_number)
    return np.array([np.nan if p is None else p for p in parsed], dtype=float), errors


def _all_strings(values: Sequence[Any]) -> bool:
    """Whether every value is a string (a C-level join instead of a type per value)."""
    if not values or values[0].__class__ is not str:
        return False
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def round_list(values: np.ndarray, digits: int) -> list[float]:
    """``[round(v, digits) for v in values]`` (Python's correctly rounded result) computed in
    numpy: ``rint(v * 10**digits) / 10**digits`` is the same double unless ``v * 10**digits``
    lies next to a half, where the product's rounding could tip it; those few values go
    through ``round``."""
    scale = 10.0 ** digits
    scaled = values * scale
    out = (np.rint(scaled) / scale).tolist()
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    near_half |= ~np.isfinite(scaled) | (np.abs(scaled) >= 2.0 ** 52)
    for i in np.flatnonzero(near_half).tolist():
        out[i] = round(float(values[i]), digits)
    return out


def newest_wins(sids: list[str], modified: np.ndarray, keep: list[int]) -> list[int]:
    """Indices of ``keep`` with one row per report id: the newest by modification date
    (a row with a date beats one without), then the later row. ``modified``: datetime64."""
    if len(set(pick(sids, keep))) == len(keep):  # no report twice: the usual case
        return keep
    best: dict[str, int] = {}
    stamps = modified.view(np.int64).tolist()  # NaT is the smallest int64: "never"
    for i in keep:
        sid = sids[i]
        j = best.get(sid)
        if j is None or stamps[i] >= stamps[j]:
            best[sid] = i
    return sorted(best.values())


def pick(values: Any, index: list[int]) -> Any:
    """``values`` (a list or a numpy array) at ``index`` (the values themselves when every
    row is picked in order)."""
    if len(index) == len(values):
        return values
    if isinstance(values, np.ndarray):
        return values[np.asarray(index, dtype=np.intp)]
    return list(map(values.__getitem__, index))


def looked_up(texts: list[str], found: dict[str, tuple[Any, str | None]]) -> tuple[
        list[Any], list[str | None]]:
    """(values, problems) of each text from ``found`` (text -> (value, problem)), by C-level
    lookups; the problems are all None when no text has one."""
    values = list(map({t: v for t, (v, _) in found.items()}.__getitem__, texts))
    problems = {t: e for t, (_, e) in found.items() if e is not None}
    if not problems:
        return values, [None] * len(texts)
    return values, list(map(lambda t: problems.get(t), texts))


def synthetic_id(category: str, when: dt.datetime, x: float, y: float) -> str:
    """Stable id for rows without one, so that re-importing the same file updates them."""
    digest = hashlib.sha1(f"{fold(category)}|{when.isoformat()}|{x:.6f}|{y:.6f}".encode())
    return "H-" + digest.hexdigest()[:20]
