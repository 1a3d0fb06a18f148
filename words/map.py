"""The carrier map in words: colouring, layers, legend, building cards."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "select_building": ("选择楼栋或地块", "Choose a building or plot"),
    "none_selected": (
        "在地图上点击楼栋或地块，或在上方选择，查看载体卡片。",
        "Click a building or plot on the map, or choose one above, to see its card.",
    ),
    "available_area": ("可招商面积", "Available area"),
    "available_area_10k": ("可招商（万m²）", "Available (10k m²)"),
    "legend": ("图例", "Legend"),
    "floor_and_room": ("整层与分间", "Floors and rooms"),
    "not_offered": ("未列入载体", "Not offered"),
    "stacking_plan": ("楼层分布（自上而下）", "Stacking plan (top to bottom)"),
    "card_carriers": ("本楼栋/地块的载体", "Carriers here"),
    "levels": ("层数", "Floors"),
    "whole_building": ("整栋", "Whole building"),
    "layer_zone": ("商务区闵行部分", "Zone (Minhang part of the CBD)"),
    "layer_area": ("片区", "Areas"),
    "layer_town": ("街镇", "Towns"),
    "layer_station": ("地铁站", "Metro stations"),
    "layer_road": ("主要道路", "Main roads"),
    "layer_waterway": ("河道", "Waterways"),
    "layer_landmark": ("地标", "Landmarks"),
    "layer_plots": ("载体：地块", "Carriers: plots"),
    "layer_buildings": ("载体：楼栋", "Carriers: buildings"),
    "match_match": ("符合条件", "Matches"),
    "match_other": ("其他载体", "Other carriers"),
    "match_none": ("未列入载体", "Not offered"),
    "legend_not_releasable": ("试点期内不可释放", "Not releasable in the trial"),
    "legend_held": ("已出租或预留", "Let or reserved"),
    "legend_r80": ("成熟度 ≥ 80", "Readiness ≥ 80"),
    "legend_r60": ("成熟度 60–80", "Readiness 60–80"),
    "legend_r40": ("成熟度 40–60", "Readiness 40–60"),
    "legend_r0": ("成熟度 < 40", "Readiness < 40"),
}

FAMILIES: dict[str, tuple[str, ...]] = {
    "layer_{}": ("zone", "area", "town", "station", "road", "waterway", "landmark"),
    "layer_{}s": ("plot", "building"),
    "legend_{}": ("not_releasable", "held", "r80", "r60", "r40", "r0"),
    "match_{}": ("match", "other", "none"),
}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""
