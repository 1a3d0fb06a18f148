"""Flat sheets: one row per floor or per room, the building's fields repeated, no ids.

A steward's own workbook often lists floors (or rooms) with the building's name, address and
coordinates on every row. `build` turns such a sheet (read through a `spaces.mapping.Mapping`
whose sheet table is ``flat``, columns named "table.field") into the buildings, floors, rooms
and carriers the template would have held, so that `spaces.imports.plan_import` checks,
previews and commits them like any other file:

* A building is recognised by its name (and its address when both the file and the store
  give one) among the stored buildings of its responsible unit (the row's, else the
  importing steward's): found, it is updated in the fields the file gives (a blank cell keeps
  the stored value) and its position is only used to place new buildings; not found, it is
  created with the next id in the style of the stored ids (``BQ00042``).
* Repeated fields of one building (or one floor, or one carrier) must agree: two different
  values are an error naming both Excel rows.
* A floor is written as a level ("5", "5层", "第5层", "5F", "L5", "B1", "-1", "地下1层") or a
  range ("1-2", "1～3层", "B2-B1"): a range gives **one floor (and one carrier) per level**,
  with the row's area divided equally over them, and a warning naming the row. Anything else
  is an error listing the accepted forms. Floors of the building are matched by level.
* A row with a room number gives a room on its floor (matched by number); a new floor made for
  rooms only gets the sum of its rooms' areas as its area.
* When the sheet has a carrier column (status, rent, available from, tier, track, tenant,
  note), each row is a carrier: of the room, else of each floor, else of the building; matched
  to the stored carrier of that tier and object, else created ``C00042``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from spaces.mapping import FLAT, unmapped_issue
from spaces.model import Inventory
from spaces.schema import TABLES
from spaces.sheets import Vocabularies, to_codes
from spaces.tabular import ROW, ReadResult, normalize_text
from spaces.validation import Issue

FLOOR_FORMS = "5、5层、第5层、5F、L5、B1、-1、地下1层、1-2、1～3层、B2-B1"
"""The floor labels a flat sheet may use, as said in the error of one it cannot read."""

CARRIER_FIELDS = ("status", "rent_yuan_m2_day", "available_from", "tier", "track", "tenant", "note")

_LEVEL = r"(?:第)?(?:(?P<neg>b|-|负|地下)\s*)?(?P<n>\d{1,3})\s*(?:层|楼|f|/f)?"
_ONE = re.compile(rf"^(?:l)?{_LEVEL}$")
_RANGE = re.compile(r"^(?P<a>.+?)\s*(?:-|~|～|至|到|—|–)\s*(?P<b>.+)$")


class FloorLabelError(ValueError):
    """A floor label that is not one of `FLOOR_FORMS`."""


def parse_floor(label: Any) -> list[int]:
    """The levels a floor label names: [5] for "5F", [-1] for "B1", [1, 2, 3] for "1～3层".

    Level 0 does not exist: "B1-2" is [-1, 1, 2].

    Raises
    ------
    FloorLabelError
        If the label is none of `FLOOR_FORMS`.
    """
    if isinstance(label, int | float | np.integer | np.floating) and not isinstance(label, bool):
        if float(label).is_integer() and label != 0:
            return [int(label)]
        raise FloorLabelError(str(label))
    text = normalize_text(label).lower().replace(" ", "")
    one = _one(text)
    if one is not None:
        return [one]
    m = _RANGE.match(text)
    if m:
        a, b = _one(m.group("a")), _one(m.group("b"))
        if a is not None and b is not None and a < b:
            return [lv for lv in range(a, b + 1) if lv != 0]
    raise FloorLabelError(str(label))


def _one(text: str) -> int | None:
    m = _ONE.match(text)
    if not m:
        return None
    n = int(m.group("n"))
    if n == 0:
        return None
    return -n if m.group("neg") else n


@dataclass(frozen=True)
class Built:
    """What a flat sheet builds: per table a read of records with ids, and the problems."""

    reads: dict[str, ReadResult]
    errors: list[Issue]
    warnings: list[Issue]


def build(
    read: ReadResult,
    *,
    stored: Inventory,
    vocabs: Vocabularies,
    unit: str | None = None,
) -> Built:
    """The buildings, floors, rooms and carriers of a flat sheet, with generated ids.

    Parameters
    ----------
    read
        The flat sheet read with the targets ("buildings.name" ...) as its fields.
    stored
        The stored inventory, where buildings, floors, rooms and carriers are matched.
    vocabs
        The vocabularies, for the units and codes written as labels.
    unit
        The importing steward's unit: a building's unit when the sheet gives none.
    """
    b = _Builder(read, stored, vocabs, unit)
    b.run()
    return Built(b.reads, b.errors, b.warnings)


def _canon(v: Any) -> str:
    return re.sub(r"\s+", "", normalize_text(v)).lower()


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v) or v == ""


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
    if isinstance(a, str) and isinstance(b, str):
        return _canon(a) == _canon(b)
    return a == b


class _Builder:
    def __init__(
        self, read: ReadResult, stored: Inventory, vocabs: Vocabularies, unit: str | None
    ) -> None:
        self.read = read
        self.stored = stored
        self.vocabs = vocabs
        self.unit = unit
        self.headers = read.columns  # target -> header as written
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.reads: dict[str, ReadResult] = {}
        self.taken: dict[str, set[str]] = {
            name: set(map(str, getattr(stored, name).index)) for name in TABLES
        }

    # -- helpers --------------------------------------------------------------------------------

    def given(self, table: str) -> list[str]:
        prefix = f"{table}."
        return [c.partition(".")[2] for c in self.read.frame.columns if c.startswith(prefix)]

    def header(self, table: str, name: str, default: str = "") -> str:
        return self.headers.get(f"{table}.{name}", default)

    def codes(self, table: str, rows: pd.DataFrame) -> pd.DataFrame:
        """The rows' ``table`` fields under their plain names, labels turned into codes."""
        names = self.given(table)
        frame = pd.DataFrame(
            {n: rows[f"{table}.{n}"].to_numpy() for n in names}, index=rows.index, dtype=object
        )
        spec = TABLES[table]
        known = [n for n in names if n in {f.name for f in spec.fields}]
        if known:
            coded = to_codes(frame[known], spec, self.vocabs)
            for n in known:
                frame[n] = coded[n]
        return frame

    def agree(
        self, table: str, values: pd.DataFrame, rows: pd.Series, record: Any
    ) -> dict[str, Any]:
        """One record's fields from its rows: the first given value, conflicts as errors."""
        out: dict[str, Any] = {}
        for name in values.columns:
            first_row, first = None, None
            for row, v in zip(rows, values[name], strict=True):
                if _blank(v):
                    continue
                if first_row is None:
                    first_row, first = row, v
                elif not _same(first, v):
                    self.errors.append(
                        Issue(
                            table,
                            record,
                            name,
                            "flat_conflict",
                            v,
                            {
                                "row": int(row),
                                "column": self.header(table, name, name),
                                "first_row": int(first_row),
                                "first": first,
                            },
                        )
                    )
                    break
            out[name] = first
        return out

    def next_id(self, table: str, wanted: str | None = None) -> str:
        taken = self.taken[table]
        if wanted is not None:
            rid, n = wanted, 2
            while rid in taken:
                rid, n = f"{wanted}-{n}", n + 1
        else:
            rid = _next_in_style(taken, "B" if table == "buildings" else "C")
        taken.add(rid)
        return rid

    def result(self, table: str, records: list[dict[str, Any]], columns: Mapping[str, str]) -> None:
        spec = TABLES[table]
        stored = getattr(self.stored, table)
        names = list(dict.fromkeys(n for rec in records for n in rec))
        for rec in records:  # a stored record keeps what the file leaves blank
            if rec[spec.id] in stored.index:
                for name in names:
                    if _blank(rec.get(name)) and name in stored.columns and name != "geometry":
                        rec[name] = _plain(stored.at[rec[spec.id], name])
        frame = pd.DataFrame(records, dtype=object)
        order = [ROW, spec.id, *[c for c in frame.columns if c not in (ROW, spec.id)]]
        frame = frame[order].reset_index(drop=True)
        frame[ROW] = frame[ROW].astype(int)
        self.reads[table] = ReadResult(frame, [], dict(columns), self.read.header_row, [])

    # -- the work -------------------------------------------------------------------------------

    def run(self) -> None:
        frame = self.read.frame
        for i in self.read.issues:  # cells that could not be read, on their own table
            table, _, name = (i.field or "").partition(".")
            self.errors.append(replace(i, table=table or FLAT, field=name or None))
        for header in self.read.ignored:
            self.errors.append(unmapped_issue(FLAT, header))
        if "buildings.name" not in frame.columns:
            self.errors.append(
                Issue("buildings", None, "name", "missing_column", None, {"column": "楼宇名称"})
            )
            return
        blank = frame["buildings.name"].map(_blank)
        name_header = self.header("buildings", "name")
        for row in frame.loc[blank, ROW]:
            self.errors.append(
                Issue("buildings", None, "name", "missing", None, _at(row, name_header))
            )
        rows = frame[~blank]
        if rows.empty:
            return
        building_of = self.buildings(rows)
        floors_of = self.floors(rows, building_of) if "floors.level" in rows.columns else {}
        rooms_of = self.rooms(rows, floors_of) if "rooms.number" in rows.columns else {}
        if any(f"carriers.{n}" in rows.columns for n in CARRIER_FIELDS):
            self.carriers(rows, building_of, floors_of, rooms_of)

    def buildings(self, rows: pd.DataFrame) -> dict[Any, str]:
        """Group rows into buildings; return row index -> building id."""
        values = self.codes("buildings", rows)
        keys = rows["buildings.name"].map(_canon)
        records, building_of = [], {}
        name_header = self.header("buildings", "name")
        for _, idx in keys.groupby(keys, sort=False).groups.items():
            group = rows.loc[idx]
            rec = self.agree(
                "buildings", values.loc[idx], group[ROW], group["buildings.name"].iloc[0]
            )
            unit = rec.get("responsible_unit") or self.unit
            bid = self.match(rec, unit, group[ROW].iloc[0])
            if bid is None:
                bid = self.next_id("buildings")
                if unit and _blank(rec.get("responsible_unit")):
                    rec["responsible_unit"] = unit
            else:
                for name in ("lon", "lat", "outline", "footprint_m2"):
                    if name in rec:
                        rec[name] = None  # the position places new buildings only
            rec.update({ROW: int(group[ROW].iloc[0]), "building_id": bid})
            rec.setdefault("source", None)  # blank: "导入 <file>" for a new building
            records.append(rec)
            for i in idx:
                building_of[i] = bid
        columns = {"building_id": name_header, "source": ""}
        columns |= {n: self.header("buildings", n) for n in self.given("buildings")}
        if any(r.get("responsible_unit") for r in records):
            columns.setdefault("responsible_unit", self.header("buildings", "responsible_unit"))
        self.result("buildings", records, columns)
        return building_of

    def match(self, rec: Mapping[str, Any], unit: str | None, row: int) -> str | None:
        stored = self.stored.buildings
        if stored.empty:
            return None
        same = stored[stored["name"].map(_canon) == _canon(rec["name"])]
        address = rec.get("address")
        if not _blank(address) and len(same):
            has = same["address"].map(lambda a: not _blank(a))
            same = same[~has | (same["address"].map(_canon) == _canon(address))]
        if unit:  # another unit's building of that name is another building
            others = same[same["responsible_unit"] != unit]
            same = same[same["responsible_unit"] == unit]
            if same.empty and len(others) and self.unit:  # a steward's sheet: not theirs
                self.errors.append(
                    Issue(
                        "buildings",
                        None,
                        "name",
                        "out_of_scope",
                        rec["name"],
                        {
                            "owner": str(others["responsible_unit"].iloc[0]),
                            "unit": unit,
                            **_at(row, self.header("buildings", "name")),
                        },
                    )
                )
                return None
        if len(same) == 1:
            return str(same.index[0])
        if len(same) > 1:
            self.errors.append(
                Issue(
                    "buildings",
                    None,
                    "name",
                    "flat_ambiguous",
                    rec["name"],
                    {
                        "ids": "、".join(map(str, same.index)),
                        **_at(row, self.header("buildings", "name")),
                    },
                )
            )
        return None

    def floors(self, rows: pd.DataFrame, building_of: Mapping[Any, str]) -> dict[Any, list[str]]:
        """Floors of each row (a range gives several); return row index -> floor ids."""
        values = self.codes("floors", rows).drop(columns=["level"])
        header = self.header("floors", "level")
        stored = self.stored.floors
        by_level = {
            (str(b), int(lv)): str(fid)
            for fid, b, lv in zip(stored.index, stored["building_id"], stored["level"], strict=True)
            if not _blank(lv)
        }
        groups: dict[tuple[str, int], list[tuple[Any, int, int]]] = {}  # -> (index, row, n)
        for i, row, label in zip(rows.index, rows[ROW], rows["floors.level"], strict=True):
            if _blank(label):
                self.errors.append(
                    Issue("floors", None, "level", "missing", None, _at(row, header))
                )
                continue
            try:
                levels = parse_floor(label)
            except FloorLabelError:
                self.errors.append(
                    Issue(
                        "floors",
                        None,
                        "level",
                        "bad_floor_label",
                        label,
                        {"forms": FLOOR_FORMS, **_at(row, header)},
                    )
                )
                continue
            if len(levels) > 1:
                self.warnings.append(
                    Issue(
                        "floors",
                        None,
                        "level",
                        "floor_range_split",
                        label,
                        {"n": len(levels), **_at(row, header)},
                    )
                )
            for lv in levels:
                groups.setdefault((building_of[i], lv), []).append((i, int(row), len(levels)))
        records, floors_of = [], {}
        area = "usable_area_m2" in values.columns
        for (bid, lv), members in groups.items():
            idx = [m[0] for m in members]
            part = values.loc[idx].copy()
            if area:
                part["usable_area_m2"] = [
                    v / n if not _blank(v) and isinstance(v, float | int) else v
                    for v, (_, _, n) in zip(part["usable_area_m2"], members, strict=True)
                ]
            fid = by_level.get((bid, lv))
            rec = self.agree("floors", part, pd.Series([m[1] for m in members]), fid)
            if fid is None:
                fid = self.next_id("floors", f"{bid}-{'B' if lv < 0 else 'F'}{abs(lv):02d}")
            rec.update({ROW: members[0][1], "floor_id": fid, "building_id": bid, "level": lv})
            records.append(rec)
            for i in idx:
                floors_of.setdefault(i, []).append(fid)
        if records:
            columns = {
                "floor_id": header,
                "building_id": self.header("buildings", "name"),
                "level": header,
            }
            columns |= {n: self.header("floors", n) for n in values.columns}
            self.result("floors", records, columns)
        return floors_of

    def rooms(self, rows: pd.DataFrame, floors_of: Mapping[Any, list[str]]) -> dict[Any, str]:
        values = self.codes("rooms", rows)
        header = self.header("rooms", "number")
        stored = self.stored.rooms
        by_number = {
            (str(f), _canon(n)): str(rid)
            for rid, f, n in zip(stored.index, stored["floor_id"], stored["number"], strict=True)
        }
        groups: dict[tuple[str, str], list[Any]] = {}
        for i, row, number in zip(rows.index, rows[ROW], rows["rooms.number"], strict=True):
            if _blank(number):
                self.errors.append(
                    Issue("rooms", None, "number", "missing", None, _at(row, header))
                )
                continue
            fids = floors_of.get(i, [])
            if len(fids) != 1:
                if "floors.level" not in rows.columns or fids:
                    self.errors.append(
                        Issue(
                            "rooms", None, "floor_id", "flat_room_floor", number, _at(row, header)
                        )
                    )
                continue
            groups.setdefault((fids[0], normalize_text(number)), []).append(i)
        records, rooms_of = [], {}
        for (fid, number), idx in groups.items():
            rid = by_number.get((fid, _canon(number)))
            rec = self.agree(
                "rooms", values.loc[idx].drop(columns=["number"]), rows.loc[idx, ROW], rid
            )
            if rid is None:
                rid = self.next_id("rooms", f"{fid}-{number}")
            rec.update(
                {ROW: int(rows.at[idx[0], ROW]), "room_id": rid, "floor_id": fid, "number": number}
            )
            records.append(rec)
            for i in idx:
                rooms_of[i] = rid
        if records:
            self._room_floor_areas(records)
            columns = {
                "room_id": header,
                "floor_id": self.header("floors", "level"),
                "number": header,
            }
            columns |= {n: self.header("rooms", n) for n in values.columns if n != "number"}
            self.result("rooms", records, columns)
        return rooms_of

    def _room_floor_areas(self, rooms: list[dict[str, Any]]) -> None:
        """A new floor made for rooms without its own area gets the sum of its rooms'."""
        floors = self.reads.get("floors")
        if floors is None:
            return
        frame = floors.frame
        new = ~frame["floor_id"].isin(self.stored.floors.index)
        if not new.any():
            return
        if "usable_area_m2" not in frame.columns:
            stored = self.stored.floors["usable_area_m2"]
            frame["usable_area_m2"] = [_plain(stored.get(f)) for f in frame["floor_id"]]
            floors.columns["usable_area_m2"] = self.header("rooms", "usable_area_m2")
        sums: dict[str, float] = {}
        for r in rooms:
            v = r.get("usable_area_m2")
            if isinstance(v, int | float) and not _blank(v):
                sums[r["floor_id"]] = sums.get(r["floor_id"], 0.0) + float(v)
        for i in frame.index[new]:
            if _blank(frame.at[i, "usable_area_m2"]) and frame.at[i, "floor_id"] in sums:
                frame.at[i, "usable_area_m2"] = sums[frame.at[i, "floor_id"]]

    def carriers(
        self,
        rows: pd.DataFrame,
        building_of: Mapping[Any, str],
        floors_of: Mapping[Any, list[str]],
        rooms_of: Mapping[Any, str],
    ) -> None:
        values = self.codes("carriers", rows)
        stored = self.stored.carriers
        by_target = {
            (str(tier), str(target)): str(cid)
            for cid, tier, target in zip(
                stored.index, stored["tier"], stored["target_id"], strict=True
            )
        }
        groups: dict[tuple[str, str], list[Any]] = {}
        for i in rows.index:
            if "rooms.number" in rows.columns:
                targets = [("room", rooms_of[i])] if i in rooms_of else []
            elif "floors.level" in rows.columns:
                targets = [("floor", f) for f in floors_of.get(i, [])]
            else:
                targets = [("building", building_of[i])]
            tier = values.at[i, "tier"] if "tier" in values.columns else None
            for default, target in targets:
                groups.setdefault((default if _blank(tier) else str(tier), target), []).append(i)
        records = []
        header = self.header("carriers", "status") or self.header("buildings", "name")
        for (tier, target), idx in groups.items():
            cid = by_target.get((tier, target))
            part = values.loc[idx].drop(columns=["tier"], errors="ignore")
            rec = self.agree("carriers", part, rows.loc[idx, ROW], cid)
            if cid is None:
                cid = self.next_id("carriers")
            rec.update(
                {
                    ROW: int(rows.at[idx[0], ROW]),
                    "carrier_id": cid,
                    "tier": tier,
                    "target_id": target,
                }
            )
            records.append(rec)
        if records:
            columns = {"carrier_id": header, "target_id": self.header("floors", "level") or header}
            columns |= {"tier": self.header("carriers", "tier") or header}
            columns |= {n: self.header("carriers", n) for n in values.columns if n != "tier"}
            self.result("carriers", records, columns)


def _at(row: Any, column: str) -> dict[str, Any]:
    return {"row": int(row), "column": column}


def _plain(v: Any) -> Any:
    return None if _blank(v) else v


def _next_in_style(taken: Iterable[str], default: str) -> str:
    """The next id in the style of the most common stored prefix: BQ00041 -> BQ00042."""
    found: dict[str, list[tuple[int, int]]] = {}
    for rid in taken:
        m = re.fullmatch(r"([A-Za-z]+)(\d+)", str(rid))
        if m:
            found.setdefault(m.group(1), []).append((int(m.group(2)), len(m.group(2))))
    if not found:
        prefix, n, width = default, 1, 5
    else:
        prefix = max(found, key=lambda p: len(found[p]))
        n = max(x for x, _ in found[prefix]) + 1
        width = max(w for _, w in found[prefix])
    rid = f"{prefix}{n:0{width}d}"
    while rid in taken:
        n += 1
        rid = f"{prefix}{n:0{width}d}"
    return rid
