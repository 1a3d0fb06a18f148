"""The import, edit, audit and export pages, headless with AppTest, on SQLite and PostGIS."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from access.permissions import ACTIONS
from spaces.changes import Edit
from store.repository import SYSTEM, Actor
from tests.ui.apps import open_page as _page
from ui.navigation import PAGES, SIGNED_IN

FLOOR = "BH00001-F01"  # a floor of the sample's first hub building (新虹街道 or 南虹桥集团)


def _floors_csv(rows: list[str]) -> bytes:
    return "\n".join(["楼层编号,供电容量(kVA),净高(m)", *rows]).encode("gbk")


def _table(app: AppTest, column: str):
    """The first table (st.dataframe) with this column."""
    return next(d.value for d in app.dataframe if column in d.value.columns)


def test_import_reports_errors_then_commits_the_corrected_file(make_app):
    app, repo = make_app()
    _page(app, "import_page")
    assert app.title[0].value == "导入数据"
    assert [b.label for b in app.get("download_button")] == ["下载导入模板（Excel）"]
    bad = _floors_csv([f"{FLOOR},很多,4.5m", "BH00001-F02,300,99"])
    app.file_uploader[0].set_value(("楼层.csv", bad, "text/csv")).run()
    assert not app.exception, app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["错误"] == "2"
    report = _table(app, "修改建议")
    assert report[["行", "列", "值"]].values.tolist() == [
        [2, "供电容量(kVA)", "很多"],
        [3, "净高(m)", "99.0"],
    ]
    assert app.button(key="hq_import_commit").disabled
    assert {b.label for b in app.get("download_button")} >= {"下载问题清单（Excel）"}
    revision = repo.revision()

    good = _floors_csv([f"{FLOOR},480kVA,4.5m"])
    app.file_uploader[0].set_value(("楼层.csv", good, "text/csv")).run()
    assert {m.label: m.value for m in app.metric}["错误"] == "0"
    assert repo.revision() == revision  # checking writes nothing
    app.button(key="hq_import_commit").click().run()
    assert not app.exception, app.exception
    assert "导入完成" in app.success[0].value
    assert repo.load_inventory().floors.at[FLOOR, "power_kva"] == 480.0
    entry = repo.audit_log(actor=SYSTEM, table="floors").iloc[0]
    assert (entry.record_id, entry.note, entry.actor) == (FLOOR, "import 楼层.csv", "示例规划人员")


def test_cancel_leaves_the_store_as_it_was(make_app):
    app, repo = make_app()
    _page(app, "import_page")
    app.file_uploader[0].set_value(("f.csv", _floors_csv([f"{FLOOR},480,4.5"]), "text/csv")).run()
    revision = repo.revision()
    app.button(key="hq_import_cancel").click().run()
    assert "已取消导入" in app.success[0].value
    assert repo.revision() == revision


def test_steward_imports_only_their_units_records(make_app):
    app, _ = make_app("sample-steward-huacao")
    _page(app, "import_page")
    assert not app.radio or app.radio[0].key != "hq_import_mode"  # no official layers
    assert "华漕镇的数据维护人员" in app.caption[0].value
    app.file_uploader[0].set_value(("f.csv", _floors_csv([f"{FLOOR},480,4.5"]), "text/csv")).run()
    report = _table(app, "修改建议")
    problem = report["问题"].iloc[0]  # the units by their names, never their codes
    assert problem.startswith(("此记录属于新虹街道", "此记录属于闵行区南虹桥集团"))
    assert "华漕镇的数据维护人员只能修改本单位的记录" in problem
    assert app.button(key="hq_import_commit").disabled


def test_unreadable_file_is_a_message_not_a_traceback(make_app):
    app, _ = make_app()
    _page(app, "import_page")
    app.file_uploader[0].set_value(("x.gpkg", b"\x00garbage", "application/octet-stream")).run()
    assert not app.exception
    assert "无法导入此文件" in app.error[0].value


def test_table_editor_saves_and_a_conflict_loses_nothing(make_app):
    app, repo = make_app("sample-steward-xinhong")
    _page(app, "edit_page")
    app.selectbox(key="hq_edit_table").set_value("floors").run()
    base = app.data_editor[0].value
    row, floor = 0, base["floor_id"].iloc[0]
    app.session_state["hq_editor_floors_0"] = {
        "edited_rows": {row: {"power_kva": 555.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.button(key="hq_edit_save_floors").click().run()
    assert not app.exception, app.exception
    assert "已保存 1 条记录" in app.success[0].value
    assert repo.load_inventory().floors.at[floor, "power_kva"] == 555.0

    # Someone else changes the floor; li, editing the version he loaded, is told and keeps it.
    version = int(repo.load_inventory().floors.at[floor, "version"])
    repo.apply_edits([Edit("floors", floor, {"clear_height_m": 5.5}, version)], actor=Actor("zhao"))
    base = app.data_editor[0].value
    row = int(base.index[base["floor_id"] == floor][0])
    app.session_state["hq_editor_floors_1"] = {
        "edited_rows": {row: {"power_kva": 600.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.button(key="hq_edit_save_floors").click().run()
    assert not app.exception, app.exception
    assert "未保存" in app.error[0].value
    assert any("zhao" in m.value for m in app.markdown)
    conflict = _table(app, "您的输入")
    assert conflict.iloc[:, 0].tolist()[:2] == ["净高", "供电容量"]
    assert repo.load_inventory().floors.at[floor, "power_kva"] == 555.0
    app.button(key="hq_edit_reapply").click().run()
    floors = repo.load_inventory().floors
    assert (floors.at[floor, "power_kva"], floors.at[floor, "clear_height_m"]) == (600.0, 5.5)


def test_building_form_and_undo_in_the_audit_log(make_app):
    app, repo = make_app()
    _page(app, "edit_page")
    building = app.selectbox(key="hq_form_building").value
    name = next(i for i in app.text_input if i.label == "楼栋名称 *")
    name.set_value("改名后的大厦")
    submit = [b for b in app.button if b.label == "保存" and b.key != "hq_edit_save_buildings"]
    submit[0].click().run()
    assert not app.exception, app.exception
    assert repo.load_inventory().buildings.at[building, "name"] == "改名后的大厦"

    app.switch_page("ui/audit_page.py")
    app.run()
    assert not app.exception, app.exception
    log = _table(app, "修改人")
    assert log.iloc[0][["修改人", "记录编号", "修改的字段"]].tolist() == [
        "示例规划人员（sample-planner）",
        building,
        "楼栋名称",
    ]
    app.button(key="hq_audit_undo").click().run()
    assert "已撤销修改" in app.success[0].value
    assert repo.load_inventory().buildings.at[building, "name"] != "改名后的大厦"
    app.run()
    log = _table(app, "修改人")
    assert log.iloc[0]["操作"].startswith("撤销 #")


def test_export_page_offers_every_format(make_app):
    app, _ = make_app("sample-leader")
    _page(app, "export_page")
    for fmt in ("gpkg", "geojson", "xlsx"):
        app.button(key=f"hq_export_prepare_{fmt}").click().run()
        assert not app.exception, app.exception
    names = [b.label for b in app.get("download_button")]
    assert [n.split("（")[0].rsplit(".", 1)[-1] for n in names] == ["gpkg", "zip", "xlsx"]


def test_public_sees_the_finder_and_is_asked_to_sign_in_elsewhere(make_app):
    app, _ = make_app(None)
    app.run()
    assert not app.exception
    assert app.title[0].value == "找空间"
    app.switch_page("ui/import_page.py").run()
    assert not app.exception
    assert "此页面需要登录" in app.warning[-1].value
    assert not app.file_uploader and not app.title  # the page itself did not run


def test_planner_replaces_the_schematic_areas_with_an_official_file(make_app):
    app, repo = make_app()
    _page(app, "import_page")
    app.radio(key="hq_import_mode").set_value("layer").run()
    app.selectbox(key="hq_import_layer").set_value("area").run()
    data = (Path(__file__).resolve().parents[1] / "data" / "areas_cgcs2000.geojson").read_bytes()
    app.file_uploader[0].set_value(("片区.geojson", data, "application/geo+json")).run()
    assert not app.exception, app.exception
    assert any("CGCS2000" in c.value for c in app.caption)
    features = _table(app, "feature_id")
    assert sorted(features.feature_id) == ["area.hub", "area.qianwan"]
    app.button(key="hq_import_commit").click().run()
    assert "导入完成" in app.success[0].value
    areas = repo.load_layers().query("layer == 'area'")
    assert not areas.approximate.any()


def test_a_steward_sees_and_undoes_only_their_units_changes(make_app):
    """Issue 9: a steward saw every unit's entries (and demand contacts) with undo buttons."""
    app, repo = make_app("sample-steward-xinhong")
    inv = repo.load_inventory()
    unit_of = inv.buildings.responsible_unit
    planner = Actor("pat", role="planner")
    theirs, mine = (unit_of[unit_of == u].index[0] for u in ("huacao", "xinhong"))
    for building in (theirs, mine):
        version = int(inv.buildings.at[building, "version"])
        repo.apply_edits([Edit("buildings", building, {"name": "改名楼"}, version)], actor=planner)
    demands = repo.load_demands(actor=planner)
    repo.update_demands(demands.iloc[:1].assign(contact="王经理 13800000000"), actor=planner)

    _page(app, "audit_page")
    log = _table(app, "修改人")
    assert log["记录编号"].tolist() == [mine]  # no demand, no other unit's record
    assert "需求" not in set(log["表"])
    app.button(key="hq_audit_undo").click().run()
    assert "已撤销修改" in app.success[0].value
    assert repo.load_inventory().buildings.at[theirs, "name"] == "改名楼"


def test_a_leader_reads_the_audit_log_and_is_offered_no_undo(make_app):
    app, repo = make_app("sample-leader")
    building = repo.load_inventory().buildings.index[0]
    repo.apply_edits([Edit("buildings", building, {"name": "改名楼"}, 1)], actor=Actor("pat"))
    _page(app, "audit_page")
    shown = _table(app, "修改人")["记录编号"].tolist()
    assert shown[0] == building and shown[-1] == "seed"  # every entry, the seeding's too
    assert not [b for b in app.button if b.key == "hq_audit_undo"]


def test_every_page_is_offered_by_an_action_of_the_permission_table():
    needs = {e.url: e.need for e in PAGES}
    data = {u: n for u, n in needs.items() if u not in ("signin", "account")}
    assert len(data) == 10 and set(data.values()) <= set(ACTIONS)
    assert (needs["signin"], needs["account"]) == (None, SIGNED_IN)
    scripts = {Path(e.script).name for e in PAGES}
    assert scripts == {
        p.name for p in (Path(__file__).resolve().parents[2] / "ui").glob("*_page.py")
    }


def test_an_administrator_is_offered_the_finder_the_accounts_and_their_audit_log(make_app):
    app, _ = make_app("sample-admin")
    app.run()
    assert not app.exception
    assert app.title[0].value == "找空间"
    for page in ("map_page", "leaders_page", "edit_page", "export_page"):
        app.switch_page(f"ui/{page}.py").run()
        assert "您的角色（管理员）无权查看此页面" in app.warning[-1].value
        assert not app.title
    _page(app, "admin_page")
    _page(app, "audit_page")
    assert set(_table(app, "修改人")["表"]) <= {"账户"}  # no record of the inventory


def _flat_csv(building: str, level: int, area: float, height: float) -> bytes:
    rows = [
        "新虹街道 楼宇台账,,,,",
        "楼宇名称,所在楼层,可租面积(㎡),层高,物业联系人",
        f"{building},{level}F,{area},{height},王五",
    ]
    return "\n".join(rows).encode("gbk")


def test_a_flat_sheet_is_mapped_confirmed_committed_and_its_mapping_reused(make_app):
    app, repo = make_app("sample-steward-xinhong")
    inv = repo.load_inventory()
    floors = inv.floors[inv.floors.building_id.map(inv.buildings.responsible_unit) == "xinhong"]
    fid = floors.index[0]
    floor = floors.loc[fid]
    name = inv.buildings.at[floor.building_id, "name"]
    _page(app, "import_page")
    data = _flat_csv(name, floor.level, floor.usable_area_m2 + 5, 9.9)
    app.file_uploader[0].set_value(("6月台账.csv", data, "text/csv")).run()
    assert not app.exception, app.exception
    assert not app.metric  # nothing is checked before the mapping is confirmed
    assert any("确认字段对应" in i.value for i in app.info)
    height = next(s for s in app.selectbox if s.label.startswith("层高"))
    assert height.value == "floors.clear_height_m"  # proposed: 层高 is near 净高
    height.set_value("").run()  # the steward marks it not imported
    app.button(key=next(b.key for b in app.button if b.key.endswith("_confirm"))).click().run()
    assert {m.label: m.value for m in app.metric}["错误"] == "0"
    app.checkbox(key="hq_map_save").check().run()
    app.text_input(key="hq_map_save_name").set_value("月度台账").run()
    app.button(key="hq_import_commit").click().run()
    assert not app.exception, app.exception
    assert "已保存对应方案“月度台账”" in app.success[0].value
    stored = repo.load_inventory().floors.loc[fid]
    assert stored.usable_area_m2 == floor.usable_area_m2 + 5
    assert stored.clear_height_m == floor.clear_height_m  # not imported
    (profile,) = repo.mapping_profiles(actor=SYSTEM, unit="xinhong")
    assert profile.mapping.sheets[0].columns["层高"] is None

    data = _flat_csv(name, floor.level, floor.usable_area_m2 + 7, 9.9)
    app.file_uploader[0].set_value(("7月台账.csv", data, "text/csv")).run()
    assert any("月度台账" in i.value for i in app.info)  # the saved mapping, applied
    assert {m.label: m.value for m in app.metric}["错误"] == "0"
    app.button(key="hq_import_commit").click().run()
    assert repo.load_inventory().floors.at[fid, "usable_area_m2"] == floor.usable_area_m2 + 7


def test_a_town_office_workbook_goes_to_the_mapping_step_with_its_columns_proposed(make_app):
    from tests.data.make_messy import town_office_xlsx

    app, _ = make_app()
    _page(app, "import_page")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    app.file_uploader[0].set_value(("台账.xlsx", town_office_xlsx(), xlsx)).run()
    assert not app.exception and not app.error
    proposed = {s.label: s.value for s in app.selectbox}
    assert proposed["楼宇名称"] == "buildings.name"
    assert proposed["可用面积"] == "floors.usable_area_m2"
    assert proposed["物业联系人"] == ""  # a contact is not imported
    assert not app.metric  # nothing is checked before the mapping is confirmed


def test_a_file_with_no_known_column_names_its_columns_and_offers_the_template(make_app):
    app, repo = make_app()
    _page(app, "import_page")
    revision = repo.revision()
    rows = "会议纪要\n姓名,年龄,爱好\n张三,30,游泳\n".encode()
    app.file_uploader[0].set_value(("纪要.csv", rows, "text/csv")).run()
    assert not app.exception
    (error,) = app.error
    shown = error.value.replace("\\", "")  # plain() escapes punctuation for Markdown
    assert "纪要.csv：没有找到载体数据表" in shown and "no_table" not in shown
    text = " ".join(m.value for m in app.markdown).replace("\\", "")
    assert "没有识别出任何列" in text and "未识别的列：姓名、年龄、爱好" in text
    buttons = app.get("download_button")  # the one in the expander, and the one here
    assert [b.proto.label for b in buttons].count("下载导入模板（Excel）") == 2
    assert repo.revision() == revision  # nothing written


def _confirm_mapping(app) -> None:
    app.button(key=next(b.key for b in app.button if b.key.endswith("_confirm"))).click().run()


def test_coordinates_without_a_datum_are_asked_before_the_file_is_checked(make_app):
    app, _ = make_app()
    _page(app, "import_page")
    rows = "楼栋编号,楼栋名称,地块编号,责任单位,经度,纬度\nBX1,新楼,P1,huacao,121.3165,31.1905\n"
    app.file_uploader[0].set_value(("b.csv", rows.encode(), "text/csv")).run()
    assert not app.exception, app.exception
    assert any("未注明坐标系" in w.value for w in app.warning)
    answer = next(r for r in app.radio if r.key.startswith("hq_import_datum_answer"))
    assert answer.value is None
    assert [o.split(" · ")[0] for o in answer.options] == ["WGS84", "GCJ-02", "BD-09", "CGCS2000"]
    assert not app.metric  # nothing checked until answered
    answer.set_value("GCJ-02").run()
    assert not app.exception, app.exception
    _confirm_mapping(app)
    assert {m.label for m in app.metric} >= {"错误", "提示"}
    assert any("GCJ-02" in _text(c) and "用户选择" in _text(c) for c in app.caption)


def test_a_guessed_datum_is_shown_and_used(make_app):
    app, _ = make_app()
    _page(app, "import_page")
    rows = (
        "坐标取自高德地图\n楼栋编号,楼栋名称,地块编号,责任单位,经度,纬度\n"
        "BX1,新楼,P1,huacao,121.3165,31.1905\n"
    )
    app.file_uploader[0].set_value(("b.csv", rows.encode(), "text/csv")).run()
    assert not app.exception, app.exception
    assert "推断为 GCJ-02" in app.info[0].value
    _confirm_mapping(app)
    assert any("GCJ-02" in _text(c) and "根据文件来源推断" in _text(c) for c in app.caption)


def test_a_file_past_a_limit_is_refused_naming_the_limit(make_app):
    app, _ = make_app()
    _page(app, "import_page")
    wide = ("," * 300 + "\n").encode()
    app.file_uploader[0].set_value(("w.csv", wide, "text/csv")).run()
    assert not app.exception, app.exception
    text = app.error[0].value
    assert "一行的列数" in text and "导入上限 200" in text and "301" in text


def _text(element) -> str:
    """An element's text without the escapes `ui.common.plain` puts in."""
    return element.value.replace("\u2060", "").replace("\\", "")
