"""Changes to the inventory: differences, merges of partial files, record edits and scope."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry

from access.permissions import NO_UNIT, Actor, allowed
from spaces.model import CRS, Inventory
from spaces.rollup import carrier_units
from spaces.schema import TABLES
from spaces.validation import InventoryError, Issue, coerce

VERSION = "version"
"""The bookkeeping column of every stored record: bumped by each change (optimistic locking)."""

GEOMETRY_TOLERANCE = 1e-9
"""Degrees under which two outlines count as the same (~0.1 mm): float noise is not a change."""


@dataclass(frozen=True)
class TableDiff:
    """What a change does to one table: records added, changed (with their fields), deleted."""

    table: str
    added: tuple[str, ...] = ()
    changed: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    deleted: tuple[str, ...] = ()
    unchanged: int = 0

    @property
    def count(self) -> int:
        """Number of records the change touches."""
        return len(self.added) + len(self.changed) + len(self.deleted)


@dataclass(frozen=True)
class Diff:
    """Per-table differences between two versions of the inventory (or of the layers)."""

    tables: Mapping[str, TableDiff]

    def is_empty(self) -> bool:
        """True when nothing changes."""
        return all(d.count == 0 for d in self.tables.values())

    def summary(self) -> pd.DataFrame:
        """One row per table: added, changed, deleted and unchanged record counts."""
        rows = [
            {
                "table": name,
                "added": len(d.added),
                "changed": len(d.changed),
                "deleted": len(d.deleted),
                "unchanged": d.unchanged,
            }
            for name, d in self.tables.items()
        ]
        return pd.DataFrame(rows, columns=["table", "added", "changed", "deleted", "unchanged"])

    def records(self) -> pd.DataFrame:
        """One row per touched record: table, record, action and the changed fields."""
        rows = []
        for name, d in self.tables.items():
            rows += [(name, rid, "insert", "") for rid in d.added]
            rows += [(name, rid, "update", ", ".join(f)) for rid, f in d.changed.items()]
            rows += [(name, rid, "delete", "") for rid in d.deleted]
        return pd.DataFrame(rows, columns=["table", "record", "action", "fields"])


@dataclass(frozen=True)
class Edit:
    """One record edit from a form or a table editor.

    ``values`` holds the fields to set (raw values are typed through the schema; a
    ``"geometry"`` value is a shapely geometry in WGS84); None deletes the record.
    ``expected_version`` is the version the editor started from, None for a new record.
    """

    table: str
    record_id: str
    values: Mapping[str, Any] | None
    expected_version: int | None = None


@dataclass(frozen=True)
class Conflict:
    """A record changed by someone else since the editor read it.

    ``changes`` maps each field they changed to (value when you read it, value now);
    ``by`` lists (who, when) of the changes in between; ``yours`` is what you tried to save.
    `words.inventory.conflict_message` words it.
    """

    table: str
    record_id: str
    expected_version: int | None
    current_version: int | None
    by: tuple[tuple[str, str], ...]
    changes: Mapping[str, tuple[Any, Any]]
    yours: Mapping[str, Any] | None

    def __str__(self) -> str:
        """For developers and logs: the record, its versions and who changed it."""
        who = ", ".join(f"{actor} ({when})" for actor, when in self.by) or "?"
        then = "new" if self.expected_version is None else f"version {self.expected_version}"
        now = "deleted" if self.current_version is None else f"version {self.current_version}"
        fields = f" ({', '.join(self.changes)})" if self.changes else ""
        return f"{self.table} {self.record_id}: {then} → {now} by {who}{fields}"


class ConflictError(ValueError):
    """An edit started from a version of a record that is no longer current; nothing saved."""

    def __init__(self, conflicts: Iterable[Conflict]):
        self.conflicts = list(conflicts)
        text = "; ".join(str(c) for c in self.conflicts[:3])
        super().__init__(
            f"{len(self.conflicts)} record(s) changed since you read them, nothing was saved: "
            f"{text}. Reload them and apply your changes again."
        )


class StaleError(ValueError):
    """The store changed between a preview and its commit; nothing was written."""

    def __init__(self, expected: int, current: int):
        self.expected = expected
        self.current = current
        super().__init__(
            f"the store changed since the preview (revision {expected} → {current}): "
            "check the file again to see the new preview, then commit"
        )


class UndoError(ValueError):
    """A change cannot be undone (the record changed again since); nothing was written."""


# --- differences -----------------------------------------------------------------------------


def diff(
    before: Mapping[str, pd.DataFrame],
    after: Mapping[str, pd.DataFrame],
    *,
    tables: Iterable[str] | None = None,
) -> Diff:
    """What turns ``before`` into ``after``, table by table (frames indexed by id).

    The ``version`` column is bookkeeping and never counts as a change; outlines within
    `GEOMETRY_TOLERANCE` are equal.
    """
    names = list(tables) if tables is not None else list(dict.fromkeys([*before, *after]))
    return Diff({name: diff_table(name, before.get(name), after.get(name)) for name in names})


def diff_table(name: str, before: pd.DataFrame | None, after: pd.DataFrame | None) -> TableDiff:
    """The difference of one table (see `diff`)."""
    before = _frame_or_empty(before)
    after = _frame_or_empty(after)
    added = after.index.difference(before.index, sort=False)
    deleted = before.index.difference(after.index, sort=False)
    common = after.index.intersection(before.index, sort=False)
    columns = [c for c in after.columns if c in before.columns and c != VERSION]
    b = before.loc[common]
    a = after.loc[common]
    changed_mask = pd.DataFrame(False, index=common, columns=columns)
    for col in columns:
        changed_mask[col] = ~_equal(b[col], a[col])
    changed = {
        str(rid): tuple(c for c in columns if row[c])
        for rid, row in changed_mask[changed_mask.any(axis=1)].iterrows()
    }
    return TableDiff(
        name,
        added=tuple(str(i) for i in added),
        changed=changed,
        deleted=tuple(str(i) for i in deleted),
        unchanged=len(common) - len(changed),
    )


def _frame_or_empty(df: pd.DataFrame | None) -> pd.DataFrame:
    return pd.DataFrame(index=pd.Index([], dtype="str")) if df is None else df


def _equal(b: pd.Series, a: pd.Series) -> np.ndarray:
    """Element-wise equality where two missing values are equal."""
    if isinstance(b.dtype, gpd.array.GeometryDtype) or isinstance(a.dtype, gpd.array.GeometryDtype):
        bv = np.asarray(b, dtype=object)
        av = np.asarray(a, dtype=object)
        b_missing = shapely.is_missing(bv) | shapely.is_empty(bv)
        a_missing = shapely.is_missing(av) | shapely.is_empty(av)
        same = np.zeros(len(bv), dtype=bool)
        both = ~b_missing & ~a_missing
        if both.any():
            same[both] = shapely.equals_exact(bv[both], av[both], tolerance=GEOMETRY_TOLERANCE)
        return same | (b_missing & a_missing)
    b_na = b.isna().to_numpy()
    a_na = a.isna().to_numpy()
    try:
        eq = (b == a).fillna(False).to_numpy(dtype=bool)
    except (TypeError, ValueError):
        eq = np.array([x == y for x, y in zip(b, a, strict=True)], dtype=bool)
    return (eq & ~b_na & ~a_na) | (b_na & a_na)


# --- merges and edits ------------------------------------------------------------------------


def merge(
    stored: Inventory,
    updates: Mapping[str, pd.DataFrame],
    *,
    columns: Mapping[str, Iterable[str]] | None = None,
) -> Inventory:
    """The stored inventory with ``updates`` upserted by id, table by table.

    Parameters
    ----------
    stored
        The inventory as stored (with its ``version`` column).
    updates
        Typed frames (see `spaces.validation.coerce`) indexed by id, one per table to change;
        ids must be unique (report duplicates before merging).
    columns
        Per table, the fields the file carried (``"geometry"`` included when it gave
        outlines). An existing record changes only in these fields, so a file of floor loads
        leaves every other field as stored; a new record takes every field from the update.
        By default every field of the update.
    """
    tables = stored.tables()
    out = dict(tables)
    for name, upd in updates.items():
        if upd is None or name not in TABLES:
            continue
        current = tables[name]
        fields = _fields(name, upd, None if columns is None else columns.get(name))
        out[name] = _upsert(current, upd, fields)
    return Inventory.from_frames(out)


def _fields(name: str, upd: pd.DataFrame, given: Iterable[str] | None) -> list[str]:
    spec = TABLES[name]
    names = [*spec.columns, *(["geometry"] if spec.geometry else [])]
    wanted = set(names if given is None else given)
    return [c for c in names if c in wanted and c in upd.columns]


def _upsert(current: pd.DataFrame, upd: pd.DataFrame, fields: list[str]) -> pd.DataFrame:
    existing = upd.index.intersection(current.index, sort=False)
    new = upd.index.difference(current.index, sort=False)
    result = current.copy()
    for col in fields:
        if col == "geometry":
            geoms = np.asarray(result.geometry.array, dtype=object).copy()
            pos = result.index.get_indexer(existing)
            geoms[pos] = np.asarray(upd.geometry.loc[existing].array, dtype=object)
            result["geometry"] = gpd.GeoSeries(geoms, index=result.index, crs=CRS)
        elif len(existing):
            result.loc[existing, col] = upd.loc[existing, col].astype(result[col].dtype).to_numpy()
    if len(new):
        added = upd.loc[new].copy()
        if VERSION in added.columns:
            added = added.drop(columns=VERSION)
        added[VERSION] = pd.array([pd.NA] * len(added), dtype="Int64")
        for col in result.columns:
            if col not in added.columns:
                added[col] = pd.Series(pd.NA, index=added.index).astype(result[col].dtype)
        added = added[list(result.columns)]
        for col in result.columns:
            if col != "geometry":
                added[col] = added[col].astype(result[col].dtype)
        result = _concat(result, added)
    return result


def _concat(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    if a.empty:
        return b
    if isinstance(a, gpd.GeoDataFrame):
        out = pd.concat([a, b])
        return gpd.GeoDataFrame(out, geometry="geometry", crs=CRS)
    return pd.concat([a, b])


def apply_edits(stored: Inventory, edits: Iterable[Edit]) -> Inventory:
    """The inventory with record edits applied in order (deletes, updates, inserts).

    Values are typed through the schema like an import, so a form may pass text. Raises
    ``ValueError`` naming the field when a value cannot be read (``InventoryError``).
    """
    tables = stored.tables()
    problems: list[Issue] = []
    for e in edits:
        spec = TABLES[e.table]
        current = tables[e.table]
        if e.values is None:
            tables[e.table] = current.drop(index=[e.record_id], errors="ignore")
            continue
        values = dict(e.values)
        geometry = values.pop("geometry", None)
        raw = pd.DataFrame([{spec.id: e.record_id, **values}])
        if spec.geometry:
            raw = gpd.GeoDataFrame(raw, geometry=[geometry], crs=CRS)
        typed, issues = coerce(spec, raw)
        problems += [i for i in issues if i.code != "missing_column"]
        fields = [*values, *(["geometry"] if spec.geometry and "geometry" in e.values else [])]
        tables[e.table] = _upsert(current, typed, fields)
    if problems:
        raise InventoryError(problems)
    return Inventory.from_frames(tables)


# --- scope: whose records a change touches ----------------------------------------------------


def record_units(inv: Inventory) -> dict[str, pd.Series]:
    """The responsible unit of every record, by table (carriers through their building/plot)."""
    buildings = inv.buildings.responsible_unit
    floors = inv.floors.building_id.map(buildings)
    return {
        "plots": inv.plots.responsible_unit,
        "buildings": buildings,
        "floors": floors,
        "rooms": inv.rooms.floor_id.map(floors),
        "service_teams": inv.service_teams.responsible_unit,
        "carriers": carrier_units(inv),
    }


def audited_units(before: Inventory, after: Inventory) -> dict[str, pd.Series]:
    """The responsible unit of every record by table: after a change, else before it (for a
    deleted record); what the audit log keeps as each entry's ``record_unit``."""
    units_before = record_units(before)
    return {n: u.combine_first(units_before[n]) for n, u in record_units(after).items()}


def changed_units(before: Inventory, after: Inventory, changes: Diff) -> pd.DataFrame:
    """The responsible units a change touches: one row (``table``, ``record``, ``unit``) for
    each unit a changed record belongs to before or after the change.

    A record moved to another unit has a row for each; a record whose unit is not known (a
    table without units, a reference to nothing) has one with `access.permissions.NO_UNIT`.
    """
    units_before = record_units(before)
    units_after = record_units(after)
    rows: list[tuple[str, str, str]] = []
    for name, d in changes.tables.items():
        ids = [*d.added, *d.changed, *d.deleted]
        if name not in units_before:
            rows += [(name, rid, NO_UNIT) for rid in ids]
            continue
        index = pd.Index(ids, dtype=object)
        pairs = zip(
            units_before[name].reindex(index), units_after[name].reindex(index), strict=True
        )
        for rid, owners in zip(ids, pairs, strict=True):
            known = sorted({o for o in owners if isinstance(o, str)}) or [NO_UNIT]
            rows += [(name, rid, unit) for unit in known]
    return pd.DataFrame(rows, columns=["table", "record", "unit"])


def scope_issues(before: Inventory, after: Inventory, changes: Diff, actor: Actor) -> list[Issue]:
    """The changed records of a unit ``actor`` may not change (`access.permissions`, the
    action ``edit.inventory``): one ``out_of_scope`` issue each, naming the record's unit.

    Only the unit rule is asked here: an actor whose role may not edit at all is refused
    when it writes.
    """
    owners = changed_units(before, after, changes)
    may = {u: allowed(actor, "edit.inventory", unit=u) for u in owners.unit.unique()}
    refused = owners[~owners.unit.map(may).astype(bool)].drop_duplicates(["table", "record"])
    return [
        Issue(name, rid, None, "out_of_scope", rid, {"owner": unit, "unit": actor.unit})
        for name, rid, unit in refused.itertuples(index=False)
    ]


# --- records as JSON (audit log) -------------------------------------------------------------


def records_json(df: pd.DataFrame, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Plain JSON documents of the given records: dates as ISO text, outlines as GeoJSON."""
    ids = list(ids)
    if not ids:
        return {}
    rows = df.loc[ids]
    out: dict[str, dict[str, Any]] = {}
    geoms = None
    if isinstance(rows, gpd.GeoDataFrame) and "geometry" in rows.columns:
        geoms = [None if g is None else shapely.geometry.mapping(g) for g in rows.geometry]
    plain = rows.drop(columns="geometry") if geoms is not None else rows
    for i, (rid, values) in enumerate(zip(plain.index, plain.to_dict("records"), strict=True)):
        doc = {k: json_value(v) for k, v in values.items()}
        if geoms is not None:
            doc["geometry"] = _coords_lists(geoms[i])
        out[str(rid)] = doc
    return out


def json_value(v: Any) -> Any:
    """A value as JSON: None for missing, ISO dates, plain numbers and booleans."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float | np.floating):
        return None if math.isnan(v) else float(v)
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, pd.Timestamp | datetime):
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, np.datetime64):
        return None if np.isnat(v) else pd.Timestamp(v).strftime("%Y-%m-%d")
    return v if isinstance(v, str) else str(v)


def _coords_lists(mapping: Any) -> Any:
    if isinstance(mapping, dict):
        return {k: _coords_lists(v) for k, v in mapping.items()}
    if isinstance(mapping, list | tuple):
        return [_coords_lists(v) for v in mapping]
    return mapping


def record_values(doc: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Field values of a JSON record (see `records_json`), outline as a shapely geometry."""
    if doc is None:
        return None
    values = {k: v for k, v in doc.items() if k != VERSION}
    if values.get("geometry") is not None:
        values["geometry"] = shapely.geometry.shape(values["geometry"])
    return values


def changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[str]:
    """Fields whose JSON values differ between two versions of a record (version excluded)."""
    if before is None or after is None:
        return sorted(k for k in (before or after or {}) if k != VERSION)
    keys = [k for k in dict.fromkeys([*before, *after]) if k != VERSION]
    return [k for k in keys if before.get(k) != after.get(k)]
