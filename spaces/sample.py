"""Sample inventory: a deterministic, believable and scalable set of carriers for the zone.

Everything here is invented (样例数据 / sample data): names of buildings, operators and tenants
are fictional, outlines are schematic. The sample describes the zone as of `AS_OF` and is laid
out inside the hub and Qianwan areas of the base layers (`geodata.layers.base_layers`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.crs import PROJECTED
from spaces.model import CRS, Inventory
from spaces.validation import build_inventory

SOURCE = "样例数据 / sample data"
"""Short label the UI shows for data made by this module."""

DEFAULT_SEED = 20260601
AS_OF = np.datetime64("2026-11-30", "D")
"""The day the sample describes: dates before it are actual, dates after it planned."""
FIRST_DAY = np.datetime64("2024-01-01", "D")
LAST_DAY = np.datetime64("2029-12-31", "D")

# Rents in yuan/m²/day: hub offices (floors and towers), hub rooms, Qianwan R&D space.
RENT_HUB = (5.5, 9.5)
RENT_HUB_ROOM = (5.5, 10.5)
RENT_QIANWAN = (2.5, 5.5)

# Responsible units of each area's buildings and plots, with their weights (section 二.2).
HUB_UNITS = MappingProxyType({"xinhong": 3.0, "nanhongqiao": 1.0})
QIANWAN_UNITS = MappingProxyType({"huacao": 2.5, "nanhongqiao": 1.0})

# Area features of the base layers and the margin kept from their boundaries, in metres.
AREA_FEATURES = MappingProxyType({"hub": "area.hub", "qianwan": "area.qianwan"})
AREA_MARGIN_M = 40.0
# Base-layer features kept clear of plots, by layer, in metres (landmarks are the railway
# station and terminal buildings, drawn as points).
CLEARANCE_M = MappingProxyType(
    {"road": 30.0, "waterway": 30.0, "station": 120.0, "landmark": 400.0}
)

# Specifications of Qianwan self-built carriers by the land-holding enterprise's track:
# (floor load kN/m², clear height m, power kVA per floor, share of buildings with exhaust,
# wet-lab drainage and clean rooms, clean-room ISO classes).
_PROFILES = MappingProxyType(
    {
        "biomedicine": ((5.0, 8.0), (4.0, 5.0), (200, 800), 0.9, 0.85, 0.35, (7, 8)),
        "integrated_circuits": ((7.5, 12.0), (4.5, 6.5), (500, 1500), 0.7, 0.4, 0.7, (5, 6, 7)),
        "new_energy": ((7.5, 12.0), (4.5, 6.5), (400, 1500), 0.6, 0.3, 0.15, (8,)),
        "automotive": ((10.0, 12.0), (5.0, 6.5), (500, 1500), 0.3, 0.1, 0.05, (8,)),
        "new_materials": ((5.0, 10.0), (4.0, 6.0), (250, 1000), 0.8, 0.7, 0.1, (7, 8)),
        "smart_manufacturing": ((5.0, 10.0), (4.0, 6.0), (250, 1000), 0.3, 0.1, 0.05, (8,)),
    }
)
_GENERIC_PROFILE = ((5.0, 12.0), (4.0, 6.5), (200, 1500), 0.4, 0.3, 0.1, (7, 8))
# The plan's priority tracks (section 二.1) come up more often; unknown tracks weigh 1.
_TRACK_WEIGHT = MappingProxyType({"biomedicine": 3.0, "new_energy": 3.0, "automotive": 3.0})

_UNIT_ZH = MappingProxyType(
    {"xinhong": "新虹街道", "huacao": "华漕镇", "nanhongqiao": "南虹桥集团"}
)
_TEAM_NAMES = MappingProxyType(
    {
        "xinhong": (
            "新虹街道枢纽楼宇企业服务专班",
            "新虹街道商务楼宇服务站",
            "新虹街道研发中心服务专班",
            "新虹街道重点企业服务组",
        ),
        "huacao": (
            "华漕镇前湾企业服务专班",
            "华漕镇产业项目服务专班",
            "华漕镇前湾科创园区服务站",
            "华漕镇重点项目推进组",
        ),
        "nanhongqiao": (
            "南虹桥集团载体运营服务中心",
            "南虹桥集团招商服务一组",
            "南虹桥集团招商服务二组",
            "南虹桥集团前湾项目服务专班",
        ),
    }
)
_BRAND = tuple("智汇创联源睿瀚启航融新嘉盛宏达卓远腾锦泓峰晟曜祥恒信元鼎澜芯衡拓")
_CITIES = (
    *("苏州", "无锡", "常州", "南通", "南京", "扬州", "镇江"),  # Jiangsu
    *("杭州", "宁波", "嘉兴", "湖州", "绍兴", "台州", "温州"),  # Zhejiang
    *("合肥", "芜湖", "滁州", "马鞍山"),  # Anhui
)
_TRACK_WORDS = MappingProxyType(
    {
        "biomedicine": ("生物科技", "医药科技", "医疗器械"),
        "new_energy": ("新能源科技", "储能技术", "光伏科技"),
        "automotive": ("汽车科技", "智能驾驶科技", "汽车部件"),
        "integrated_circuits": ("半导体", "微电子", "集成电路设计"),
        "new_materials": ("新材料科技", "高分子材料", "先进材料"),
        "smart_manufacturing": ("智能装备", "机器人", "自动化科技"),
    }
)
_GENERIC_WORDS = ("科技", "技术", "实业")
_SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙朱马胡郭")
_GIVEN = (
    *("晓东", "建华", "丽娟", "志强", "海燕", "文杰"),
    *("静怡", "立新", "国平", "雪梅", "振宇", "佳颖"),
)
# Hub towers: name pattern and how the towers of one plot are told apart.
_HUB_CLUSTERS = (
    ("虹桥{}中心", "T"),
    ("{}广场", "座"),
    ("虹桥{}科创园", "号楼"),
    ("新虹{}商务中心", "T"),
)
_HUB_SINGLE = ("新虹{}大厦", "虹桥{}中心", "{}国际大厦", "新虹{}研发大厦")
_HUB_OPERATORS = ("上海虹桥{}置业有限公司", "上海{}商务发展有限公司", "上海虹桥{}资产管理有限公司")
_QIANWAN_SITES = ("{}研发中心", "前湾{}科创园", "{}总部研发基地")
_HUB_ROADS = ("申长路", "申滨南路", "润虹路", "申虹路", "甬虹路", "宁虹路", "苏虹路", "建虹路")
_QIANWAN_ROADS = ("北翟路", "纪鹤路", "华翔路", "金丰路", "纪翟路", "闵北路", "航北路", "繁兴路")
_NOTES = MappingProxyType(
    {
        "hub": (
            "可提供精装修",
            "可按需分割",
            "业主可配合实验室改造",
            "含共享会议室与展厅",
            "步行可达虹桥火车站",
            "可办理注册地址",
        ),
        "qianwan": (
            "可定制实验室改造",
            "配套人才公寓",
            "货梯载重 5 吨",
            "含危化品暂存间",
            "首层可做中试车间",
            "双路供电",
        ),
        "reserve": ("拟作研发总部用地", "净地交付后启动招商", "规划指标深化中"),
    }
)


def record_source(seed: int) -> str:
    """The ``source`` of every plot and building made with this seed."""
    return f"样例数据 Sample data (spaces.sample, seed {seed})"


def generate(
    layers: gpd.GeoDataFrame,
    *,
    scale: float = 1,
    seed: int = DEFAULT_SEED,
    units: Sequence[str],
    tracks: Sequence[str],
) -> Inventory:
    """Generate a valid, typed sample inventory of the zone.

    At ``scale`` 1 there are about 40 office towers on 15–20 hub plots, about 35 Qianwan plots
    with 1–3 self-built buildings each, a few Qianwan plots offered whole, about 15 reserve
    plots, and about 1,000 carriers in all; every count of plots, buildings, floors, rooms and
    carriers grows with ``scale``. The same arguments always give identical frames.

    Parameters
    ----------
    layers
        The base layers (`geodata.layers.base_layers`), with the "area.hub" and "area.qianwan"
        polygons. Plots keep clear of roads, waterways, stations and landmarks (see
        `CLEARANCE_M`), found by the "layer" column or else by the feature id's prefix.
    scale
        Size relative to the zone (1, 10, 100, ...); must be positive.
    seed
        Seed of `numpy.random.default_rng`.
    units, tracks
        The responsible-unit and track ids configured in settings. Hub buildings belong to
        "xinhong" or "nanhongqiao", Qianwan ones to "huacao" or "nanhongqiao", as far as these
        are configured (otherwise to any configured unit).

    Returns
    -------
    Inventory
        Built with `spaces.validation.build_inventory`: typed and valid for these units and
        tracks. Plots and buildings are in EPSG:4326 and marked ``approximate``.
    """
    units, tracks = _check_options(scale, seed, units, tracks)
    areas = _areas(layers)
    # Separate streams for attributes and layout: other area outlines move plots, not data.
    rng, layout_rng = np.random.default_rng(seed).spawn(2)
    plots = _plan_plots(rng, scale, units, tracks)
    buildings = _plan_buildings(rng, plots)
    _plan_land_dates(rng, plots, buildings)
    plot_geoms, building_geoms = _layout(layout_rng, plots, buildings, areas)
    floors = _plan_floors(rng, buildings)
    rooms = _plan_offers(rng, buildings, floors)
    teams = _plan_teams(rng, units, scale)
    carriers = _plan_carriers(rng, plots, buildings, floors, rooms, teams, tracks)
    frames = _frames(
        seed, plots, buildings, plot_geoms, building_geoms, floors, rooms, teams, carriers
    )
    return build_inventory(frames, units=units, tracks=tracks)


# --- options and areas ---------------------------------------------------------------------


def _check_options(
    scale: float, seed: int, units: Iterable[str], tracks: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    units = tuple(dict.fromkeys(units))
    tracks = tuple(dict.fromkeys(tracks))
    if not units or not tracks:
        raise ValueError("units and tracks must each name at least one configured id")
    return units, tracks


def _areas(layers: gpd.GeoDataFrame) -> dict[str, shapely.Geometry]:
    """The hub and Qianwan areas in metres, shrunk by the margin and cleared of roads/stations."""
    if layers.crs is None:
        raise ValueError("the base layers have no CRS; expected EPSG:4326 (WGS84)")
    missing = [f for f in AREA_FEATURES.values() if f not in layers.index]
    if missing:
        raise ValueError(f"the base layers lack the feature(s) {', '.join(missing)}")
    projected = layers.geometry.to_crs(PROJECTED)
    ids = pd.Series(layers.index.astype("str"), index=layers.index)
    kind = layers["layer"] if "layer" in layers.columns else ids.str.split(".").str[0]
    clearance = kind.map(CLEARANCE_M).fillna(0.0).to_numpy()
    keep = clearance > 0
    blocked = shapely.union_all(shapely.buffer(projected.to_numpy()[keep], clearance[keep]))
    hub = projected[AREA_FEATURES["hub"]]
    qianwan = projected[AREA_FEATURES["qianwan"]]
    out = {
        "hub": hub.buffer(-AREA_MARGIN_M),
        # Should the two areas touch, the hub keeps the shared strip.
        "qianwan": qianwan.buffer(-AREA_MARGIN_M).difference(hub.buffer(AREA_MARGIN_M)),
    }
    for name, inner in out.items():
        inner = inner.difference(blocked)
        if inner.is_empty or inner.area < 10_000:
            raise ValueError(f"{AREA_FEATURES[name]} leaves no room for plots")
        out[name] = inner
    return out


# --- plots and buildings -------------------------------------------------------------------


def _count(rng: np.random.Generator, low: float, high: float, scale: float) -> int:
    return max(1, round(rng.uniform(low, high) * scale))


def _units_for(
    rng: np.random.Generator, preferred: Mapping[str, float], units: tuple[str, ...], n: int
) -> np.ndarray:
    choices = [u for u in preferred if u in units] or list(units)
    weights = np.array([preferred.get(u, 1.0) for u in choices])
    return np.asarray(choices, dtype=object)[rng.choice(len(choices), n, p=weights / weights.sum())]


def _track_choice(
    rng: np.random.Generator, tracks: tuple[str, ...], n: int, prefer: float = 1.0
) -> np.ndarray:
    """``n`` tracks drawn with the priority tracks ``prefer`` times as likely as others."""
    weights = np.array([_TRACK_WEIGHT.get(t, 1.0) ** prefer for t in tracks])
    return np.asarray(tracks, dtype=object)[rng.choice(len(tracks), n, p=weights / weights.sum())]


def _brands(rng: np.random.Generator, n: int) -> list[str]:
    a = rng.integers(0, len(_BRAND), n)
    b = (a + rng.integers(1, len(_BRAND), n)) % len(_BRAND)
    return [_BRAND[i] + _BRAND[j] for i, j in zip(a, b, strict=True)]


def _words(rng: np.random.Generator, tracks: np.ndarray) -> list[str]:
    pick = rng.integers(0, 3, len(tracks))
    return [_TRACK_WORDS.get(t, _GENERIC_WORDS)[i] for t, i in zip(tracks, pick, strict=True)]


def _unique(names: list[str]) -> np.ndarray:
    """Make repeated names unique with a phase number: 虹桥智汇中心, 虹桥智汇中心2期 ..."""
    s = pd.Series(names, dtype=object)
    k = s.groupby(s, sort=False).cumcount().to_numpy()
    return np.array(
        [n if i == 0 else f"{n}{i + 1}期" for n, i in zip(names, k, strict=True)], dtype=object
    )


def _plan_plots(
    rng: np.random.Generator, scale: float, units: tuple[str, ...], tracks: tuple[str, ...]
) -> pd.DataFrame:
    """One row per plot: group (hub, self_built, whole, reserve), area, unit, names, land."""
    counts = {
        "hub": _count(rng, 15, 20, scale),
        "self_built": _count(rng, 32, 38, scale),
        "whole": _count(rng, 3, 5, scale),
        "reserve": _count(rng, 13, 17, scale),
    }
    group = np.repeat(np.array(list(counts), dtype=object), list(counts.values()))
    n = len(group)
    hub = group == "hub"
    self_built = group == "self_built"
    reserve = group == "reserve"
    prefix = np.where(hub, "PH", np.where(reserve, "PR", "PQ"))
    seq = np.concatenate([np.arange(1, c + 1) for c in counts.values()])
    seq[group == "whole"] += counts["self_built"]
    plot_id = np.array([f"{p}{i:05d}" for p, i in zip(prefix, seq, strict=True)], dtype=object)

    unit = np.where(
        hub, _units_for(rng, HUB_UNITS, units, n), _units_for(rng, QIANWAN_UNITS, units, n)
    )
    n_buildings = np.where(
        hub,
        rng.choice([1, 2, 3, 4], n, p=[0.3, 0.3, 0.25, 0.15]),
        np.where(self_built, rng.choice([1, 2, 3], n, p=[0.5, 0.35, 0.15]), 0),
    )
    land_use = np.where(
        hub,
        "commercial_office",
        np.where(
            reserve,
            rng.choice(["research", "industrial", "mixed"], n, p=[0.5, 0.35, 0.15]),
            rng.choice(["research", "industrial"], n, p=[0.6, 0.4]),
        ),
    ).astype(object)
    far = np.where(
        hub,
        rng.uniform(2.5, 4.5, n),
        np.where(land_use == "industrial", rng.uniform(1.2, 2.0, n), rng.uniform(1.5, 3.0, n)),
    )
    facilities = np.where(
        hub,
        rng.uniform(0.78, 0.98, n),
        np.where(reserve, rng.uniform(0.2, 0.5, n), rng.uniform(0.3, 0.82, n)),
    )
    # The land-holding enterprise's track shapes its buildings (self-built) or the plot's use.
    track = _track_choice(rng, tracks, n, prefer=1.0)

    brand = _brands(rng, n)
    style = rng.integers(0, 4, n)
    words = _words(rng, track)
    cluster, operator, name = [], [], []
    for i in range(n):
        g, b = group[i], brand[i]
        if g == "hub":
            pattern = _HUB_SINGLE[style[i]] if n_buildings[i] == 1 else _HUB_CLUSTERS[style[i]][0]
            cluster.append(pattern.format(b))
            operator.append(_HUB_OPERATORS[style[i] % 3].format(b))
        elif g == "reserve":
            cluster.append("")
            operator.append(f"{_UNIT_ZH.get(unit[i], unit[i])}产业用地储备（示例）")
        else:
            short = words[i].removesuffix("科技").removesuffix("技术").removesuffix("设计")
            cluster.append(_QIANWAN_SITES[style[i] % 3].format(b + short))
            operator.append(f"上海{b}{words[i]}有限公司")
    cluster = _unique(cluster)
    for i in range(n):
        block, lot = divmod(int(seq[i]) - 1, 8)
        if group[i] == "hub":
            name.append(f"{cluster[i]}地块")
        elif group[i] == "reserve":
            name.append(f"前湾产业储备 {block + 1:02d}-{lot + 1:02d} 地块")
        else:
            name.append(f"前湾 {block + 11:02d}-{lot + 1:02d} 地块（{brand[i]}）")
    return pd.DataFrame(
        {
            "plot_id": plot_id,
            "group": group,
            "zone_area": np.where(hub, "hub", "qianwan"),
            "unit": unit,
            "n_buildings": n_buildings,
            "land_use": land_use,
            "land_status": np.where(reserve, "reserve", "supplied").astype(object),
            "far": np.round(far, 1),
            "facilities": facilities,
            "track": track,
            "style": style,
            "cluster": cluster,
            "name": np.array(name, dtype=object),
            "operator": operator,
            "rent_base": np.where(hub, rng.uniform(5.5, 8.8, n), rng.uniform(2.5, 4.8, n)),
        }
    )


def _plan_buildings(rng: np.random.Generator, plots: pd.DataFrame) -> pd.DataFrame:
    """One row per building: plot, kind, floors, areas, construction stage and dates, names."""
    plot = np.repeat(np.arange(len(plots)), plots["n_buildings"].to_numpy())
    n = len(plot)
    k = plots["n_buildings"].to_numpy()
    starts = np.cumsum(k) - k
    j = np.arange(n) - starts[plot]  # position of the building on its plot, from 0
    p = plots.iloc[plot]
    hub = (p["zone_area"] == "hub").to_numpy()

    n_floors = np.where(
        hub,
        rng.integers(8, 31, n),
        rng.choice(np.arange(3, 13), n, p=np.array([4, 6, 8, 8, 7, 6, 4, 3, 2, 2]) / 50),
    )
    floor_area = np.where(hub, rng.uniform(1000, 2500, n), rng.uniform(1200, 4000, n)).round()
    ratio = rng.uniform(0.77, 0.86, n)  # usable floor area over footprint

    stage = np.where(
        hub, rng.choice(3, n, p=[0.85, 0.05, 0.1]), rng.choice(3, n, p=[0.45, 0.1, 0.45])
    )  # accepted, completed, building
    dates = _construction(rng, stage)
    facilities = p["facilities"].to_numpy() + rng.normal(0, 0.04, n) - 0.06 * (stage == 2)
    facilities = np.where(hub, facilities.clip(0.7, 1.0), facilities.clip(0.2, 0.9)).round(2)

    clear = np.where(hub, 3.0, 5.2)
    height = n_floors * (clear + rng.uniform(0.9, 1.3, n)) + rng.uniform(1.0, 6.0, n)
    name, address = [], []
    roads = rng.integers(0, len(_HUB_ROADS), n)
    numbers = rng.integers(1, 1500, n)
    clusters, styles = plots["cluster"].to_numpy(), plots["style"].to_numpy()
    for i in range(n):
        row = plot[i]
        cluster, style = clusters[row], styles[row]
        if hub[i]:
            if k[row] == 1:
                name.append(cluster)
            else:
                mark = _HUB_CLUSTERS[style][1]
                label = {"T": f"T{j[i] + 1}", "座": f"{'ABCD'[j[i]]}座"}.get(
                    mark, f"{j[i] + 1}号楼"
                )
                name.append(f"{cluster} {label}")
            address.append(f"上海市闵行区{_HUB_ROADS[roads[i]]}{numbers[i]}号")
        else:
            name.append(f"{cluster} {j[i] + 1}号楼")
            address.append(f"上海市闵行区{_QIANWAN_ROADS[roads[i]]}{numbers[i]}号")
    width = len(str(n)) if n > 99_999 else 5
    prefix = np.where(hub, "BH", "BQ")
    return pd.DataFrame(
        {
            "building_id": [f"{x}{i + 1:0{width}d}" for i, x in enumerate(prefix)],
            "plot_i": plot,
            "j": j,
            "hub": hub,
            "kind": np.where(hub, "office", "self_built").astype(object),
            "n_floors": n_floors,
            "floor_area": floor_area,
            "ratio": ratio,
            "stage": stage,
            **dates,
            "facilities": facilities,
            "height": height.round(1),
            "unit": p["unit"].to_numpy(),
            "operator": p["operator"].to_numpy(),
            "track": p["track"].to_numpy(),
            "rent_base": p["rent_base"].to_numpy(),
            "name": np.array(name, dtype=object),
            "address": np.array(address, dtype=object),
        }
    )


def _days(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    """Random day offsets in [low, high] as timedelta64[D]."""
    return rng.integers(low, high + 1, n).astype("timedelta64[D]")


def _construction(rng: np.random.Generator, stage: np.ndarray) -> dict[str, np.ndarray]:
    """Completion and acceptance dates and build progress for each stage.

    Stage 0: completed and accepted; 1: completed, acceptance pending; 2: under construction.
    Acceptance follows completion by 1–6 months.
    """
    n = len(stage)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    lag = _days(rng, 30, 180, n)
    # Accepted: completed between FIRST_DAY and AS_OF - lag.
    span = (AS_OF - FIRST_DAY - lag).astype(int)
    done = FIRST_DAY + (rng.random(n) * (span + 1)).astype(int).astype("timedelta64[D]")
    accepted_pc = np.maximum(done - _days(rng, -60, 120, n), FIRST_DAY)
    # Completed recently, awaiting acceptance.
    recent = AS_OF - _days(rng, 5, 120, n)
    pending_pa = recent + np.maximum(lag, (AS_OF - recent) + np.timedelta64(15, "D"))
    # Under construction.
    building_pc = np.datetime64("2026-12-01") + _days(
        rng, 0, int((np.datetime64("2029-06-30") - np.datetime64("2026-12-01")).astype(int)), n
    )
    duration = rng.integers(540, 1100, n)
    elapsed = (AS_OF - (building_pc - duration.astype("timedelta64[D]"))).astype(int)
    progress = np.where(stage == 2, (elapsed / duration).clip(0.0, 0.95).round(2), 1.0)

    actual_completion = np.select([stage == 0, stage == 1], [done, recent], nat)
    actual_acceptance = np.where(stage == 0, done + lag, nat)
    planned_acceptance = np.select(
        [stage == 0, stage == 1],
        [accepted_pc + _days(rng, 30, 180, n), pending_pa],
        building_pc + lag,
    )
    planned_completion = np.select(
        [stage == 0, stage == 1],
        [accepted_pc, planned_acceptance - _days(rng, 30, 180, n)],
        building_pc,
    )
    return {
        "construction_progress": progress,
        "planned_completion": planned_completion,
        "actual_completion": actual_completion,
        "planned_acceptance": planned_acceptance,
        "actual_acceptance": actual_acceptance,
        "start": np.where(
            stage == 2,
            building_pc - duration.astype("timedelta64[D]"),
            np.minimum(actual_completion, planned_completion) - _days(rng, 540, 1100, n),
        ),
    }


def _plan_land_dates(
    rng: np.random.Generator, plots: pd.DataFrame, buildings: pd.DataFrame
) -> None:
    """Add planned and actual land-ready dates to ``plots`` (none before 2024 are kept)."""
    n = len(plots)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    group = plots["group"].to_numpy()
    first_start = np.full(n, np.datetime64("2100-01-01"), dtype="datetime64[D]")
    np.minimum.at(
        first_start,
        buildings["plot_i"].to_numpy(),
        buildings["start"].to_numpy().astype("datetime64[D]"),
    )
    self_built_actual = first_start - _days(rng, 30, 240, n)
    ready = rng.random(n) < 0.7
    whole_actual = AS_OF - _days(rng, 30, 700, n)
    whole_planned = AS_OF + _days(rng, 30, 540, n)
    reserve_planned = np.datetime64("2026-12-15") + _days(rng, 0, 1050, n)
    actual = np.select(
        [group == "self_built", (group == "whole") & ready], [self_built_actual, whole_actual], nat
    )
    actual = np.where(actual >= FIRST_DAY, actual, nat)
    planned_from_actual = np.maximum(actual - _days(rng, 0, 120, n), FIRST_DAY)
    planned = np.select(
        [group == "reserve", (group == "whole") & ~ready],
        [reserve_planned, whole_planned],
        planned_from_actual,
    )
    plots["land_ready_actual"] = actual
    plots["land_ready_planned"] = planned


# --- geometry ------------------------------------------------------------------------------


def _rotate(x: np.ndarray, y: np.ndarray, angle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c, s = np.cos(angle), np.sin(angle)
    return x * c - y * s, x * s + y * c


def _grid(rng: np.random.Generator, inner: shapely.Geometry, n: int) -> tuple[np.ndarray, float]:
    """Centres of ``n`` random square cells lying wholly inside ``inner``, and the cell side."""
    shapely.prepare(inner)
    minx, miny, maxx, maxy = inner.bounds
    side = np.sqrt(inner.area / n)  # the largest side that could hold n cells
    offset = rng.random(2)
    while side > 5.0:
        xs = np.arange(minx + offset[0] * side, maxx, side)
        ys = np.arange(miny + offset[1] * side, maxy, side)
        x0, y0 = (a.ravel() for a in np.meshgrid(xs, ys))
        cells = shapely.box(x0, y0, x0 + side, y0 + side)
        inside = shapely.contains(inner, cells)
        if inside.sum() >= n:
            pick = np.sort(rng.choice(np.flatnonzero(inside), n, replace=False))
            order = rng.permutation(n)
            return np.column_stack([x0[pick] + side / 2, y0[pick] + side / 2])[order], side
        side *= 0.97
    raise ValueError(f"cannot fit {n} plots into the area; use a smaller scale")


def _layout(
    rng: np.random.Generator,
    plots: pd.DataFrame,
    buildings: pd.DataFrame,
    areas: dict[str, shapely.Geometry],
) -> tuple[gpd.GeoSeries, gpd.GeoSeries]:
    """Plot outlines and building footprints in EPSG:4326, laid out in metres.

    Each area is cut into a grid of square cells sized from its number of plots; each plot is
    a slightly rotated rectangle inside its own cell, and its buildings sit in a sub-grid of
    the plot, so nothing overlaps. Plots (and their footprints) shrink only when a cell is too
    small, which happens at large scales.
    """
    nb, npl = len(buildings), len(plots)
    # Footprints: rectangles or L-shapes sized to the floor area, slightly rotated.
    footprint = buildings["floor_area"].to_numpy() / buildings["ratio"].to_numpy()
    is_l = rng.random(nb) < np.where(buildings["hub"], 0.25, 0.35)
    cut_w = np.where(is_l, rng.uniform(0.3, 0.5, nb), 0.0)
    cut_h = np.where(is_l, rng.uniform(0.3, 0.5, nb), 0.0)
    aspect = rng.uniform(1.0, 1.7, nb)
    rect = footprint / (1 - cut_w * cut_h)
    w, h = np.sqrt(rect * aspect), np.sqrt(rect / aspect)
    swap = rng.random(nb) < 0.5
    w, h = np.where(swap, h, w), np.where(swap, w, h)
    theta = np.radians(rng.uniform(-6, 6, nb))
    bw = w * np.abs(np.cos(theta)) + h * np.abs(np.sin(theta))
    bh = w * np.abs(np.sin(theta)) + h * np.abs(np.cos(theta))

    # Plots: a sub-grid of cols x rows cells of side c, each holding one building.
    k = plots["n_buildings"].to_numpy()
    cols = np.ceil(np.sqrt(np.maximum(k, 1))).astype(int)
    rows = np.ceil(np.maximum(k, 1) / cols).astype(int)
    bplot = buildings["plot_i"].to_numpy()
    need = np.zeros(npl)
    np.maximum.at(need, bplot, np.maximum(bw, bh) / 0.8)
    total = np.zeros(npl)
    np.add.at(total, bplot, footprint)
    hub = (plots["zone_area"] == "hub").to_numpy()
    coverage = np.where(hub, rng.uniform(0.25, 0.4, npl), rng.uniform(0.2, 0.35, npl))
    c = np.maximum(need, np.sqrt(total / coverage / (cols * rows)))
    empty_area = rng.uniform(15_000, 50_000, npl)
    empty_aspect = rng.uniform(1.0, 1.6, npl)
    width = np.where(k > 0, cols * c, np.sqrt(empty_area * empty_aspect))
    height = np.where(k > 0, rows * c, np.sqrt(empty_area / empty_aspect))
    phi = np.radians(rng.uniform(-10, 10, npl))
    pw = width * np.abs(np.cos(phi)) + height * np.abs(np.sin(phi))
    ph = width * np.abs(np.sin(phi)) + height * np.abs(np.cos(phi))

    centre = np.zeros((npl, 2))
    shrink = np.ones(npl)
    for name in ("hub", "qianwan"):
        idx = np.flatnonzero((plots["zone_area"] == name).to_numpy())
        centres, side = _grid(rng, areas[name], len(idx))
        usable = side * 0.9  # the rest is left for roads between plots
        g = np.minimum(1.0, np.minimum(usable / pw[idx], usable / ph[idx]))
        slack_x = (usable - pw[idx] * g) / 2
        slack_y = (usable - ph[idx] * g) / 2
        jitter = rng.uniform(-1, 1, (len(idx), 2)) * np.column_stack([slack_x, slack_y])
        centre[idx] = centres + jitter
        shrink[idx] = g

    # Plot outlines.
    sx = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])
    sy = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])
    px, py = _rotate(np.outer(width * shrink, sx), np.outer(height * shrink, sy), phi[:, None])
    plot_geoms = shapely.polygons(np.stack([px + centre[:, :1], py + centre[:, 1:]], axis=-1))

    # Buildings: in their sub-cell of the plot, jittered, then rotated and moved with the plot.
    j = buildings["j"].to_numpy()
    row, col = np.divmod(j, cols[bplot])
    cb = c[bplot]
    cx = -width[bplot] / 2 + (col + 0.5) * cb + rng.uniform(-1, 1, nb) * (cb * 0.9 - bw) / 2
    cy = -height[bplot] / 2 + (row + 0.5) * cb + rng.uniform(-1, 1, nb) * (cb * 0.9 - bh) / 2
    # Outline with 6 corners: an L-shape, or a rectangle when the cut is empty.
    lx = np.array([-0.5, 0.5, 0.5, 0.5, 0.5, -0.5, -0.5])
    ly = np.array([-0.5, -0.5, 0.5, 0.5, 0.5, 0.5, -0.5])
    vx = np.outer(w, lx)
    vy = np.outer(h, ly)
    vy[:, 2] = h * (0.5 - cut_h)
    vx[:, 3] = w * (0.5 - cut_w)
    vy[:, 3] = h * (0.5 - cut_h)
    vx[:, 4] = w * (0.5 - cut_w)
    mirror = np.where(rng.random((nb, 2)) < 0.5, -1.0, 1.0)
    vx, vy = vx * mirror[:, :1], vy * mirror[:, 1:]
    vx, vy = _rotate(vx, vy, theta[:, None])
    g = shrink[bplot][:, None]
    bx, by = _rotate((vx + cx[:, None]) * g, (vy + cy[:, None]) * g, phi[bplot][:, None])
    coords = np.stack([bx + centre[bplot, :1], by + centre[bplot, 1:]], axis=-1)
    building_geoms = np.empty(nb, dtype=object)
    # Rectangles drop the two repeated corners of the empty cut.
    building_geoms[is_l] = shapely.polygons(coords[is_l])
    if (~is_l).any():
        building_geoms[~is_l] = shapely.polygons(coords[~is_l][:, [0, 1, 4, 5, 6]])
    return (
        gpd.GeoSeries(plot_geoms, crs=PROJECTED).to_crs(CRS),
        gpd.GeoSeries(building_geoms, crs=PROJECTED).to_crs(CRS),
    )


# --- floors and rooms ----------------------------------------------------------------------


def _plan_floors(rng: np.random.Generator, buildings: pd.DataFrame) -> pd.DataFrame:
    """All floors of all buildings, with usable area and lab specifications."""
    nf = buildings["n_floors"].to_numpy()
    b = np.repeat(np.arange(len(buildings)), nf)
    n = len(b)
    level = np.arange(n) - np.repeat(np.cumsum(nf) - nf, nf) + 1
    hub = buildings["hub"].to_numpy()[b]
    ground = level == 1
    area = buildings["floor_area"].to_numpy()[b] * rng.uniform(0.97, 1.0, n)
    area = np.where(hub, area.clip(1000, 2500), area).round()

    # Hub: office floors, lab floors in some podiums (from level 2 up to 2–4) and a few
    # retrofitted ones.
    nb = len(buildings)
    podium = np.where(rng.random(nb) < 0.3, rng.integers(1, 4, nb), 0)[b]
    lab = hub & (((level >= 2) & (level <= 1 + podium)) | ((level >= 2) & (rng.random(n) < 0.04)))
    office_load = rng.choice([2.0, 2.5, 3.0, 3.5], nb, p=[0.15, 0.35, 0.35, 0.15])[b]
    office_height = rng.uniform(2.7, 3.3, nb)[b].round(1)
    office_power = (rng.uniform(60, 250, n) / 5).round() * 5
    lab_power = (rng.uniform(160, 250, n) / 5).round() * 5
    office_exhaust = rng.random(n) < 0.03

    # Qianwan: specifications from the land-holding enterprise's track.
    profile = [_PROFILES.get(t, _GENERIC_PROFILE) for t in buildings["track"]]
    low = np.array([p[0][0] for p in profile])
    span = np.array([p[0][1] - p[0][0] for p in profile])
    load = ((low + rng.random(nb) * span) * 2).round() / 2
    hlow = np.array([p[1][0] for p in profile])
    hspan = np.array([p[1][1] - p[1][0] for p in profile])
    qheight = (hlow + rng.random(nb) * hspan).round(1)
    plow = np.array([p[2][0] for p in profile], dtype=float)
    pspan = np.array([p[2][1] - p[2][0] for p in profile], dtype=float)
    qpower = plow + rng.random(nb) * pspan
    has_exhaust = rng.random(nb) < np.array([p[3] for p in profile])
    has_wet = rng.random(nb) < np.array([p[4] for p in profile])
    has_clean = rng.random(nb) < np.array([p[5] for p in profile])
    iso = np.array([p[6][rng.integers(len(p[6]))] for p in profile])
    q_load = np.where(ground, np.minimum(load[b] + 2.0, 12.0), load[b])
    q_height = np.where(ground, np.minimum(qheight[b] + 0.5, 6.5), qheight[b])
    q_power = ((qpower[b] * rng.uniform(0.85, 1.0, n)) / 10).round().clip(20, 150) * 10
    q_exhaust = has_exhaust[b] & (rng.random(n) < 0.9)
    q_wet = has_wet[b] & (rng.random(n) < 0.9)
    q_clean = has_clean[b] & (rng.random(n) < 0.6)

    bid = buildings["building_id"].to_numpy()[b]
    floor_id = [f"{x}-F{lv:02d}" for x, lv in zip(bid, level, strict=True)]
    return pd.DataFrame(
        {
            "floor_id": np.array(floor_id, dtype=object),
            "building_i": b,
            "level": level,
            "usable_area_m2": area,
            "floor_load_kn_m2": np.where(hub, np.where(lab, 5.0, office_load), q_load),
            "clear_height_m": np.where(hub, np.where(lab, 4.5, office_height), q_height),
            "exhaust": np.where(hub, lab | office_exhaust, q_exhaust),
            "wet_lab_drainage": np.where(hub, lab, q_wet),
            "power_kva": np.where(hub, np.where(lab, lab_power, office_power), q_power),
            "clean_room_iso": pd.Series(iso[b], dtype="Int64").where(~hub & q_clean),
            "lab": np.where(hub, lab, q_exhaust | q_wet),
        }
    )


def _plan_offers(
    rng: np.random.Generator, buildings: pd.DataFrame, floors: pd.DataFrame
) -> pd.DataFrame:
    """Decide how each building and floor is offered; return the rooms of divided floors.

    Adds to ``buildings`` the flag ``whole`` and to ``floors`` the column ``offer``: "building"
    (the whole building is offered), "floor", "rooms" or "" (not offered). Hub towers: a few
    offered whole, otherwise a share of their floors, some divided into 3–10 rooms of 80–600 m².
    Qianwan buildings: about a third offered whole, otherwise most floors one by one.
    """
    nb, nf = len(buildings), len(floors)
    hub_b = buildings["hub"].to_numpy()
    whole = rng.random(nb) < np.where(hub_b, 0.075, 0.35)
    for flag in (hub_b, ~hub_b):  # at least one whole building in each area
        if flag.any() and not (whole & flag).any():
            whole[np.flatnonzero(flag)[0]] = True
    buildings["whole"] = whole
    share = np.where(hub_b, rng.uniform(0.25, 0.6, nb), rng.uniform(0.55, 0.95, nb))
    b = floors["building_i"].to_numpy()
    hub = hub_b[b]
    lab = floors["lab"].to_numpy()
    level = floors["level"].to_numpy()
    p = np.where(hub & lab, np.minimum(share[b] + 0.4, 1.0), share[b])
    offered = (rng.random(nf) < p) & (~hub | (level >= 2) | lab)
    divided = hub & offered & ~whole[b] & (rng.random(nf) < 0.4)
    floors["offer"] = np.select([whole[b], divided, offered], ["building", "rooms", "floor"], "")

    # Rooms: 80 m² each plus a Dirichlet share of the rest, 65–90 % of the floor in all.
    fi = np.flatnonzero(divided)
    n = len(fi)
    total = floors.usable_area_m2.to_numpy()[fi] * rng.uniform(0.65, 0.9, n)
    k = np.rint(total / rng.uniform(150, 380, n)).clip(3, 10)
    k = np.minimum(k, np.floor(total / 92)).astype(int)
    weights = rng.gamma(3.0, 1.0, (n, 10)) * (np.arange(10) < k[:, None])
    weights /= weights.sum(axis=1, keepdims=True)
    sizes = np.floor((80 + (total - 80 * k)[:, None] * weights).clip(None, 600) * 10) / 10
    floor_of = np.repeat(fi, k)
    slot = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
    size = sizes[np.repeat(np.arange(n), k), slot]
    number = [f"{lv}{s + 1:02d}" for lv, s in zip(level[floor_of], slot, strict=True)]
    fid = floors["floor_id"].to_numpy()[floor_of]
    return pd.DataFrame(
        {
            "room_id": np.array(
                [f"{f}-{m}" for f, m in zip(fid, number, strict=True)], dtype=object
            ),
            "floor_i": floor_of,
            "number": np.array(number, dtype=object),
            "usable_area_m2": size,
        }
    )


# --- service teams and carriers ------------------------------------------------------------


def _plan_teams(rng: np.random.Generator, units: tuple[str, ...], scale: float) -> pd.DataFrame:
    """2–4 enterprise-service teams per responsible unit."""
    rows = []
    for unit in units:
        names = _TEAM_NAMES.get(unit) or tuple(
            f"{_UNIT_ZH.get(unit, unit)}企业服务专班{i}" for i in "一二三四"
        )
        n = int(rng.integers(2, 5))
        status = rng.choice(["in_place", "forming", "none"], n, p=[0.55, 0.3, 0.15])
        status[0] = "in_place" if rng.random() < 0.8 else status[0]
        ready = AS_OF + _days(rng, 30, 400, n)
        capacity = np.maximum(1, np.rint(rng.uniform(20, 120, n) * scale)).astype(int)
        lead = [
            _SURNAMES[a] + _GIVEN[g]
            for a, g in zip(
                rng.integers(0, len(_SURNAMES), n), rng.integers(0, len(_GIVEN), n), strict=True
            )
        ]
        for i in range(n):
            rows.append(
                {
                    "team_id": f"T-{unit}-{i + 1}",
                    "name": names[i],
                    "responsible_unit": unit,
                    "status": str(status[i]),
                    "ready_date": ready[i] if status[i] == "forming" else np.datetime64("NaT"),
                    "capacity": int(capacity[i]),
                    "lead": lead[i],
                }
            )
    return pd.DataFrame(rows)


def _assign_teams(
    rng: np.random.Generator, unit: np.ndarray, teams: pd.DataFrame, without: float
) -> np.ndarray:
    """A team of the same unit for each object (weighted by capacity), or None for some."""
    out = np.full(len(unit), None, dtype=object)
    for u in teams["responsible_unit"].unique():
        mine = teams[teams["responsible_unit"] == u]
        idx = np.flatnonzero(unit == u)
        weights = mine["capacity"].to_numpy(dtype=float)
        out[idx] = mine["team_id"].to_numpy()[
            rng.choice(len(mine), len(idx), p=weights / weights.sum())
        ]
    out[rng.random(len(unit)) < without] = None
    return out


def _plan_carriers(
    rng: np.random.Generator,
    plots: pd.DataFrame,
    buildings: pd.DataFrame,
    floors: pd.DataFrame,
    rooms: pd.DataFrame,
    teams: pd.DataFrame,
    tracks: tuple[str, ...],
) -> pd.DataFrame:
    """One carrier per offered object, with status, rent, dates, track, tenant and team."""
    offer = floors["offer"].to_numpy()
    fb = floors["building_i"].to_numpy()
    plot_offered = np.flatnonzero(plots["group"].isin(["whole", "reserve"]).to_numpy())
    whole_b = np.flatnonzero(buildings["whole"].to_numpy())
    floor_f = np.flatnonzero(offer == "floor")
    room_f = rooms["floor_i"].to_numpy()
    tier = np.concatenate(
        [
            np.full(len(plot_offered), "plot"),
            np.full(len(whole_b), "building"),
            np.full(len(floor_f), "floor"),
            np.full(len(rooms), "room"),
        ]
    ).astype(object)
    target = np.concatenate(
        [
            plots["plot_id"].to_numpy()[plot_offered],
            buildings["building_id"].to_numpy()[whole_b],
            floors["floor_id"].to_numpy()[floor_f],
            rooms["room_id"].to_numpy(),
        ]
    )
    b = np.concatenate([np.full(len(plot_offered), -1), whole_b, fb[floor_f], fb[room_f]])
    fl = np.concatenate([np.full(len(plot_offered) + len(whole_b), -1), floor_f, room_f])
    on_b = b >= 0
    bb = np.where(on_b, b, 0)
    ff = np.where(fl >= 0, fl, 0)
    p = np.where(
        on_b,
        buildings["plot_i"].to_numpy()[bb],
        np.concatenate([plot_offered, np.zeros(len(tier) - len(plot_offered), dtype=int)]),
    )
    n = len(tier)
    group = plots["group"].to_numpy()[p]
    hub = group == "hub"
    is_room = tier == "room"
    lab = np.where(fl >= 0, floors["lab"].to_numpy()[ff], False)
    level = np.where(fl >= 0, floors["level"].to_numpy()[ff], 1)

    # Status: occupancy varies by building; unaccepted buildings are under construction.
    accepted = on_b & ~np.isnat(buildings["actual_acceptance"].to_numpy()[bb])
    nb = len(buildings)
    leased_share = np.where(buildings["hub"], rng.beta(2.0, 2.5, nb), rng.beta(1.3, 3.0, nb))
    reserved_share = rng.uniform(0.05, 0.2, nb)
    u = rng.random(n)
    ls, rs = leased_share[bb], reserved_share[bb]
    status = np.select(
        [group == "reserve", ~on_b, ~accepted, u < ls, u < ls + rs],
        [
            "reserve_land",
            np.where(u < 0.6, "available", "reserved"),
            np.where(u < 0.85, "under_construction", "reserved"),
            "leased",
            "reserved",
        ],
        "available",
    ).astype(object)

    # Available from: by status, from acceptance, land readiness or a lease end.
    acceptance = np.where(
        accepted,
        buildings["actual_acceptance"].to_numpy()[bb],
        buildings["planned_acceptance"].to_numpy()[bb],
    ).astype("datetime64[D]")
    land = plots["land_ready_actual"].to_numpy().astype("datetime64[D]")[p]
    land = np.where(np.isnat(land), plots["land_ready_planned"].to_numpy()[p], land)
    soon = AS_OF + _days(rng, 15, 180, n)
    after_acceptance = acceptance + _days(rng, 15, 90, n)
    available_from = np.select(
        [
            ~on_b & (status == "reserved"),
            ~on_b,
            status == "leased",
            accepted & (status == "reserved"),
        ],
        [np.maximum(soon, land), land, AS_OF + _days(rng, 90, 1100, n), soon],
        after_acceptance,
    ).astype("datetime64[D]")
    available_from = np.minimum(available_from, LAST_DAY)

    # Rent: the building's base, dearer higher up and for lab floors; rooms dearer still.
    base = buildings["rent_base"].to_numpy()[bb]
    floor_rent = np.where(hub, base * (1 + 0.004 * (level - 1)) + 0.3 * lab, base + 0.2 * lab)
    rent = np.where(tier == "building", base, floor_rent)
    rent = np.where(is_room, rent * rng.uniform(1.04, 1.12, n), rent)
    low = np.where(hub, np.where(is_room, RENT_HUB_ROOM[0], RENT_HUB[0]), RENT_QIANWAN[0])
    high = np.where(hub, np.where(is_room, RENT_HUB_ROOM[1], RENT_HUB[1]), RENT_QIANWAN[1])
    rent = np.where(on_b, rent.clip(low, high).round(1), np.nan)

    # Track: the tenant's for leased and reserved carriers, designated for some others.
    own = plots["track"].to_numpy()[p]
    any_track = _track_choice(rng, tracks, n, prefer=0.5)
    priority = _track_choice(rng, tracks, n, prefer=1.5)
    lab_track = np.full(n, "biomedicine" if "biomedicine" in tracks else tracks[0], dtype=object)
    hub_track = np.where(lab & (rng.random(n) < 0.6), lab_track, any_track)
    qianwan_track = np.where(rng.random(n) < 0.75, own, priority)
    candidate = np.where(hub, hub_track, np.where(on_b, qianwan_track, priority))
    let = np.isin(status, ["leased", "reserved"])
    designated = rng.random(n) < np.select([hub, group == "reserve"], [0.3, 0.5], 0.6)
    track = np.where(let | designated, candidate, None)
    cities = rng.integers(0, len(_CITIES), n)
    brands = _brands(rng, n)
    words = _words(rng, candidate)
    tenant = np.array(
        [
            f"{_CITIES[c]}{br}{wd}有限公司上海研发中心" if lt else None
            for c, br, wd, lt in zip(cities, brands, words, let, strict=True)
        ],
        dtype=object,
    )

    # Notes, now and then.
    kind = np.where(hub, "hub", np.where(group == "reserve", "reserve", "qianwan"))
    pick = rng.integers(0, 6, n)
    note = np.array(
        [
            _NOTES[k][i % len(_NOTES[k])] if keep else None
            for k, i, keep in zip(kind, pick, rng.random(n) < 0.07, strict=True)
        ],
        dtype=object,
    )

    # Service teams: per building (or plot), from the object's responsible unit.
    building_team = _assign_teams(rng, buildings["unit"].to_numpy(), teams, 0.2)
    plot_team = _assign_teams(rng, plots["unit"].to_numpy(), teams, 0.3)
    team = np.where(on_b, building_team[bb], plot_team[p])

    order = np.argsort(target.astype(str), kind="stable")
    width = max(6, len(str(n)))
    return pd.DataFrame(
        {
            "carrier_id": [f"C{i + 1:0{width}d}" for i in range(n)],
            "tier": tier[order],
            "target_id": target[order],
            "status": status[order],
            "rent_yuan_m2_day": rent[order],
            "available_from": available_from[order],
            "service_team_id": team[order],
            "track": track[order],
            "tenant": tenant[order],
            "note": note[order],
        }
    )


# --- assembly ------------------------------------------------------------------------------


def _frames(
    seed: int,
    plots: pd.DataFrame,
    buildings: pd.DataFrame,
    plot_geoms: gpd.GeoSeries,
    building_geoms: gpd.GeoSeries,
    floors: pd.DataFrame,
    rooms: pd.DataFrame,
    teams: pd.DataFrame,
    carriers: pd.DataFrame,
) -> dict[str, pd.DataFrame]:
    """The raw tables, named and ordered as in `spaces.schema`."""
    source = record_source(seed)
    plot_frame = gpd.GeoDataFrame(
        {
            "plot_id": plots["plot_id"].to_numpy(),
            "name": plots["name"].to_numpy(),
            "land_use": plots["land_use"].to_numpy(),
            "land_status": plots["land_status"].to_numpy(),
            "far": plots["far"].to_numpy(),
            "land_ready_planned": plots["land_ready_planned"].to_numpy(),
            "land_ready_actual": plots["land_ready_actual"].to_numpy(),
            "facilities_progress": plots["facilities"].round(2).to_numpy(),
            "responsible_unit": plots["unit"].to_numpy(),
            "operator": plots["operator"].to_numpy(),
            "source": source,
            "approximate": True,
        },
        geometry=plot_geoms.to_numpy(),
        crs=CRS,
    )
    building_frame = gpd.GeoDataFrame(
        {
            "building_id": buildings["building_id"].to_numpy(),
            "plot_id": plots["plot_id"].to_numpy()[buildings["plot_i"].to_numpy()],
            "name": buildings["name"].to_numpy(),
            "address": buildings["address"].to_numpy(),
            "kind": buildings["kind"].to_numpy(),
            "height_m": buildings["height"].to_numpy(),
            **{
                c: buildings[c].to_numpy()
                for c in (
                    "construction_progress",
                    "planned_completion",
                    "actual_completion",
                    "planned_acceptance",
                    "actual_acceptance",
                )
            },
            "facilities_progress": buildings["facilities"].to_numpy(),
            "responsible_unit": buildings["unit"].to_numpy(),
            "operator": buildings["operator"].to_numpy(),
            "source": source,
            "approximate": True,
        },
        geometry=building_geoms.to_numpy(),
        crs=CRS,
    )
    floor_frame = floors.assign(
        building_id=buildings["building_id"].to_numpy()[floors["building_i"].to_numpy()],
    )[
        [
            "floor_id",
            "building_id",
            "level",
            "usable_area_m2",
            "floor_load_kn_m2",
            "clear_height_m",
            "exhaust",
            "wet_lab_drainage",
            "power_kva",
            "clean_room_iso",
        ]
    ]
    room_frame = rooms.assign(floor_id=floors["floor_id"].to_numpy()[rooms["floor_i"].to_numpy()])[
        ["room_id", "floor_id", "number", "usable_area_m2"]
    ]
    return {
        "plots": plot_frame,
        "buildings": building_frame,
        "floors": floor_frame,
        "rooms": room_frame,
        "service_teams": teams,
        "carriers": carriers,
    }
