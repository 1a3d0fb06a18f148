"""Importing a file into the inventory: read it, convert its datum, merge, validate, preview.

`plan_import` does everything but write: it returns an `ImportPlan` with the merged
inventory (the stored one with the file's records upserted by id), every problem located on
its file row and column, warnings, and the differences a commit would write. Committing is
`store.repository.Repository.commit(plan.inventory, expected_revision=plan.revision)`: all
or nothing, refused if the store changed since the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from access.permissions import Actor, allowed
from geodata.offsets import Resolved, convert, datum_in_text, offset_warnings, resolve
from spaces.changes import Diff, diff, merge, scope_issues
from spaces.flat import build as build_flat
from spaces.io import SourceTable, Upload
from spaces.limits import ImportLimits
from spaces.mapping import FLAT, unmapped_issue
from spaces.model import CRS, Inventory
from spaces.outline import (
    DEFAULT_FOOTPRINT_M2,
    FOOTPRINT,
    OutlineError,
    parse_outline,
    point,
    squares,
)
from spaces.schema import TABLES, Table
from spaces.sheets import Vocabularies, to_codes
from spaces.tabular import ROW, ReadResult
from spaces.validation import Issue, coerce, validate


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file would do, before anything is written.

    ``errors`` block a commit, ``warnings`` do not; ``reads`` (table -> what was read) place
    each on its file row and column (`spaces.tabular.locate`). ``skipped`` are the sheets or
    layers that hold no inventory table, ``skipped_rows`` the rows that are not records
    (totals, notes under the table, blank rows), each with its row and why.
    """

    filename: str
    revision: int
    inventory: Inventory
    diff: Diff
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    reads: Mapping[str, ReadResult]
    datum: str = ""
    datum_how: str = ""
    skipped: tuple[str, ...] = field(default_factory=tuple)
    skipped_rows: tuple[Issue, ...] = field(default_factory=tuple)  # totals, notes, blanks

    @property
    def ok(self) -> bool:
        """True when the file has no errors (warnings do not block a commit)."""
        return not self.errors


FLAT_TABLES = ("buildings", "floors", "rooms", "carriers")
"""The tables a flat sheet builds."""


def plan_import(
    upload: Upload,
    *,
    stored: Inventory,
    revision: int,
    vocabs: Vocabularies,
    datum: str | None = None,
    actor: Actor | None = None,
    source: str | None = None,
    layers: gpd.GeoDataFrame | None = None,
    limits: ImportLimits | None = None,
    guessed: str | None = None,
) -> ImportPlan:
    """Prepare the import of ``upload`` into the stored inventory, writing nothing.

    Parameters
    ----------
    upload
        What `spaces.io.read_inventory_file` found in the file.
    stored
        The stored inventory (with versions), read at ``revision``.
    revision
        The store's revision when ``stored`` was read; the commit checks it.
    vocabs
        Labels of every vocabulary, with the configured units and tracks
        (`spaces.sheets.vocabularies`): the units and tracks are also what is valid.
    datum
        The declared datum code of the file's coordinates (see `geodata.crs.DATUMS`); by
        default the file's own CRS, which spreadsheets do not have.
    actor
        Who will commit it: records of a unit the actor may not change are errors (a steward
        changes only their own unit's records, `access.permissions`).
    source
        The provenance written into a blank ``source`` of new plots and buildings; by
        default "导入 <file name>".
    limits
        The import limits; an outline with more vertices than ``outline_vertices`` is an
        error on its row (and is not converted).
    guessed
        The datum guessed from the file's source (`spaces.datum.probe`), used when none is
        declared or named in the headers; it wins over a KML's nominal WGS84.

    Raises
    ------
    geodata.offsets.DatumError
        If the file has coordinates and no datum is declared or told by its CRS.
    geodata.crs.CRSMismatchError
        If the declared datum contradicts the file's CRS.
    """
    errors: list[Issue] = []
    warnings: list[Issue] = []
    updates: dict[str, pd.DataFrame] = {}
    columns: dict[str, list[str]] = {}
    resolved: Resolved | None = None
    geometry_rows: dict[str, tuple[gpd.GeoSeries, pd.Series]] = {}
    source = source or f"导入 {upload.filename}"
    if upload.flat:
        upload, found, notes = _flat(upload, stored, vocabs, actor)
        errors += found
        warnings += notes
    for name in TABLES:
        if name not in upload.tables:
            continue
        src = upload.tables[name]
        table = TABLES[name]
        if table.id not in src.read.columns:  # records cannot be told apart: skip the table
            label = table.field(table.id).label_zh
            errors.append(Issue(name, None, table.id, "missing_column", None, {"column": label}))
            continue
        frame, found = _records(src, table, vocabs)
        errors += found
        errors += _unmapped(src)
        if table.geometry:
            frame, present, found, notes, raw, resolved = _geometry(
                src, table, frame, stored, upload, datum, resolved, source, limits, guessed
            )
            errors += found
            warnings += notes
            if raw is not None:
                geometry_rows[name] = raw
        else:
            present = False
        typed, found = coerce(table, frame)
        errors += [i for i in found if i.code != "missing_column"]
        updates[name] = typed
        extra = ["geometry", "approximate", "source"] if present else []
        columns[name] = list(dict.fromkeys([*src.read.columns, *extra]))
    merged = merge(stored, updates, columns=columns)
    units = tuple(vocabs["units"])
    tracks = tuple(vocabs["tracks"])
    unreadable = {(i.table, i.record_id, i.field) for i in errors if i.code == "bad_type"}
    errors += [  # a cell that could not be read is not also reported as missing
        i
        for i in validate(merged, units=units, tracks=tracks)
        if not (i.code == "missing" and (i.table, i.record_id, i.field) in unreadable)
    ]
    changes = diff(stored.tables(), merged.tables(), tables=TABLES)
    if actor is not None and allowed(actor, "edit.inventory"):
        errors += scope_issues(stored, merged, changes, actor)
    if resolved is not None and resolved.code:
        warnings += _offsets(geometry_rows, stored, merged, resolved.code, upload)
    return ImportPlan(
        upload.filename,
        revision,
        merged,
        changes,
        tuple(errors),
        tuple(warnings),
        {n: t.read for n, t in upload.tables.items()},
        datum=resolved.label if resolved else "",
        datum_how=resolved.how if resolved else "",
        skipped=upload.skipped,
        skipped_rows=tuple(i for t in upload.tables.values() for i in t.read.skipped),
    )


def _records(src: SourceTable, table: Table, vocabs: Vocabularies) -> tuple[pd.DataFrame, list]:
    """The file's rows with codes for labels; blank and repeated ids become errors."""
    frame = to_codes(src.read.frame, table, vocabs)
    column = src.read.columns.get(table.id, table.id)
    ids = frame[table.id] if table.id in frame.columns else pd.Series(None, index=frame.index)
    id_of_row = dict(zip(frame[ROW], ids, strict=True))
    issues: list[Issue] = [  # cells that could not be read, now naming their record too
        replace(i, record_id=id_of_row.get(i.params.get("row"))) if i.record_id is None else i
        for i in src.read.issues
    ]
    blank = ids.isna()
    for row in frame.loc[blank, ROW]:
        issues.append(Issue(table.name, None, table.id, "missing", None, _at(row, column)))
    dup = ids.duplicated(keep="first") & ~blank
    counts = ids[~blank].value_counts()
    for rid, row in zip(ids[dup], frame.loc[dup, ROW], strict=True):
        issues.append(
            Issue(
                table.name,
                rid,
                table.id,
                "duplicate_id",
                rid,
                {"count": int(counts[rid]), **_at(row, column)},
            )
        )
    return frame[~blank & ~dup], issues


def _at(row: Any, column: str) -> dict[str, Any]:
    return {"row": int(row), "column": column}


def _unmapped(src: SourceTable) -> list[Issue]:
    """A column holding data that no field takes blocks the import: its data would be lost."""
    return [
        unmapped_issue(src.table, header)
        for header in src.read.ignored
        if header and not str(header).startswith("Unnamed")
    ]


def _flat(
    upload: Upload, stored: Inventory, vocabs: Vocabularies, actor: Actor | None
) -> tuple[Upload, list[Issue], list[Issue]]:
    """The upload with its flat sheet built into tables (`spaces.flat`), and the problems."""
    if len(upload.flat) > 1 or any(t in upload.tables for t in FLAT_TABLES):
        names = "、".join(s.source for s in (*upload.flat, *upload.tables.values()))
        issue = Issue(FLAT, None, None, "flat_with_tables", names, {})
        return replace(upload, flat=()), [issue], []
    src = upload.flat[0]
    built = build_flat(src.read, stored=stored, vocabs=vocabs, unit=actor.scope if actor else None)
    tables = dict(upload.tables)
    for name, read in built.reads.items():
        tables[name] = SourceTable(name, read, src.source)
    return replace(upload, tables=tables, flat=()), built.errors, built.warnings


def _geometry(
    src: SourceTable,
    table: Table,
    frame: pd.DataFrame,
    stored: Inventory,
    upload: Upload,
    declared: str | None,
    resolved: Resolved | None,
    source: str,
    limits: ImportLimits | None = None,
    guessed: str | None = None,
) -> tuple[Any, ...]:
    """Outlines of a plot or building table in WGS84, from vector geometry or sheet columns."""
    issues: list[Issue] = []
    notes: list[Issue] = []
    cols = src.read.columns
    existing = getattr(stored, table.name)
    index = frame.index
    raw = gpd.GeoSeries([None] * len(frame), index=index, crs=None)
    drawn = pd.Series(False, index=index)
    areas = pd.Series(np.nan, index=index)
    present = src.geometry is not None or any(c in cols for c in ("outline", "lon", "lat"))
    if src.geometry is not None:
        raw = gpd.GeoSeries(src.geometry.loc[index].array, index=index, crs=src.geometry.crs)
        drawn = pd.Series((raw.geom_type == "Point").to_numpy(), index=index)
        if "footprint_m2" in frame.columns:
            areas = pd.to_numeric(frame["footprint_m2"], errors="coerce")
    elif present:
        raw, drawn, areas, found = _sheet_geometry(frame, table, cols)
        issues += found
    has = ~(raw.isna() | raw.is_empty)
    issues += _too_many_vertices(raw, has, frame, table, cols, limits or ImportLimits())
    geoms = gpd.GeoSeries([None] * len(frame), index=index, crs=CRS)
    if has.any():
        named = _header_datum(cols) if src.geometry is None and not declared else None
        if named:
            resolved = Resolved(named, None, "header")
        elif guessed and not declared:
            resolved = Resolved(guessed, None, "source")
        else:
            resolved = resolve(declared, raw.crs, sample=raw[has])
        geoms.loc[has] = convert(raw[has], resolved).to_numpy()
    # A sketch area below its minimum (a negative one, say) is that cell's error, once: the
    # square (which the plan's errors keep from being committed) takes the size it would
    # have without the area, so that the row gets no false errors about its outline.
    refused = drawn & areas.notna() & (areas < FOOTPRINT.min)
    for rid in frame.index[refused]:
        issues.append(
            Issue(
                table.name,
                frame.at[rid, table.id],
                "footprint_m2",
                "below_min",
                float(areas[rid]),
                {
                    "min": FOOTPRINT.min,
                    "unit": FOOTPRINT.unit,
                    **_at(frame.at[rid, ROW], cols.get("footprint_m2", FOOTPRINT.label_zh)),
                },
            )
        )
    if drawn.any():
        sizes = _footprint_areas(frame, table, areas, drawn, stored, upload)
        sizes = sizes.mask(refused & sizes.isna(), DEFAULT_FOOTPRINT_M2)  # a plot's
        for rid in frame.index[drawn & sizes.isna()]:
            row = frame.at[rid, ROW]
            issues.append(
                Issue(
                    table.name,
                    frame.at[rid, table.id],
                    "footprint_m2",
                    "missing",
                    None,
                    _at(row, cols.get("footprint_m2", "示意面积")),
                )
            )
        ok = drawn & sizes.notna() & has
        geoms.loc[ok] = squares(geoms[ok], sizes[ok]).to_numpy()
        for rid in frame.index[ok & ~refused]:
            notes.append(
                Issue(
                    table.name,
                    frame.at[rid, table.id],
                    "geometry",
                    "drawn_footprint",
                    None,
                    {"area": float(sizes[rid]), **_at(frame.at[rid, ROW], cols.get("lon", "经度"))},
                )
            )
    out = frame.set_index(table.id, drop=False)
    geoms.index = out.index
    stored_ids = out.index.isin(existing.index)
    given = ~geoms.isna().to_numpy()
    keep = ~given & stored_ids
    if keep.any():  # a blank outline keeps the stored one
        geoms.loc[keep] = existing.geometry.reindex(out.index[keep]).to_numpy()
    if present:
        for rid in out.index[~given & ~stored_ids]:
            issues.append(
                Issue(
                    table.name,
                    rid,
                    "geometry",
                    "missing_outline",
                    None,
                    _at(out.at[rid, ROW], cols.get("outline", "轮廓")),
                )
            )
    drawn_ids = set(out.index[drawn.to_numpy()])
    if "approximate" in out.columns or present:
        # Blank: drawn from a point -> approximate; an outline given -> not; else as stored.
        approx = out["approximate"] if "approximate" in out.columns else [None] * len(out)
        stored_approx = existing["approximate"].reindex(out.index)
        out["approximate"] = [
            _approximate(rid in drawn_ids, v, g, _plain(old) if is_stored else None)
            for rid, v, g, is_stored, old in zip(
                out.index, approx, given, stored_ids, stored_approx, strict=True
            )
        ]
    if "source" in out.columns or present:
        # Blank: "import <file>" for a new record, the stored provenance for an existing one.
        src_col = out["source"] if "source" in out.columns else [None] * len(out)
        stored_source = existing["source"].reindex(out.index)
        out["source"] = [
            v if v is not None else (_plain(old) if is_stored else source)
            for v, is_stored, old in zip(src_col, stored_ids, stored_source, strict=True)
        ]
    frame = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=geoms.to_numpy(), crs=CRS)
    raw_by_id = gpd.GeoSeries(raw.to_numpy(), index=out.index, crs=None)
    return frame, present, issues, notes, (raw_by_id, drawn.set_axis(out.index)), resolved


def _too_many_vertices(
    raw: gpd.GeoSeries,
    has: pd.Series,
    frame: pd.DataFrame,
    table: Table,
    cols: Mapping[str, str],
    limits: ImportLimits,
) -> list[Issue]:
    """Outlines past the vertex limit: errors on their rows; they are dropped from ``has``."""
    counts = pd.Series(
        shapely.get_num_coordinates(np.asarray(raw.array, dtype=object)), index=raw.index
    )
    over = has & (counts > limits.outline_vertices)
    out = []
    for rid in frame.index[over]:
        params = {"count": int(counts[rid]), "max": limits.outline_vertices}
        where = _at(frame.at[rid, ROW], cols.get("outline", "轮廓"))
        out.append(
            Issue(
                table.name,
                frame.at[rid, table.id],
                "geometry",
                "too_many_vertices",
                None,
                params | where,
            )
        )
    has &= ~over
    return out


def _approximate(drawn: bool, value: Any, given: bool, stored: Any) -> Any:
    if drawn:
        return True
    if value is not None:
        return value
    return False if given else stored


def _plain(v: Any) -> Any:
    return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v


def _header_datum(cols: Mapping[str, str]) -> str | None:
    """A datum written into the geometry headers, e.g. 轮廓(GCJ-02); the same in all of them."""
    named = {datum_in_text(cols[c]) for c in ("outline", "lon", "lat") if c in cols}
    named.discard(None)
    return named.pop() if len(named) == 1 else None


def _sheet_geometry(
    frame: pd.DataFrame, table: Table, cols: Mapping[str, str]
) -> tuple[gpd.GeoSeries, pd.Series, pd.Series, list[Issue]]:
    issues = []
    geoms, drawn, areas = [], [], []
    for _, row in frame.iterrows():
        geom, was_point = None, False
        text = row.get("outline")
        if text is not None and not (isinstance(text, float) and np.isnan(text)):
            try:
                geom = parse_outline(text)
            except OutlineError as e:
                issues.append(
                    Issue(
                        table.name,
                        row.get(table.id),
                        "geometry",
                        "bad_outline",
                        str(text),
                        {"reason": str(e), **_at(row[ROW], cols.get("outline", "轮廓"))},
                    )
                )
        else:
            geom = point(row.get("lon"), row.get("lat"))
            was_point = geom is not None
        geoms.append(geom)
        drawn.append(was_point)
        areas.append(row.get("footprint_m2"))
    index = frame.index
    return (
        gpd.GeoSeries(geoms, index=index, crs=None),
        pd.Series(drawn, index=index, dtype=bool),
        pd.to_numeric(pd.Series(areas, index=index, dtype=object), errors="coerce"),
        issues,
    )


def _footprint_areas(
    frame: pd.DataFrame,
    table: Table,
    areas: pd.Series,
    drawn: pd.Series,
    stored: Inventory,
    upload: Upload,
) -> pd.Series:
    """The area of each drawn square: given, or a building's largest floor, or the default."""
    sizes = areas.where(areas > 0)
    if table.name != "buildings":
        return sizes
    floors = stored.floors[["building_id", "usable_area_m2"]]
    if "floors" in upload.tables:
        f = upload.tables["floors"].read.frame
        if {"building_id", "usable_area_m2"} <= set(f.columns):
            more = pd.DataFrame(
                {
                    "building_id": f.building_id,
                    "usable_area_m2": pd.to_numeric(f.usable_area_m2, errors="coerce"),
                }
            )
            floors = pd.concat([floors, more], ignore_index=True)
    # Only a positive floor area sizes a square: a negative or zero one is the floor's own
    # error (reported once, on its row), not a square of -300 m².
    largest = floors[floors.usable_area_m2 > 0].groupby("building_id").usable_area_m2.max()
    from_floors = frame[table.id].map(largest)
    return sizes.fillna(from_floors).fillna(DEFAULT_FOOTPRINT_M2).where(drawn)


def _offsets(
    rows: Mapping[str, tuple[gpd.GeoSeries, pd.Series]],
    stored: Inventory,
    merged: Inventory,
    datum: str,
    upload: Upload,
) -> list[Issue]:
    """GCJ-02/BD-09 suspicion: compare with the stored outline, or with the stored plot."""
    out: list[Issue] = []
    for name, (raw, _) in rows.items():
        table = TABLES[name]
        have = raw[~(raw.isna() | raw.is_empty)]
        existing = getattr(stored, name).geometry
        refs = existing.reindex(have.index)
        labels = pd.Series({rid: f"库中 {rid} 的原位置 (stored {rid})" for rid in have.index})
        if name == "buildings":
            in_file = (
                set(upload.tables["plots"].read.frame.get("plot_id", []))
                if "plots" in upload.tables
                else set()
            )
            plot_of = merged.buildings.plot_id.reindex(have.index)
            usable = plot_of.notna() & plot_of.isin(stored.plots.index) & ~plot_of.isin(in_file)
            plot_geom = stored.plots.geometry.reindex(plot_of[usable].to_numpy())
            fill = refs.isna() & usable
            refs.loc[fill] = plot_geom.reindex(plot_of[fill].to_numpy()).to_numpy()
            for rid in refs.index[fill]:
                labels[rid] = f"地块 {plot_of[rid]} (plot {plot_of[rid]})"
        refs = gpd.GeoSeries(refs, crs=CRS)
        for o in offset_warnings(have, refs, labels, datum=datum):
            read = upload.tables[name].read
            hit = read.frame.loc[read.frame[table.id].astype(str) == str(o.index), ROW]
            params = {
                "reference": o.reference,
                "distance": o.distance_m,
                "better": o.better,
                "better_distance": o.better_distance_m,
            }
            if len(hit):
                params |= _at(hit.iloc[0], read.columns.get("outline", "轮廓"))
            out.append(Issue(name, str(o.index), "geometry", "datum_offset", datum, params))
    return out
