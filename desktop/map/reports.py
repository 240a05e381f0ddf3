"""The map's reports as columns of small integers, sent to the page as one binary block.

Per report: latitude and longitude in 1e-5 degrees and the day (days since 1970-01-01) as
int32, the beat's index as int16, the category's and the status's index as uint8: 16 bytes,
base64 in the data script (about 21 characters instead of ~30 as JSON arrays), decoded by
``map.js`` straight into typed arrays. Columns are read with numpy, with no Python object
per report beyond the database row.

After an import only the new reports go to the page (:func:`read_delta`): the page keeps a
:class:`ReportsMark` of what it holds; if anything at or below its highest id changed (an edit,
a deletion, a reassignment) the delta is refused and the map is rebuilt.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from db.models import ThreatReport

if TYPE_CHECKING:  # numpy is imported by the readers (in a worker), not with the map tab
    import numpy as np

COORD_SCALE = 100_000  # 1e-5 degree is about 1 m
_EPOCH_JULIAN = 2440587.5


@dataclass(frozen=True)
class ReportsMark:
    """What the page holds: reports up to ``max_id`` and a checksum of them."""

    max_id: int
    checksum: tuple[int, ...]


@dataclass(frozen=True)
class Indexes:
    """Database ids -> positions in the page's dictionaries."""

    categories: dict[int, int]
    statuses: dict[int, int]
    beats: dict[int, int]


@dataclass
class ReportColumns:
    lat: np.ndarray
    lon: np.ndarray
    day: np.ndarray
    beat: np.ndarray
    cat: np.ndarray
    st: np.ndarray

    def __len__(self) -> int:
        return len(self.lat)

    def encode(self) -> str:
        """The block the page decodes (see ``decodeReports`` in map.js), base64."""
        parts = [self.lat.astype("<i4"), self.lon.astype("<i4"), self.day.astype("<i4"),
                 self.beat.astype("<i2"), self.cat.astype("u1"), self.st.astype("u1")]
        return base64.b64encode(b"".join(p.tobytes() for p in parts)).decode("ascii")

    def as_lists(self) -> dict[str, list[int]]:
        return {k: getattr(self, k).tolist() for k in ("lat", "lon", "cat", "st", "day", "beat")}


class DictionaryChanged(Exception):
    """A new report uses a category or status the page does not know: rebuild."""


def _day_expr(s: Session):
    if s.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(ThreatReport.reported_at) - _EPOCH_JULIAN, Integer)
    return cast(func.floor(func.extract("epoch", ThreatReport.reported_at) / 86400), Integer)


def _lookup(ids: np.ndarray, index: dict[int, int], *, missing: int | None) -> np.ndarray:
    import numpy as np

    if len(ids) == 0:
        return np.zeros(0, dtype=np.int32)
    keys = np.fromiter(index.keys(), dtype=np.int64, count=len(index))
    values = np.fromiter(index.values(), dtype=np.int32, count=len(index))
    table = np.full(max(int(ids.max()), int(keys.max()) if len(keys) else 0) + 2,
                    -1, dtype=np.int32)
    table[keys] = values
    out = table[np.clip(ids, 0, len(table) - 1)]
    if missing is None and (out < 0).any():
        raise DictionaryChanged
    return out


def read_columns(s: Session, idx: Indexes, after_id: int = 0) -> tuple[ReportColumns, int]:
    """Reports with id > ``after_id`` (in id order) and the highest id read."""
    import numpy as np

    q = (select(ThreatReport.id, ThreatReport.lat, ThreatReport.lon, ThreatReport.category_id,
                ThreatReport.status_id, _day_expr(s), ThreatReport.beat_id)
         .where(ThreatReport.id > after_id).order_by(ThreatReport.id))
    # In slices: one zip over a million rows would hold the GIL (and stall the window) for
    # a noticeable time; slices of 8k keep each step short (32k held it ~90 ms: issue 14).
    lat_p, lon_p, cat_p, st_p, day_p, beat_p = [], [], [], [], [], []
    last = after_id
    for chunk in s.connection().execute(q).partitions(8_192):  # Core rows: no ORM step
        ids, lat, lon, cat, st, day, beat = zip(*chunk, strict=True)
        last = int(ids[-1])
        lat_p.append(np.asarray(lat, dtype=np.float64))
        lon_p.append(np.asarray(lon, dtype=np.float64))
        cat_p.append(np.asarray(cat, dtype=np.int64))
        st_p.append(np.asarray(st, dtype=np.int64))
        day_p.append(np.asarray(day, dtype=np.int32))
        beat_p.append(np.fromiter((b if b is not None else -1 for b in beat), dtype=np.int64,
                                  count=len(beat)))

    def joined(parts: list[np.ndarray], dtype) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    beat_ids = joined(beat_p, np.int64)
    columns = ReportColumns(
        lat=np.rint(joined(lat_p, np.float64) * COORD_SCALE).astype(np.int32),
        lon=np.rint(joined(lon_p, np.float64) * COORD_SCALE).astype(np.int32),
        day=joined(day_p, np.int32),
        beat=np.where(beat_ids < 0, -1,
                      _lookup(np.maximum(beat_ids, 0), idx.beats, missing=-1)).astype(np.int16),
        cat=_lookup(joined(cat_p, np.int64), idx.categories, missing=None).astype(np.uint8),
        st=_lookup(joined(st_p, np.int64), idx.statuses, missing=None).astype(np.uint8),
    )
    return columns, last


def checksum(s: Session, upto_id: int, after_id: int = 0) -> tuple[int, ...]:
    """Count and integer sums of the reports with ids in (after_id, upto_id] (one scan)."""
    row = s.execute(select(
        func.count(), func.coalesce(func.sum(ThreatReport.category_id), 0),
        func.coalesce(func.sum(ThreatReport.status_id), 0),
        func.coalesce(func.sum(func.coalesce(ThreatReport.beat_id, 0)), 0),
        func.coalesce(func.sum(cast(ThreatReport.lat * COORD_SCALE, Integer)), 0),
        func.coalesce(func.sum(cast(ThreatReport.lon * COORD_SCALE, Integer)), 0),
    ).where(ThreatReport.id <= upto_id, ThreatReport.id > after_id)).one()
    return tuple(int(v) for v in row)


def read_all(s: Session, idx: Indexes) -> tuple[ReportColumns, ReportsMark]:
    columns, max_id = read_columns(s, idx)
    return columns, ReportsMark(max_id, checksum(s, max_id))


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def read_delta(s: Session, idx: Indexes, mark: ReportsMark
               ) -> tuple[ReportColumns, ReportsMark] | None:
    """Only the reports added since ``mark``, or None when older ones changed (rebuild)."""
    if checksum(s, mark.max_id) != mark.checksum:
        return None
    try:
        columns, max_id = read_columns(s, idx, mark.max_id)
    except DictionaryChanged:
        return None
    return columns, ReportsMark(max_id, _add(mark.checksum, checksum(s, max_id, mark.max_id)))
