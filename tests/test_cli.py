"""The command-line interface on a fresh store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main
from store import migrate


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def test_info_json_seeds_and_counts(store_url, capsys):
    assert main(["info", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["sample"] is True
    assert out["counts"]["carriers"] > 500
    assert out["layers"] > 20


def test_bad_settings_exit_2(store_url, monkeypatch, capsys):
    monkeypatch.setenv("HQ_LANGUAGE", "fr")
    assert main(["info"]) == 2
    assert "app.language = 'fr'" in capsys.readouterr().err


DATA = Path(__file__).resolve().parent / "data"


def _floors(tmp_path, power: str) -> str:
    path = tmp_path / "floors.csv"
    rows = ["楼层编号,供电容量(kVA)", f"BH00001-F01,{power}"]
    path.write_bytes("\n".join(rows).encode("gbk"))
    return str(path)


def test_import_checks_then_commits(store_url, tmp_path, capsys):
    assert main(["info"]) == 0
    capsys.readouterr()
    bad = _floors(tmp_path, "很多")
    report = tmp_path / "report.xlsx"
    assert main(["import", bad, "--report", str(report), "--commit"]) == 1
    out = capsys.readouterr().out
    assert "不是有效的数值" in out and "not written" in out
    assert report.stat().st_size > 0
    good = _floors(tmp_path, "480kVA")
    assert main(["import", good]) == 0
    assert "add --commit" in capsys.readouterr().out
    assert main(["import", good, "--commit", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["committed"] is True
    assert result["changes"] == [
        {"table": "floors", "record": "BH00001-F01", "action": "update", "fields": "power_kva"}
    ]
    assert main(["audit", "--table", "floors", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["after"]["power_kva"] == 480.0 and entry["actor"] == "planner"
    assert main(["undo", str(entry["audit_id"])]) == 0
    capsys.readouterr()
    assert main(["import", good, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"][0]["fields"] == "power_kva"


def test_import_needs_a_datum_for_coordinates(store_url, capsys):
    path = str(DATA / "building_autonavi.xlsx")
    assert main(["import", path]) == 2
    assert "没有说明坐标所用的坐标系" in capsys.readouterr().err  # --lang zh by default
    assert main(["import", path, "--lang", "en"]) == 2
    assert "choose it" in capsys.readouterr().err
    assert main(["import", path, "--lang", "en"]) == 2
    assert "--datum WGS84|GCJ-02|BD-09|CGCS2000" in capsys.readouterr().err
    assert main(["import", path, "--datum", "GCJ-02", "--json"]) == 1  # B2's plot is not stored
    assert json.loads(capsys.readouterr().out)["datum"] == "GCJ-02"


def test_official_layer_import(store_url, capsys):
    path = str(DATA / "areas_cgcs2000.geojson")
    assert main(["import", path, "--layer", "area", "--commit", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["committed"] and out["datum"] == "CGCS2000"
    assert {f["feature_id"] for f in out["features"]} == {"area.hub", "area.qianwan"}
    from settings import load_settings
    from store.bootstrap import open_store

    repo = open_store(load_settings())
    areas = repo.load_layers().query("layer == 'area'")
    repo.engine.dispose()
    assert not areas.approximate.any() and set(areas.datum) == {"CGCS2000 → WGS84"}


def test_export_and_template(store_url, tmp_path, capsys):
    for name in ("out.gpkg", "out.zip", "out.xlsx", "t.xlsx"):
        command = "template" if name == "t.xlsx" else "export"
        assert main([command, str(tmp_path / name)]) == 0
        assert (tmp_path / name).stat().st_size > 1000
    assert main(["export", str(tmp_path / "out.pdf")]) == 2
    assert "name it .gpkg" in capsys.readouterr().err


def test_public_role_cannot_commit(store_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HQ_ROLE", "public")
    assert main(["import", _floors(tmp_path, "300"), "--commit"]) == 2
    assert "Your role (Enterprise / public) may not import or change carrier data." in (
        capsys.readouterr().err
    )


def test_db_commands(store_url, capsys):
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "current"]) == 0
    head = migrate.head()
    assert f"store {head}; scripts head {head}" in capsys.readouterr().out


def test_output_cut_short_by_the_reader_is_not_an_error(store_url, tmp_path):
    """QA: `cli.py plan | head` ended with a BrokenPipeError traceback."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "DATABASE_URL": store_url}
    proc = subprocess.Popen(
        [sys.executable, str(root / "cli.py"), "plan"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    assert proc.stdout.readline().startswith(b"release plan as of")
    proc.stdout.close()  # as `head -1` does
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_import_json_reports_a_refused_file_as_json(store_url, tmp_path, capsys):
    from tests.data.make_messy import town_office_xlsx

    path = tmp_path / "台账.xlsx"
    path.write_bytes(town_office_xlsx())
    assert main(["import", str(path), "--json", "--lang", "en"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert (out["ok"], out["code"], out["file"], out["issues"]) == (
        False,
        "no_table",
        "台账.xlsx",
        [],
    )
    assert out["recognised"] == ["Status", "Note"]
    assert out["unrecognised"][:2] == ["序号", "楼宇名称"]
    assert out["message"].startswith("台账.xlsx: no inventory table found")
    assert main(["import", str(DATA / "building_autonavi.xlsx"), "--json"]) == 2
    out = json.loads(capsys.readouterr().out)
    assert out["code"] == "datum_needed" and out["file"] == "building_autonavi.xlsx"
    assert "请选择" in out["message"]


def test_import_past_a_limit_names_it(store_url, tmp_path, capsys):
    path = tmp_path / "wide.csv"
    path.write_bytes(b"," * 500 + b"\n")
    assert main(["import", str(path)]) == 2
    assert "wide.csv（第 1 行）：一行的列数已达 501，超过导入上限 200" in capsys.readouterr().err
    assert main(["import", str(path), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "wide.csv (row 1): columns in a row reached 501, past the import limit of 200" in err
    assert "[import] columns" in err


def _flat(tmp_path, name: str, building: str, level: int, area: float) -> str:
    path = tmp_path / name
    rows = [
        "新虹街道 楼宇台账,,,",
        "楼宇名称,所在楼层,可租面积(㎡),物业联系人",
        f"{building},{level}F,{area},王五 13800000000",
    ]
    path.write_bytes("\n".join(rows).encode("gbk"))
    return str(path)


def test_a_flat_sheet_is_mapped_saved_as_a_profile_and_reused_next_month(
    store_url, tmp_path, monkeypatch, capsys
):
    from settings import load_settings
    from store.bootstrap import open_store

    assert main(["info"]) == 0
    inv = open_store(load_settings()).load_inventory()
    floor = inv.floors.iloc[0]
    building = inv.buildings.loc[floor.building_id]
    monkeypatch.setenv("HQ_ROLE", "steward")
    monkeypatch.setenv("HQ_UNIT", building.responsible_unit)
    monkeypatch.setenv("HQ_USER", "li4")
    capsys.readouterr()

    june = _flat(tmp_path, "6月.csv", building["name"], floor.level, floor.usable_area_m2 + 10)
    assert main(["import", june]) == 2  # no template headers: it says how to map
    assert "--write-mapping" in capsys.readouterr().err
    mapping = tmp_path / "m.json"
    assert main(["import", june, "--write-mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "'物业联系人'" in out and "not imported" in out
    doc = json.loads(mapping.read_text(encoding="utf-8"))
    assert doc["sheets"][0]["columns"] == {
        "楼宇名称": "buildings.name",
        "所在楼层": "floors.level",
        "可租面积(㎡)": "floors.usable_area_m2",
        "物业联系人": None,
    }
    args = ["import", june, "--mapping", str(mapping), "--commit", "--save-mapping", "台账"]
    assert main([*args, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["committed"] and result["changes"] == [
        {"table": "floors", "record": floor.name, "action": "update", "fields": "usable_area_m2"}
    ]
    july = _flat(tmp_path, "7月.csv", building["name"], floor.level, floor.usable_area_m2 + 20)
    assert main(["import", july, "--commit", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["mapping"].startswith(f"profile {building.responsible_unit}/台账")
    assert result["committed"] and len(result["changes"]) == 1
    assert main(["import", july, "--mapping", "无此方案"]) == 2
    assert "no saved mapping called '无此方案'" in capsys.readouterr().err
