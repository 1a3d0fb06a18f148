"""Interface strings in Chinese and English: Chinese first, English as a switch."""

from __future__ import annotations

from spaces.schema import label

TEXT: dict[str, tuple[str, str]] = {
    # app
    "app_title": (
        "虹桥长三角制造业研发集聚区 · 载体地图与分批释放",
        "Hongqiao YRD Manufacturing R&D Cluster · carriers and release",
    ),
    "app_short": ("研发载体", "R&D carriers"),
    "language": ("语言 / Language", "语言 / Language"),
    "role": ("当前角色", "Role"),
    "role_public": ("企业/公众", "Enterprise / public"),
    "role_planner": ("规划人员", "Planner"),
    "role_steward": ("数据维护人员", "Data steward"),
    "role_leader": ("领导", "Leader"),
    "sample_banner": (
        "样例数据：本库为演示用的虚构载体（由确定性生成器生成），不代表真实楼宇、企业或租金。",
        "Sample data: these carriers are fictional, made by a deterministic generator; "
        "they are not real buildings, firms or rents.",
    ),
    "schematic_note": (
        "示意范围：商务区闵行部分、枢纽片区、前湾片区、街镇边界及道路水系为依据公开资料绘制的示意图，"
        "非官方边界；导入官方文件后替换。",
        "Schematic: the zone, hub and Qianwan areas, town boundaries, roads and waterways are "
        "drawn from public facts, not official boundaries; import official files to replace them.",
    ),
    # map page
    "page_map": ("载体地图", "Carrier map"),
    "color_by": ("着色依据", "Colour by"),
    "by_tier": ("载体梯度", "Tier"),
    "by_status": ("状态", "Status"),
    "select_building": ("选择楼栋或地块", "Choose a building or plot"),
    "none_selected": (
        "在地图上点击楼栋或地块，或在上方选择，查看载体卡片。",
        "Click a building or plot on the map, or choose one above, to see its card.",
    ),
    "carriers": ("载体", "Carriers"),
    "available_area": ("可招商面积", "Available area"),
    "available_area_10k": ("可招商（万m²）", "Available (10k m²)"),
    "buildings": ("楼栋", "Buildings"),
    "plots": ("地块", "Plots"),
    "count": ("数量", "Count"),
    "area_m2": ("面积 (m²)", "Area (m²)"),
    "legend": ("图例", "Legend"),
    "mixed": ("多种", "Mixed"),
    "floor_and_room": ("整层与分间", "Floors and rooms"),
    "not_offered": ("未列入载体", "Not offered"),
    "stacking_plan": ("楼层分布（自上而下）", "Stacking plan (top to bottom)"),
    "card_attributes": ("基本信息", "Attributes"),
    "card_carriers": ("本楼栋/地块的载体", "Carriers here"),
    "rent": ("租金 (元/m²/天)", "Rent (yuan/m²/day)"),
    "rent_range": ("租金区间", "Rent range"),
    "levels": ("层数", "Floors"),
    "whole_building": ("整栋", "Whole building"),
    "whole_plot": ("整块地", "Whole plot"),
    "layer_zone": ("商务区闵行部分", "Zone (Minhang part of the CBD)"),
    "layer_area": ("片区", "Areas"),
    "layer_town": ("街镇", "Towns"),
    "layer_station": ("地铁站", "Metro stations"),
    "layer_road": ("主要道路", "Main roads"),
    "layer_waterway": ("河道", "Waterways"),
    "layer_landmark": ("地标", "Landmarks"),
    "layer_plots": ("载体：地块", "Carriers: plots"),
    "layer_buildings": ("载体：楼栋", "Carriers: buildings"),
    "schematic": ("示意范围", "schematic"),
    "official": ("官方", "official"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unit_m2": ("m²", "m²"),
    # leaders page (issue 3)
    "by_batch": ("释放批次", "Release batch"),
    "by_readiness": ("成熟度", "Readiness"),
    "batch_n": ("第{n}批", "Batch {n}"),
    "legend_not_releasable": ("试点期内不可释放", "Not releasable in the trial"),
    "legend_already_let": ("已出租", "Already let"),
    "legend_r80": ("成熟度 ≥ 80", "Readiness ≥ 80"),
    "legend_r60": ("成熟度 60–80", "Readiness 60–80"),
    "legend_r40": ("成熟度 40–60", "Readiness 40–60"),
    "legend_r0": ("成熟度 < 40", "Readiness < 40"),
}


def t(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang`` ("zh" or "en")."""
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def vocab(vocabulary: str, code: str | None, lang: str) -> str:
    """The label of a schema vocabulary code (tier, status, ...) in ``lang``."""
    return label(vocabulary, code, lang)
