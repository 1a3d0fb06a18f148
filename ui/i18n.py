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
        "尚无已发布的批次（领导在“分批释放审议”页批准、且批次窗口已开始），因此“仅已发布批次”暂无结果。",
        "No batch is released yet (approved by the leaders on the release page, with its "
        "window begun), so 'released batches only' finds nothing for now.",
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
    "demands_conflict": (
        "未保存：以下需求在列表显示后已被他人修改。您的输入仍在表格中；请“放弃修改并刷新”，"
        "在最新数据上重新修改。",
        "Not saved: these demands were changed by someone else after the list was shown. Your "
        "input is still in the table; “Discard and reload”, then make your change on the "
        "current data.",
    ),
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
        "“发布批次”一列显示已批准且窗口已开始的批次；目前尚无已发布批次。",
        "The release batch column shows approved batches whose window has begun; none is "
        "released yet.",
    ),
    "download_supply": ("下载供给清单 Excel", "Download the supply list (Excel)"),
    # leaders page (issue 3)
    "by_batch": ("释放批次", "Release batch"),
    "by_readiness": ("成熟度", "Readiness"),
    "batch_n": ("第{n}批", "Batch {n}"),
    "legend_not_releasable": ("试点期内不可释放", "Not releasable in the trial"),
    "legend_held": ("已出租或预留", "Let or reserved"),
    "legend_r80": ("成熟度 ≥ 80", "Readiness ≥ 80"),
    "legend_r60": ("成熟度 60–80", "Readiness 60–80"),
    "legend_r40": ("成熟度 40–60", "Readiness 40–60"),
    "legend_r0": ("成熟度 < 40", "Readiness < 40"),
    "page_leaders": ("分批释放审议", "Release batches"),
    "leaders_intro": (
        "按载体及配套设施建设进度、企业服务团队搭建、产业匹配度等要素成熟情况，"
        "在三年试点期内分批次释放载体资源（行动方案第二部分第1条）。",
        "Carriers are released in batches over the three-year trial as construction and "
        "facilities, the enterprise-service teams and the industry fit mature (action plan, "
        "section 2.1).",
    ),
    "as_of": ("评估日期", "As of"),
    "as_of_help": (
        "方案以此日期的数据为准；此后的日期按计划日期推算。",
        "The plan uses the data as of this date; later dates are projected from plans.",
    ),
    "fingerprint": ("方案指纹", "Plan fingerprint"),
    "policy_caption": (
        "权重：载体建设 {construction:.0%}、配套设施 {facilities:.0%}、企业服务团队 "
        "{service_team:.0%}、产业匹配度 {industry_fit:.0%}；阈值 {threshold:g}；每 {cadence} "
        "个月一批",
        "Weights: construction {construction:.0%}, facilities {facilities:.0%}, service team "
        "{service_team:.0%}, industry fit {industry_fit:.0%}; threshold {threshold:g}; a batch "
        "every {cadence} months",
    ),
    "m_released": ("纳入批次", "In batches"),
    "m_released_area": ("释放面积（万m²）", "Area released (10k m²)"),
    "m_not_releasable": ("试点期内不可释放", "Not releasable"),
    "m_held": ("已出租或预留", "Let or reserved"),
    "tab_batches": ("批次", "Batches"),
    "tab_map": ("地图", "Map"),
    "tab_scenario": ("情景比较", "Scenario"),
    "tab_history": ("审议记录", "Decisions"),
    "col_batch": ("批次", "Batch"),
    "col_window": ("时间窗", "Window"),
    "col_evaluated": ("评估日（批次末日）", "Scored on (last day)"),
    "col_count": ("载体数", "Carriers"),
    "col_area": ("面积 (m²)", "Area (m²)"),
    "col_state": ("审议状态", "Review"),
    "col_carrier": ("载体编号", "Carrier"),
    "col_name": ("名称", "Name"),
    "col_tier": ("梯度", "Tier"),
    "col_status": ("状态", "Status"),
    "col_unit": ("责任单位", "Responsible unit"),
    "col_track": ("赛道", "Track"),
    "col_zone_area": ("片区", "Area"),
    "col_score": ("成熟度", "Readiness"),
    "col_reason": ("理由", "Reason"),
    "col_position": ("序号", "No."),
    "col_gates": ("闸门", "Gates"),
    "col_component": ("要素", "Component"),
    "col_weight": ("权重", "Weight"),
    "col_component_score": ("得分 (0–1)", "Score (0–1)"),
    "col_points": ("贡献分", "Points"),
    "col_facts": ("依据", "Facts"),
    "col_gate": ("闸门", "Gate"),
    "col_passes": ("是否通过", "Passes"),
    "col_expected": ("预计通过", "Expected"),
    "col_change": ("变化", "Change"),
    "col_before": ("批准时", "At approval"),
    "col_after": ("现在", "Now"),
    "col_from": ("原批次", "From"),
    "col_to": ("情景批次", "To"),
    "col_why": ("原因", "Why"),
    "col_decision": ("决定", "Decision"),
    "col_by": ("审议人", "By"),
    "col_role": ("角色", "Role"),
    "col_when": ("时间 (UTC)", "When (UTC)"),
    "col_comment": ("意见", "Comment"),
    "col_members": ("冻结载体数", "Frozen carriers"),
    "col_metric": ("指标", "Measure"),
    "col_current": ("现行方案", "Current"),
    "col_scenario": ("情景方案", "Scenario"),
    "col_diff": ("变化", "Change"),
    "state_proposed": ("待审议", "Proposed"),
    "state_approved": ("已批准", "Approved"),
    "state_returned": ("已退回", "Returned"),
    "state_closed": ("已过", "Closed"),
    "state_empty": ("无载体", "Empty"),
    "by_unit": ("责任单位", "Responsible unit"),
    "by_track": ("赛道", "Track"),
    "by_area": ("片区", "Area"),
    "chart_by": ("分组", "Group by"),
    "chart_measure": ("指标", "Measure"),
    "measure_count": ("载体数", "Carriers"),
    "measure_area": ("面积 (m²)", "Area (m²)"),
    "chart_title": ("各批次载体", "Carriers per batch"),
    "choose_batch": ("选择批次", "Choose a batch"),
    "batch_title": ("第{n}批 · {start} – {end}", "Batch {n} · {start} – {end}"),
    "batch_judged": (
        "评估日 {evaluated}；{count} 个载体，{area:,.0f} m²",
        "Scored on {evaluated}; {count} carriers, {area:,.0f} m²",
    ),
    "batch_closed": (
        "此时间窗在评估日期前已结束，不再安排载体。",
        "This window ended before the as-of date: no carriers are placed in it.",
    ),
    "batch_empty": ("本批没有载体。", "No carriers in this batch."),
    "totals": ("汇总", "Totals"),
    "members": ("本批载体", "Carriers of the batch"),
    "frozen_members": ("批准时冻结的载体", "Carriers frozen at approval"),
    "drill_down": ("查看载体理由", "Why this carrier"),
    "not_released_title": ("未纳入批次的载体", "Carriers in no batch"),
    "approved_note": (
        "已批准：{by}（{role}），{when}。意见：{comment}。批准时冻结 {count} 个载体；"
        "后续数据变化不改变本批。",
        "Approved by {by} ({role}) on {when}. Comment: {comment}. {count} carriers frozen at "
        "approval; later data changes do not alter this batch.",
    ),
    "returned_note": (
        "已退回：{by}（{role}），{when}。意见：{comment}",
        "Returned by {by} ({role}) on {when}. Comment: {comment}",
    ),
    "drift_title": ("批准后的变化（{n}）", "Changes since approval ({n})"),
    "drift_none": (
        "批准后数据无变化：本批载体的状态、成熟度与闸门与批准时一致。",
        "Nothing has drifted: the batch's statuses, scores and gates are as approved.",
    ),
    "drift_removed": ("已从库中删除", "Removed from the inventory"),
    "drift_status": ("状态变化", "Status changed"),
    "drift_score": ("成熟度变化", "Score changed"),
    "drift_gates": ("闸门变化", "Gates changed"),
    "drift_batch": ("现方案批次不同", "Now in another batch"),
    "drift_added": ("现方案新增", "Now in this batch"),
    "decision_title": ("审议", "Review"),
    "decider_name": ("审议人姓名", "Your name"),
    "decision_comment": ("意见", "Comment"),
    "approve": ("批准本批", "Approve the batch"),
    "return": ("退回修改", "Return for rework"),
    "reopen": ("撤回批准（退回）", "Withdraw approval (return)"),
    "leader_only": (
        "仅领导角色可以批准或退回批次（当前角色：{role}；以 HQ_ROLE=leader 启动）。",
        "Only a leader can approve or return a batch (current role: {role}; start the app "
        "with HQ_ROLE=leader).",
    ),
    "decision_saved": ("已记录：{decision}", "Recorded: {decision}"),
    "comment_needed": ("退回时请填写意见。", "Say what to change when returning a batch."),
    "download_excel": ("下载简报（Excel）", "Download briefing (Excel)"),
    "download_html": ("下载简报（可打印网页）", "Download briefing (printable page)"),
    "map_caption": (
        "楼栋/地块按其载体中最早的批次着色；成熟度按最成熟载体着色。",
        "A building or plot takes the earliest batch of its carriers; readiness that of its "
        "most ready carrier.",
    ),
    "scenario_intro": (
        "调整权重、阈值或批次间隔，与现行方案对比：哪些载体移动、从哪批到哪批、原因及前后汇总。"
        "权重按比例归一化为 100%。",
        "Change the weights, threshold or cadence and compare with the current plan: which "
        "carriers move, from which batch to which, why, and the totals before and after. "
        "Weights are normalised to 100 %.",
    ),
    "scenario_run": ("计算情景", "Compute the scenario"),
    "scenario_reset": ("恢复现行方案", "Back to the current policy"),
    "weight_of": ("{name}权重", "Weight of {name}"),
    "threshold": ("释放阈值", "Threshold"),
    "cadence": ("批次间隔（月）", "Months per batch"),
    "gates": ("附加闸门", "Extra gates"),
    "scenario_weights": ("情景规则（权重已归一化）", "Scenario rules (weights normalised)"),
    "scenario_moves": ("移动的载体（{n}）", "Carriers that move ({n})"),
    "scenario_no_moves": ("情景与现行方案相同。", "The scenario gives the current plan."),
    "scenario_windows": ("各批次前后对比", "Batches before and after"),
    "sum_released": ("纳入批次载体", "Carriers in batches"),
    "sum_released_area": ("纳入批次面积 (m²)", "Area in batches (m²)"),
    "sum_not_releasable": ("不可释放", "Not releasable"),
    "sum_held": ("已出租或预留", "Let or reserved"),
    "dir_earlier": ("提前", "earlier"),
    "dir_later": ("推后", "later"),
    "dir_in": ("新纳入", "newly in"),
    "dir_out": ("移出", "out"),
    "dir_changed": ("理由变化", "other reason"),
    "history_empty": ("尚无审议记录。", "No decisions yet."),
    "decision_approved": ("批准", "approved"),
    "decision_returned": ("退回", "returned"),
    "gate_pass": ("通过", "pass"),
    "gate_fail": ("未通过", "fail"),
    "trial_window": ("试点期", "Trial"),
    "briefing_title": ("释放批次简报", "Release batch briefing"),
    "briefing_status": ("审议状态", "Review"),
    "briefing_generated": ("生成时间", "Generated"),
    "briefing_map": ("本批载体分布（示意）", "Where the batch lies (schematic)"),
    "briefing_list": ("载体清单", "Carrier list"),
    "briefing_policy": ("评估规则", "Rules"),
    "briefing_other": ("其他载体", "Other carriers"),
    "sample_tag": ("样例数据", "Sample data"),
    "component_construction": ("载体建设", "construction"),
    "component_facilities": ("配套设施", "facilities"),
    "component_service_team": ("企业服务团队", "service team"),
    "component_industry_fit": ("产业匹配度", "industry fit"),
    "gate_team_in_place": ("服务团队到位", "Service team in place"),
    "gate_min_facilities": ("配套设施达标", "Facilities at minimum"),
    "with_count": ("{text}（{n}）", "{text} ({n})"),
    "gates_placeholder": ("无附加闸门", "No extra gates"),
    "labelled": ("{label}：{value}", "{label}: {value}"),
    # import, edit, audit (issue 5)
    "page_import": ("导入数据", "Import"),
    "page_edit": ("编辑数据", "Edit"),
    "page_audit": ("修改记录", "Audit log"),
    "page_export": ("导出数据", "Export"),
    "user": ("当前用户", "User"),
    "user_unit": ("所属单位", "Unit"),
    "steward_scope": (
        "您是{unit}的数据维护人员：只能导入和修改本单位的记录（载体按其楼栋或地块归属）。",
        "You are a data steward of {unit}: you may import and change only that unit's records "
        "(carriers belong to the unit of their building or plot).",
    ),
    "import_template_title": ("导入模板与填写说明", "Import template and how to fill it"),
    "import_help": (
        "下载模板，每张表一个工作表：第4行为表头（带 * 为必填），第2行说明每列填写要求，第3行为示例"
        "（不导入），从第5行起填写。可只填写部分表或部分记录：导入按编号新增或修改记录，不删除记录，"
        "并对合并后的全部数据进行校验。\n\n"
        "- **格式**：Excel（.xlsx，中文或英文表头）、CSV（UTF-8 或 GBK/GB18030）、GeoJSON、"
        "GeoPackage、压缩的 Shapefile（.zip）、KML。\n"
        "- **轮廓**：地块和楼栋在“轮廓”列填写 WKT，或从高德/百度取点工具复制的"
        "“经度,纬度;经度,纬度;…”；也可只填“经度”“纬度”和“示意面积”（按面积绘制示意方形，标记为示意位置）。\n"
        "- **坐标系**：WGS84、CGCS2000、EPSG:4549、GCJ-02（高德、腾讯）、BD-09（百度）、"
        "上海2000（近似）。文件自带坐标系（.prj、GeoPackage）时可自动识别，也可在表头注明，"
        "如“轮廓(GCJ-02)”；否则请在右侧选择。",
        "Download the template: one sheet per table; row 4 is the header (* = required), row 2 "
        "says what each column takes, row 3 is an example (not imported); fill from row 5. You "
        "may fill only some tables or records: an import adds new ids and changes existing "
        "ones, deletes nothing, and validates the whole merged inventory.\n\n"
        "- **Formats**: Excel (.xlsx, Chinese or English headers), CSV (UTF-8 or GBK/GB18030), "
        "GeoJSON, GeoPackage, zipped Shapefile (.zip), KML.\n"
        "- **Outlines**: plots and buildings give WKT or lon,lat;lon,lat;… (as AutoNavi's and "
        "Baidu's coordinate tools copy it) in 轮廓 (outline), or just 经度/纬度 and 示意面积 "
        "(a square of that area is drawn and marked approximate).\n"
        "- **Datums**: WGS84, CGCS2000, EPSG:4549, GCJ-02 (AutoNavi, Tencent), BD-09 (Baidu), "
        "Shanghai 2000 (approximate). A file's own CRS (.prj, GeoPackage) is used, or a datum "
        "named in the header such as 轮廓(GCJ-02); otherwise choose it on the right.",
    ),
    "download_template": ("下载导入模板（Excel）", "Download the import template (Excel)"),
    "import_what": ("导入内容", "What the file holds"),
    "import_mode_inventory": ("载体数据", "Inventory"),
    "import_mode_layer": ("官方图层（替换示意范围）", "Official layer (replaces a schematic one)"),
    "import_file": ("选择文件", "File"),
    "import_datum": ("坐标系", "Coordinate system"),
    "datum_auto": ("从文件判断（自带坐标系或表头注明）", "From the file (its CRS or the header)"),
    "import_layer": ("替换的图层", "Layer to replace"),
    "import_source": ("数据来源（如 闵行区规划资源局 2026年版）", "Source (who supplied the file)"),
    "import_choose_file": (
        "请选择要导入的文件。检查完成前不会写入任何数据。",
        "Choose a file to import. Nothing is written before you commit.",
    ),
    "import_checking": ("正在检查文件…", "Checking the file…"),
    "import_unreadable": ("无法导入此文件", "This file cannot be imported"),
    "import_datum_used": (
        "坐标系：{datum}（{how}），已转换为 WGS84",
        "Datum: {datum} ({how}), converted to WGS84",
    ),
    "how_declared": ("用户选择", "chosen"),
    "how_file": ("文件自带", "from the file"),
    "how_header": ("表头注明", "named in the header"),
    "import_errors": ("错误", "Errors"),
    "import_warnings": ("提示", "Warnings"),
    "import_added": ("新增记录", "Records added"),
    "import_changed": ("修改记录", "Records changed"),
    "import_has_errors": (
        "文件中有错误，未写入任何数据。请按下表修改后重新上传（可下载问题清单）。",
        "The file has errors; nothing was written. Fix them as listed and upload it again "
        "(the list can be downloaded).",
    ),
    "import_has_warnings": ("没有错误，但请查看以下提示。", "No errors, but see the warnings."),
    "import_clean": ("检查通过，没有发现问题。", "Checked: no problems found."),
    "import_report": ("问题清单", "Problems"),
    "download_report_xlsx": ("下载问题清单（Excel）", "Download the list (Excel)"),
    "download_report_csv": ("下载问题清单（CSV）", "Download the list (CSV)"),
    "import_skipped": (
        "未识别、已跳过的工作表/图层：{names}",
        "Sheets/layers not recognised, skipped: {names}",
    ),
    "import_preview": ("导入预览", "Preview"),
    "import_changes": ("逐条查看新增和修改的记录（{n} 条）", "Every record added or changed ({n})"),
    "import_nothing": (
        "库中已有这些数据，无需导入。",
        "The store already holds this: nothing to import.",
    ),
    "import_commit": ("确认导入", "Commit the import"),
    "import_cancel": ("取消", "Cancel"),
    "import_cancelled": (
        "已取消导入，库中数据未改变。",
        "Import cancelled; the store is unchanged.",
    ),
    "import_stale": (
        "检查后库中数据已被他人修改，已按最新数据重新检查，请再次确认。",
        "The store changed after the check; the file was checked again against it: review and "
        "commit again.",
    ),
    "import_done": (
        "导入完成：写入 {n} 条记录，数据版本 {revision}。",
        "Imported: {n} records written, store revision {revision}.",
    ),
    "layer_preview": (
        "将以 {n} 个要素替换图层“{layer}”（原有 {old} 个示意要素），标记为官方数据。",
        "{n} feature(s) will replace the layer '{layer}' ({old} feature(s) now), marked official.",
    ),
    "edit_tab_table": ("表格编辑", "Table editor"),
    "edit_tab_form": ("楼栋与楼层", "Building and floors"),
    "edit_table": ("数据表", "Table"),
    "edit_table_help": (
        "{n} 条可编辑记录。可直接修改单元格、在末尾添加行或删除行，然后保存；保存时校验全部数据。",
        "{n} records you may edit. Change cells, add rows at the end or delete rows, then save; "
        "the whole inventory is validated on save.",
    ),
    "save": ("保存", "Save"),
    "edit_reload": ("放弃修改并刷新", "Discard and reload"),
    "edit_reloaded": ("已刷新为最新数据。", "Reloaded the latest data."),
    "edit_nothing": ("没有需要保存的修改。", "Nothing to save."),
    "edit_saved": (
        "已保存 {n} 条记录，数据版本 {revision}。",
        "Saved {n} record(s), store revision {revision}.",
    ),
    "edit_invalid": (
        "未保存：修改后的数据未通过校验。",
        "Not saved: the result does not validate.",
    ),
    "edit_conflict": (
        "未保存：以下记录在您编辑期间已被他人修改。您的输入仍保留在下方，可在最新版本上重新应用。",
        "Not saved: these records were changed by someone else while you edited them. Your "
        "input is kept below; you may re-apply it on the current version.",
    ),
    "edit_reapply": ("在最新版本上应用我的修改", "Apply my changes on the current version"),
    "edit_discard": ("放弃我的修改", "Discard my changes"),
    "edit_discarded": (
        "已放弃您的修改，显示最新数据。",
        "Your changes were discarded; showing the latest data.",
    ),
    "edit_id_changed": (
        "记录 {id} 的编号不能修改；如需新记录请在末尾添加一行。",
        "The id of {id} cannot be changed; add a new row for a new record.",
    ),
    "edit_new_without_id": ("新记录需要填写编号。", "A new record needs an id."),
    "edit_building": ("楼栋", "Building"),
    "edit_building_form": ("楼栋信息", "Building"),
    "edit_floor": ("楼层", "Floor"),
    "edit_floor_form": ("楼层信息", "Floor"),
    "edit_new_floor": ("＋ 新增楼层", "+ New floor"),
    "edit_delete": ("删除此记录", "Delete this record"),
    "edit_no_buildings": ("没有可编辑的楼栋。", "No buildings you may edit."),
    "outline_wkt": ("轮廓（WKT 或 经度,纬度;…，WGS84）", "Outline (WKT or lon,lat;…, WGS84)"),
    "version": ("版本", "Version"),
    "conflict_field": ("字段", "Field"),
    "conflict_then": ("您开始编辑时", "When you started"),
    "conflict_now": ("现在（他人修改后）", "Now (after their change)"),
    "conflict_yours": ("您的输入", "Your input"),
    "audit_help": (
        "每次导入、编辑和撤销都记录修改人、时间、记录及修改前后的内容，记录不可更改或删除。",
        "Every import, edit and undo records who, when, which record, and the record before "
        "and after; entries can never be changed or deleted.",
    ),
    "audit_all": ("全部", "All"),
    "audit_no": ("编号", "No."),
    "audit_when": ("时间（北京时间）", "When (Beijing time)"),
    "audit_who": ("修改人", "Who"),
    "audit_unit": ("单位", "Unit"),
    "audit_action": ("操作", "Action"),
    "audit_table": ("表", "Table"),
    "audit_layers": ("基础图层", "Base layers"),
    "audit_record": ("记录编号", "Record"),
    "audit_fields": ("修改的字段", "Fields"),
    "audit_note": ("说明", "Note"),
    "audit_before": ("修改前", "Before"),
    "audit_after": ("修改后", "After"),
    "audit_changed": ("已修改", "Changed"),
    "audit_period": ("时间范围", "Period"),
    "period_0": ("全部", "All"),
    "period_1": ("今天", "Today"),
    "period_7": ("最近7天", "Last 7 days"),
    "period_30": ("最近30天", "Last 30 days"),
    "period_365": ("最近一年", "Last year"),
    "audit_count": ("共 {n} 条记录（最新在前）", "{n} entries, newest first"),
    "audit_pick": ("查看一条修改", "Show one change"),
    "audit_undo": ("撤销修改 #{n}", "Undo change #{n}"),
    "audit_undone": (
        "已撤销修改 #{n}，数据版本 {revision}。",
        "Undid change #{n}, store revision {revision}.",
    ),
    "action_insert": ("新增", "added"),
    "action_update": ("修改", "changed"),
    "action_delete": ("删除", "deleted"),
    "action_undo": ("撤销 #{n}", "undo of #{n}"),
    "action_seed": ("初始化样例数据", "sample data seeded"),
    "export_help": (
        "导出全部载体数据和图层（WGS84，EPSG:4326）。导出的文件可直接重新导入。",
        "Export the whole inventory and the layers (WGS84, EPSG:4326). Exported files can be "
        "imported back as they are.",
    ),
    "export_gpkg": ("GeoPackage（QGIS 可直接打开）", "GeoPackage (opens in QGIS as is)"),
    "export_gpkg_help": (
        "地块、楼栋和各底图图层为带坐标系的图层，楼层、房间、服务团队和载体为属性表。",
        "Plots, buildings and every base layer as layers with their CRS; floors, rooms, service "
        "teams and carriers as attribute tables.",
    ),
    "export_geojson": ("GeoJSON（压缩包）", "GeoJSON (zip)"),
    "export_geojson_help": (
        "每张表和每个图层一个 GeoJSON 文件。",
        "One GeoJSON file per table and layer.",
    ),
    "export_xlsx": ("Excel（中文表头）", "Excel (Chinese headers)"),
    "export_xlsx_help": (
        "与导入模板格式相同，轮廓为 WKT。",
        "The template's layout, outlines as WKT.",
    ),
    "export_prepare": ("生成文件", "Prepare the file"),
    "export_preparing": ("正在生成…", "Preparing…"),
    "export_download": ("下载 {name}（{size:.1f} MB）", "Download {name} ({size:.1f} MB)"),
}


def t(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang`` ("zh" or "en")."""
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def vocab(vocabulary: str, code: str | None, lang: str) -> str:
    """The label of a schema vocabulary code (tier, status, ...) in ``lang``."""
    return label(vocabulary, code, lang)
