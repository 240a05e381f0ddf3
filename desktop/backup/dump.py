"""The portable dump: a zip with ``manifest.json`` and one JSON-lines file per table.

Tables go in foreign-key order with the rows of each ordered by primary key; every line is
the row's values in the manifest's column order (dates and times as ISO text). The manifest
carries the schema revision, so a dump can be loaded into an empty database of that revision
(SQLite or PostgreSQL) and then migrated to the newest schema.
"""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, MetaData, Table, insert, select, text
from sqlalchemy import types as sqltypes

from db import aggregates

FORMAT = "razem-dump"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
# report_marker (db/report_marker.py) is not data: a restored database gets a new token
# (core._record_restore), since its reports are not the ones a cache saw under the old one.
SKIP = frozenset({"alembic_version", "report_marker"})
CHUNK = 1000

Check = Callable[[], None]
Progress = Callable[[int, str], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the text is Polish and ready to show."""


@dataclass(frozen=True)
class TableDump:
    name: str
    columns: list[str]
    rows: int


@dataclass(frozen=True)
class Manifest:
    revision: str | None
    created_at: str
    source: str
    tables: list[TableDump]


def reflect(conn: Connection) -> list[Table]:
    """The database's own tables (whatever its revision) in foreign-key order."""
    md = MetaData()
    md.reflect(conn)
    return [t for t in md.sorted_tables if t.name not in SKIP]


def revision_of(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _order(table: Table):
    pk = list(table.primary_key.columns)
    return pk or list(table.columns)


def _encode(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return value


def _decoder(column) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, sqltypes.DateTime):
        return lambda v: None if v is None else dt.datetime.fromisoformat(v)
    if isinstance(kind, sqltypes.Date):
        return lambda v: None if v is None else dt.date.fromisoformat(v[:10])
    if isinstance(kind, sqltypes.Boolean):
        return lambda v: None if v is None else bool(v)
    return lambda v: v


def table_rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    yield from (dict(r._mapping) for r in conn.execute(select(table).order_by(*_order(table))))


def write_dump(conn: Connection, path: Path, source: str, check: Check | None = None,
               progress: Progress | None = None) -> Manifest:
    """Write every table of ``conn`` (read in one transaction) into a zip at ``path``."""
    tables = reflect(conn)
    done: list[TableDump] = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i, table in enumerate(tables):
            if check:
                check()
            if progress:
                progress(int(95 * i / max(1, len(tables))), f"Tabela {table.name}")
            columns = [c.name for c in table.columns]
            n = 0
            with zf.open(f"tables/{table.name}.jsonl", "w") as out:
                for row in table_rows(conn, table):
                    line = json.dumps([_encode(row[c]) for c in columns], ensure_ascii=False)
                    out.write(line.encode("utf-8") + b"\n")
                    n += 1
                    if check and n % 5000 == 0:
                        check()
            done.append(TableDump(table.name, columns, n))
        manifest = Manifest(revision_of(conn), dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds"), source, done)
        zf.writestr(MANIFEST, json.dumps({
            "format": FORMAT, "format_version": FORMAT_VERSION, "revision": manifest.revision,
            "created_at": manifest.created_at, "source": source,
            "tables": [{"name": t.name, "columns": t.columns, "rows": t.rows} for t in done],
        }, ensure_ascii=False, indent=1))
    return manifest


def read_manifest(path: Path) -> Manifest:
    try:
        with zipfile.ZipFile(path) as zf:
            raw = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BackupError(f"Plik {path.name} nie jest kopią zapasową programu Razem "
                          f"({exc}).") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"Plik {path.name} nie jest kopią zapasową programu Razem.")
    if raw.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Kopia {path.name} ma nieznaną wersję formatu "
                          f"({raw.get('format_version')}); potrzebna nowsza wersja programu.")
    tables = [TableDump(str(t["name"]), [str(c) for c in t["columns"]], int(t["rows"]))
              for t in raw.get("tables", [])]
    return Manifest(raw.get("revision"), str(raw.get("created_at", "")),
                    str(raw.get("source", "")), tables)


def _self_fk_order(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a self-referencing table (units.parent_id) with parents before children."""
    self_cols = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if not self_cols or len(table.primary_key.columns) != 1:
        return rows
    pk = next(iter(table.primary_key.columns)).name
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    rest = rows
    while rest:
        ready = [r for r in rest if all(r[c] is None or r[c] in placed or r[c] == r[pk]
                                        for c in self_cols)]
        if not ready:  # a cycle: keep the original order, the database will say what is wrong
            return ordered + rest
        ordered += ready
        placed |= {r[pk] for r in ready}
        ids = {id(r) for r in ready}
        rest = [r for r in rest if id(r) not in ids]
    return ordered


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    rows = _self_fk_order(table, rows)
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(table), rows[start:start + CHUNK])


def load_dump(path: Path, conn: Connection, check: Check | None = None) -> int:
    """Insert every table of the dump into the (empty) tables of ``conn``; returns rows."""
    manifest = read_manifest(path)
    target = {t.name: t for t in reflect(conn)}
    total = 0
    with zipfile.ZipFile(path) as zf:
        for td in manifest.tables:
            table = target.get(td.name)
            if table is None:
                raise BackupError(f"Kopia zawiera tabelę {td.name}, której nie ma w schemacie "
                                  f"{manifest.revision}.")
            decoders = [_decoder(table.c[c]) if c in table.c else None for c in td.columns]
            rows = []
            with zf.open(f"tables/{td.name}.jsonl") as f:
                for line in f:
                    values = json.loads(line)
                    rows.append({c: dec(v) for c, dec, v in zip(td.columns, decoders, values)
                                 if dec is not None})
            if check:
                check()
            insert_rows(conn, table, rows)
            total += len(rows)
    if aggregates.TABLE in target:  # derived data: the triggers counted the reports again
        aggregates.recount(conn)
    return total


def reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """After explicit ids were inserted into PostgreSQL, let new rows continue after them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sqltypes.Integer):
            continue
        name = pk[0].name
        conn.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:t, :c), coalesce(max("{name}"), 1), '
            f'max("{name}") IS NOT NULL) FROM "{table.name}"'),
            {"t": table.name, "c": name})
