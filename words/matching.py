"""Supply–demand matching in words: why a carrier fits a demand, what blocks a demand (zh/en)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planning.days import to_date
from planning.matching import DemandArrays
from planning.supply import CarrierIndex
from spaces.entities import Track
from words import pick


def reasons(
    index: CarrierIndex,
    demands: DemandArrays,
    demand_id: str,
    carrier_ids: Sequence[str],
    *,
    tracks: Sequence[Track],
    lang: str,
) -> pd.Series:
    """Why each carrier fits the demand, in words: one text per carrier id (zh or en)."""
    d = demands.take([demands.position(demand_id)])
    c = index.take(index.positions(list(carrier_ids)))
    names = {i: (t.name_zh if lang == "zh" else t.name_en) for i, t in enumerate(tracks)}
    out = []
    for i in range(len(c)):
        out.append(_why(c.take([i]), d, names, lang))
    return pd.Series(out, index=pd.Index(list(carrier_ids), name="carrier_id"), dtype="object")


def _fmt(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def _why(c: CarrierIndex, d: DemandArrays, tracks: dict[int, str], lang: str) -> str:
    zh = lang == "zh"
    parts = []
    area = float(c.usable_area[0])
    lo, hi = float(d.area_min[0]), float(d.area_max[0])
    asked = (
        f"{_fmt(lo)}–{_fmt(hi)}"
        if not (np.isnan(lo) or np.isnan(hi))
        else (
            f"≥ {_fmt(lo)}" if not np.isnan(lo) else (f"≤ {_fmt(hi)}" if not np.isnan(hi) else "")
        )
    )
    if zh:
        parts.append(f"面积 {_fmt(area)} m²" + (f"（需求 {asked} m²）" if asked else ""))
    else:
        parts.append(f"area {_fmt(area)} m²" + (f" (asked {asked} m²)" if asked else ""))
    rent = float(c.rent[0])
    if np.isnan(rent):
        parts.append("租金面议" if zh else "rent to negotiate")
    else:
        ceiling = float(d.rent_max[0])
        cap = (
            ""
            if np.isnan(ceiling)
            else (f" ≤ 上限 {ceiling:.1f}" if zh else f" ≤ ceiling {ceiling:.1f}")
        )
        parts.append(
            f"租金 {rent:.1f} 元/m²/天{cap}" if zh else f"rent {rent:.1f} yuan/m²/day{cap}"
        )
    when = to_date(c.available_day[0])
    needed = to_date(d.needed_day[0])
    start = (
        ("现可入驻" if zh else "available now")
        if when is None
        else (f"{when:%Y-%m-%d} 起可入驻" if zh else f"available from {when:%Y-%m-%d}")
    )
    if needed is not None:
        start += f"（需求 {needed:%Y-%m-%d} 前）" if zh else f" (needed by {needed:%Y-%m-%d})"
    parts.append(start)
    if c.built_to_suit[0]:
        parts.append("地块可按需建设" if zh else "plot: built to suit")
    else:
        tech = []
        for have, need, zh_name, en_name, unit in (
            (c.floor_load[0], d.floor_load[0], "荷载", "load", "kN/m²"),
            (c.clear_height[0], d.clear_height[0], "净高", "height", "m"),
            (c.power[0], d.power[0], "供电", "power", "kVA"),
        ):
            if not np.isnan(need):
                tech.append(f"{zh_name if zh else en_name} {have:g} ≥ {need:g} {unit}")
        if d.exhaust[0]:
            tech.append("实验排风 ✓" if zh else "exhaust ✓")
        if d.wet_lab[0]:
            tech.append("湿实验排水 ✓" if zh else "wet-lab drainage ✓")
        if not np.isnan(d.clean_iso[0]):
            tech.append(
                f"洁净室 ISO {c.clean_iso[0]:g}" if zh else f"clean room ISO {c.clean_iso[0]:g}"
            )
        if d.track_specs[0]:
            name = tracks[int(d.track[0])]
            tech.append(f"满足{name}赛道规格 ✓" if zh else f"meets {name}'s specifications ✓")
        if tech:
            parts.append(("、" if zh else ", ").join(tech))
    ct, dt = int(c.track[0]), int(d.track[0])
    if dt >= 0:
        if ct == dt:
            parts.append(f"载体定向{tracks[dt]}赛道" if zh else f"designated for {tracks[dt]}")
        elif ct < 0:
            parts.append("载体未限定赛道" if zh else "no designated track")
        else:
            parts.append(
                f"载体定向其他赛道（{tracks[ct]}）"
                if zh
                else f"designated for another track ({tracks[ct]})"
            )
    metro, hub = float(c.metro_m[0]), float(c.hub_m[0])
    if not np.isnan(metro):
        parts.append(
            f"距地铁站 {_distance(metro, lang)}，距枢纽 {_distance(hub, lang)}"
            if zh
            else f"{_distance(metro, lang)} to the metro, {_distance(hub, lang)} to the hub"
        )
    return ("；" if zh else "; ").join(parts)


def _distance(m: float, lang: str) -> str:
    if np.isnan(m):
        return "—"
    return f"{m:,.0f} m" if m < 1000 else f"{m / 1000:.1f} km"


def constraint_label(name: str, lang: str) -> str:
    """The name of a hard constraint (or "several") in words."""
    return pick(_CONSTRAINT_LABELS[name], lang)


_CONSTRAINT_LABELS = {
    "status": ("可招商状态", "offered status"),
    "tier": ("载体梯度", "tier"),
    "area": ("面积区间", "area range"),
    "zone": ("意向片区", "preferred area"),
    "date": ("需求日期", "date needed"),
    "technical": ("技术条件", "technical needs"),
    "rent": ("租金上限", "rent ceiling"),
    "several": ("多项条件", "several constraints"),
}


TEXT: dict[str, tuple[str, str]] = {
    "matching_intro": (
        "为每条需求找出满足硬性条件（梯度、面积、技术条件、日期、赛道标准、状态、租金上限、意向片区）的载体，"
        "按加权得分排序并说明理由。",
        "For each demand, the carriers meeting its hard constraints (tier, area, technical "
        "needs, date, track specifications, status, rent ceiling, preferred area), ranked by a "
        "weighted score, with reasons.",
    ),
    "component": ("评分项", "Component"),
    "share": ("占比", "Share"),
    "meaning": ("含义", "Meaning"),
    "no_open_demands": ("暂无待匹配的需求。", "No open demands."),
    "pick_demand": ("选择需求", "Choose a demand"),
    "pick_carrier": ("选择载体", "Choose a carrier"),
    "n_matches": ("满足硬性条件的载体", "Carriers meeting the hard constraints"),
    "no_matches": (
        "没有载体满足该需求的全部硬性条件：见缺口报告。",
        "No carrier meets all of this demand's hard constraints: see the gap report.",
    ),
    "n_demands_served": ("可服务的待匹配需求", "Open demands it could serve"),
    "carrier": ("载体", "Carrier"),
    "reasons": ("匹配理由", "Reasons"),
    "band": ("面积段", "Area band"),
    "blocking": ("主要制约条件", "Main blocking constraint"),
    "without_it": ("放宽后可匹配载体数", "Carriers if relaxed"),
    "gap_unmet": ("未被满足的需求", "Unmet demand"),
    "gap_unmet_help": (
        "没有任何可招商或计划供给的载体满足的待匹配需求；“主要制约条件”为单独放宽后可匹配载体最多的条件。",
        "Open demands that no available or planned carrier meets; the main blocking "
        "constraint is the one that, relaxed alone, lets the most carriers through.",
    ),
    "gap_by_group": ("按赛道 × 梯度 × 面积段汇总", "By track × tier × area band"),
    "gap_unwanted": (
        "暂无需求匹配的供给（按梯度 × 片区 × 赛道）",
        "Supply no open demand wants (by tier × area × track)",
    ),
    "growth_help": (
        "企业在当前载体之后可扩展的更大梯度载体：{km:g} 公里范围内、面积更大、"
        "满足其赛道标准并保留现有实验条件。",
        "Where an enterprise could grow next: a bigger tier within {km:g} km, more area, meeting "
        "its track's specifications and keeping the lab services it has.",
    ),
    "pick_tenant": ("选择入驻企业（当前载体）", "Choose an enterprise (its current carrier)"),
    "growth_none": ("附近暂无合适的扩展载体。", "No suitable carrier nearby to grow into."),
    "distance_m": ("距离 (m)", "Distance (m)"),
    "supply_count": ("供给清单载体数", "Carriers on the supply list"),
    "supply_batches_pending": (
        "“发布批次”一列显示已批准且窗口已开始的批次；目前尚无已发布批次。",
        "The release batch column shows approved batches whose window has begun; none is "
        "released yet.",
    ),
    "download_supply": ("下载供给清单 Excel", "Download the supply list (Excel)"),
}
