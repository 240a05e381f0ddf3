"""The map's reports as columns of small integers, sent to the page as one binary block.

Per report: latitude and longitude in 1e-5 degrees and the day (days since 1970-01-01) as
int32, the beat's index as int16, the category's and the status's index as uint8: 16 bytes,
base64 in the data script (about 21 characters instead of ~30 as JSON arrays), decoded by
``map.js`` straight into typed arrays. Columns are read with numpy, with no Python object
per report beyond the database row.

After an import only the new reports go to the page (:func:`read_delta`): the page keeps a
:class:`ReportsMark` of what it holds; if anything at or below its highest id changed (an edit,
a deletion, a reassignment) the delta is refused and the map is rebuilt. The map view sends the
new reports first (:func:`read_new`, a range read) and checks the older ones after
(:func:`unchanged`, a scan of every report: seconds at a million), rebuilding if they changed.
"""
from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, Integer, cast, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from db.models import ThreatReport
from desktop.map.blockfile import BYTES_PER_REPORT as BYTES_PER_REPORT
from desktop.map.pagedata import COORD_SCALE as COORD_SCALE  # 1e-5 degree is about 1 m
from desktop.map.pagedata import Indexes as Indexes
from desktop.map.pagedata import ReportsMark as ReportsMark

if TYPE_CHECKING:  # numpy is imported by the readers (in a worker), not with the map tab
    import numpy as np

_EPOCH_JULIAN = 2440587.5


@dataclass
class ReportColumns:
    lat: np.ndarray
    lon: np.ndarray
    day: np.ndarray
    beat: np.ndarray
    cat: np.ndarray
    st: np.ndarray
    block: bytes | None = field(default=None, repr=False, compare=False)  # raw(), if known

    def __len__(self) -> int:
        return len(self.lat)

    def raw(self) -> bytes:
        """The block the page decodes (see ``decodeReports`` in map.js): the columns one
        after the other, little-endian, 16 bytes a report."""
        parts = [self.lat.astype("<i4"), self.lon.astype("<i4"), self.day.astype("<i4"),
                 self.beat.astype("<i2"), self.cat.astype("u1"), self.st.astype("u1")]
        return b"".join(p.tobytes() for p in parts)

    def encode(self) -> str:
        """:meth:`raw` in base64 (for the bridge's messages)."""
        return base64.b64encode(self.raw()).decode("ascii")

    @classmethod
    def from_raw(cls, block: bytes) -> ReportColumns:
        """The columns of a :meth:`raw` block (read-only views on it, no copy)."""
        import numpy as np

        if len(block) % BYTES_PER_REPORT:
            raise ValueError("not a whole number of reports")
        n = len(block) // BYTES_PER_REPORT

        def column(dtype: str, offset: int) -> np.ndarray:
            return np.frombuffer(block, dtype=dtype, count=n, offset=offset * n)

        return cls(lat=column("<i4", 0), lon=column("<i4", 4), day=column("<i4", 8),
                   beat=column("<i2", 12), cat=column("u1", 14), st=column("u1", 15),
                   block=block)

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


_HIGH = 4_294_967_296  # 2**32: two 32-bit numbers packed into one 64-bit integer
_DAY_OFFSET = 1 << 30  # keeps a packed day positive


def _scaled(column):
    """A coordinate in 1e-5 degrees as the database's integer: the same expression in the
    rows read and in :func:`checksum`, so the page's mark is summed from the rows themselves
    (one scan, not two) and still equals what the database sums later."""
    return cast(column * COORD_SCALE, Integer)


def _rows_sql(s: Session, after_id: int, upto_id: int) -> str:
    """The reports query as the database's own SQL (two literal integers, no user text).

    Four columns, not seven (each column of each row is a Python object made by the driver,
    the bulk of the reading time): the coordinates, then category and status ids packed into
    one integer, then the day and the beat's id (+1, 0 for none) packed into another."""
    packed_dictionaries = cast(ThreatReport.category_id, BigInteger) * _HIGH + \
        ThreatReport.status_id
    packed_day_beat = (cast(_day_expr(s), BigInteger) + _DAY_OFFSET) * _HIGH + \
        func.coalesce(ThreatReport.beat_id, -1) + 1
    q = (select(_scaled(ThreatReport.lat), _scaled(ThreatReport.lon), packed_dictionaries,
                packed_day_beat)
         .where(ThreatReport.id > int(after_id), ThreatReport.id <= int(upto_id))
         .order_by(ThreatReport.id))
    return str(q.compile(dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True}))


_ROW = [("lat", "<i8"), ("lon", "<i8"), ("dictionaries", "<i8"), ("day_beat", "<i8")]


def read_columns(s: Session, idx: Indexes, after_id: int = 0
                 ) -> tuple[ReportColumns, int, tuple[int, ...]]:
    """Reports with id > ``after_id`` (in id order), the highest id read, and the
    :func:`checksum` of the rows read (summed here, equal to the database's)."""
    import numpy as np

    # The driver's own cursor, in the session's transaction: no SQLAlchemy row objects, and
    # each slice becomes one structured array at once (about a quarter of the CPU time of a
    # Core result).
    # In slices of 8k: one conversion over a million rows would hold the GIL (and stall the
    # window) for a noticeable time; 32k held it ~90 ms (issue 14).
    row = np.dtype(_ROW)
    # The highest id first, and the rows up to it: on PostgreSQL each statement sees its own
    # snapshot, and a report committed in between must not be both read and "after" the mark.
    last = s.scalar(select(func.max(ThreatReport.id)).where(ThreatReport.id > after_id))
    parts: list[np.ndarray] = []
    if last is not None:
        cursor = s.connection().connection.cursor()
        try:
            cursor.execute(_rows_sql(s, after_id, last))
            while chunk := cursor.fetchmany(8_192):
                parts.append(np.array(chunk, dtype=row))
        finally:
            cursor.close()
    rows = np.concatenate(parts) if parts else np.zeros(0, dtype=row)
    dictionaries, day_beat = rows["dictionaries"], rows["day_beat"]
    beat_ids = (day_beat % _HIGH) - 1
    sums = (len(rows), int((dictionaries // _HIGH).sum()), int((dictionaries % _HIGH).sum()),
            int(np.maximum(beat_ids, 0).sum()), int(rows["lat"].sum()), int(rows["lon"].sum()))
    columns = ReportColumns(
        lat=rows["lat"].astype(np.int32),
        lon=rows["lon"].astype(np.int32),
        day=(day_beat // _HIGH - _DAY_OFFSET).astype(np.int32),
        beat=np.where(beat_ids < 0, -1,
                      _lookup(np.maximum(beat_ids, 0), idx.beats, missing=-1)).astype(np.int16),
        cat=_lookup(dictionaries // _HIGH, idx.categories, missing=None).astype(np.uint8),
        st=_lookup(dictionaries % _HIGH, idx.statuses, missing=None).astype(np.uint8),
    )
    return columns, int(last) if last is not None else after_id, sums


def checksum(s: Session, upto_id: int, after_id: int = 0) -> tuple[int, ...]:
    """Count and integer sums of the reports with ids in (after_id, upto_id] (one scan)."""
    row = s.execute(select(
        func.count(), func.coalesce(func.sum(ThreatReport.category_id), 0),
        func.coalesce(func.sum(ThreatReport.status_id), 0),
        func.coalesce(func.sum(func.coalesce(ThreatReport.beat_id, 0)), 0),
        func.coalesce(func.sum(_scaled(ThreatReport.lat)), 0),
        func.coalesce(func.sum(_scaled(ThreatReport.lon)), 0),
    ).where(ThreatReport.id <= upto_id, ThreatReport.id > after_id)).one()
    return tuple(int(v) for v in row)


def read_all(s: Session, idx: Indexes, key: str | None = None
             ) -> tuple[ReportColumns, ReportsMark]:
    """Every report; ``key``: the change marker read just before, in the same session."""
    columns, max_id, sums = read_columns(s, idx)
    return columns, ReportsMark(max_id, sums, key)


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


def read_new(s: Session, idx: Indexes, mark: ReportsMark
             ) -> tuple[ReportColumns, ReportsMark] | None:
    """The reports added since ``mark`` and the mark that then covers them, or None when one
    uses a category or status the page does not know (rebuild). A range read on the primary
    key: whether older reports changed is checked apart (:func:`unchanged`)."""
    try:
        columns, max_id, sums = read_columns(s, idx, mark.max_id)
    except DictionaryChanged:
        return None
    return columns, ReportsMark(max_id, _add(mark.checksum, sums), mark.key)


def only_added_since(s: Session, mark: ReportsMark) -> bool:
    """Whether, by the change marker, the reports up to ``mark.max_id`` are exactly those the
    page holds (SQLite): the token is the one read with them, so no report was updated or
    deleted since, and as many reports have ids up to ``mark.max_id`` as the page holds, so
    none was inserted among them. One statement (one snapshot): the total count (an index's
    size) minus the few ids above the mark. False means "not known" (then scan)."""
    if not mark.key or not mark.key.startswith("sqlite:") or not mark.checksum \
            or s.get_bind().dialect.name != "sqlite":
        return False
    token = mark.key.split(":")[1]
    try:
        now, held = s.execute(text(
            "SELECT (SELECT token FROM report_marker WHERE id = 1), "
            "(SELECT count(*) FROM threat_reports) - "
            "(SELECT count(*) FROM threat_reports WHERE id > :m)"), {"m": mark.max_id}).one()
    except OperationalError:  # no marker table
        return False
    return now == token and held == mark.checksum[0]


def unchanged(s: Session, mark: ReportsMark, check: Callable[[], None] | None = None,
              step: int = 200_000) -> bool:
    """Whether the reports up to ``mark.max_id`` are still what the page holds: by the change
    marker when it says so (:func:`only_added_since`), else the checksum in id ranges of
    ``step`` (sums add up), with ``check()`` (a job's cancel point) between."""
    if only_added_since(s, mark):
        return True
    total = (0,) * len(mark.checksum)
    low = 0
    while low < mark.max_id:
        if check is not None:
            check()
        high = min(low + step, mark.max_id)
        total = _add(total, checksum(s, high, low))
        low = high
    return total == mark.checksum


def read_delta(s: Session, idx: Indexes, mark: ReportsMark
               ) -> tuple[ReportColumns, ReportsMark] | None:
    """Only the reports added since ``mark``, or None when older ones changed (rebuild)."""
    if not unchanged(s, mark):
        return None
    return read_new(s, idx, mark)
