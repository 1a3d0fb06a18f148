"""The app's shell in words: title, roles, sidebar, banners and words every page uses."""

from __future__ import annotations

from access.permissions import ROLES, SYSTEM_ROLE
from planning.policy import COMPONENTS
from planning.rules import MATCH_COMPONENTS

TEXT: dict[str, tuple[str, str]] = {
    "app_short": ("研发载体", "R&D carriers"),
    "language": ("语言 / Language", "语言 / Language"),
    "role": ("当前角色", "Role"),
    "role_public": ("企业/公众", "Enterprise / public"),
    "role_planner": ("规划人员", "Planner"),
    "role_steward": ("数据维护人员", "Data steward"),
    "role_leader": ("领导", "Leader"),
    "role_admin": ("管理员", "Administrator"),
    "role_system": ("系统", "System"),
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
    "page_map": ("载体地图", "Carrier map"),
    "color_by": ("着色依据", "Colour by"),
    "by_tier": ("载体梯度", "Tier"),
    "by_status": ("状态", "Status"),
    "carriers": ("载体", "Carriers"),
    "buildings": ("楼栋", "Buildings"),
    "plots": ("地块", "Plots"),
    "area_m2": ("面积 (m²)", "Area (m²)"),
    "mixed": ("多种", "Mixed"),
    "card_attributes": ("基本信息", "Attributes"),
    "rent": ("租金 (元/m²/天)", "Rent (yuan/m²/day)"),
    "schematic": ("示意范围", "schematic"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "page_finder": ("找空间", "Space finder"),
    "page_demands": ("需求清单", "Demand list"),
    "page_matching": ("供需匹配", "Supply and demand"),
    "f_areas": ("所在片区", "Area of the zone"),
    "any": ("不限", "Any"),
    "by_match": ("筛选结果", "Search"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "export_note": (
        "导出自虹桥研发载体平台；仅含公开信息，以运营方最终确认为准。",
        "Exported from the Hongqiao R&D carrier planner; public information only, subject to "
        "confirmation by the operator.",
    ),
    "demands_total": ("需求总数", "Demands"),
    "match_weights": ("评分权重", "Score weights"),
    "match_weights_note": (
        "权重在 config/settings.toml 的 [matching] 中设置；得分 = 100 × 各项加权平均。",
        "Set in config/settings.toml, [matching]; score = 100 × the weighted mean.",
    ),
    "weight": ("权重", "Weight"),
    "component_area": ("面积贴合", "Area fit"),
    "component_rent": ("租金", "Rent"),
    "component_date": ("入驻时间", "Date"),
    "component_technical": ("技术条件", "Technical fit"),
    "component_track": ("赛道定向", "Track fit"),
    "component_access": ("交通可达", "Access"),
    "component_area_help": ("面积越接近需求区间中值越高", "closer to the middle of the range"),
    "component_rent_help": ("租金越低越高", "cheaper is better"),
    "component_date_help": ("越早可入驻越高", "sooner is better"),
    "component_technical_help": (
        "荷载、净高、供电超出需求的余量",
        "headroom over floor load, clear height and power needs",
    ),
    "component_track_help": (
        "载体定向本赛道为 1，未限定为 0.5，其他赛道为 0",
        "1 if designated for the track, 0.5 if for none, 0 if for another",
    ),
    "component_access_help": (
        "距地铁站与虹桥枢纽的距离（EPSG:4549 直线距离）",
        "distance to a metro station and to the hub (straight line, EPSG:4549)",
    ),
    "match_score": ("得分", "Score"),
    "tab_by_demand": ("按需求找载体", "Carriers for a demand"),
    "tab_by_carrier": ("按载体找需求", "Demands for a carrier"),
    "tab_gaps": ("缺口报告", "Gap report"),
    "tab_growth": ("成长路径", "Growth path"),
    "tab_supply": ("供给清单", "Supply list"),
    "tier": ("梯度", "Tier"),
    "status": ("状态", "Status"),
    "track": ("赛道", "Track"),
    "needed_by": ("需求日期", "Needed by"),
    "available_from": ("可入驻日期", "Available from"),
    "enterprise": ("企业", "Enterprise"),
    "demand_id": ("需求编号", "Demand id"),
    "by_batch": ("释放批次", "Release batch"),
    "by_readiness": ("成熟度", "Readiness"),
    "batch_n": ("第{n}批", "Batch {n}"),
    "page_leaders": ("分批释放审议", "Release batches"),
    "as_of": ("评估日期", "As of"),
    "as_of_help": (
        "方案以此日期的数据为准；此后的日期按计划日期推算。",
        "The plan uses the data as of this date; later dates are projected from plans.",
    ),
    "by_unit": ("责任单位", "Responsible unit"),
    "by_track": ("赛道", "Track"),
    "by_area": ("片区", "Area"),
    "component_construction": ("载体建设", "construction"),
    "component_facilities": ("配套设施", "facilities"),
    "component_service_team": ("企业服务团队", "service team"),
    "component_industry_fit": ("产业匹配度", "industry fit"),
    "page_import": ("导入数据", "Import"),
    "page_edit": ("编辑数据", "Edit"),
    "page_audit": ("修改记录", "Audit log"),
    "page_export": ("导出数据", "Export"),
    "user": ("当前用户", "User"),
    "layer_preview": (
        "将以 {n} 个要素替换图层“{layer}”（原有 {old} 个示意要素），标记为官方数据。",
        "{n} feature(s) will replace the layer '{layer}' ({old} feature(s) now), marked official.",
    ),
    "edit_reload": ("放弃修改并刷新", "Discard and reload"),
    "version": ("版本", "Version"),
    "confirm": ("确认", "Confirm"),
    "cancel": ("取消", "Cancel"),
    "beijing_time": ("时间均为北京时间（UTC+8）。", "Times are Beijing time (UTC+8)."),
    "at_beijing": ("{time}（北京时间）", "{time} (Beijing time)"),
}

FAMILIES: dict[str, tuple[str, ...]] = {
    "role_{}": (*ROLES, SYSTEM_ROLE),
    "component_{}": (*COMPONENTS, *MATCH_COMPONENTS),
    "component_{}_help": MATCH_COMPONENTS,
    "by_{}": ("tier", "status", "match", "batch", "readiness", "unit", "track", "area"),
}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""
