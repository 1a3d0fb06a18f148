"""Versioned, audited records: the write lock, row reads and writes, versions, the audit rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

from access.permissions import SYSTEM, Actor
from settings import BEIJING
from spaces.changes import (
    VERSION,
    Conflict,
    ConflictError,
    Diff,
    Edit,
    StaleError,
    changed_fields,
    diff,
    records_json,
)
from spaces.model import CRS
from store import schema

_CHUNK = 500  # ids per IN (...) clause


@dataclass(frozen=True)
class WriteResult:
    """What a write did: the differences, the new revision and the audit change-set id."""

    diff: Diff
    revision: int
    change_set: str


class Aggregate:
    """Base of the repository's parts: one database and the configured units and tracks."""

    engine: sa.Engine
    units: tuple[str, ...]
    tracks: tuple[str, ...]


# --- transactions and locking ------------------------------------------------------------------


def lock(conn: sa.Connection, expected: int | None = None) -> int:
    """Take the store's write lock by bumping the revision; returns the new revision.

    The bump is the transaction's first statement: PostgreSQL locks the row until commit and
    SQLite takes its write lock (waiting up to busy_timeout), so writers queue here and each
    reads what the previous one committed.
    """
    m = schema.meta
    bumped = sa.cast(sa.cast(m.c.value, sa.Integer) + 1, sa.Text)
    result = conn.execute(m.update().where(m.c.key == "revision").values(value=bumped))
    if result.rowcount == 0:
        conn.execute(m.insert().values(key="revision", value="1"))
    revision = int(conn.execute(sa.select(m.c.value).where(m.c.key == "revision")).scalar())
    if expected is not None and revision - 1 != expected:
        raise StaleError(expected, revision - 1)
    return revision


def set_meta(conn: sa.Connection, key: str, value: str) -> None:
    """Store ``value`` under ``key`` in the meta table, replacing any earlier value."""
    conn.execute(schema.meta.delete().where(schema.meta.c.key == key))
    conn.execute(schema.meta.insert().values(key=key, value=value))


def is_empty(conn: sa.Connection) -> bool:
    """True when the store holds no carriers, buildings or plots and no layers."""
    for table in (*[schema.INVENTORY[t] for t in ("plots", "buildings", "carriers")],):
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            return False
    n = conn.execute(sa.select(sa.func.count()).select_from(schema.layer_features))
    return not n.scalar()


# --- reading -----------------------------------------------------------------------------------


def read_rows(conn: sa.Connection, table: sa.Table, geometry: bool) -> pd.DataFrame:
    """Every row of ``table`` ordered by id; with ``geometry``, a GeoDataFrame in WGS84."""
    rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
    df = pd.DataFrame(rows, columns=[c.name for c in table.c])
    if geometry:
        wkb = [None if v is None else bytes(v) for v in df["geometry"]]
        geoms = shapely.from_wkb(np.asarray(wkb, dtype=object)) if len(df) else np.array([])
        df = gpd.GeoDataFrame(df.drop(columns="geometry"), geometry=geoms, crs=CRS)
    return df


# --- writing: the one path of every versioned table ---------------------------------------------


def refuse_conflicts(
    conn: sa.Connection, tables: Mapping[str, pd.DataFrame], edits: Iterable[Edit]
) -> None:
    """Raise `spaces.changes.ConflictError` for edits that did not start from the stored version.

    Parameters
    ----------
    conn
        The write transaction (the store's write lock is held).
    tables
        The stored records by table name, with their ``version`` column.
    edits
        What each editor read: ``expected_version`` is the version the edit started from
        (None for a record that did not exist).
    """
    found = _conflicts(conn, tables, edits)
    if found:
        raise ConflictError(found)


def write_records(
    conn: sa.Connection,
    before: Mapping[str, pd.DataFrame],
    after: Mapping[str, pd.DataFrame],
    *,
    tables: Iterable[str],
    actor: Actor,
    revision: int,
    note: str,
    undo_of: int | None = None,
    vet: Callable[[Diff], None] | None = None,
    units: Mapping[str, pd.Series] | None = None,
) -> WriteResult:
    """Write what differs between ``before`` and ``after``: versions bumped, each record audited.

    Parameters
    ----------
    conn
        The write transaction; `lock` has taken the write lock and returned ``revision``.
    before, after
        The stored records and the records as they should be, by table name, indexed by id.
    tables
        The tables to compare.
    actor, note
        Who writes and a note kept with each audit entry.
    undo_of
        The audit entry this write undoes, if it is an undo.
    vet
        Called with the differences before anything is written; raises to refuse them (the
        permission table asked for each record's unit, the validation of the result).
    units
        By table, the responsible unit of each record (after the change, else before),
        written into its audit entry as ``record_unit``; records of other tables have none.
    """
    changes = diff(before, after, tables=tables)
    if vet is not None:
        vet(changes)
    change_set = _write_changes(conn, before, after, changes, actor, note, undo_of, units or {})
    return WriteResult(changes, revision, change_set)


def _write_changes(
    conn: sa.Connection,
    before: Mapping[str, pd.DataFrame],
    after: Mapping[str, pd.DataFrame],
    changes: Diff,
    actor: Actor,
    note: str,
    undo_of: int | None,
    units: Mapping[str, pd.Series],
) -> str:
    """Write the differences table by table, bumping versions, and audit every record."""
    change_set = uuid.uuid4().hex
    at = datetime.now(UTC)
    audit: list[dict[str, Any]] = []
    for name, d in changes.tables.items():
        if not d.count:
            continue
        owners = units.get(name)
        entry = partial(
            audit_row,
            at,
            actor,
            change_set,
            undo_of=undo_of,
            note=note,
            units=owners.to_dict() if owners is not None else {},
        )
        table = schema.TABLES_BY_NAME[name]
        id_name = table.primary_key.columns.values()[0].name
        old, new = before[name], after[name]
        old_docs = records_json(old, [*d.changed, *d.deleted])
        if d.deleted:
            for chunk in _chunks(list(d.deleted)):
                conn.execute(table.delete().where(table.c[id_name].in_(chunk)))
            for rid in d.deleted:
                audit.append(
                    entry("delete", name, rid, old_docs[rid].get(VERSION), old_docs[rid], None)
                )
        if d.changed:
            ids = list(d.changed)
            versions = old.loc[ids, VERSION].astype("Int64").fillna(0).astype(int) + 1
            rows = new.loc[ids].drop(columns=[VERSION], errors="ignore").copy()
            rows[VERSION] = versions.to_numpy()
            update_rows(conn, table, rows, id_name, old.loc[ids, VERSION])
            new_docs = records_json(rows, ids)
            for rid in ids:
                audit.append(
                    entry("update", name, rid, int(versions[rid]), old_docs[rid], new_docs[rid])
                )
        if d.added:
            ids = list(d.added)
            rows = new.loc[ids].drop(columns=[VERSION], errors="ignore").copy()
            rows[VERSION] = _fresh_versions(conn, name, ids)
            insert_rows(conn, table, rows, id_name)
            new_docs = records_json(rows, ids)
            for rid in ids:
                audit.append(
                    entry("insert", name, rid, int(new_docs[rid][VERSION]), None, new_docs[rid])
                )
    if audit:
        conn.execute(schema.audit_log.insert(), audit)
    return change_set


def _fresh_versions(conn: sa.Connection, name: str, ids: list[str]) -> list[int]:
    """Version 1, or one more than a deleted record of the same id had (no ABA on reuse)."""
    a = schema.audit_log
    q = (
        sa.select(a.c.record_id, sa.func.max(a.c.version))
        .where(a.c.table_name == name, a.c.action == "delete")
        .group_by(a.c.record_id)
    )
    previous = {rid: v for rid, v in conn.execute(q).all() if v is not None}
    return [int(previous.get(rid, 0)) + 1 for rid in ids]


def audit_row(
    at: datetime,
    actor: Actor,
    change_set: str,
    action: str,
    table: str,
    record_id: str,
    version: int | None,
    before: dict | None,
    after: dict | None,
    *,
    undo_of: int | None,
    note: str,
    units: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One audit-log entry as a row to insert; ``units`` maps record ids to their unit."""
    unit = (units or {}).get(record_id)
    return {
        "changed_at": at,
        "actor": actor.user,
        "unit": actor.unit,
        "account": actor.account,
        "change_set": change_set,
        "action": action,
        "table_name": table,
        "record_id": record_id,
        "record_unit": unit if isinstance(unit, str) else None,
        "version": version,
        "before": before,
        "after": after,
        "undo_of": undo_of,
        "note": note or None,
    }


def audit_seed(
    conn: sa.Connection, record_id: str, counts: Mapping[str, int], meta: Mapping[str, str]
) -> None:
    """One audit entry for a whole seeding (table ``*``): the counts, not every record."""
    after = {"counts": dict(counts), **meta}
    row = audit_row(
        datetime.now(UTC),
        SYSTEM,
        uuid.uuid4().hex,
        "insert",
        "*",
        record_id,
        None,
        None,
        after,
        undo_of=None,
        note="seed",
    )
    conn.execute(schema.audit_log.insert(), [row])


def insert_rows(
    conn: sa.Connection,
    table: sa.Table,
    df: pd.DataFrame,
    id_name: str,
    *,
    version: int | None = None,
) -> None:
    """Insert the rows of ``df`` (indexed by id) into ``table``, with ``version`` if given."""
    if df.empty:
        return
    frame = df.reset_index(names=id_name)
    if version is not None:
        frame[VERSION] = version
    columns = [c.name for c in table.c if c.name in frame.columns]
    records = pd.DataFrame({c: python_values(frame[c], table.c[c].type) for c in columns})
    conn.execute(table.insert(), records.to_dict("records"))


def update_rows(
    conn: sa.Connection, table: sa.Table, df: pd.DataFrame, id_name: str, expected: pd.Series
) -> None:
    """Update rows by id where their version is still ``expected`` (a safety net under the lock)."""
    frame = df.reset_index(names=id_name)
    columns = [c.name for c in table.c if c.name in frame.columns and c.name != id_name]
    records = pd.DataFrame({c: python_values(frame[c], table.c[c].type) for c in columns})
    records["_id"] = frame[id_name].to_numpy()
    records["_expected"] = python_values(expected.reset_index(drop=True), sa.Integer())
    stmt = (
        table.update()
        .where(table.c[id_name] == sa.bindparam("_id"))
        .where(table.c[VERSION] == sa.bindparam("_expected"))
        .values({c: sa.bindparam(c) for c in columns})
    )
    result = conn.execute(stmt, records.to_dict("records"))
    if conn.dialect.supports_sane_multi_rowcount and result.rowcount != len(records):
        raise RuntimeError(
            f"{table.name}: {len(records) - result.rowcount} record(s) changed under the lock"
        )


def python_values(s: pd.Series, sql_type: Any) -> pd.Series:
    """Plain Python values for the driver: None for missing, date for dates, WKB for shapes."""
    if isinstance(s, gpd.GeoSeries) or isinstance(sql_type, schema.Geometry):
        wkb = shapely.to_wkb(np.asarray(s, dtype=object), output_dimension=2)
        return pd.Series(wkb, index=s.index, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(s):
        return pd.Series([None if pd.isna(v) else v.date() for v in s], index=s.index, dtype=object)
    missing = s.isna().to_numpy()
    values = [
        None if gone else (v.item() if isinstance(v, np.generic) else v)
        for v, gone in zip(s.astype(object), missing, strict=True)
    ]
    return pd.Series(values, index=s.index, dtype=object)  # no dtype inference (ints stay ints)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


# --- times in messages ------------------------------------------------------------------------


def utc(value: Any) -> Any:
    """A naive datetime read back from SQLite, as the UTC time it was written in."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def when(value: Any) -> str:
    """A time for messages, in Beijing time (UTC+8), the zone of every user."""
    value = utc(value)
    if not isinstance(value, datetime):
        return str(value)
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M (UTC+8)")


# --- conflicts -----------------------------------------------------------------------------------


def _conflicts(
    conn: sa.Connection, tables: Mapping[str, pd.DataFrame], edits: Iterable[Edit]
) -> list[Conflict]:
    """The edits whose expected version is not the stored one, with what changed and who did."""
    out = []
    for e in edits:
        df = tables[e.table]
        exists = e.record_id in df.index
        current = int(df.at[e.record_id, VERSION]) if exists else None
        if current == e.expected_version:
            continue
        out.append(_conflict(conn, e, current))
    return out


def _conflict(conn: sa.Connection, edit: Edit, current: int | None) -> Conflict:
    a = schema.audit_log
    q = sa.select(a).where(a.c.table_name == edit.table, a.c.record_id == edit.record_id)
    entries = [dict(r) for r in conn.execute(q.order_by(a.c.audit_id)).mappings()]
    expected = edit.expected_version
    if expected is None:  # a new record: what others did since its id was last free
        deletes = [i for i, e in enumerate(entries) if e["action"] == "delete"]
        entries = entries[deletes[-1] + 1 :] if deletes else entries
    else:
        entries = [
            e
            for e in entries
            if (e["version"] or 0) > expected
            or (e["action"] == "delete" and (e["version"] or 0) >= expected)
        ]
    by = tuple((e["actor"], when(e["changed_at"])) for e in entries)
    start = entries[0]["before"] if entries else None
    end = entries[-1]["after"] if entries else None
    fields = changed_fields(start, end) if entries else []
    changes = {f: ((start or {}).get(f), (end or {}).get(f)) for f in fields if f != VERSION}
    return Conflict(
        edit.table,
        edit.record_id,
        edit.expected_version,
        current,
        by,
        changes,
        None if edit.values is None else dict(edit.values),
    )
