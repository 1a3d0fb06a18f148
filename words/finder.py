"""The finder in words: why a value in a shared link was ignored (zh/en)."""

from __future__ import annotations

from planning.finder import QUERY_PROBLEMS, QueryProblem
from words import pick

_PROBLEMS = {
    "flag": ("应为 1 或 0", "expected 1 or 0"),
    "unknown_codes": (
        "未知取值 {unknown}，可用 {codes}",
        "unknown value(s) {unknown}; use {codes}",
    ),
    "unknown_track": ("未知赛道，可用 {codes}", "unknown track; use one of {codes}"),
    "not_a_date": ("应为日期，如 2026-12-31", "expected a date such as 2026-12-31"),
    "date_range": ("应为 {first} 至 {last} 之间的日期", "expected a date from {first} to {last}"),
    "not_a_number": ("不是数字", "not a number"),
    "negative": ("应为不小于 0 的数", "expected a number of zero or more"),
    "iso_range": (
        "应为 {first}–{last} 的 ISO 等级",
        "expected an ISO class from {first} to {last}",
    ),
    "reversed": ("下限高于上限", "the lower end is above the upper end"),
}
assert set(_PROBLEMS) == set(QUERY_PROBLEMS)


def query_problem(problem: QueryProblem, lang: str) -> str:
    """The problem in words, e.g. ``link parameter amin = 'abc': not a number; ignored``."""
    zh = lang == "zh"
    sep = "、" if zh else ", "
    params = {
        k: (sep.join(v) if v else ("（空）" if zh else "(none)"))
        if isinstance(v, tuple | list)
        else v
        for k, v in problem.params.items()
    }
    why = pick(_PROBLEMS[problem.problem], lang).format(**params)
    frame = (
        "链接参数 {key} = {value!r}：{why}，已忽略",
        "link parameter {key} = {value!r}: {why}; ignored",
    )
    return pick(frame, lang).format(key=problem.key, value=problem.value, why=why)


TEXT: dict[str, tuple[str, str]] = {
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
    "n_found": ("符合条件的载体", "Matching carriers"),
    "found_area": ("合计面积 (m²)", "Total area (m²)"),
    "found_places": ("涉及楼栋/地块", "Buildings and plots"),
    "share_link": (
        "筛选条件已写入网址：复制浏览器地址即可分享本次查询。",
        "The filters are in the page address: copy it to share this search.",
    ),
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
}
