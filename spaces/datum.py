"""The datum of a file's coordinates, guessed from its head before the whole file is read.

Coordinates picked from a Chinese map app look like any longitude/latitude but are GCJ-02
(AutoNavi/Amap, Tencent) or BD-09 (Baidu), ~480 m or ~1 km off WGS84 near Hongqiao. A file
seldom says so; where it gives a clue, `probe` finds it in the file's first rows: a KML written
by Amap or Baidu (its name, author, description, style links), headers or title rows such as
"高德坐标", "百度坐标", "经度(GCJ-02)", or a datum column ("坐标系": "GCJ-02"). Where the file has
coordinates and no clue, the probe says the user must be asked (``needs_answer``); a spreadsheet
has no CRS of its own, so nothing is assumed.

Only the head is read (``HEAD_ROWS`` rows per sheet, ``HEAD_BYTES`` of KML), so the question
comes right after the upload, before the whole file is parsed.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from geodata.offsets import datum_in_text
from spaces import xlsx
from spaces.io import file_kind
from spaces.limits import ImportLimits, ZipBudget
from spaces.outline import OutlineError, parse_outline, point, reading_table
from spaces.schema import TABLES
from spaces.sheets import aliases
from spaces.tabular import CellError, UnreadableFileError, read_grid, read_grids

CHOICES = ("WGS84", "GCJ-02", "BD-09", "CGCS2000")
"""The datums a user is offered for longitude/latitude without a datum."""

HEAD_ROWS = 60
HEAD_BYTES = 256 * 1024

_APPS = (
    ("GCJ-02", ("amap", "autonavi", "高德", "gaode", "tencent", "腾讯地图", "qq.com/map")),
    ("BD-09", ("baidu", "百度", "bdmap")),
)
_DATUM_COLUMN = ("坐标系", "坐标系统", "datum", "crs", "坐标类型", "coordinate system")


@dataclass(frozen=True)
class DatumProbe:
    """What the head of a file says about its coordinates.

    ``coordinates``: it holds longitude/latitude or outlines of its own, with no CRS that
    says their datum (KML counts as WGS84 by its specification unless a clue says otherwise);
    ``guess``: the datum a clue names, with the ``clue`` as found; ``points``: a sample of
    the coordinates as written, for a preview of each choice on the map.
    """

    coordinates: bool
    guess: str | None = None
    clue: str = ""
    points: gpd.GeoSeries = field(default_factory=lambda: gpd.GeoSeries([], dtype=object))

    @property
    def needs_answer(self) -> bool:
        """True when the file has coordinates of unknown datum: ask before committing."""
        return self.coordinates and self.guess is None


def probe(data: bytes, filename: str, limits: ImportLimits | None = None) -> DatumProbe:
    """Guess the datum from the first rows of a spreadsheet or the head of a KML/KMZ.

    Reads at most ``HEAD_ROWS`` rows of each sheet and ``HEAD_BYTES`` of KML, within
    ``limits``. Files it cannot read give "no coordinates": the full read reports them.
    """
    limits = limits or ImportLimits()
    try:
        kind = file_kind(filename)
    except UnreadableFileError:
        return DatumProbe(False)
    try:
        if kind in ("xlsx", "csv"):
            return _probe_sheets(_head_grids(data, filename, kind, limits))
        if kind == "kml":
            return _probe_kml(data[:HEAD_BYTES].decode("utf-8", "replace"))
        if kind == "zip":
            return _probe_zip(data, filename, limits)
    except (ValueError, zipfile.BadZipFile, KeyError, OSError):  # the full read says why
        return DatumProbe(False)
    return DatumProbe(False)  # GeoJSON, GeoPackage: their CRS says it


def app_in_text(text: str) -> tuple[str, str] | None:
    """(datum, the word) when ``text`` names a map app whose coordinates are GCJ-02/BD-09."""
    low = text.lower()
    for code, words in _APPS:
        for w in words:
            if w in low:
                return code, w
    return None


def _head_grids(data: bytes, filename: str, kind: str, limits: ImportLimits) -> dict:
    if kind == "csv":
        head = b"\n".join(data[: HEAD_BYTES * 4].splitlines()[:HEAD_ROWS])
        return read_grids(head, filename=filename, limits=limits)
    out = {}
    with ZipBudget(data, filename, limits) as book:
        sheets, date1904 = xlsx.sheets(book)
        strings = xlsx.shared_strings(book)
        for s in sheets:
            rows = xlsx.rows(
                book,
                s,
                strings=strings,
                dates=set(),
                date1904=date1904,
                limits=limits,
                error=CellError,
            )
            head = [list(r) for r in itertools.islice(rows, HEAD_ROWS)]
            rows.close()
            width = max((len(r) for r in head), default=0)
            out[s.name] = pd.DataFrame([r + [None] * (width - len(r)) for r in head], dtype=object)
    return out


def _probe_sheets(grids: dict[str, pd.DataFrame]) -> DatumProbe:
    coordinates = False
    points: list[Any] = []
    clue: tuple[str, str] | None = None
    for sheet, grid in grids.items():
        for name in ("plots", "buildings"):
            t = TABLES[name]
            try:
                read = read_grid(grid, table=reading_table(t), aliases=aliases(t))
            except UnreadableFileError:
                continue
            cols = read.columns
            if not ({"outline", "lon", "lat"} & set(cols)):
                continue
            found = _points(read.frame)
            if found:
                coordinates = True
                points += found
            header = read.header_row
            texts = [sheet, *(_texts(grid.iloc[:header]))]
            clue = clue or _clue(texts) or _datum_column(grid, header)
            break
    if clue is None:
        return DatumProbe(coordinates, points=gpd.GeoSeries(points, dtype=object))
    return DatumProbe(coordinates, clue[0], clue[1], gpd.GeoSeries(points, dtype=object))


def _texts(block: pd.DataFrame) -> list[str]:
    return [
        str(v)
        for v in block.to_numpy().ravel()
        if isinstance(v, str) and v.strip() and not re.fullmatch(r"[\d.\s,-]+", v)
    ]


def _clue(texts: list[str]) -> tuple[str, str] | None:
    """The first datum or map app named in header and title texts."""
    for text in texts:
        app = app_in_text(text)
        if app:
            return app[0], text.strip()
        code = datum_in_text(text)
        if code:
            return code, text.strip()
    return None


def _datum_column(grid: pd.DataFrame, header: int) -> tuple[str, str] | None:
    """A column headed 坐标系/datum whose values name one datum."""
    if header < 1:
        return None
    row = grid.iloc[header - 1]
    for c, head in enumerate(row):
        if isinstance(head, str) and head.strip().lower() in _DATUM_COLUMN:
            named = {
                datum_in_text(v) or (app_in_text(v) or (None,))[0]
                for v in grid.iloc[header:, c]
                if isinstance(v, str) and v.strip()
            }
            named.discard(None)
            if len(named) == 1:
                code = named.pop()
                return code, f"{head.strip()}: {code}"
    return None


def _points(frame: pd.DataFrame) -> list[Any]:
    out = []
    for _, row in frame.iterrows():
        text = row.get("outline")
        geom = None
        if isinstance(text, str) and text.strip():
            try:
                geom = parse_outline(text)
            except OutlineError:
                geom = None
            geom = None if geom is None or geom.is_empty else shapely.centroid(geom)
        else:
            geom = point(row.get("lon"), row.get("lat"))
        if geom is not None:
            out.append(geom)
    return out


_COORDS = re.compile(r"<(?:\w+:)?coordinates>\s*([-\d.]+)\s*,\s*([-\d.]+)")


def _probe_kml(text: str) -> DatumProbe:
    points = [shapely.Point(float(x), float(y)) for x, y in _COORDS.findall(text)[:HEAD_ROWS]]
    series = gpd.GeoSeries(points, dtype=object)
    app = app_in_text(text)
    if app:
        return DatumProbe(True, app[0], app[1], series)
    # KML is WGS84 by its specification: no clue, no question (the file's CRS says it).
    return DatumProbe(False, points=series)


def _probe_zip(data: bytes, filename: str, limits: ImportLimits) -> DatumProbe:
    with ZipBudget(data, filename, limits) as book:
        for m in book.members():
            if m.filename.lower().endswith(".kml"):
                head = next(book.stream(m), b"")[:HEAD_BYTES]
                return _probe_kml(head.decode("utf-8", "replace"))
    return DatumProbe(False)
