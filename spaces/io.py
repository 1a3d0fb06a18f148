"""Files in and out: spreadsheets, GeoJSON, GeoPackage, zipped Shapefile, KML; template, exports.

Readers turn a file's bytes into tables of cells matched to the schema (`spaces.tabular`), with
the geometry and CRS of vector files; they raise `UnreadableFileError` (a ValueError) with a
plain message for anything that is not such a file. Writers return bytes for a download; the
spreadsheets among them are written through `spaces.export`, which writes text as text.
"""

from __future__ import annotations

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

MAX_BYTES = 200 * 2**20
"""Largest file (and largest unzipped content) accepted, in bytes."""

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
        raise UnreadableFileError(
            f"{filename}: unsupported file type {suffix or '(none)'}; use one of {known}"
        )
    return KINDS[suffix]


# --- reading the inventory ---------------------------------------------------------------------


def read_inventory_file(
    data: bytes, filename: str, *, table: str | None = None, mapping: ColumnMapping | None = None
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

    Raises
    ------
    UnreadableFileError
        If the file cannot be read or holds no recognisable table.
    """
    _check_size(data, filename)
    if table is not None and table not in TABLES:
        raise UnreadableFileError(f"unknown table {table!r}: use one of {', '.join(TABLES)}")
    kind = file_kind(filename)
    tables: dict[str, SourceTable] = {}
    skipped: list[str] = []
    flat: list[SourceTable] = []
    if kind in ("xlsx", "csv"):
        for sheet, grid in read_grids(data, filename=filename).items():
            applied = None
            if mapping is not None:
                applied = _mapped(mapping, sheet, grid, filename, flat, row_base=1)
                if applied is None:
                    skipped.append(sheet or filename)
                    continue
                if applied is True:
                    continue
                grid = applied.grid
            name = table or (applied.table if applied else _table_for(sheet, grid))
            if name is None:
                skipped.append(sheet or filename)
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
        for layer, frame in read_vector(data, filename).items():
            grid = _attribute_grid(frame)
            applied = None
            if mapping is not None:
                applied = _mapped(mapping, layer, grid, filename, flat, row_base=0)
                if applied is None:
                    skipped.append(layer)
                    continue
                if applied is True:
                    continue
                grid = applied.grid
            name = table or (applied.table if applied else _table_for(layer, grid))
            if name is None:
                skipped.append(layer)
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
        expected = "、".join(f"{t.label_zh}({t.name})" for t in TABLES.values())
        raise UnreadableFileError(
            f"{filename}: no sheet or layer looks like an inventory table ({expected}); "
            "use the template's headers, or name the sheets after the tables"
        )
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
            f"{filename}: both {tables[name].source!r} and {source!r} hold {name}; "
            "put each table in one sheet or layer"
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


def _attribute_grid(frame: pd.DataFrame) -> pd.DataFrame:
    """An attribute table as a grid of cells with its column names as the header row."""
    attrs = (
        frame.drop(columns=[frame.geometry.name]) if isinstance(frame, gpd.GeoDataFrame) else frame
    )
    values = attrs.astype(object).where(attrs.notna(), None).to_numpy(dtype=object)
    head = np.array([list(attrs.columns)], dtype=object)
    return pd.DataFrame(np.vstack([head, values]) if len(values) else head, dtype=object)


def read_vector(data: bytes, filename: str) -> dict[str, pd.DataFrame]:
    """Every layer of a GeoJSON, GeoPackage, KML or zip (Shapefile, KMZ, ...) file.

    Spatial layers come back as GeoDataFrames in the file's CRS (None when it declares
    none, e.g. a Shapefile without .prj); GeoPackage attribute tables as DataFrames.

    Raises
    ------
    UnreadableFileError
        If GDAL cannot read the file, or a zip holds nothing it can read.
    """
    _check_size(data, filename)
    kind = file_kind(filename)
    if kind == "zip":
        return _read_zip(data, filename)
    if kind not in ("geojson", "gpkg", "kml"):
        raise UnreadableFileError(f"{filename}: not a GIS file (GeoJSON, GeoPackage, KML, zip)")
    return _read_layers(io.BytesIO(data), filename)


def _read_layers(source: Any, filename: str, **options: Any) -> dict[str, pd.DataFrame]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = [str(row[0]) for row in pyogrio.list_layers(source)]
            out = {}
            for i, layer in enumerate(layers):
                if hasattr(source, "seek"):
                    source.seek(0)
                # In-memory files get a random layer name: read by position, name by the file.
                name = Path(filename).stem if layer.startswith("pyogrio_") else layer
                out[_unique(out, name)] = pyogrio.read_dataframe(source, layer=i, **options)
            return out
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
        raise UnreadableFileError(f"{filename}: not a readable GIS file ({e})") from None
    except (pyogrio.errors.GeometryError, pyogrio.errors.FieldError, ValueError) as e:
        raise UnreadableFileError(f"{filename}: the file is damaged ({e})") from None
    except UnicodeDecodeError as e:
        raise UnreadableFileError(f"{filename}: text in an unknown encoding ({e})") from None


def _read_zip(data: bytes, filename: str) -> dict[str, pd.DataFrame]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise UnreadableFileError(f"{filename}: not a readable zip archive ({e})") from None
    if sum(m.file_size for m in members) > MAX_BYTES:
        raise UnreadableFileError(f"{filename}: unzips to more than {MAX_BYTES // 2**20} MB")
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
                target.write_bytes(archive.read(m))
            except (zipfile.BadZipFile, OSError, NotImplementedError, EOFError) as e:
                raise UnreadableFileError(
                    f"{filename}: {m.filename} cannot be unzipped ({e})"
                ) from None
        # A shapefile's parts must sit together: gather them by their stem.
        files = _gather_shapefiles(root)
        for path in files:
            label = path.stem
            options = _shapefile_encoding(path)
            for layer, frame in _read_layers(
                str(path), f"{filename}/{path.name}", **options
            ).items():
                key = label if layer in (label, path.stem) else f"{label}/{layer}"
                out[_unique(out, key)] = frame
    if not out:
        raise UnreadableFileError(
            f"{filename}: the zip holds no Shapefile (.shp with .dbf/.shx), GeoJSON, GeoPackage "
            "or KML"
        )
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
    """Chinese shapefiles without a .cpg are usually GBK: say so unless the DBF is UTF-8."""
    if path.suffix.lower() != ".shp" or path.with_suffix(".cpg").exists():
        return {}
    dbf = path.with_suffix(".dbf")
    if not dbf.exists():
        return {}
    raw = dbf.read_bytes()
    try:
        raw.decode("utf-8")
        return {"encoding": "UTF-8"}
    except UnicodeDecodeError:
        return {"encoding": "GB18030"}


def _unique(existing: Mapping[str, Any], key: str) -> str:
    out, n = key, 2
    while out in existing:
        out, n = f"{key} ({n})", n + 1
    return out


def _check_size(data: bytes, filename: str) -> None:
    if not isinstance(data, bytes | bytearray):
        raise UnreadableFileError(f"{filename}: expected the file's bytes")
    if len(data) > MAX_BYTES:
        raise UnreadableFileError(f"{filename}: larger than {MAX_BYTES // 2**20} MB")
    if not data:
        raise UnreadableFileError(f"{filename}: the file is empty")


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
