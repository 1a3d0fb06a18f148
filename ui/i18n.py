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
    # finder and demand pages (issue 4)
    "page_finder": ("找空间", "Space finder"),
    "page_demands": ("需求清单", "Demand list"),
    "page_matching": ("供需匹配", "Supply and demand"),
    "finder_intro": (
        "按面积、梯度、片区、赛道和实验条件筛选可入驻的研发载体。仅显示公开信息；"
        "默认列出可招商载体，以及有计划入驻日期的在建载体和储备用地。",
        "Filter R&D carriers by area, tier, area of the zone, track and lab services. Public "
        "information only; by default, available carriers and those under construction or "
        "reserve land with a planned date.",
    ),
    "finder_filters": ("筛选条件", "Filters"),
    "f_area_min": ("面积下限 (m²)", "Area from (m²)"),
    "f_area_max": ("面积上限 (m²)", "Area up to (m²)"),
    "f_tiers": ("载体梯度", "Tier"),
    "f_areas": ("所在片区", "Area of the zone"),
    "f_track": ("赛道适配", "Track fit"),
    "f_track_help": (
        "载体满足该赛道的楼面荷载、净高、排风、排水、供电、洁净室要求（见设置）",
        "The carrier meets the track's floor load, clear height, exhaust, drainage, power and "
        "clean-room requirements (see settings)",
    ),
    "f_lab": ("实验条件", "Lab services"),
    "f_load": ("楼面荷载不低于 (kN/m²)", "Floor load at least (kN/m²)"),
    "f_height": ("净高不低于 (m)", "Clear height at least (m)"),
    "f_exhaust": ("有实验排风", "Lab exhaust"),
    "f_wet": ("有湿实验排水", "Wet-lab drainage"),
    "f_power": ("供电容量不低于 (kVA)", "Power at least (kVA)"),
    "f_clean": ("洁净室", "Clean room"),
    "or_cleaner": ("或更高", "or cleaner"),
    "f_plots_note": (
        "地块按需建设，不受实验条件限制。",
        "Plots are built to suit: the lab filters do not exclude them.",
    ),
    "f_rent_min": ("租金下限 (元/m²/天)", "Rent from (yuan/m²/day)"),
    "f_rent_max": ("租金上限 (元/m²/天)", "Rent up to (yuan/m²/day)"),
    "f_by": ("最晚入驻日期", "Available by"),
    "f_statuses": ("状态", "Status"),
    "f_statuses_help": (
        "非可招商状态的载体仅在有可入驻日期时显示；已预留载体已有意向企业。",
        "Carriers not available now are shown only with an available-from date; reserved "
        "carriers are held for a prospect.",
    ),
    "f_released": ("仅已发布批次", "Released batches only"),
    "f_released_help": (
        "仅显示领导已批准发布批次中的载体。",
        "Only carriers in a release batch the leaders have approved.",
    ),
    "no_batch_yet": (
        "尚无已批准的发布批次（分批释放计划完成后显示），因此“仅已发布批次”暂无结果。",
        "No release batch has been approved yet (batches appear once the leaders' release "
        "plan exists), so 'released batches only' finds nothing for now.",
    ),
    "f_reset": ("清除筛选", "Clear filters"),
    "any": ("不限", "Any"),
    "n_found": ("符合条件的载体", "Matching carriers"),
    "found_area": ("合计面积 (m²)", "Total area (m²)"),
    "found_places": ("涉及楼栋/地块", "Buildings and plots"),
    "share_link": (
        "筛选条件已写入网址：复制浏览器地址即可分享本次查询。",
        "The filters are in the page address: copy it to share this search.",
    ),
    "by_match": ("筛选结果", "Search"),
    "match_match": ("符合条件", "Matches"),
    "match_other": ("其他载体", "Other carriers"),
    "match_none": ("未列入载体", "Not offered"),
    "finder_pick": ("查看楼栋或地块（含符合条件的载体数）", "Building or plot (matching carriers)"),
    "finder_pick_hint": (
        "在地图上点击楼栋或地块，或在上方选择，查看楼层分布：红框为符合条件的楼层和房间。",
        "Click a building or plot, or choose one above, to see its stacking plan: matching "
        "floors and rooms are outlined in red.",
    ),
    "finder_card_matches": (
        "其中 {n} 个载体符合条件（红框标出）",
        "{n} matching carriers here (red outline)",
    ),
    "finder_results": ("查询结果", "Results"),
    "finder_capped": (
        "显示前 {n} 条，共 {total} 条：请增加筛选条件。",
        "Showing the first {n} of {total}: narrow the search.",
    ),
    "add_shortlist": ("加入备选清单（已选 {n} 个）", "Add to shortlist ({n} selected)"),
    "shortlist": ("备选清单", "Shortlist"),
    "shortlist_empty": (
        "在结果表中勾选载体后加入备选清单，可导出 Excel 或 CSV。",
        "Tick carriers in the results and add them to the shortlist to export it.",
    ),
    "shortlist_remove": ("移出备选清单", "Remove from the shortlist"),
    "remove": ("移出", "Remove"),
    "download_xlsx": ("下载 Excel", "Download Excel"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "export_note": (
        "导出自虹桥研发载体平台；仅含公开信息，以运营方最终确认为准。",
        "Exported from the Hongqiao R&D carrier planner; public information only, subject to "
        "confirmation by the operator.",
    ),
    "demands_intro": (
        "长三角制造业企业研发中心的空间需求：新增、编辑或从 Excel/CSV 导入（中英文表头均可）。",
        "Space demands of YRD manufacturers' R&D centres: add, edit or import them from "
        "Excel/CSV (Chinese or English headers).",
    ),
    "demands_sample": (
        "样例数据：需求清单中的企业与联系人均为虚构。",
        "Sample data: the enterprises and contacts of this demand list are fictional.",
    ),
    "demands_total": ("需求总数", "Demands"),
    "demands_tab_list": ("需求列表", "List"),
    "demands_tab_add": ("新增需求", "Add a demand"),
    "demands_tab_import": ("导入", "Import"),
    "demand_status_filter": ("显示状态", "Show statuses"),
    "demands_save": ("保存修改（{n} 条）", "Save changes ({n})"),
    "demands_saved": ("已保存 {n} 条修改。", "Saved {n} changed demands."),
    "demands_add": ("新增", "Add"),
    "demands_added": ("已新增需求 {id}。", "Added demand {id}."),
    "demand_invalid": (
        "有 {n} 处问题，未保存任何内容：",
        "{n} problem(s); nothing was saved:",
    ),
    "demands_import_help": (
        "上传需求清单（.xlsx 或 .csv，UTF-8 或 GBK）。表头可用中文或英文，"
        "城市、赛道、梯度可写中文名称；"
        "无需求编号的行将自动编号，已有编号的行将更新该需求。任何一行有误则整份不导入。",
        "Upload a demand list (.xlsx or .csv, UTF-8 or GBK). Headers in Chinese or English; "
        "cities, tracks and tiers may be written by name. Rows without an id get new ids; "
        "rows with an existing id update that demand. Any problem refuses the whole file.",
    ),
    "demands_import_file": ("选择文件", "Choose a file"),
    "demands_import_refused": (
        "文件有 {n} 处问题，未导入。请按下表（行、列、修改建议）修改后重新上传：",
        "{n} problem(s) in the file; nothing imported. Fix them (row, column, how to fix) "
        "and upload again:",
    ),
    "demands_import_ok": (
        "读取 {n} 行：新增 {new} 条，更新 {updated} 条。",
        "Read {n} rows: {new} new, {updated} updates.",
    ),
    "demands_import_go": ("确认导入", "Import"),
    "demands_imported": ("已导入 {n} 条需求。", "Imported {n} demands."),
    "matching_intro": (
        "为每条需求找出满足硬性条件（梯度、面积、技术条件、日期、赛道标准、状态、租金上限、意向片区）的载体，"
        "按加权得分排序并说明理由。",
        "For each demand, the carriers meeting its hard constraints (tier, area, technical "
        "needs, date, track specifications, status, rent ceiling, preferred area), ranked by a "
        "weighted score, with reasons.",
    ),
    "match_weights": ("评分权重", "Score weights"),
    "match_weights_note": (
        "权重在 config/settings.toml 的 [matching] 中设置；得分 = 100 × 各项加权平均。",
        "Set in config/settings.toml, [matching]; score = 100 × the weighted mean.",
    ),
    "component": ("评分项", "Component"),
    "weight": ("权重", "Weight"),
    "share": ("占比", "Share"),
    "meaning": ("含义", "Meaning"),
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
    "tier": ("梯度", "Tier"),
    "status": ("状态", "Status"),
    "track": ("赛道", "Track"),
    "needed_by": ("需求日期", "Needed by"),
    "available_from": ("可入驻日期", "Available from"),
    "reasons": ("匹配理由", "Reasons"),
    "enterprise": ("企业", "Enterprise"),
    "demand_id": ("需求编号", "Demand id"),
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
        "“发布批次”一列在领导批准分批释放计划后填写，目前为空。",
        "The release batch column fills in once the leaders approve the release plan; it is "
        "empty for now.",
    ),
    "download_supply": ("下载供给清单 Excel", "Download the supply list (Excel)"),
}


def t(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang`` ("zh" or "en")."""
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def vocab(vocabulary: str, code: str | None, lang: str) -> str:
    """The label of a schema vocabulary code (tier, status, ...) in ``lang``."""
    return label(vocabulary, code, lang)
