"""Sample demand list: fictional R&D-centre demands of Yangtze River Delta manufacturers.

Everything here is invented (样例数据 / sample data): enterprise names, contacts and needs are
fictional. The demands are drawn to look like the plan's gradient (section 二.2): many rooms
for preparation and proof of concept, floors for pilot tests, a few buildings and plots for
R&D headquarters, from manufacturers across Shanghai, Jiangsu, Zhejiang and Anhui.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np
import pandas as pd

from spaces.demands import build_demands

SOURCE = "样例数据 / sample data"
DEFAULT_SEED = 20260601
AS_OF = np.datetime64("2026-11-30", "D")
"""The day the sample describes (as the sample inventory)."""

# Home cities, weighted roughly by their manufacturing weight in the delta.
_CITY_WEIGHTS = MappingProxyType(
    {
        "suzhou": 5, "wuxi": 3, "changzhou": 2.5, "nantong": 2, "nanjing": 2.5, "yangzhou": 1,
        "zhenjiang": 1, "taizhou_js": 1, "xuzhou": 1, "yancheng": 1, "huaian": 0.5,
        "hangzhou": 3, "ningbo": 3, "jiaxing": 2, "huzhou": 1, "shaoxing": 1.5,
        "taizhou_zj": 1.5, "wenzhou": 1.5, "jinhua": 1, "hefei": 2.5, "wuhu": 1.5,
        "chuzhou": 1, "maanshan": 0.5, "bengbu": 0.5, "shanghai": 1,
    }
)  # fmt: skip
_CITY_ZH = MappingProxyType(
    {
        "suzhou": "苏州", "wuxi": "无锡", "changzhou": "常州", "nantong": "南通", "nanjing": "南京",
        "yangzhou": "扬州", "zhenjiang": "镇江", "taizhou_js": "泰州", "xuzhou": "徐州",
        "yancheng": "盐城", "huaian": "淮安", "hangzhou": "杭州", "ningbo": "宁波",
        "jiaxing": "嘉兴", "huzhou": "湖州", "shaoxing": "绍兴", "taizhou_zj": "台州",
        "wenzhou": "温州", "jinhua": "金华", "hefei": "合肥", "wuhu": "芜湖", "chuzhou": "滁州",
        "maanshan": "马鞍山", "bengbu": "蚌埠", "shanghai": "上海",
    }
)  # fmt: skip
_BRAND = tuple("恒锐博瑞新华天中科联泰康达盛通和源弘信德立晶海宇伟嘉")
_WORDS = MappingProxyType(
    {
        "biomedicine": ("生物医药", "医疗器械", "制药", "生物技术"),
        "new_energy": ("新能源", "动力电池", "储能科技", "氢能科技"),
        "automotive": ("汽车零部件", "智能汽车科技", "汽车电子", "电驱动科技"),
        "integrated_circuits": ("半导体", "微电子", "芯片科技", "集成电路"),
        "new_materials": ("新材料", "复合材料", "化工新材料", "高分子科技"),
        "smart_manufacturing": ("智能装备", "机器人", "精密机械", "工业自动化"),
    }
)
_GENERIC = ("科技", "工业", "实业", "精密制造")
_SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙朱马胡郭何高林罗")
# Tier wanted, with its share and the area range (m²) asked.
_TIERS = (
    ("room", 0.42, (80, 450)),
    ("floor", 0.33, (800, 3000)),
    ("building", 0.12, (5000, 30000)),
    ("plot", 0.08, (15000, 60000)),
    (None, 0.05, (300, 2000)),
)
# Rent ceilings (yuan/m²/day) some demands name, by tier wanted.
_RENT_CEILING = MappingProxyType(
    {"room": (6.5, 10.0), "floor": (4.0, 9.0), "building": (3.0, 6.0), "plot": (2.0, 4.0)}
)
_NOTES = (
    "拟设立长三角研发中心",
    "中试线配套需求",
    "希望靠近虹桥枢纽便于往返",
    "需办理注册地址",
    "计划三年内扩至整层",
    "需危化品暂存间",
    "已与属地街镇初步对接",
)


def generate_demands(
    *,
    scale: float = 1,
    seed: int = DEFAULT_SEED,
    tracks: Sequence[str],
    track_requirements: Mapping[str, Mapping[str, float | bool | None]] | None = None,
) -> pd.DataFrame:
    """A valid, typed sample demand list, about 40 demands per unit of ``scale``.

    Parameters
    ----------
    scale
        Size relative to the 1× sample (1, 10, 100 ...); must be positive.
    seed
        Seed of `numpy.random.default_rng`; the same arguments give identical frames.
    tracks
        The configured track ids; the plan's priority tracks (biomedicine, new energy,
        automotive) come up more often when configured.
    track_requirements
        Per track id, its requirements (``min_floor_load_kn_m2``, ``min_clear_height_m``,
        ``exhaust``, ``wet_lab_drainage``, ``min_power_kva``); some demands ask for more.

    Returns
    -------
    DataFrame indexed by demand_id (D0001 ...), built with `spaces.demands.build_demands`.
    """
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    tracks = tuple(dict.fromkeys(tracks))
    if not tracks:
        raise ValueError("tracks must name at least one configured track id")
    rng = np.random.default_rng([seed, 4])
    n = max(1, round(rng.uniform(36, 44) * scale))
    req = track_requirements or {}

    weights = np.array(
        [3.0 if t in ("biomedicine", "new_energy", "automotive") else 1.0 for t in tracks]
    )
    track = np.asarray(tracks, dtype=object)[rng.choice(len(tracks), n, p=weights / weights.sum())]
    cities = np.array(list(_CITY_WEIGHTS), dtype=object)
    cw = np.array(list(_CITY_WEIGHTS.values()))
    city = cities[rng.choice(len(cities), n, p=cw / cw.sum())]
    shares = np.array([s for _, s, _ in _TIERS])
    tier_i = rng.choice(len(_TIERS), n, p=shares / shares.sum())

    rows = []
    for i in range(n):
        tier, _, (low, high) = _TIERS[tier_i[i]]
        tr = str(track[i])
        a = float(np.exp(rng.uniform(np.log(low), np.log(high))))
        a = round(a / (10 if a < 1000 else 100)) * (10 if a < 1000 else 100)
        spread = rng.uniform(1.2, 1.8)
        area_min = a if rng.random() < 0.85 else None
        area_max = round(a * spread, -1) if rng.random() < 0.8 or area_min is None else None
        needed = AS_OF + np.timedelta64(int(rng.integers(30, 900)), "D")
        r = req.get(tr, {})
        # Rooms are mostly offices and dry labs; floors and up are labs and pilot lines that
        # often ask for their track's specifications outright.
        lab = rng.random() < (0.35 if tier == "room" else 0.8)
        track_specs = lab and tier != "room" and rng.random() < 0.6
        load = height = power = None
        if lab and not track_specs:
            load = r.get("min_floor_load_kn_m2")
            if load is not None and tier == "room":
                load = min(float(load), 5.0)
            height = r.get("min_clear_height_m") if rng.random() < 0.7 else None
            if height is not None and tier == "room":
                height = min(float(height), 4.0)
            power = r.get("min_power_kva")
            if power is not None and tier == "room":
                power = round(float(power) * 0.4)
        elif track_specs and rng.random() < 0.2:
            load = float(r.get("min_floor_load_kn_m2") or 5.0) + 2.5  # heavier kit than usual
        zone = None
        if rng.random() < 0.3:
            zone = "hub" if tier == "room" else str(rng.choice(["hub", "qianwan"], p=[0.3, 0.7]))
        brand = _BRAND[rng.integers(len(_BRAND))] + _BRAND[rng.integers(len(_BRAND))]
        word = _WORDS.get(tr, _GENERIC)[rng.integers(4 if tr in _WORDS else len(_GENERIC))]
        surname = _SURNAMES[rng.integers(len(_SURNAMES))]
        title = "先生" if rng.random() < 0.6 else "女士"
        phone = f"1{rng.integers(30, 90)}****{rng.integers(1000, 9999)}"
        status = rng.choice(["open", "matched", "closed"], p=[0.78, 0.14, 0.08])
        rows.append(
            {
                "demand_id": f"D{i + 1:04d}",
                "enterprise": f"{_CITY_ZH[city[i]]}{brand}{word}股份有限公司（示例）",
                "home_city": city[i],
                "track": tr if rng.random() < 0.92 else None,
                "tier": tier,
                "area_min_m2": area_min,
                "area_max_m2": area_max,
                "needed_by": pd.Timestamp(needed) if rng.random() < 0.85 else None,
                "min_floor_load_kn_m2": load,
                "min_clear_height_m": height,
                "track_specs": track_specs,
                "exhaust": bool(r.get("exhaust")) and lab and not track_specs,
                "wet_lab_drainage": bool(r.get("wet_lab_drainage")) and lab and not track_specs,
                "min_power_kva": power,
                "max_clean_room_iso": (
                    7 if tr == "integrated_circuits" and lab and not track_specs else None
                ),
                "max_rent_yuan_m2_day": (
                    round(float(rng.uniform(*_RENT_CEILING.get(tier, (4.0, 9.0)))), 1)
                    if rng.random() < 0.35
                    else None
                ),
                "area": zone,
                "contact": f"{surname}{title} {phone}",
                "status": str(status),
                "source": SOURCE,
                "note": _NOTES[rng.integers(len(_NOTES))] if rng.random() < 0.3 else None,
            }
        )
    return build_demands(pd.DataFrame(rows), tracks=tracks)
