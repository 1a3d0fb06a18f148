"""The demand list: labels to codes, validation that names the record and field, imports."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from spaces.demands import (
    DemandError,
    assign_ids,
    build_demands,
    empty_demands,
    read_demands,
    to_codes,
)
from spaces.schema import DEMANDS, TABLES, YRD_CITIES
from tests.factories import TRACKS, demand_frame
from words.imports import issue_report
from words.inventory import issue_where

TRACK_LABELS = {"biomedicine": ["生物医药", "Biomedicine"], "new_energy": ["新能源", "New energy"]}


def xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_demands_are_not_part_of_the_inventory_and_never_public():
    assert "demands" not in TABLES
    assert not any(f.public for f in DEMANDS.fields)


def test_yrd_has_41_cities_with_both_suzhous():
    assert len(YRD_CITIES) == 41
    assert YRD_CITIES["suzhou"][0] == "苏州" and YRD_CITIES["suzhou_ah"][0] == "宿州"


def test_build_types_a_valid_list():
    df = build_demands(demand_frame(), tracks=TRACKS)
    assert list(df.index) == ["D0001", "D0002", "D0003"]
    assert df.needed_by.dtype == "datetime64[s]"
    assert df.loc["D0001", "exhaust"]
    assert empty_demands().columns.tolist() == df.columns.tolist()


def test_labels_become_codes():
    raw = demand_frame(
        home_city=["苏州市", "Hefei", "宿州"],
        track=["生物医药", "New energy", None],
        tier=["一层楼", "Room", None],
        status=["待匹配", "open", "已关闭"],
        area=[None, "枢纽片区", None],
    )
    df = build_demands(raw, tracks=TRACKS, track_labels=TRACK_LABELS)
    assert df.home_city.tolist() == ["suzhou", "hefei", "suzhou_ah"]
    assert df.track.tolist()[:2] == ["biomedicine", "new_energy"]
    assert df.tier.tolist()[:2] == ["floor", "room"]
    assert df.status.tolist() == ["open", "open", "closed"]
    assert df.area.tolist()[1] == "hub"


def test_unknown_labels_are_kept_for_validation():
    out = to_codes(pd.DataFrame({"home_city": ["北京"]}))
    assert out.home_city.tolist() == ["北京"]


@pytest.mark.parametrize(
    ("column", "values", "code", "record", "field"),
    [
        ("home_city", ["北京", "hefei", "ningbo"], "unknown_code", "D0001", "home_city"),
        ("area_min_m2", [800.0, 700.0, None], "range_order", "D0002", "area_min_m2"),
        ("status", ["open", None, "closed"], "missing", "D0002", "status"),
        ("min_floor_load_kn_m2", [80.0, None, None], "out_of_range", "D0001", None),
        ("track", ["aerospace", None, None], "unknown_code", "D0001", "track"),
    ],
)
def test_problems_name_record_and_field(column, values, code, record, field):
    with pytest.raises(DemandError) as e:
        build_demands(demand_frame(**{column: values}), tracks=TRACKS)
    hit = [i for i in e.value.issues if i.code == code]
    assert hit, e.value.issues
    assert hit[0].record_id == record
    assert hit[0].field == (field or column)
    assert "demand list" in str(e.value)
    assert issue_where(hit[0], "zh").startswith("需求")


def test_assign_ids_continues_after_existing():
    raw = demand_frame(demand_id=[None, "D0007", ""])
    out = assign_ids(raw, existing=["D0003", "X-1"])
    assert out.demand_id.tolist() == ["D0008", "D0007", "D0009"]


def test_import_xlsx_with_chinese_headers_and_labels():
    header = ["企业名称", "企业所在城市", "赛道", "需求梯度", "最小面积(m²)", "最大面积"]
    rows = [
        ["长三角企业研发空间需求清单"],
        [*header, "需求日期", "需要实验排风", "需求状态", "联系人及电话"],
        [
            "无锡示例药业",
            "无锡市",
            "生物医药",
            "一层楼",
            "1,000㎡",
            "1500",
            "2027年3月",
            "是",
            "待匹配",
            "王女士",
        ],
        [
            "杭州示例新能源",
            "杭州",
            "新能源",
            "一间房",
            "200",
            "400",
            "2027-01-15",
            "否",
            "待匹配",
            None,
        ],
    ]
    result = read_demands(
        xlsx(rows),
        filename="需求.xlsx",
        tracks=TRACKS,
        track_labels=TRACK_LABELS,
        existing_ids=["D0005"],
    )
    report = issue_report(result.issues, result.reads, "zh")
    assert report.empty, report
    df = result.demands
    assert list(df.index) == ["D0006", "D0007"]
    assert df.loc["D0006", "area_min_m2"] == 1000.0
    assert df.loc["D0006", "needed_by"] == pd.Timestamp("2027-03-01")
    assert df.loc["D0007", "home_city"] == "hangzhou"


def test_import_csv_with_english_headers_reports_row_and_column():
    text = (
        "Enterprise,Home city,Track,Tier wanted,Area from,Area up to,Status\n"
        "Good Co,Suzhou (Jiangsu),Biomedicine,Floor,800,1200,open\n"
        "Bad Co,Beijing,Biomedicine,Floor,1300,1200,open\n"
        "Worse Co,Hefei,Biomedicine,Floor,lots,1200,\n"
    )
    result = read_demands(
        text.encode("utf-8"), filename="demands.csv", tracks=TRACKS, track_labels=TRACK_LABELS
    )
    assert result.demands is None  # all or nothing
    report = issue_report(result.issues, result.reads, "zh")
    assert set(report["行"]) == {3, 4}
    by_row = report.groupby("行")["列"].apply(set).to_dict()
    assert by_row[3] == {"Home city", "Area from"}
    assert by_row[4] >= {"Area from", "Status"}
    assert (report["修改建议"] != "").all()
    assert report["表"].eq("需求").all()


def test_gbk_csv_reads():
    text = "企业名称,企业所在城市,需求状态\n示例企业,常州,待匹配\n"
    result = read_demands(text.encode("gbk"), filename="x.csv", tracks=TRACKS)
    assert issue_report(result.issues, result.reads, "zh").empty
    assert result.demands.home_city.tolist() == ["changzhou"]
