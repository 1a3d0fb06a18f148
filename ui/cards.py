"""Building and plot cards: attribute lists and the stacking plan as HTML, without Streamlit."""

from __future__ import annotations

import html
from typing import Any

import geopandas as gpd
import pandas as pd

from geodata.crs import area_m2
from settings import Settings
from spaces.model import Inventory
from spaces.rollup import stacking_plan
from spaces.schema import BUILDINGS, CARRIER_LIST, CARRIERS, PLOTS, Table
from ui.mapview import STATUS_COLORS
from words import t, vocab

_VOCAB_OF = {
    "kind": "building_kind",
    "land_use": "land_use",
    "land_status": "land_status",
    "tier": "tier",
    "status": "status",
}


def _value(table: Table, name: str, value: Any, lang: str, settings: Settings) -> str:
    f = table.field(name)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if value is pd.NaT:
        return "—"
    if f.vocabulary == "units":
        unit = settings.unit(value)
        return unit.name_zh if lang == "zh" else unit.name_en
    if f.vocabulary == "tracks":
        track = settings.track(value)
        return track.name_zh if lang == "zh" else track.name_en
    if name in _VOCAB_OF:
        return vocab(_VOCAB_OF[name], value, lang)
    if f.kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if f.kind == "bool":
        return t("yes" if value else "no", lang)
    if name.endswith("progress"):
        return f"{float(value):.0%}"
    if f.kind == "float":
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
        return f"{text} {f.unit}".strip()
    return str(value)


def attributes(
    table: Table,
    record: pd.Series,
    *,
    lang: str,
    settings: Settings,
    public: bool = False,
    skip: tuple[str, ...] = (),
) -> list[tuple[str, str]]:
    """(label, value) pairs of a record's fields, public ones only when ``public``.

    ``public`` keeps the fields the schema marks public (`spaces.schema.Field.public`): the
    cards enterprises see in the finder.
    """
    out = []
    for f in table.fields:
        if f.kind == "geometry" or f.name in skip or (public and not f.public):
            continue
        if f.name not in record.index and f.name != table.id:
            continue
        value = record.name if f.name == table.id else record[f.name]
        out.append(
            (
                f.label_zh if lang == "zh" else f.label_en,
                _value(table, f.name, value, lang, settings),
            )
        )
    return out


def building_attributes(
    inv: Inventory, building_id: str, *, lang: str, settings: Settings, public: bool = False
) -> list[tuple[str, str]]:
    """The card's attribute list for a building, with its floor count and usable area.

    With ``public``, the card for enterprises: public fields only.
    """
    record = inv.buildings.loc[building_id]
    pairs = attributes(
        BUILDINGS,
        record,
        lang=lang,
        settings=settings,
        public=public,
        skip=("source", "approximate"),
    )
    floors = inv.floors[inv.floors.building_id == building_id]
    pairs.append((t("levels", lang), str(len(floors))))
    pairs.append((t("area_m2", lang), f"{floors.usable_area_m2.sum():,.0f}"))
    return pairs


def plot_attributes(
    inv: Inventory, plot_id: str, *, lang: str, settings: Settings, public: bool = False
) -> list[tuple[str, str]]:
    """The card's attribute list for a plot, with its site area computed in metres.

    With ``public``, the card for enterprises: public fields only.
    """
    record = inv.plots.loc[plot_id]
    pairs = attributes(
        PLOTS, record, lang=lang, settings=settings, public=public, skip=("source", "approximate")
    )
    site = area_m2(gpd.GeoSeries([record.geometry], crs=inv.plots.crs)).iloc[0]
    pairs.append((t("area_m2", lang), f"{site:,.0f}"))
    return pairs


def carrier_rows(
    carriers: gpd.GeoDataFrame, *, lang: str, settings: Settings, public: bool = False
) -> pd.DataFrame:
    """The carriers of one building or plot as a display table with translated headers.

    With ``public``, only the columns whose field is public (no tenant).
    """
    cols = [
        "name",
        "tier",
        "status",
        "usable_area_m2",
        "rent_yuan_m2_day",
        "available_from",
        "track",
        "tenant",
    ]
    cols = [c for c in cols if not public or CARRIER_LIST.field(c).public]
    labels = {"name": "名称" if lang == "zh" else "Name", "usable_area_m2": t("area_m2", lang)}
    out = pd.DataFrame(index=carriers.index)
    for c in cols:
        if c in ("name", "usable_area_m2"):
            out[labels[c]] = carriers[c].round(0) if c == "usable_area_m2" else carriers[c]
            continue
        f = CARRIERS.field(c)
        out[f.label_zh if lang == "zh" else f.label_en] = [
            _value(CARRIERS, c, v, lang, settings) for v in carriers[c]
        ]
    return out.sort_values(out.columns[0])


def stacking_plan_html(
    inv: Inventory, building_id: str, *, lang: str, highlight: set[str] | None = None
) -> str:
    """The building's floors top to bottom, each coloured by the status of what is offered.

    Rooms are drawn side by side in proportion to their area; ``highlight`` is a set of
    carrier ids to outline (e.g. those matching a search).
    """
    plan = stacking_plan(inv, building_id)
    rows = []
    for floor in plan.itertuples():
        cells = _floor_cells(floor, lang, highlight or set())
        rows.append(
            f'<div class="hq-floor" data-level="{floor.level}" style="display:flex;'
            f'align-items:stretch;margin:1px 0;font:12px sans-serif">'
            f'<div style="width:44px;text-align:right;padding-right:6px">{floor.label}</div>'
            f'<div style="width:70px;color:#555">{floor.usable_area_m2:,.0f} m²</div>'
            f'<div style="flex:1;display:flex;min-height:20px;background:#eceff1">{cells}</div>'
            f"</div>"
        )
    legend = " ".join(
        f'<span style="display:inline-block;width:10px;height:10px;background:{c}"></span> '
        f"{vocab('status', s, lang) if s != 'none' else t('not_offered', lang)}"
        for s, c in STATUS_COLORS.items()
        if s != "reserve_land"
    )
    title = html.escape(t("stacking_plan", lang))
    return (
        f'<div class="hq-stacking"><div style="font:600 13px sans-serif;margin:4px 0">'
        f"{title}</div>{''.join(rows)}"
        f'<div style="font:11px sans-serif;margin-top:6px">{legend}</div></div>'
    )


def _floor_cells(floor: Any, lang: str, highlight: set[str]) -> str:
    def cell(width: float, status: str | None, text: str, carrier: str | None) -> str:
        color = STATUS_COLORS.get(status or "none", STATUS_COLORS["none"])
        border = "2px solid #ff1744" if carrier in highlight else "1px solid #fff"
        label = vocab("status", status, lang) if status else t("not_offered", lang)
        return (
            f'<div title="{html.escape(text)} · {html.escape(label)}" '
            f'class="hq-cell" data-status="{status or "none"}" style="flex:0 0 {width:.2f}%;'
            f"background:{color};border:{border};box-sizing:border-box;color:#fff;"
            f'overflow:hidden;white-space:nowrap;padding:1px 3px">{html.escape(text)}</div>'
        )

    if floor.offer in ("building", "floor"):
        text = (
            t("whole_building", lang) if floor.offer == "building" else vocab("tier", "floor", lang)
        )
        return cell(100.0, floor.status, text, floor.carrier_id)
    if not floor.rooms:
        return cell(100.0, None, "", None)
    total = max(floor.usable_area_m2, sum(r["usable_area_m2"] for r in floor.rooms))
    cells = [
        cell(100.0 * r["usable_area_m2"] / total, r["status"], r["number"], r["carrier_id"])
        for r in floor.rooms
    ]
    return "".join(cells)
