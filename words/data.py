"""Data pages in words: import, edit, audit log and export."""

from __future__ import annotations

from services.transfer import FORMATS

TEXT: dict[str, tuple[str, str]] = {
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
    "how_source": ("根据文件来源推断", "guessed from the file's source"),
    "datum_guessed": (
        "坐标系按文件来源推断为 {datum}（依据：{clue}）。"
        "如不正确，请在下方改选；地图显示各坐标系下的点位。",
        "The coordinates are taken as {datum}, guessed from the file ({clue}). If that is wrong, "
        "choose another below; the map shows the points as each choice places them.",
    ),
    "datum_needed": (
        "文件含坐标，但未注明坐标系。请先选择坐标系再导入：从高德/腾讯地图拾取的为 GCJ-02，"
        "百度地图为 BD-09，GPS 和天地图为 WGS84/CGCS2000。地图显示各坐标系下的点位，"
        "点位落在正确楼宇上的即为正确选项。",
        "The file has coordinates but does not say their datum. Choose it before importing: "
        "picked on AutoNavi/Tencent maps is GCJ-02, on Baidu BD-09, GPS and Tianditu "
        "WGS84/CGCS2000. The map shows the points under each choice: the right one puts them "
        "on their buildings.",
    ),
    "datum_choose": ("坐标系", "Datum of the coordinates"),
    "progress_read": (
        "读取文件：第 {done:,} 行 / 共 {total} 行",
        "Reading: row {done:,} of {total}",
    ),
    "progress_check": ("检查数据…", "Checking the records…"),
    "progress_commit": ("正在写入…", "Writing…"),
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
    "edit_tab_table": ("表格编辑", "Table editor"),
    "edit_tab_form": ("楼栋与楼层", "Building and floors"),
    "edit_table": ("数据表", "Table"),
    "edit_table_help": (
        "{n} 条可编辑记录。可直接修改单元格、在末尾添加行或删除行，然后保存；保存时校验全部数据。",
        "{n} records you may edit. Change cells, add rows at the end or delete rows, then save; "
        "the whole inventory is validated on save.",
    ),
    "save": ("保存", "Save"),
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

FAMILIES: dict[str, tuple[str, ...]] = {
    "period_{}": ("0", "1", "7", "30", "365"),
    "progress_{}": ("read", "check", "commit"),
    "action_{}": ("insert", "update", "delete"),
    "export_{}": tuple(FORMATS),
    "export_{}_help": tuple(FORMATS),
    "how_{}": ("declared", "file", "header", "source"),
    "import_mode_{}": ("inventory", "layer"),
}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""
