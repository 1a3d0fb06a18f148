"""Briefings on a release batch: an Excel workbook and a printable page with a static map."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import geopandas as gpd
import pandas as pd
from matplotlib.figure import Figure

from geodata.crs import PROJECTED
from planning.policy import COMPONENTS, Policy
from settings import Settings
from spaces.export import excel_bytes
from spaces.model import Inventory
from ui.leaders import BY, label_of, totals_table
from ui.mapview import BATCH_COLORS
from ui.times import beijing
from words import t
from words.access import person

_EXCEL_LIST = {
    "position": "序号",
    "carrier_id": "载体编号",
    "name": "载体名称",
    "tier": "载体梯度",
    "status": "状态",
    "responsible_unit": "责任单位",
    "track": "赛道",
    "area": "片区",
    "usable_area_m2": "使用面积（m²）",
    "score": "成熟度（0–100）",
    "construction": "载体建设（0–1）",
    "facilities": "配套设施（0–1）",
    "service_team": "企业服务团队（0–1）",
    "industry_fit": "产业匹配度（0–1）",
    "ready": "闸门通过",
    "ready_from": "闸门通过日期",
    "reason_zh": "纳入理由",
}
_BY_ZH = {"tier": "载体梯度", "track": "赛道", "area": "片区", "responsible_unit": "责任单位"}
_COMPONENT_ZH = {
    "construction": "载体建设",
    "facilities": "配套设施",
    "service_team": "企业服务团队",
    "industry_fit": "产业匹配度",
}


@dataclass(frozen=True)
class Briefing:
    """What a briefing shows: a batch's window, review state, members and rules.

    ``members`` has `planning.approval.MEMBER_COLUMNS` (a frozen batch from the store, or a
    proposed one from `planning.approval.members_of`). ``state`` is "proposed",
    "approved" or "returned"; ``decision`` the latest decision's fields, if any.
    """

    batch: int
    start: date
    end: date
    evaluated: date
    as_of: date
    state: str
    members: pd.DataFrame
    policy: Policy
    fingerprint: str
    decision: dict[str, Any] | None = None
    sample: bool = False


def excel_workbook(b: Briefing, *, settings: Settings, generated: datetime) -> bytes:
    """The briefing as an .xlsx workbook with Chinese headers: 批次信息, 汇总, 载体清单.

    Written by `spaces.export.excel_bytes`: names, comments and reasons stay text.
    """
    rows: list[tuple[str, Any]] = [
        ("批次", f"第{b.batch}批"),
        ("时间窗", f"{b.start} 至 {b.end}"),
        ("评估日", str(b.evaluated)),
        ("方案评估日期", str(b.as_of)),
        ("审议状态", t(f"state_{b.state}", "zh")),
        ("载体数", len(b.members)),
        ("使用面积合计（m²）", round(float(b.members["usable_area_m2"].sum()), 1)),
        ("释放阈值", b.policy.threshold),
        *[(f"权重：{_COMPONENT_ZH[c]}", round(b.policy.weights[c], 4)) for c in COMPONENTS],
        ("批次间隔（月）", b.policy.release.cadence_months),
        ("方案指纹", b.fingerprint),
        ("生成时间（北京时间）", beijing(generated)),
    ]
    if b.decision:
        rows += [
            ("审议人", person(b.decision.get("decided_by", ""), b.decision.get("account"), "zh")),
            ("审议时间（北京时间）", beijing(b.decision.get("decided_at"))),
            ("审议意见", b.decision.get("comment", "")),
        ]
    if b.sample:
        rows.append(("说明", "样例数据：虚构载体，仅供演示"))
    info = pd.DataFrame(rows, columns=["项目", "内容"], dtype=object)

    totals = [
        (_BY_ZH[by], r.iloc[0], int(r.iloc[1]), float(r.iloc[2]))
        for by in BY
        for _, r in totals_table(b.members, by, lang="zh", settings=settings).iterrows()
    ]
    totals.append(("合计", "", len(b.members), round(float(b.members["usable_area_m2"].sum()), 1)))
    summary = pd.DataFrame(
        totals, columns=["分组", "类别", "载体数", "使用面积（m²）"], dtype=object
    )

    listing = _readable(b.members, settings)[list(_EXCEL_LIST)].rename(columns=_EXCEL_LIST)
    return excel_bytes(
        {"批次信息": info, "汇总": summary, "载体清单": listing},
        widths={
            "批次信息": [22, 60],
            "汇总": [14, 28, 10, 16],
            "载体清单": [6, 14, 30, 10, 10, 18, 14, 10, 14, 12, 12, 12, 14, 14, 10, 14, 90],
        },
        freeze={"批次信息": "A2", "汇总": "A2", "载体清单": "C2"},
    )


def _readable(members: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    out = members.copy()
    for by in ("tier", "track", "area", "responsible_unit", "status"):
        out[by] = out[by].map(lambda v, by=by: label_of(by, v, "zh", settings))
    out["ready"] = out["ready"].map({True: "是", False: "否"})
    out["ready_from"] = out["ready_from"].map(lambda d: "" if d is None or pd.isna(d) else str(d))
    out["score"] = out["score"].astype(float).round(1)
    for c in COMPONENTS:
        out[c] = out[c].astype(float).round(3)
    out["usable_area_m2"] = out["usable_area_m2"].astype(float).round(1)
    return out


def static_map_png(
    b: Briefing, inv: Inventory, layers: gpd.GeoDataFrame, *, width_in: float = 7.0
) -> bytes:
    """A static map of the batch from the project's own vector layers (no tiles), as PNG.

    The zone, areas, roads, waterways and metro stations in grey, every building and plot of
    the inventory in light grey, the batch's buildings and plots in the batch's colour; drawn
    in EPSG:4549 with a 1 km scale bar. No text, so that no font is needed.
    """
    color = BATCH_COLORS[(b.batch - 1) % len(BATCH_COLORS)]
    fig = Figure(figsize=(width_in, width_in * 0.72), dpi=110)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    proj = layers.to_crs(PROJECTED)
    for name, style in (
        ("zone", {"facecolor": "#fffaeb", "edgecolor": "#37474f", "linewidth": 1.2}),
        (
            "area",
            {"facecolor": "none", "edgecolor": "#ef6c00", "linewidth": 1.0, "linestyle": "--"},
        ),
    ):
        part = proj[proj["layer"] == name]
        if not part.empty:
            part.plot(ax=ax, **style)
    for name, style in (
        ("waterway", {"color": "#64a6d9", "linewidth": 1.0}),
        ("road", {"color": "#c9b99b", "linewidth": 1.2}),
    ):
        part = proj[proj["layer"] == name]
        if not part.empty:
            part.plot(ax=ax, **style)
    buildings = inv.buildings.to_crs(PROJECTED)
    plots = inv.plots.to_crs(PROJECTED)
    if not plots.empty:
        plots.plot(ax=ax, facecolor="#eeeeee", edgecolor="#bdbdbd", linewidth=0.3)
    if not buildings.empty:
        buildings.plot(ax=ax, facecolor="#d6d6d6", edgecolor="#9e9e9e", linewidth=0.2)
    m = b.members
    on_plot = m["tier"] == "plot"
    hit_plots = plots[plots.index.isin(m.loc[on_plot, "plot_id"].dropna())]
    hit_buildings = buildings[buildings.index.isin(m.loc[~on_plot, "building_id"].dropna())]
    if not hit_plots.empty:
        hit_plots.plot(ax=ax, facecolor=color, edgecolor=color, alpha=0.55, linewidth=0.8)
    if not hit_buildings.empty:
        hit_buildings.plot(ax=ax, facecolor=color, edgecolor="#263238", linewidth=0.4)
    stations = proj[proj["layer"] == "station"]
    if not stations.empty:
        stations.plot(ax=ax, color="#ffffff", edgecolor="#c62828", markersize=10, linewidth=0.8)
    zone = proj[proj["layer"] == "zone"]
    west, south, east, north = (zone if not zone.empty else proj).total_bounds
    pad = 0.03 * max(east - west, north - south)
    ax.set_xlim(west - pad, east + pad)
    ax.set_ylim(south - pad, north + pad)
    ax.set_aspect("equal")
    x0, y0 = west + pad, south + pad
    ax.plot([x0, x0 + 1000], [y0, y0], color="#263238", linewidth=3, solid_capstyle="butt")
    ax.plot([x0, x0, x0 + 1000, x0 + 1000], [y0 - 80, y0 + 80, y0 + 80, y0 - 80], alpha=0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="#e6e4de")
    return buf.getvalue()


def html_page(
    b: Briefing,
    *,
    png: bytes,
    settings: Settings,
    lang: str,
    generated: datetime,
) -> str:
    """A printable page (A4): the batch's facts, its map, totals and list."""
    e = html.escape
    title = t("briefing_title", lang)
    head = t("batch_title", lang).format(n=b.batch, start=b.start, end=b.end)
    area = float(b.members["usable_area_m2"].sum())
    facts = [
        (t("col_evaluated", lang), str(b.evaluated)),
        (t("as_of", lang), str(b.as_of)),
        (t("briefing_status", lang), t(f"state_{b.state}", lang)),
        (t("col_count", lang), f"{len(b.members):,}"),
        (t("col_area", lang), f"{area:,.0f}"),
        (t("fingerprint", lang), b.fingerprint),
        (t("briefing_generated", lang), t("at_beijing", lang).format(time=beijing(generated))),
    ]
    if b.decision:
        facts += [
            (
                t("col_by", lang),
                person(b.decision.get("decided_by", ""), b.decision.get("account"), lang),
            ),
            (t("col_when", lang), beijing(b.decision.get("decided_at"))),
            (t("col_comment", lang), str(b.decision.get("comment", ""))),
        ]
    fact_rows = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts)
    rules = e(
        t("policy_caption", lang).format(
            **b.policy.weights,
            threshold=b.policy.threshold,
            cadence=b.policy.release.cadence_months,
        )
    )
    totals = "".join(
        "<div class='tot'>"
        + _table(totals_table(b.members, by, lang=lang, settings=settings))
        + "</div>"
        for by in BY
    )
    reason = "reason_zh" if lang == "zh" else "reason_en"
    listing = pd.DataFrame(
        {
            t("col_position", lang): b.members["position"],
            t("col_carrier", lang): b.members["carrier_id"],
            t("col_name", lang): b.members["name"],
            t("col_tier", lang): b.members["tier"].map(
                lambda v: label_of("tier", v, lang, settings)
            ),
            t("col_unit", lang): b.members["responsible_unit"].map(
                lambda v: label_of("responsible_unit", v, lang, settings)
            ),
            t("col_track", lang): b.members["track"].map(
                lambda v: label_of("track", v, lang, settings)
            ),
            t("col_area", lang): b.members["usable_area_m2"].astype(float).map("{:,.0f}".format),
            t("col_score", lang): b.members["score"].astype(float).map("{:.1f}".format),
            t("col_reason", lang): b.members[reason],
        }
    )
    sample = f"<p class='sample'>{e(t('sample_banner', lang))}</p>" if b.sample else ""
    image = base64.b64encode(png).decode("ascii")
    color = BATCH_COLORS[(b.batch - 1) % len(BATCH_COLORS)]
    batch_label = e(t("batch_n", lang).format(n=b.batch))
    legend = (
        f"<span class='sw' style='background:{color}'></span>{batch_label}"
        f" <span class='sw' style='background:#d6d6d6'></span>{e(t('briefing_other', lang))}"
        f" · {e(t('schematic', lang))} · 1 km"
    )
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<title>{e(title)} · {e(head)}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font: 12px "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #263238; }}
h1 {{ font-size: 20px; margin: 0 0 2px; }} h2 {{ font-size: 15px; margin: 14px 0 6px; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #cfd8dc; padding: 3px 5px; text-align: left; vertical-align: top; }}
th {{ background: #eceff1; }}
.facts th {{ width: 28%; }} .sample {{ color: #6d4c41; }}
.tot {{ display: inline-block; width: 48%; margin: 0 1% 8px 0; vertical-align: top; }}
.map img {{ width: 100%; border: 1px solid #b0bec5; }}
.sw {{ display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px; }}
.list {{ page-break-before: always; }}
@media print {{ .noprint {{ display: none; }} }}
</style></head><body>
<h1>{e(title)}</h1><div>{e(head)}</div>{sample}
<table class="facts">{fact_rows}</table>
<p>{e(t("briefing_policy", lang))}：{rules}</p>
<h2>{e(t("briefing_map", lang))}</h2>
<div class="map"><img alt="{e(t("briefing_map", lang))}" src="data:image/png;base64,{image}">
<div>{legend}</div></div>
<h2>{e(t("totals", lang))}</h2>{totals}
<div class="list"><h2>{e(t("briefing_list", lang))}</h2>{_table(listing)}</div>
</body></html>
"""


def _table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, border=0, escape=True, classes="t")
