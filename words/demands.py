"""The demand list in words."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "demands_intro": (
        "长三角制造业企业研发中心的空间需求：新增、编辑或从 Excel/CSV 导入（中英文表头均可）。",
        "Space demands of YRD manufacturers' R&D centres: add, edit or import them from "
        "Excel/CSV (Chinese or English headers).",
    ),
    "demands_sample": (
        "样例数据：需求清单中的企业与联系人均为虚构。",
        "Sample data: the enterprises and contacts of this demand list are fictional.",
    ),
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
}
