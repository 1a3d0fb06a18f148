"""Files in and out: spreadsheets, GeoJSON, GeoPackage, zipped Shapefile, KML; template, exports.

Readers turn a file's bytes into tables of cells matched to the schema (`spaces.tabular`), with
the geometry and CRS of vector files; they raise `UnreadableFileError` (a ValueError) with a
plain message for anything that is not such a file. Writers return bytes for a download; the
spreadsheets among them are written through `spaces.export`, which writes text as text.
"""

from __future__ import annotations

import codecs
import html
import io
import itertools
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from pyproj import CRS

from spaces.export import append_row, excel_cell, workbook, workbook_bytes
from spaces.limits import Counter, ImportLimits, LimitError, ZipBudget, check_upload
from spaces.mapping import FLAT, Applied, flat_table
from spaces.mapping import Mapping as ColumnMapping
from spaces.model import Inventory
from spaces.outline import format_outline, reading_table
from spaces.schema import TABLES, Table
from spaces.sheets import EXAMPLES, SheetWords, aliases, sheet_fields, to_labels
from spaces.tabular import (
    ROW,
    ReadResult,
    UnreadableFileError,
    normalize_text,
    read_grid,
    read_grids,
)
from spaces.xlsx import Progress

KINDS = {
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": "csv",
    ".txt": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".zip": "zip",
    ".kml": "kml",
    ".kmz": "zip",
}
"""File name endings the importer reads, and what it reads them as."""

_VECTOR_SUFFIXES = (".shp", ".geojson", ".json", ".gpkg", ".kml")
_HEADER_SCAN_ROWS = 13
_TITLE_ROWS = 3  # title, notes and example above the header of our sheets


@dataclass(frozen=True)
class SourceTable:
    """One table found in a file: its cells read against the schema, and vector geometry.

    ``geometry`` (vector files only) is indexed like ``read.frame`` and in the file's CRS.
    """

    table: str
    read: ReadResult
    source: str
    geometry: gpd.GeoSeries | None = None


@dataclass(frozen=True)
class Upload:
    """The inventory tables found in one file."""

    filename: str
    kind: str
    tables: dict[str, SourceTable]
    skipped: tuple[str, ...] = field(default_factory=tuple)
    flat: tuple[SourceTable, ...] = field(default_factory=tuple)
    """Flat sheets (one row per floor or room, `spaces.flat`), read with the targets as fields."""

    @property
    def crs(self) -> CRS | None:
        """The CRS of the file's geometry (vector files), None when it declares none."""
        for t in self.tables.values():
            if t.geometry is not None and t.geometry.crs is not None:
                return CRS.from_user_input(t.geometry.crs)
        return None


def file_kind(filename: str) -> str:
    """What a file is read as, from its name: xlsx, csv, geojson, gpkg, zip or kml."""
    suffix = Path(filename).suffix.lower()
    if suffix not in KINDS:
        known = ", ".join(sorted(KINDS))
        raise UnreadableFileError("unsupported_type", file=filename, suffix=suffix, known=known)
    return KINDS[suffix]


# --- reading the inventory ---------------------------------------------------------------------


def read_inventory_file(
    data: bytes,
    filename: str,
    *,
    table: str | None = None,
    mapping: ColumnMapping | None = None,
    limits: ImportLimits | None = None,
    progress: Progress | None = None,
) -> Upload:
    """Find the inventory tables in a file and read their cells against the schema.

    Parameters
    ----------
    data
        The file's bytes.
    filename
        Its name; the ending says the format.
    table
        The table the file holds, when it holds one (e.g. a CSV); by default each sheet or
        layer is matched to a table by its name (地块, buildings, ...) or its headers.
    mapping
        The confirmed column mapping (`spaces.mapping`): sheets it maps are read through it,
        a flat sheet into ``Upload.flat``; sheets it does not map are skipped.
    limits
        What the file may hold (`spaces.limits.ImportLimits`, the ``[import]`` settings);
        the defaults when not given.
    progress
        Told of the rows read, as (stage, rows, total or None).

    Raises
    ------
    UnreadableFileError
        If the file cannot be read or holds no recognisable table.
    LimitError
        As soon as the file passes one of ``limits``, before the rest of it is read.
    """
    limits = limits or ImportLimits()
    _check_size(data, filename, limits)
    if table is not None and table not in TABLES:
        raise UnreadableFileError("unknown_table", file=filename, table=table, tables=list(TABLES))
    kind = file_kind(filename)
    tables: dict[str, SourceTable] = {}
    skipped: list[str] = []
    passed: dict[str, pd.DataFrame] = {}  # the grids of skipped sheets and layers
    flat: list[SourceTable] = []
    if kind in ("xlsx", "csv"):
        grids = read_grids(data, filename=filename, limits=limits, progress=progress)
        for sheet, grid in grids.items():
            applied = None
            if mapping is not None:
                applied = _mapped(mapping, sheet, grid, filename, flat, row_base=1)
                if applied is None:
                    skipped.append(sheet or filename)
                    passed[sheet or filename] = grid
                    continue
                if applied is True:
                    continue
                grid = applied.grid
            name = table or (applied.table if applied else _table_for(sheet, grid))
            if name is None:
                skipped.append(sheet or filename)
                passed[sheet or filename] = grid
                continue
            _no_second(tables, name, sheet, filename)
            read = read_grid(
                grid,
                table=reading_table(TABLES[name]),
                aliases=aliases(TABLES[name]),
                name=f"{filename} {sheet}".strip(),
            )
            tables[name] = SourceTable(name, applied.restore(read) if applied else read, sheet)
    else:
        for layer, frame in read_vector(data, filename, limits=limits).items():
            grid = _attribute_grid(frame)
            applied = None
            if mapping is not None:
                applied = _mapped(mapping, layer, grid, filename, flat, row_base=0)
                if applied is None:
                    skipped.append(layer)
                    passed[layer] = grid
                    continue
                if applied is True:
                    continue
                grid = applied.grid
            name = table or (applied.table if applied else _table_for(layer, grid))
            if name is None:
                skipped.append(layer)
                passed[layer] = grid
                continue
            _no_second(tables, name, layer, filename)
            read = read_grid(
                grid,
                table=reading_table(TABLES[name]),
                aliases=aliases(TABLES[name]),
                name=f"{filename} {layer}",
                row_base=0,
            )
            geometry = None
            if isinstance(frame, gpd.GeoDataFrame) and TABLES[name].geometry:
                rows = read.frame[ROW].to_numpy() - 1  # features count from 1
                geometry = gpd.GeoSeries(
                    frame.geometry.to_numpy()[rows], index=read.frame.index, crs=frame.crs
                )
            if applied:
                read = applied.restore(read)
            tables[name] = SourceTable(name, read, layer, geometry)
    if not tables and not flat:
        raise UnreadableFileError("no_table", file=filename, **_closest_table(passed))
    return Upload(filename, kind, tables, tuple(skipped), tuple(flat))


def _mapped(
    mapping: ColumnMapping,
    sheet: str,
    grid: pd.DataFrame,
    filename: str,
    flat: list[SourceTable],
    *,
    row_base: int,
) -> Applied | bool | None:
    """A sheet with ``mapping`` applied; True when it is a flat sheet (added to ``flat``);
    None when the mapping does not map it."""
    sm = mapping.sheet_for(sheet, grid)
    if sm is None:
        return None
    applied = sm.apply(grid, mapping.values)
    if applied.table != FLAT:
        return applied
    read = read_grid(
        applied.grid,
        table=flat_table(),
        name=f"{filename} {sheet}".strip(),
        row_base=row_base,
    )
    flat.append(SourceTable(FLAT, applied.restore(read), sheet))
    return True


def table_for(source: str, grid: pd.DataFrame) -> str | None:
    """The table a sheet or layer holds: by its name, else by the headers it matches best."""
    return _table_for(source, grid)


def _no_second(tables: Mapping[str, SourceTable], name: str, source: str, filename: str) -> None:
    if name in tables:
        raise UnreadableFileError(
            "two_sources", file=filename, table=name, first=tables[name].source, second=source
        )


def _canon(text: Any) -> str:
    return re.sub(r"[\s_\-]+", "", normalize_text(text).lower())


def _table_for(source: str, grid: pd.DataFrame) -> str | None:
    """The table a sheet or layer holds: by its name, else by the headers it matches best."""
    wanted = _canon(Path(source).stem)
    for name, t in TABLES.items():
        if wanted in {_canon(name), _canon(t.label_zh), _canon(t.label_en)}:
            return name
    best, best_score = None, 0
    head = grid.iloc[:_HEADER_SCAN_ROWS]
    for name, t in TABLES.items():
        try:
            read = read_grid(head, table=reading_table(t), aliases=aliases(t))
        except UnreadableFileError:
            continue
        matched = set(read.columns)
        if t.id in matched and len(matched) > best_score:
            best, best_score = name, len(matched)
    return best


_SHOWN_HEADERS = 40  # headers named in a message, at most


def _closest_table(grids: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """For a file with no inventory table: the sheet and table its headers come closest to,
    the columns recognised there as (table, field) and those not, as written."""
    best: dict[str, Any] = {"sheet": "", "table": None, "recognised": [], "unrecognised": []}
    score = 0
    for sheet, grid in grids.items():
        head = grid.iloc[:_HEADER_SCAN_ROWS]
        for name, t in TABLES.items():
            try:
                read = read_grid(head, table=reading_table(t), aliases=aliases(t))
            except UnreadableFileError:
                continue
            if len(read.columns) > score:
                score = len(read.columns)
                best = {
                    "sheet": sheet,
                    "table": name,
                    "recognised": [(name, f) for f in read.columns],
                    "unrecognised": [h for h in read.ignored if h][:_SHOWN_HEADERS],
                }
        if not best["unrecognised"] and not score:  # nothing matched: its fullest top row
            rows = [
                [str(v).strip() for v in r if v is not None and str(v).strip()]
                for r in head.itertuples(index=False)
            ]
            fullest = max(rows, key=len, default=[])
            best |= {"sheet": sheet, "unrecognised": fullest[:_SHOWN_HEADERS]}
    return best


def _attribute_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """An attribute table as a grid of cells with its column names as the header row."""
    attrs = (
        frame.drop(columns=[frame.geometry.name]) if isinstance(frame, gpd.GeoDataFrame) else frame
    )
    values = attrs.astype(object).where(attrs.notna(), None).to_numpy(dtype=object)
    head = np.array([list(attrs.columns)], dtype=object)
    return pd.DataFrame(np.vstack([head, values]) if len(values) else head, dtype=object)


def read_vector(
    data: bytes, filename: str, *, limits: ImportLimits | None = None
) -> dict[str, pd.DataFrame]:
    """Every layer of a GeoJSON, GeoPackage, KML or zip (Shapefile, KMZ, ...) file.

    Spatial layers come back as GeoDataFrames in the file's CRS (None when it declares
    none, e.g. a Shapefile without .prj); GeoPackage attribute tables as DataFrames.

    Raises
    ------
    UnreadableFileError
        If GDAL cannot read the file, or a zip holds nothing it can read.
    LimitError
        For a file, zip or layer past ``limits`` (checked before a layer is read).
    """
    limits = limits or ImportLimits()
    _check_size(data, filename, limits)
    kind = file_kind(filename)
    if kind == "zip":
        return _read_zip(data, filename, limits)
    if kind not in ("geojson", "gpkg", "kml"):
        raise UnreadableFileError("not_gis", file=filename)
    if kind == "kml":
        return _read_kml(data, filename, limits)
    return _read_layers(io.BytesIO(data), filename, limits)


_KML_NAME = re.compile(
    r"""(<(?:[\w.-]+:)?(?:Data|SimpleData|SimpleField)\b[^>]*?\bname\s*=\s*)(["'])(.*?)\2""",
    flags=re.DOTALL,
)
_KML_STANDARD = (
    "id",
    "description",
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
)
"""Columns GDAL adds to every KML layer; kept only when a placemark fills them."""
_KML_DEFAULTS = {"tessellate": -1, "extrude": 0, "visibility": -1}


def _read_kml(
    data: bytes, filename: str, limits: ImportLimits, path: Path | None = None
) -> dict[str, pd.DataFrame]:
    """A KML's layers with its ExtendedData fields under their own (Chinese) names.

    GDAL's KML reader turns ``<Data name="可用面积">`` and ``<SimpleData name="…">`` names that
    are not ASCII into underscores (and loses some values): each name is swapped for an ASCII
    stand-in before GDAL reads the file and given back to the columns after.
    """
    if re.search(rb"<!ENTITY", data[:65536]):
        raise UnreadableFileError("kml_entities", file=filename)
    encoding = "gb18030" if re.match(rb"<\?xml[^>]*encoding=[\"']?(gb|GB)", data) else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        raise UnreadableFileError("not_text", file=filename, detail=str(e)) from None
    names: dict[str, str] = {}
    stand_in: dict[str, str] = {}

    def swap(m: re.Match[str]) -> str:
        name = html.unescape(m.group(3)).strip()
        key = stand_in.setdefault(name, f"hq_kml_{len(stand_in):04d}")
        names[key] = name
        return f"{m.group(1)}{m.group(2)}{key}{m.group(2)}"

    rewritten = _KML_NAME.sub(swap, text).encode("utf-8")
    if encoding != "utf-8":
        rewritten = re.sub(rb"encoding=[\"'][^\"']*[\"']", b'encoding="UTF-8"', rewritten, count=1)
    if path is None:
        layers = _read_layers(io.BytesIO(rewritten), filename, limits)
    else:
        path.write_bytes(rewritten)
        layers = _read_layers(str(path), filename, limits)
    return {layer: _kml_columns(frame, names) for layer, frame in layers.items()}


def _kml_columns(frame: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """GDAL's columns of a KML layer with the ExtendedData names given back; its standard
    columns dropped when no placemark fills them, and its ``Name``/``Description`` when an
    ExtendedData field holds the same text (a map app writes the building's name twice)."""
    empty = []
    for column in _KML_STANDARD:
        if column in frame.columns:
            values = frame[column]
            filled = values.notna() & (values != _KML_DEFAULTS.get(column, ""))
            if not filled.any():
                empty.append(column)
    own = [c for c in frame.columns if c in names]
    for column in ("Name", "Description"):
        if column in frame.columns and any(_same_text(frame[column], frame[c]) for c in own):
            empty.append(column)
    return frame.drop(columns=empty).rename(columns=dict(names))


def _same_text(a: pd.Series, b: pd.Series) -> bool:
    def text(s: pd.Series) -> list[str]:
        return ["" if pd.isna(v) else str(v).strip() for v in s]

    return text(a) == text(b)


def _read_layers(
    source: Any, filename: str, limits: ImportLimits, **options: Any
) -> dict[str, pd.DataFrame]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = [str(row[0]) for row in pyogrio.list_layers(source)]
            if len(layers) > limits.zip_entries:
                raise LimitError("zip_entries", len(layers), limits.zip_entries, file=filename)
            out = {}
            for i, layer in enumerate(layers):
                if hasattr(source, "seek"):
                    source.seek(0)
                # In-memory files get a random layer name: read by position, name by the file.
                name = Path(filename).stem if layer.startswith("pyogrio_") else layer
                info = pyogrio.read_info(source, layer=i, **options)
                Counter(limits, filename, name).table(
                    max(int(info["features"]), 0), len(info["fields"]) + 1
                )
                if hasattr(source, "seek"):
                    source.seek(0)
                out[_unique(out, name)] = pyogrio.read_dataframe(source, layer=i, **options)
            return out
    except LimitError:
        raise
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
        raise UnreadableFileError("not_gis", file=filename, detail=str(e)) from None
    except (pyogrio.errors.GeometryError, pyogrio.errors.FieldError, ValueError) as e:
        raise UnreadableFileError("damaged", file=filename, detail=str(e)) from None
    except UnicodeDecodeError as e:
        raise UnreadableFileError("not_text", file=filename, detail=str(e)) from None


def _read_zip(data: bytes, filename: str, limits: ImportLimits) -> dict[str, pd.DataFrame]:
    try:  # entries and declared sizes are checked here, the real sizes as they are unzipped
        archive = ZipBudget(data, filename, limits)
        members = archive.members()
    except LimitError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise UnreadableFileError("bad_zip", file=filename, detail=str(e)) from None
    out: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory() as tmp, archive:
        root = Path(tmp)
        for i, m in enumerate(members):
            name = PurePosixPath(m.filename.replace("\\", "/"))
            if ".." in name.parts or name.name.startswith("."):
                continue
            target = root / f"{i:04d}_{name.parent.as_posix().replace('/', '_')}" / name.name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with open(target, "wb") as f:
                    for chunk in archive.stream(m):
                        f.write(chunk)
            except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as e:
                raise UnreadableFileError(
                    "cannot_unzip", file=filename, member=m.filename, detail=str(e)
                ) from None
        # A shapefile's parts must sit together: gather them by their stem.
        files = _gather_shapefiles(root)
        for path in files:
            label = path.stem
            if path.suffix.lower() == ".kml":
                read = _read_kml(path.read_bytes(), f"{filename}/{path.name}", limits, path)
            else:
                options = _shapefile_encoding(path)
                read = _read_layers(str(path), f"{filename}/{path.name}", limits, **options)
            for layer, frame in read.items():
                key = label if layer in (label, path.stem) else f"{label}/{layer}"
                out[_unique(out, key)] = frame
    if not out:
        raise UnreadableFileError("zip_empty", file=filename)
    return out


def _gather_shapefiles(root: Path) -> list[Path]:
    flat = root / "_gathered"
    flat.mkdir()
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and flat not in p.parents):
        suffix = path.suffix.lower()
        if suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            target = flat / (path.stem + suffix)
            if not target.exists():
                path.rename(target)
                if suffix == ".shp":
                    found.append(target)
        elif suffix in _VECTOR_SUFFIXES:
            found.append(path)
    return found


def _shapefile_encoding(path: Path) -> dict[str, Any]:
    """The encoding of a Shapefile's .dbf when no .cpg says it; its field names made readable.

    Chinese shapefiles without a .cpg are usually GBK (GB18030 reads it), unless the .dbf
    declares code page 936 or its text is UTF-8. A .dbf field name holds 10 bytes: Chinese
    names are cut to 5 GBK or 3 UTF-8 characters (计划竣工日期 → 计划竣工日), and a name cut
    inside a character (a UTF-8 one after 9 bytes) has that broken tail cleared here, on the
    unzipped copy, so that it reads and matches its field by prefix (`spaces.tabular`).
    """
    if path.suffix.lower() != ".shp":
        return {}
    dbf = path.with_suffix(".dbf")
    if not dbf.exists():
        return {}
    raw = bytearray(dbf.read_bytes())
    cpg = path.with_suffix(".cpg")
    declared = cpg.read_text(errors="replace").strip() if cpg.exists() else ""
    encoding = _known_encoding(declared) or _dbf_encoding(bytes(raw))
    if encoding and _clear_cut_names(raw, encoding):
        dbf.write_bytes(bytes(raw))
    return {"encoding": encoding} if encoding and not declared else {}


_GBK_CODE_PAGE = 0x4D  # the .dbf language driver id of code page 936 (GBK)


def _dbf_names(raw: bytes) -> list[tuple[int, bytes]]:
    """(offset, name bytes) of each field descriptor of a .dbf header."""
    if len(raw) < 32:
        return []
    header = int.from_bytes(raw[8:10], "little")
    out = []
    for at in range(32, min(header, len(raw)) - 31, 32):
        if raw[at] == 0x0D:
            break
        out.append((at, bytes(raw[at : at + 11]).split(b"\0")[0]))
    return out


def _known_encoding(name: str) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _dbf_encoding(raw: bytes) -> str:
    if len(raw) > 29 and raw[29] == _GBK_CODE_PAGE:
        return "GB18030"
    header = int.from_bytes(raw[8:10], "little") if len(raw) >= 10 else 0
    try:
        raw[header:].decode("utf-8")
    except UnicodeDecodeError:
        return "GB18030"
    # Names cut inside a character leave at most one broken one each; GBK names many.
    broken = [name.decode("utf-8", errors="replace").count("\ufffd") for _, name in _dbf_names(raw)]
    return "UTF-8" if all(n <= 1 for n in broken) else "GB18030"


def _clear_cut_names(raw: bytearray, encoding: str) -> bool:
    """Drop the bytes of characters cut inside a field name (at its end, or before the
    "_1" GDAL adds to tell cut names apart); True if any name changed."""
    changed = False
    for at, name in _dbf_names(bytes(raw)):
        kept = name.decode(encoding, errors="ignore").encode(encoding)
        if kept != name and kept:
            raw[at : at + 11] = kept[:10].ljust(11, b"\0")
            changed = True
    return changed


def _unique(existing: Mapping[str, Any], key: str) -> str:
    out, n = key, 2
    while out in existing:
        out, n = f"{key} ({n})", n + 1
    return out


def _check_size(data: bytes, filename: str, limits: ImportLimits) -> None:
    if not isinstance(data, bytes | bytearray):
        raise UnreadableFileError("not_bytes", file=filename)
    check_upload(data, filename, limits)
    if not data:
        raise UnreadableFileError("empty", file=filename)


# --- spreadsheets out: the template and the Excel export ---------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FFFCE4D6")
_NOTE_FONT = Font(size=9, color="FF595959")
_EXAMPLE_FONT = Font(italic=True, color="FF7F7F7F")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def template_xlsx(words: SheetWords) -> bytes:
    """The import template: an instruction sheet, then a sheet per table with an example.

    ``words`` (`words.imports.sheet_words`) hold its text in one language. Vocabulary
    columns get drop-down lists of their labels (kept on a hidden sheet).
    """
    wb = workbook(write_only=False)  # merged title cells and drop-down lists
    _instruction_sheet(wb.active, words)
    lists = wb.create_sheet("lists")
    lists.sheet_state = "hidden"
    list_ranges = _vocabulary_lists(lists, words.labels)
    for t in TABLES.values():
        ws = wb.create_sheet(words.sheets[t.name])
        fields = sheet_fields(t)
        _title_rows(ws, t, fields, words, example=EXAMPLES[t.name])
        headers, comments = words.headers[t.name], words.comments[t.name]
        append_row(
            ws,
            [
                excel_cell(
                    ws,
                    headers[f.name],
                    font=Font(bold=True),
                    fill=_REQUIRED_FILL if f.required else _HEADER_FILL,
                    comment=Comment(comments[f.name], "template"),
                )
                for f in fields
            ],
        )
        for col, f in enumerate(fields, start=1):
            if f.vocabulary:
                dv = DataValidation(
                    type="list", formula1=list_ranges[f.vocabulary], allow_blank=True
                )
                dv.error = words.choose_listed
                dv.showErrorMessage = False  # a warning in the import report is enough
                ws.add_data_validation(dv)
                letter = get_column_letter(col)
                dv.add(f"{letter}{_TITLE_ROWS + 2}:{letter}{_TITLE_ROWS + 2000}")
        ws.freeze_panes = ws.cell(row=_TITLE_ROWS + 2, column=2)
    return workbook_bytes(wb)


def export_xlsx(inventory: Inventory, words: SheetWords) -> bytes:
    """The whole inventory as a workbook in the template's layout (import it back as is).

    ``words`` (`words.imports.sheet_words`) hold its headers, notes and labels in one
    language; outlines are full-precision WKT in the outline column, whose header says WGS84.
    """
    wb = workbook()
    for t in TABLES.values():
        ws = wb.create_sheet(words.sheets[t.name])
        fields = [f for f in sheet_fields(t) if f.name not in ("lon", "lat", "footprint_m2")]
        append_row(ws, [words.captions[t.name]], font=Font(bold=True))
        append_row(ws, [words.notes[t.name][f.name] for f in fields], font=_NOTE_FONT)
        ws.append([])
        headers = [
            words.headers[t.name][f.name] + ("(WGS84)" if f.name == "outline" else "")
            for f in fields
        ]
        append_row(ws, headers, font=Font(bold=True))
        frame = to_labels(getattr(inventory, t.name), t, words.labels)
        for row in _rows(frame, t, fields, words.yes_no):
            append_row(ws, row)
    return workbook_bytes(wb)


def _instruction_sheet(ws: Any, words: SheetWords) -> None:
    ws.title = words.readme
    append_row(ws, [words.heading], font=Font(bold=True, size=14))
    for topic, text in words.instructions:
        append_row(
            ws,
            [
                excel_cell(ws, topic, font=Font(bold=True)),
                excel_cell(ws, text, alignment=_WRAP_TOP),
            ],
        )
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 120


def _vocabulary_lists(ws: Any, labels: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """One column per vocabulary (its name, then its labels); the range of each list."""
    columns = [[name, *vocab.values()] for name, vocab in labels.items()]
    for row in itertools.zip_longest(*columns):
        append_row(ws, row)
    return {
        name: f"lists!${get_column_letter(col)}$2:${get_column_letter(col)}${len(values)}"
        for col, (name, values) in enumerate(zip(labels, columns, strict=True), start=1)
    }


def _title_rows(ws: Any, t: Table, fields: list, words: SheetWords, *, example: Mapping) -> None:
    append_row(ws, [words.titles[t.name]], font=Font(bold=True))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(fields))
    notes = [words.notes[t.name][f.name] for f in fields]
    append_row(ws, notes, font=_NOTE_FONT, alignment=_WRAP_TOP)
    append_row(ws, [example.get(f.name) for f in fields], font=_EXAMPLE_FONT)
    for col, text in enumerate(notes, start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(12, min(30, len(text) // 3))
    ws.row_dimensions[2].height = 60


def _rows(
    frame: pd.DataFrame, t: Table, fields: list, yes_no: tuple[str, str]
) -> Iterator[list[Any]]:
    ids = frame.index.to_numpy()
    columns = {}
    for f in fields:
        if f.name == t.id:
            columns[f.name] = ids
        elif f.name == "outline":
            columns[f.name] = [format_outline(g) for g in frame.geometry]
        else:
            col = frame[f.name]
            columns[f.name] = col.astype(object).where(col.notna(), None).to_numpy()
    yes, no = yes_no
    kinds = {f.name: f.kind for f in fields}
    for i in range(len(frame)):
        row = []
        for f in fields:
            v = columns[f.name][i]
            if v is not None and kinds[f.name] == "bool":
                v = yes if v else no
            row.append(v)
        yield row


# --- GIS out: GeoPackage and GeoJSON -----------------------------------------------------------


def export_gpkg(inventory: Inventory, layers: gpd.GeoDataFrame) -> bytes:
    """A GeoPackage of every table and layer, in EPSG:4326, that QGIS opens as is.

    Plots and buildings are polygon layers, the other inventory tables attribute tables, and
    each base layer its own layer ``layer_<name>`` with its provenance columns.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inventory.gpkg"
        for name, frame in _export_frames(inventory, layers).items():
            _write(frame, path, layer=name, driver="GPKG")
        return path.read_bytes()


def export_geojson(inventory: Inventory, layers: gpd.GeoDataFrame) -> bytes:
    """A zip of GeoJSON files, one per table and layer (attribute tables with null geometry)."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, frame in _export_frames(inventory, layers).items():
            path = Path(tmp) / f"{name}.geojson"
            if not isinstance(frame, gpd.GeoDataFrame):
                frame = gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4326")
            _write(frame, path, driver="GeoJSON", layer_options={"RFC7946": "NO"})
            z.write(path, path.name)
    return buf.getvalue()


def _export_frames(inventory: Inventory, layers: gpd.GeoDataFrame) -> dict[str, pd.DataFrame]:
    out: dict[str, pd.DataFrame] = {}
    for name, t in TABLES.items():
        frame = getattr(inventory, name).drop(columns=["version"], errors="ignore")
        frame = frame.reset_index(names=t.id)
        out[name] = frame
    frame = layers.drop(columns=["version"], errors="ignore")
    frame = frame.reset_index(names="feature_id") if frame.index.name == "feature_id" else frame
    for layer in dict.fromkeys(frame["layer"]):
        out[f"layer_{layer}"] = frame[frame["layer"] == layer].reset_index(drop=True)
    return out


def _write(frame: pd.DataFrame, path: Path, **options: Any) -> None:
    frame = frame.copy()
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.StringDtype):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pyogrio.write_dataframe(frame, path, append=path.exists(), **options)
