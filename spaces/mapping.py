"""Column and value mappings: which column of a steward's own sheet feeds which field.

A file read from a steward's office rarely uses the template's headers. `propose` looks at
every column of every sheet (or layer) and proposes the field it feeds: of the table the sheet
holds (a template-like sheet with ids), or of the buildings, floors, rooms and carriers that a
*flat* sheet (one row per floor or room, building fields repeated, no ids; `spaces.flat`)
builds; or "not imported". Proposals come from the fields' names and labels, a synonym list of
the words stewards write (`SYNONYMS`), and fuzzy matching (difflib on normalised text), each
with a confidence and a sample of the column's values. The status, tier and other vocabulary
words found in the file are proposed onto the product's codes the same way.

The steward confirms or changes the proposal; the result is a `Mapping`, a JSON document
(`Mapping.to_json`, see README "Loading your own data") applied before cleaning and validation
(`Mapping.sheet_for` and `SheetMapping.apply`, called by `spaces.io.read_inventory_file`). A
column holding data that the mapping neither maps nor ignores stays unmatched, and
`spaces.imports.plan_import` refuses the file naming it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from spaces.outline import reading_table
from spaces.schema import TABLES, VOCABULARIES, Field, Table
from spaces.sheets import Vocabularies, aliases
from spaces.tabular import ReadResult, normalize_text
from spaces.validation import Issue

FORMAT = "hq-mapping/1"
"""The ``format`` of a mapping document."""

FLAT = "flat"
"""The ``table`` of a sheet mapping whose rows are floors or rooms (see `spaces.flat`)."""

EXACT = 1.0
"""Confidence of a header that is a field's name, label or synonym."""

FUZZY_MIN = 0.6
"""Least similarity (difflib ratio of normalised text) for a fuzzy proposal."""

_HEADER_SCAN = 12
_SAMPLES = 3

# Target -> the words stewards write for it (Chinese, English). A target is "table.field".
SYNONYMS: dict[str, tuple[str, ...]] = {
    "buildings.name": (
        "楼宇名称",
        "楼宇",
        "项目名称",
        "楼宇名",
        "大楼名称",
        "楼名",
        "建筑名称",
        "楼栋",
        "building",
        "building name",
    ),
    "buildings.address": ("地址", "楼宇地址", "项目地址", "详细地址", "坐落", "address"),
    "buildings.lon": ("经度", "lng", "lon", "longitude"),
    "buildings.lat": ("纬度", "lat", "latitude"),
    "buildings.operator": ("运营方", "业主", "业主单位", "产权方", "运营单位", "owner"),
    "buildings.responsible_unit": ("责任单位", "属地", "所属街镇", "街镇"),
    "buildings.kind": ("载体类型", "楼宇类型"),
    "floors.level": ("楼层", "所在楼层", "层", "层次", "floor", "level"),
    "floors.usable_area_m2": (
        "可用面积",
        "可租面积",
        "面积",
        "面积(㎡)",
        "使用面积",
        "出租面积",
        "空置面积",
        "招商面积",
        "area",
        "usable area",
        "available area",
    ),
    "floors.clear_height_m": ("净高", "层高", "clear height", "ceiling height"),
    "floors.floor_load_kn_m2": ("楼板荷载", "荷载", "楼面荷载", "承重", "floor load", "load"),
    "floors.power_kva": ("供电容量", "用电容量", "电力容量", "power"),
    "floors.exhaust": ("实验排风", "排风"),
    "floors.wet_lab_drainage": ("湿实验排水", "实验排水"),
    "rooms.number": ("房号", "单元", "房间号", "单元号", "室号", "房间", "room", "unit"),
    "carriers.available_from": (
        "可入驻时间",
        "可租日期",
        "可入驻日期",
        "可租时间",
        "交付时间",
        "available from",
    ),
    "carriers.status": ("状态", "招商状态", "出租状态", "租赁状态", "status"),
    "carriers.rent_yuan_m2_day": ("租金", "元/㎡·天", "租金单价", "单价", "rent"),
    "carriers.tier": ("载体梯度", "梯度"),
    "carriers.track": ("赛道", "产业方向", "意向产业", "track"),
    "carriers.tenant": ("入驻企业", "租户", "意向企业", "tenant"),
    "carriers.note": ("备注", "说明", "remark", "note"),
}

IGNORED_WORDS: tuple[str, ...] = (
    "物业联系人",
    "联系人",
    "电话",
    "联系电话",
    "手机",
    "序号",
    "contact",
    "phone",
    "no.",
)
"""Headers of data the inventory does not keep (contacts, phone numbers, row numbers): proposed
as "not imported" with full confidence, for the steward to confirm."""

LOWER: dict[str, float] = {"层高": 0.8}
"""Synonyms that are near, not equal, to their field (层高 is floor to floor, 净高 clear)."""

# Vocabulary -> word -> code: the words stewards use for the product's codes.
VALUE_SYNONYMS: dict[str, dict[str, str]] = {
    "status": {
        "可租": "available",
        "招商中": "available",
        "空置": "available",
        "待租": "available",
        "可招商": "available",
        "在招": "available",
        "规划": "under_construction",
        "在建": "under_construction",
        "建设中": "under_construction",
        "已签约": "leased",
        "已租": "leased",
        "已出租": "leased",
        "已入驻": "leased",
        "预留": "reserved",
        "已预留": "reserved",
        "意向": "reserved",
        "储备": "reserve_land",
    },
    "tier": {
        "整层": "floor",
        "一层楼": "floor",
        "层": "floor",
        "单间": "room",
        "房间": "room",
        "一间房": "room",
        "整栋": "building",
        "一栋楼": "building",
        "楼栋": "building",
        "地块": "plot",
        "一块地": "plot",
    },
}

_LOWER_VALUES: dict[tuple[str, str], float] = {
    ("status", "规划"): 0.7,  # planned: not yet built, nearest is under construction
    ("status", "意向"): 0.8,  # a prospect holds it: reserved
}


def _canon(text: Any) -> str:
    """Text reduced for matching: NFKC, lower case, no spaces, markers or bracketed units."""
    s = normalize_text(text).lower()
    s = re.sub(r"[(\[（【].*?[)\]）】]", "", s) or s
    return re.sub(r"[\s*_:：/\\\-·.,，]+", "", s)


def _canon_full(text: Any) -> str:
    """Like `_canon` but keeps bracketed text, so that "面积(㎡)" and "面积" both match."""
    return re.sub(r"[\s*_:：/\\\-·.,，()\[\]（）【】]+", "", normalize_text(text).lower())


# --- targets -----------------------------------------------------------------------------------


def _flat_fields() -> list[tuple[str, Field]]:
    out: list[tuple[str, Field]] = []
    skip = {"building_id", "plot_id", "source", "approximate"}
    for f in reading_table(TABLES["buildings"]).fields:
        if f.kind != "geometry" and f.name not in skip:
            out.append((f"buildings.{f.name}", f))
    for f in TABLES["floors"].fields:
        if f.name not in ("floor_id", "building_id"):
            out.append((f"floors.{f.name}", f))
    for f in TABLES["rooms"].fields:
        if f.name not in ("room_id", "floor_id"):
            out.append((f"rooms.{f.name}", f))
    for f in TABLES["carriers"].fields:
        if f.name not in ("carrier_id", "target_id"):
            out.append((f"carriers.{f.name}", f))
    return out


FLAT_FIELDS: dict[str, Field] = dict(_flat_fields())
"""Targets of a flat sheet ("table.field") and the field each is."""


def flat_table() -> Table:
    """The fields of a flat sheet as one table (names and labels are the targets), for reading.

    A floor is written as a label ("3F", "1-2"), so its level is read as text (`spaces.flat`).
    """
    fields = []
    for target, f in FLAT_FIELDS.items():
        kind = "str" if target == "floors.level" else f.kind
        fields.append(
            replace(f, name=target, label_zh=target, label_en=target, kind=kind, required=False)
        )
    return Table(FLAT, "buildings.name", "平铺表", "Flat sheet", tuple(fields))


def targets(table: str) -> dict[str, Field]:
    """The targets a sheet holding ``table`` (or `FLAT`) may map its columns onto."""
    if table == FLAT:
        return dict(FLAT_FIELDS)
    t = reading_table(TABLES[table])
    return {f"{table}.{f.name}": f for f in t.fields if f.kind != "geometry"}


def _spellings(table: str) -> dict[str, list[tuple[str, float]]]:
    """Target -> its spellings with the confidence of an exact match."""
    out: dict[str, list[tuple[str, float]]] = {}
    extra = aliases(TABLES[table]) if table != FLAT else {}
    for target, f in targets(table).items():
        words = [f.name, f.label_zh, f.label_en, *extra.get(f.name, ())]
        if table == FLAT or target in SYNONYMS:
            words += SYNONYMS.get(target, ())
        if table == FLAT and target.startswith("buildings.") and f.name in ("lon", "lat"):
            words += list(aliases(TABLES["buildings"]).get(f.name, ()))
        out[target] = [(w, LOWER.get(w, EXACT)) for w in words]
    return out


# --- proposals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnProposal:
    """One column: its header, a sample of its values, the proposed target and confidence.

    ``target`` is "table.field", or None for "not imported" (``confidence`` then says how sure
    it is that the column is not wanted: 1 for contacts and row numbers, 0 for not known).
    """

    index: int
    header: str
    samples: tuple[str, ...]
    target: str | None
    confidence: float
    has_data: bool


@dataclass(frozen=True)
class ValueProposal:
    """A word found in a vocabulary column, the code proposed for it and the confidence."""

    vocabulary: str
    word: str
    code: str | None
    confidence: float
    count: int


@dataclass(frozen=True)
class SheetProposal:
    """A sheet's proposal: the table it holds (or `FLAT`), its header row and its columns."""

    sheet: str
    table: str
    header_row: int  # 1-based row number of the header in the sheet
    columns: tuple[ColumnProposal, ...]


@dataclass(frozen=True)
class Proposal:
    """Every sheet's proposal, the vocabulary words' proposals, and the header signature."""

    filename: str
    sheets: tuple[SheetProposal, ...]
    values: tuple[ValueProposal, ...]
    skipped: tuple[str, ...] = ()

    @property
    def signature(self) -> str:
        """The file's header signature (see `signature`)."""
        return signature({s.sheet: [c.header for c in s.columns] for s in self.sheets})

    def mapping(self, *, least: float = 0.0) -> Mapping:
        """The proposal as a mapping, keeping targets and codes of at least ``least``.

        With ``least`` = `EXACT` only names, labels and synonyms are kept and nothing is
        marked "not imported": a column proposed by fuzzy matching only, proposed as not
        imported, or not proposed at all is left unmapped, which blocks a commit until
        someone confirms it.
        """
        sheets = []
        for s in self.sheets:
            columns: dict[str, str | None] = {}
            for c in s.columns:
                if c.target is not None and c.confidence >= least:
                    columns[c.header] = c.target
                elif c.target is None and c.confidence > 0 and least < EXACT:
                    columns[c.header] = None  # known not to be wanted (contacts ...)
            sheets.append(SheetMapping(s.sheet, s.table, columns))
        values: dict[str, dict[str, str]] = {}
        for v in self.values:
            if v.code is not None and v.confidence >= least:
                values.setdefault(v.vocabulary, {})[v.word] = v.code
        return Mapping(tuple(sheets), values)


def signature(headers: MappingABC[str, Iterable[str]]) -> str:
    """A short hash of the headers (normalised) of each sheet, in order: same headers, same
    signature, whatever the sheets' names (a monthly file's sheet is often named by month)."""
    parts = sorted("|".join(_canon_full(h) for h in cols) for cols in headers.values())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def propose(
    grids: MappingABC[str, pd.DataFrame],
    *,
    vocabs: Vocabularies,
    filename: str = "",
    tables: MappingABC[str, str | None] | None = None,
) -> Proposal:
    """Propose a target for every column of every sheet, and codes for vocabulary words.

    ``grids`` are the sheets' (or layers') raw cells (`spaces.tabular.read_grids`,
    `spaces.io.read_grids_of`); ``tables`` the table each holds when known (a template sheet,
    ``--table``), by default found from its name or headers, else `FLAT` when it has building
    names, else the sheet is skipped.
    """
    sheets: list[SheetProposal] = []
    skipped: list[str] = []
    for sheet, grid in grids.items():
        table = (tables or {}).get(sheet) or _table_of(sheet, grid)
        if table is None:
            skipped.append(sheet or filename)
            continue
        sheets.append(_sheet_proposal(sheet, grid, table))
    values = _value_proposals(grids, sheets, vocabs)
    return Proposal(filename, tuple(sheets), tuple(values), tuple(skipped))


def file_grids(data: bytes, filename: str) -> dict[str, pd.DataFrame]:
    """The raw cells of every sheet (spreadsheets) or layer attribute table (GIS files), as
    `spaces.io.read_inventory_file` reads them, for `propose`.

    Raises
    ------
    spaces.tabular.UnreadableFileError
        If the file cannot be read.
    """
    from spaces.io import _attribute_grid, file_kind, read_grids, read_vector

    if file_kind(filename) in ("xlsx", "csv"):
        return read_grids(data, filename=filename)
    return {layer: _attribute_grid(f) for layer, f in read_vector(data, filename).items()}


def _table_of(sheet: str, grid: pd.DataFrame) -> str | None:
    from spaces.io import table_for  # io imports this module for `Mapping`

    found = table_for(sheet, grid)
    if found is not None:
        return found
    flat = _sheet_proposal(sheet, grid, FLAT)
    chosen = {c.target for c in flat.columns if c.confidence >= EXACT}
    return FLAT if "buildings.name" in chosen else None


def _texts(grid: pd.DataFrame, r: int) -> list[str]:
    cells = [_text(v) for v in grid.iloc[r]]
    above = [_text(v) for v in grid.iloc[r - 1]] if r else [""] * len(cells)
    return [c or a for c, a in zip(cells, above, strict=True)]


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v).strip()


def header_row(grid: pd.DataFrame, score: Any) -> int:
    """The row index (0-based) among the first rows whose cells score best; 0 for none."""
    best, best_score = 0, 0.0
    for r in range(min(_HEADER_SCAN, len(grid))):
        s = score(_texts(grid, r))
        if s > best_score:
            best, best_score = r, s
    return best


def _sheet_proposal(sheet: str, grid: pd.DataFrame, table: str) -> SheetProposal:
    spellings = _spellings(table)
    exact, loose = _lookups(spellings)

    def score(texts: list[str]) -> float:
        return sum(_match(t, exact, loose)[1] for t in texts if t)

    r = header_row(grid, score)
    headers = _unique_headers(_texts(grid, r)) if len(grid) else []
    body = grid.iloc[r + 1 :]
    candidates = []
    for c, header in enumerate(headers):
        if not header:
            continue
        target, conf = _match(header, exact, loose)
        if target is None and conf == 0.0:
            target, conf = _fuzzy(header, spellings)
        candidates.append((c, header, target, conf))
    rooms = table == FLAT and any(
        t == "rooms.number" and k >= FUZZY_MIN for _, _, t, k in candidates
    )
    taken: set[str] = set()
    columns = []
    for c, header, target, conf in sorted(candidates, key=lambda x: (-x[3], x[0])):
        if rooms and target == "floors.usable_area_m2":
            target = "rooms.usable_area_m2"  # a per-room sheet: the area is the room's
        if target is not None and target in taken:
            target, conf = None, 0.0
        if target is not None:
            taken.add(target)
        values = [_text(v) for v in body.iloc[:, c]] if c < body.shape[1] else []
        present = [v for v in values if v]
        samples = tuple(dict.fromkeys(present))[:_SAMPLES]
        columns.append(ColumnProposal(c, header, samples, target, conf, bool(present)))
    columns.sort(key=lambda p: p.index)
    return SheetProposal(sheet, table, r + 1, tuple(columns))


def _unique_headers(texts: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for text in texts:
        if not text:
            out.append("")
            continue
        n = seen.get(text, 0) + 1
        seen[text] = n
        out.append(text if n == 1 else f"{text} ({n})")
    return out


def _lookups(
    spellings: MappingABC[str, list[tuple[str, float]]],
) -> tuple[dict[str, tuple[str | None, float]], dict[str, tuple[str | None, float]]]:
    exact: dict[str, tuple[str | None, float]] = {}
    loose: dict[str, tuple[str | None, float]] = {}
    for target, words in spellings.items():
        for word, conf in words:
            exact.setdefault(_canon_full(word), (target, conf))
    for target, words in spellings.items():
        for word, conf in words:
            loose.setdefault(_canon(word), (target, conf))
    for word in IGNORED_WORDS:
        exact.setdefault(_canon_full(word), (None, EXACT))
        loose.setdefault(_canon(word), (None, EXACT))
    return exact, loose


def _match(
    header: str,
    exact: MappingABC[str, tuple[str | None, float]],
    loose: MappingABC[str, tuple[str | None, float]],
) -> tuple[str | None, float]:
    return exact.get(_canon_full(header)) or loose.get(_canon(header)) or (None, 0.0)


def _fuzzy(
    header: str, spellings: MappingABC[str, list[tuple[str, float]]]
) -> tuple[str | None, float]:
    """The most similar spelling's target, with 0.9 × similarity; (None, 0) below the floor."""
    text = _canon(header)
    if not text:
        return None, 0.0
    best: tuple[str | None, float] = (None, 0.0)
    for target, words in spellings.items():
        for word, _ in words:
            w = _canon(word)
            if not w:
                continue
            ratio = difflib.SequenceMatcher(None, text, w).ratio()
            if len(w) >= 2 and (w in text or text in w):
                ratio = max(ratio, 0.75)
            if ratio > best[1]:
                best = (target, ratio)
    if best[1] < FUZZY_MIN:
        return None, 0.0
    return best[0], round(0.9 * best[1], 2)


def _value_proposals(
    grids: MappingABC[str, pd.DataFrame], sheets: Iterable[SheetProposal], vocabs: Vocabularies
) -> list[ValueProposal]:
    counts: dict[tuple[str, str], int] = {}
    for s in sheets:
        grid = grids[s.sheet]
        body = grid.iloc[s.header_row :]
        for c in s.columns:
            f = _field_of(c.target)
            if f is None or not f.vocabulary or f.vocabulary not in vocabs:
                continue
            for v in body.iloc[:, c.index]:
                word = normalize_text(v) if _text(v) else ""
                if word:
                    counts[(f.vocabulary, word)] = counts.get((f.vocabulary, word), 0) + 1
    out = []
    for (vocab, word), n in counts.items():
        code, conf = propose_value(vocab, word, vocabs)
        out.append(ValueProposal(vocab, word, code, conf, n))
    return sorted(out, key=lambda v: (v.vocabulary, -v.count, v.word))


def propose_value(vocab: str, word: str, vocabs: Vocabularies) -> tuple[str | None, float]:
    """The code proposed for ``word`` of vocabulary ``vocab``, with the confidence."""
    key = _canon(word)
    labels = vocabs.get(vocab, {})
    for code, (zh, en) in labels.items():
        if key in (_canon(code), _canon(zh), _canon(en)):
            return code, EXACT
    for w, code in VALUE_SYNONYMS.get(vocab, {}).items():
        if _canon(w) == key and code in labels:
            return code, _LOWER_VALUES.get((vocab, w), 0.9)
    best: tuple[str | None, float] = (None, 0.0)
    spellings = [(w, c) for w, c in VALUE_SYNONYMS.get(vocab, {}).items()]
    spellings += [(s, c) for c, pair in labels.items() for s in (c, *pair)]
    for w, code in spellings:
        ratio = difflib.SequenceMatcher(None, key, _canon(w)).ratio()
        if ratio > best[1] and code in labels:
            best = (code, ratio)
    if best[1] < FUZZY_MIN:
        return None, 0.0
    return best[0], round(0.8 * best[1], 2)


def _field_of(target: str | None) -> Field | None:
    if target is None:
        return None
    table, _, name = target.partition(".")
    if table == "buildings" and name in ("lon", "lat", "outline", "footprint_m2"):
        return reading_table(TABLES["buildings"]).field(name)
    if table in TABLES:
        try:
            return reading_table(TABLES[table]).field(name)
        except KeyError:
            return None
    return None


def field_of(target: str | None) -> Field | None:
    """The field a target ("table.field") names, None for an unknown one."""
    return _field_of(target)


# --- the mapping document ----------------------------------------------------------------------


class MappingError(ValueError):
    """A mapping document that cannot be used; the message says what and where."""


@dataclass(frozen=True)
class Applied:
    """A sheet's cells with the mapping applied, and what is needed to speak of the file.

    ``grid`` has the header row's mapped cells replaced by their field's name (the table's
    field name, or the target for a flat sheet), ignored columns removed, rows above the
    header blanked and vocabulary words replaced by their codes. ``headers`` maps each field
    name in ``grid`` back to the header as written in the file.
    """

    grid: pd.DataFrame
    table: str
    headers: dict[str, str]

    def restore(self, read: ReadResult) -> ReadResult:
        """``read`` (of ``grid``) speaking of the file's headers again, not field names."""
        columns = {f: self.headers.get(h, h) for f, h in read.columns.items()}
        issues = [
            replace(i, params={**i.params, "column": self.headers.get(i.params["column"])})
            if i.params.get("column") in self.headers
            else i
            for i in read.issues
        ]
        return replace(read, columns=columns, issues=issues)


@dataclass(frozen=True)
class SheetMapping:
    """One sheet's mapping: the table it holds (or `FLAT`) and header -> target or None."""

    sheet: str
    table: str
    columns: dict[str, str | None]

    def apply(self, grid: pd.DataFrame, values: MappingABC[str, MappingABC[str, str]]) -> Applied:
        """The sheet's cells with this mapping applied (see `Applied`)."""
        keys = {_canon_full(h): t for h, t in self.columns.items()}

        def score(texts: list[str]) -> float:
            return sum(1.0 for t in texts if t and _canon_full(t) in keys)

        r = header_row(grid, score)
        headers = _unique_headers(_texts(grid, r))
        out = grid.copy()
        out.iloc[:r] = None
        keep = []
        names: dict[str, str] = {}
        for c, header in enumerate(headers):
            key = _canon_full(header) if header else None
            if key is None or key not in keys:
                out.iat[r, c] = header or None  # unmapped: as written (two-row headers too)
                keep.append(c)
                continue
            target = keys[key]
            if target is None:
                continue  # explicitly not imported
            name = target if self.table == FLAT else target.partition(".")[2]
            out.iat[r, c] = name
            names[name] = header
            keep.append(c)
            f = _field_of(target)
            vmap = values.get(f.vocabulary, {}) if f is not None and f.vocabulary else {}
            if vmap:
                lookup = {_canon(w): code for w, code in vmap.items()}
                col = out.iloc[r + 1 :, c]
                out.iloc[r + 1 :, c] = col.map(
                    lambda v, lk=lookup: lk.get(_canon(v), v) if _text(v) else v
                )
        out = out.iloc[:, keep]
        out.columns = range(out.shape[1])
        return Applied(out, self.table, names)


@dataclass(frozen=True)
class Mapping:
    """Every sheet's column mapping and the value maps (vocabulary -> word -> code)."""

    sheets: tuple[SheetMapping, ...]
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def sheet_for(self, sheet: str, grid: pd.DataFrame) -> SheetMapping | None:
        """The sheet mapping for a sheet: by name, else the one whose headers it has."""
        for s in self.sheets:
            if s.sheet == sheet:
                return s
        best, best_n = None, 0
        for s in self.sheets:
            keys = {_canon_full(h) for h in s.columns}

            def score(texts: list[str], keys: set[str] = keys) -> float:
                return sum(1.0 for t in texts if t and _canon_full(t) in keys)

            n = score(_texts(grid, header_row(grid, score))) if len(grid) else 0
            if n > best_n and n >= max(1, len(keys) // 2):
                best, best_n = s, n
        return best

    @property
    def signature(self) -> str:
        """The header signature of the sheets it maps (see `signature`)."""
        return signature({s.sheet: list(s.columns) for s in self.sheets})

    def to_json(self) -> str:
        """The mapping as a JSON document (see README "Loading your own data")."""
        doc = {
            "format": FORMAT,
            "sheets": [
                {"sheet": s.sheet, "table": s.table, "columns": dict(s.columns)}
                for s in self.sheets
            ],
            "values": self.values,
        }
        return json.dumps(doc, ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> Mapping:
        """A mapping from its JSON document.

        Raises
        ------
        MappingError
            If the text is not a mapping document, or names a table, field or code that
            does not exist.
        """
        try:
            doc = json.loads(text)
        except (ValueError, UnicodeDecodeError) as e:
            raise MappingError(f"not a JSON mapping document ({e})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise MappingError(f'a mapping document starts with "format": "{FORMAT}"')
        sheets = []
        for i, s in enumerate(doc.get("sheets") or []):
            if not isinstance(s, dict) or not isinstance(s.get("columns"), dict):
                raise MappingError(f"sheets[{i}]: needs a table and columns")
            table = s.get("table")
            if table != FLAT and table not in TABLES:
                known = ", ".join([FLAT, *TABLES])
                raise MappingError(f"sheets[{i}]: unknown table {table!r}; use one of {known}")
            allowed = targets(table)
            for header, target in s["columns"].items():
                if target is not None and target not in allowed:
                    raise MappingError(
                        f"sheets[{i}] column {header!r}: {target!r} is not a field of {table}"
                    )
            sheets.append(SheetMapping(str(s.get("sheet", "")), table, dict(s["columns"])))
        values = doc.get("values") or {}
        if not isinstance(values, dict):
            raise MappingError('"values" maps a vocabulary to {word: code}')
        for vocab, words in values.items():
            if vocab not in (*VOCABULARIES, "units", "tracks") or not isinstance(words, dict):
                raise MappingError(f"values: unknown vocabulary {vocab!r}")
            for word, code in words.items():
                if vocab in VOCABULARIES and code not in VOCABULARIES[vocab]:
                    codes = ", ".join(VOCABULARIES[vocab])
                    raise MappingError(
                        f"values {vocab} {word!r}: unknown code {code!r}; use one of {codes}"
                    )
        return cls(tuple(sheets), {k: dict(v) for k, v in values.items()})


def unmapped_issue(table: str, header: str) -> Issue:
    """The error of a column holding data that is neither mapped nor ignored."""
    return Issue(table, None, None, "unmapped_column", header, {"column": header})
