"""Official layer files from the district in place of the schematic zone, area and town outlines.

Replacing a layer is a data import, not a code change: the file's features are converted to
WGS84 from their datum, given the layer schema (name, kind, source, datum, method) and stored
with ``approximate`` false, and the map then draws them without the "schematic" label. A
feature that matches a stored one (by kind, by name, or the only one of its layer) keeps its
``feature_id`` and ``kind``, so that hub/Qianwan and town look-ups keep working.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import pandas as pd

from geodata.crs import WGS84
from geodata.layers import COLUMNS, LAYERS, LayerError, validate_layers
from geodata.offsets import convert, offset_warnings, resolve

NAME_COLUMNS = ("name_zh", "name", "名称", "名字", "mc", "xzqmc", "jdmc")
"""Attribute names (compared without case) that hold a feature's Chinese name."""

KIND_COLUMNS = ("kind", "类型", "code", "代码", "xzqdm", "bm")
"""Attribute names that hold a feature's kind (area code, town statistical code, ...)."""

_KNOWN = {
    "area": {"枢纽": "hub", "hub": "hub", "前湾": "qianwan", "qianwan": "qianwan"},
    "town": {
        "新虹": "310112008",
        "华漕": "310112106",
        "xinhong": "310112008",
        "huacao": "310112106",
    },
}


@dataclass(frozen=True)
class LayerPlan:
    """What replacing one layer with a file would do, before anything is written."""

    layer: str
    filename: str
    revision: int
    features: gpd.GeoDataFrame
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    datum: str
    replaced: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when the features pass the layer schema."""
        return not self.errors

    def table(self) -> pd.DataFrame:
        """The new features as a table, without geometry."""
        return pd.DataFrame(self.features.drop(columns="geometry")).reset_index()


def plan_layer_import(
    frames: Mapping[str, pd.DataFrame],
    *,
    filename: str,
    layer: str,
    stored: gpd.GeoDataFrame,
    revision: int,
    datum: str | None = None,
    source: str | None = None,
) -> LayerPlan:
    """Prepare replacing ``layer`` with the features of a file (see `spaces.io.read_vector`).

    Raises
    ------
    LayerError
        For an unknown layer name or a file without features.
    geodata.offsets.DatumError
        When the file has no CRS and no datum is declared.
    """
    if layer not in LAYERS:
        raise LayerError([("", f"unknown layer {layer!r}: use one of {', '.join(LAYERS)}")])
    spatial = [f for f in frames.values() if isinstance(f, gpd.GeoDataFrame) and len(f)]
    if not spatial:
        raise LayerError([("", f"{filename} holds no features with geometry")])
    crs = spatial[0].crs
    frame = pd.concat([f.to_crs(crs) if f.crs != crs and f.crs else f for f in spatial])
    frame = gpd.GeoDataFrame(frame, geometry=frame.geometry.name, crs=crs).reset_index(drop=True)
    raw = frame.geometry
    resolved = resolve(datum, raw.crs, sample=raw)
    geoms = convert(raw, resolved)
    old = stored[stored["layer"] == layer]
    names = _column(frame, NAME_COLUMNS)
    kinds = _column(frame, KIND_COLUMNS)
    rows = []
    taken: set[str] = set()
    for i in range(len(frame)):
        name = _text(names[i]) if names is not None else ""
        kind = _text(kinds[i]) if kinds is not None else ""
        kind = _known_kind(layer, kind, name) or kind
        match = _match(old, name, kind, taken, single=len(frame) == 1)
        if match is not None:
            taken.add(match)
        fid = match or _new_id(layer, kind, name, i, taken | set(stored.index))
        taken.add(fid)
        prior = old.loc[match] if match is not None else None
        rows.append(
            {
                "feature_id": fid,
                "layer": layer,
                "name_zh": name or (prior["name_zh"] if prior is not None else f"{layer} {i + 1}"),
                "name_en": prior["name_en"] if prior is not None and not name else (name or None),
                "kind": kind or (prior["kind"] if prior is not None else None),
                "source": source or f"official file {filename}",
                "datum": resolved.label
                if resolved.label == "WGS84"
                else f"{resolved.label} → WGS84",
                "method": f"imported from {filename} on {date.today().isoformat()}",
                "approximate": False,
            }
        )
    features = gpd.GeoDataFrame(rows, geometry=geoms.to_numpy(), crs=WGS84)
    features = features.set_index("feature_id")[[*COLUMNS[1:], "geometry"]]
    errors: list[str] = []
    try:
        validate_layers(features)
    except LayerError as e:
        errors = [f"{fid}: {what}" if fid else what for fid, what in e.problems]
    warnings = _warnings(layer, features, raw, old, resolved.code)
    return LayerPlan(
        layer,
        filename,
        revision,
        features,
        tuple(errors),
        tuple(warnings),
        resolved.label,
        tuple(old.index),
    )


def _column(frame: pd.DataFrame, candidates: tuple[str, ...]) -> list | None:
    lower = {str(c).lower(): c for c in frame.columns if c != frame.geometry.name}
    for c in candidates:
        if c.lower() in lower:
            return frame[lower[c.lower()]].tolist()
    return None


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    return str(v).strip()


def _known_kind(layer: str, kind: str, name: str) -> str:
    for key, code in _KNOWN.get(layer, {}).items():
        if key in kind.lower() or key in name.lower():
            return code
    return ""


def _core(name: str) -> str:
    return re.sub(r"[（(].*?[)）]|片区|地区|区域|街道|镇|\s", "", name)


def _match(old: pd.DataFrame, name: str, kind: str, taken: set[str], *, single: bool) -> str | None:
    free = old[~old.index.isin(taken)]
    if kind:
        hit = free[free["kind"].astype(str) == kind]
        if len(hit):
            return str(hit.index[0])
    if name:
        core = _core(name)
        for fid, other in free["name_zh"].items():
            if core and (core in _core(str(other)) or _core(str(other)) in core):
                return str(fid)
    if single and len(old) == 1 and len(free) == 1:
        return str(free.index[0])
    return None


def _new_id(layer: str, kind: str, name: str, i: int, used: set[str]) -> str:
    base = f"{layer}.{re.sub(r'[^0-9A-Za-z_]+', '', kind) or i + 1}"
    out, n = base, 2
    while out in used:
        out, n = f"{base}_{n}", n + 1
    return out


def _warnings(
    layer: str, features: gpd.GeoDataFrame, raw: gpd.GeoSeries, old: pd.DataFrame, code: str | None
) -> list[str]:
    out = []
    if layer == "area":
        missing = {"hub", "qianwan"} - set(features["kind"].dropna())
        if missing:
            out.append(
                f"no feature of kind {', '.join(sorted(missing))}: carriers will not be placed "
                "in that area (give a 'kind' column with hub/qianwan, or names with 枢纽/前湾)"
            )
    if code and len(old):
        ids = features.index
        refs = old.geometry.reindex(ids)
        labels = pd.Series(
            {fid: f"{old.at[fid, 'name_zh']} ({fid})" for fid in ids if fid in old.index}
        )
        raw_by_id = gpd.GeoSeries(raw.to_numpy(), index=ids, crs=None)
        for o in offset_warnings(raw_by_id, refs, labels, datum=code):
            out.append(
                f"{o.index}: lies {o.distance_m:.0f} m from {o.reference}; read as {o.better} it "
                f"would lie {o.better_distance_m:.0f} m from it: declare that datum if the file "
                "was made from AutoNavi/Tencent (GCJ-02) or Baidu (BD-09) maps"
            )
    return out
