"""Validation of the inventory: schema, units, ranges, references, geometry and offerings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import PROJECTED
from spaces.model import CRS, Inventory, dtype, empty
from spaces.rollup import carrier_units
from spaces.schema import TABLES, TIER_TABLE, VOCABULARIES, Field, Table

# Plausible longitude/latitude for Shanghai: catches projected metres and swapped axes.
LON_RANGE = (120.8, 122.2)
LAT_RANGE = (30.6, 31.95)
# Slack for geometric checks, in square metres: survey outlines rarely agree to the centimetre.
AREA_TOLERANCE_M2 = 1.0


@dataclass(frozen=True)
class Issue:
    """One problem in one record: which table, record and field, and what is wrong.

    ``code`` says what is wrong, ``value`` is the value at fault and ``params`` what else the
    problem needs to be told (`words.inventory` words it, with how to fix it).
    """

    table: str
    record_id: str | None
    field: str | None
    code: str
    value: Any = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        """For developers and logs: where, the code, the value and the parameters."""
        where = [self.table]
        if self.record_id is not None:
            where.append(repr(self.record_id))
        if self.field:
            where.append(self.field)
        detail = [] if self.value is None else [repr(self.value)]
        detail += [f"{k}={v!r}" for k, v in self.params.items()]
        return f"{' '.join(where)}: {self.code}" + (f" ({', '.join(detail)})" if detail else "")


class InventoryError(ValueError):
    """Inventory data failed validation; ``issues`` lists every problem found."""

    def __init__(self, issues: Iterable[Issue]):
        self.issues = list(issues)
        head = "; ".join(str(i) for i in self.issues[:5])
        more = f" (and {len(self.issues) - 5} more)" if len(self.issues) > 5 else ""
        super().__init__(f"{len(self.issues)} problem(s) in the inventory: {head}{more}")


def build_inventory(
    frames: Mapping[str, pd.DataFrame], *, units: Iterable[str], tracks: Iterable[str]
) -> Inventory:
    """Coerce raw frames to the schema and validate them, raising `InventoryError` on problems.

    Parameters
    ----------
    frames
        Table name -> frame, with the id either as a column or as the index. Plots and
        buildings must be GeoDataFrames in EPSG:4326. Missing tables are taken as empty.
    units, tracks
        The responsible-unit and track ids configured in settings.
    """
    inventory, issues = coerce_frames(frames)
    issues += validate(inventory, units=units, tracks=tracks)
    if issues:
        raise InventoryError(issues)
    return inventory


def coerce_frames(frames: Mapping[str, pd.DataFrame]) -> tuple[Inventory, list[Issue]]:
    """Coerce every table to the schema without validating; returns the issues of reading."""
    issues: list[Issue] = []
    typed: dict[str, pd.DataFrame] = {}
    for name, table in TABLES.items():
        typed[name], found = coerce(table, frames.get(name))
        issues += found
    return Inventory.from_frames(typed), issues


def check(inventory: Inventory, *, units: Iterable[str], tracks: Iterable[str]) -> Inventory:
    """Return ``inventory`` unchanged if it is valid, else raise `InventoryError`."""
    issues = validate(inventory, units=units, tracks=tracks)
    if issues:
        raise InventoryError(issues)
    return inventory


def coerce(table: Table, df: pd.DataFrame | None) -> tuple[pd.DataFrame, list[Issue]]:
    """Convert a raw frame to the table's dtypes; values that cannot be read become issues."""
    if df is None:
        return empty(table), []
    issues: list[Issue] = []
    df = df.copy()
    if table.id in df.columns:
        df = df.set_index(table.id)
    df.index = _as_str(pd.Series(df.index)).to_numpy()
    df.index.name = table.id
    out = pd.DataFrame(index=df.index)
    for f in table.fields:
        if f.name == table.id or f.kind == "geometry":
            continue
        if f.name not in df.columns:
            if f.required:
                issues.append(Issue(table.name, None, f.name, "missing_column"))
            out[f.name] = pd.Series(index=df.index, dtype=dtype(f.kind))
            continue
        out[f.name], bad = _convert(df[f.name], f.kind)
        issues += [
            Issue(table.name, rid, f.name, "bad_type", v, {"kind": f.kind})
            for rid, v in bad.items()
        ]
    for extra in ("version",):  # store bookkeeping travels with the records
        if extra in df.columns:
            out[extra] = df[extra].to_numpy()
    if table.geometry:
        if not isinstance(df, gpd.GeoDataFrame) or df.geometry.name not in df.columns:
            issues.append(Issue(table.name, None, "geometry", "missing_column"))
            geometry = gpd.GeoSeries([None] * len(df), index=df.index, crs=CRS)
        else:
            geometry = df.geometry
        out = gpd.GeoDataFrame(out, geometry=geometry.rename("geometry").values, crs=geometry.crs)
    return out, issues


def validate(inventory: Inventory, *, units: Iterable[str], tracks: Iterable[str]) -> list[Issue]:
    """Every problem in a typed inventory; an empty list means it is valid."""
    vocab: dict[str, set[str]] = {k: set(v) for k, v in VOCABULARIES.items()}
    vocab["units"] = set(units)
    vocab["tracks"] = set(tracks)
    issues: list[Issue] = []
    for name, df in inventory.tables().items():
        issues += _check_fields(TABLES[name], df, vocab)
    # Relations need unique ids: a duplicate is reported above, its first record is used below.
    inventory = Inventory.from_frames(
        {
            name: df[df.index.notna() & ~df.index.duplicated()]
            for name, df in inventory.tables().items()
        }
    )
    for name in ("plots", "buildings"):
        issues += _check_geometry(TABLES[name], getattr(inventory, name))
    issues += _check_references(inventory)
    issues += _check_dates(inventory.buildings)
    issues += _check_floors_and_rooms(inventory)
    geometry_ok = not any(i.code in ("wrong_crs", "not_lonlat", "bad_geometry") for i in issues)
    if geometry_ok:
        issues += _check_overlaps("plots", inventory.plots)
        issues += _check_overlaps("buildings", inventory.buildings)
        issues += _check_inside_plots(inventory)
    issues += _check_offerings(inventory)
    return issues


def _as_str(s: pd.Series) -> pd.Series:
    def norm(v: Any) -> Any:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return np.nan
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = str(v).strip()
        return text if text else np.nan

    return s.map(norm).astype("str")


def _convert(s: pd.Series, kind: str) -> tuple[pd.Series, dict[Any, Any]]:
    """Convert to the kind's dtype; returns the series and {record id: raw value} that failed."""
    blank = s.isna() | s.astype("str").str.strip().eq("")
    if kind == "str":
        return _as_str(s), {}
    if kind in ("int", "float"):
        num = pd.to_numeric(s.where(~blank), errors="coerce")
        if kind == "int":
            fractional = num.notna() & (num % 1 != 0)
            num = num.where(~fractional)
            num = num.astype("Int64")
        else:
            num = num.astype("float64")
    elif kind == "bool":
        num = s.map(_to_bool).astype("boolean")
    elif kind == "date":
        num = pd.to_datetime(s.where(~blank), errors="coerce", format="mixed")
        num = num.dt.normalize().astype("datetime64[s]")
    else:  # pragma: no cover - schema kinds are fixed
        raise ValueError(f"unknown field kind {kind!r}")
    failed = num.isna() & ~blank
    return num, dict(s[failed].items())


_TRUE = {"true", "yes", "y", "1", "是", "有", "√", "t"}
_FALSE = {"false", "no", "n", "0", "否", "无", "×", "f"}


def _to_bool(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return pd.NA
    if isinstance(v, bool | np.bool_):
        return bool(v)
    text = str(v).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return pd.NA


def check_fields(
    table: Table, df: pd.DataFrame, *, vocabularies: Mapping[str, Iterable[str]]
) -> list[Issue]:
    """Per-field problems of a typed frame: ids missing or repeated, required, ranges, codes.

    Parameters
    ----------
    table
        The schema table ``df`` was coerced to (with `coerce`).
    df
        The typed frame, indexed by the table's id.
    vocabularies
        Allowed codes for the vocabularies that are not in `spaces.schema.VOCABULARIES`,
        e.g. ``{"units": [...], "tracks": [...]}`` from settings.
    """
    vocab: dict[str, set[str]] = {k: set(v) for k, v in VOCABULARIES.items()}
    vocab.update({k: set(v) for k, v in vocabularies.items()})
    return _check_fields(table, df, vocab)


def _check_fields(table: Table, df: pd.DataFrame, vocab: Mapping[str, set[str]]) -> list[Issue]:
    issues: list[Issue] = []
    ids = pd.Series(df.index, index=df.index)
    missing_id = ids.isna()
    issues += [Issue(table.name, None, table.id, "missing") for _ in range(int(missing_id.sum()))]
    counts = ids[~missing_id].value_counts()
    issues += [
        Issue(table.name, rid, table.id, "duplicate_id", rid, {"count": int(n)})
        for rid, n in counts[counts > 1].items()
    ]
    for f in table.fields:
        if f.name == table.id or f.kind == "geometry" or f.name not in df.columns:
            continue
        col = df[f.name]
        if f.required:
            issues += _issues(table, f, col[col.isna()], "missing")
        present = col.dropna()
        if f.min is not None or f.max is not None:
            low = present < f.min if f.min is not None else False
            high = present > f.max if f.max is not None else False
            bad = present[low | high]
            issues += _issues(table, f, bad, "out_of_range", min=f.min, max=f.max, unit=f.unit)
        if f.vocabulary:
            allowed = vocab[f.vocabulary]
            bad = present[~present.isin(allowed)]
            issues += _issues(table, f, bad, "unknown_code", choices=", ".join(sorted(allowed)))
    return issues


def _issues(table: Table, f: Field, bad: pd.Series, code: str, **params: Any) -> list[Issue]:
    def plain(v: Any) -> Any:
        return None if v is pd.NA or v is None else (v.item() if hasattr(v, "item") else v)

    return [Issue(table.name, rid, f.name, code, plain(v), params) for rid, v in bad.items()]


def _check_geometry(table: Table, gdf: gpd.GeoDataFrame) -> list[Issue]:
    issues: list[Issue] = []
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        crs = "none" if gdf.crs is None else gdf.crs.to_string()
        return [Issue(table.name, None, "geometry", "wrong_crs", crs)]
    geoms = gdf.geometry
    missing = geoms.isna() | geoms.is_empty
    issues += [Issue(table.name, rid, "geometry", "missing") for rid in gdf.index[missing]]
    present = geoms[~missing]
    types = present.geom_type
    wrong = types[~types.isin(["Polygon", "MultiPolygon"])]
    issues += [
        Issue(table.name, rid, "geometry", "wrong_geometry_type", t, {"expected": "Polygon"})
        for rid, t in wrong.items()
    ]
    polys = present[types.isin(["Polygon", "MultiPolygon"])]
    invalid = ~polys.is_valid
    for rid, geom in polys[invalid].items():
        reason = shapely.is_valid_reason(geom)
        issues.append(Issue(table.name, rid, "geometry", "bad_geometry", None, {"reason": reason}))
    bounds = polys.bounds
    off = ~(
        bounds.minx.between(*LON_RANGE)
        & bounds.maxx.between(*LON_RANGE)
        & bounds.miny.between(*LAT_RANGE)
        & bounds.maxy.between(*LAT_RANGE)
    )
    for rid, row in bounds[off].iterrows():
        value = f"({row.minx:.6g}, {row.miny:.6g})"
        issues.append(Issue(table.name, rid, "geometry", "not_lonlat", value))
    return issues


def _check_references(inv: Inventory) -> list[Issue]:
    issues: list[Issue] = []
    for name, df in inv.tables().items():
        table = TABLES[name]
        for f in table.fields:
            if not f.ref or f.name not in df.columns:
                continue
            present = df[f.name].dropna()
            bad = present[~present.isin(inv.tables()[f.ref].index)]
            issues += _issues(table, f, bad, "unknown_ref", ref=f.ref)
    carriers = inv.carriers
    for tier, target_table in TIER_TABLE.items():
        of_tier = carriers[carriers.tier == tier]
        known = inv.tables()[target_table].index
        bad = of_tier.target_id[of_tier.target_id.notna() & ~of_tier.target_id.isin(known)]
        spec = TABLES["carriers"]
        issues += _issues(spec, spec.field("target_id"), bad, "unknown_ref", ref=target_table)
    return issues


def _check_dates(buildings: pd.DataFrame) -> list[Issue]:
    issues: list[Issue] = []
    pairs = [
        ("planned_acceptance", "planned_completion"),
        ("actual_acceptance", "actual_completion"),
    ]
    for later, earlier in pairs:
        bad = buildings[buildings[later] < buildings[earlier]]
        for rid, row in bad.iterrows():
            issues.append(
                Issue(
                    "buildings",
                    rid,
                    later,
                    "date_order",
                    _day(row[later]),
                    {"other_field": earlier, "other": _day(row[earlier])},
                )
            )
    orphan = buildings.actual_acceptance.notna() & buildings.actual_completion.isna()
    issues += [
        Issue("buildings", rid, "actual_acceptance", "accepted_not_completed")
        for rid in buildings.index[orphan]
    ]
    return issues


def _day(ts: Any) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def _check_floors_and_rooms(inv: Inventory) -> list[Issue]:
    issues: list[Issue] = []
    floors, rooms = inv.floors, inv.rooms
    dup_level = floors.duplicated(["building_id", "level"], keep="first") & floors.level.notna()
    issues += [
        Issue(
            "floors", rid, "level", "duplicate_level", int(row.level), {"building": row.building_id}
        )
        for rid, row in floors[dup_level].iterrows()
    ]
    dup_number = rooms.duplicated(["floor_id", "number"], keep="first") & rooms.number.notna()
    issues += [
        Issue("rooms", rid, "number", "duplicate_number", row.number, {"floor": row.floor_id})
        for rid, row in rooms[dup_number].iterrows()
    ]
    room_total = rooms.groupby("floor_id").usable_area_m2.sum()
    joined = floors[["usable_area_m2"]].join(room_total.rename("rooms"), how="inner")
    over = joined[joined.rooms > joined.usable_area_m2 + 1e-6]
    issues += [
        Issue(
            "floors",
            rid,
            "usable_area_m2",
            "rooms_exceed_floor",
            None,
            {"rooms": row.rooms, "floor": row.usable_area_m2},
        )
        for rid, row in over.iterrows()
    ]
    return issues


def _check_overlaps(name: str, gdf: gpd.GeoDataFrame) -> list[Issue]:
    geoms = gdf.geometry[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if len(geoms) < 2:
        return []
    projected = geoms.to_crs(PROJECTED)
    left, right = projected.sindex.query(projected.values, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return []
    areas = shapely.area(shapely.intersection(projected.values[left], projected.values[right]))
    hits = areas > AREA_TOLERANCE_M2
    ids = geoms.index.to_numpy()
    return [
        Issue(name, ids[i], "geometry", "overlap", float(a), {"other": ids[j]})
        for i, j, a in zip(left[hits], right[hits], areas[hits], strict=True)
    ]


def _check_inside_plots(inv: Inventory) -> list[Issue]:
    b = inv.buildings
    b = b[b.plot_id.notna() & b.plot_id.isin(inv.plots.index) & b.geometry.notna()]
    if b.empty:
        return []
    footprint = b.geometry.to_crs(PROJECTED)
    plot = inv.plots.geometry.to_crs(PROJECTED).loc[b.plot_id.to_numpy()]
    outside = shapely.area(shapely.difference(footprint.values, plot.values))
    bad = outside > AREA_TOLERANCE_M2
    return [
        Issue("buildings", rid, "geometry", "outside_plot", float(a), {"plot": pid})
        for rid, pid, a in zip(b.index[bad], b.plot_id[bad], outside[bad], strict=True)
    ]


def _check_offerings(inv: Inventory) -> list[Issue]:
    """No area offered twice: one carrier per object, and never a part of an offered whole."""
    issues: list[Issue] = []
    c = inv.carriers.dropna(subset=["tier", "target_id"])
    dup = c.duplicated(["tier", "target_id"], keep="first")
    first = c[~dup].reset_index().set_index(["tier", "target_id"]).carrier_id
    for rid, row in c[dup].iterrows():
        other = first.get((row.tier, row.target_id))
        issues.append(_offered_twice(rid, row.tier, row.target_id, row.tier, row.target_id, other))
    # Every offered object, with the chain of its parents: room -> floor -> building -> plot.
    room_floor = inv.rooms.floor_id
    floor_building = inv.floors.building_id
    building_plot = inv.buildings.plot_id
    ancestors = {
        "room": [("floor", room_floor), ("building", floor_building), ("plot", building_plot)],
        "floor": [("building", floor_building), ("plot", building_plot)],
        "building": [("plot", building_plot)],
        "plot": [],
    }
    offered = {
        tier: first.xs(tier, level="tier")
        if tier in first.index.get_level_values(0)
        else pd.Series(dtype="str")
        for tier in TIER_TABLE
    }
    for tier, chain in ancestors.items():
        ids = offered[tier].index.to_series()
        parent = ids
        for parent_tier, mapping in chain:
            parent = parent.map(mapping)
            hit = parent.isin(offered[parent_tier].index)
            for target, parent_id in parent[hit].items():
                issues.append(
                    _offered_twice(
                        offered[tier][target],
                        tier,
                        target,
                        parent_tier,
                        parent_id,
                        offered[parent_tier][parent_id],
                    )
                )
    not_plot = c[(c.status == "reserve_land") & (c.tier != "plot")]
    issues += [
        Issue("carriers", rid, "status", "status_tier", "reserve_land") for rid in not_plot.index
    ]
    issues += _check_team_units(inv)
    return issues


def _offered_twice(
    rid: str, tier: str, target: str, other_tier: str, other_target: str, other: str
) -> Issue:
    return Issue(
        "carriers",
        rid,
        "target_id",
        "offered_twice",
        f"{tier} {target}",
        {"other_tier": other_tier, "other_target": other_target, "other": other},
    )


def _check_team_units(inv: Inventory) -> list[Issue]:
    c = inv.carriers[inv.carriers.service_team_id.notna()]
    if c.empty:
        return []
    unit = carrier_units(inv).reindex(c.index)
    team_unit = c.service_team_id.map(inv.service_teams.responsible_unit)
    bad = unit.notna() & team_unit.notna() & (unit != team_unit)
    return [
        Issue(
            "carriers",
            rid,
            "service_team_id",
            "team_unit_mismatch",
            c.service_team_id[rid],
            {"team_unit": team_unit[rid], "unit": unit[rid]},
        )
        for rid in c.index[bad]
    ]
