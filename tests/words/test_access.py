"""Refusals of the permission table in words: the role, the action and units by their names."""

from __future__ import annotations

import pytest

from access.permissions import NO_UNIT, Actor, PermissionDenied, require
from settings import load_settings
from words.access import refusal, unit_label

UNITS = load_settings(env={}).units
STEWARD = Actor("li", role="steward", unit="huacao")


def _refused(actor: Actor, action: str, unit: str | None = None) -> PermissionDenied:
    with pytest.raises(PermissionDenied) as err:
        require(actor, action, unit=unit)
    return err.value


def test_another_units_record_is_named_by_its_units_name():
    e = _refused(STEWARD, "edit.inventory", "xinhong")
    assert refusal(e, "zh", UNITS) == (
        "此记录属于新虹街道；华漕镇的数据维护人员只能处理本单位的记录（导入或修改载体数据）。"
    )
    assert refusal(e, "en", UNITS).startswith(
        "This record belongs to Xinhong Subdistrict; a data steward of Huacao Town may act"
    )
    assert "xinhong" not in refusal(e, "en", UNITS)


def test_a_role_refusal_names_the_role_and_the_action():
    e = _refused(STEWARD, "edit.demands")
    assert refusal(e, "zh", UNITS) == "您的角色（数据维护人员）无权修改需求清单。"
    assert refusal(e, "en", UNITS) == "Your role (Data steward) may not change the demand list."
    e = _refused(Actor("root", role="admin"), "remove.sample")
    assert refusal(e, "en", UNITS) == "Your role (Administrator) may not remove the sample data."


def test_units_without_a_name():
    assert unit_label(NO_UNIT, "zh", UNITS) == unit_label(None, "zh", UNITS) == "未指定单位"
    assert unit_label("gone", "zh", UNITS) == "gone"  # a unit no longer configured
    e = _refused(STEWARD, "undo", NO_UNIT)
    assert refusal(e, "zh", UNITS).startswith("此记录不属于任何责任单位；华漕镇的数据维护人员")


def test_a_team_of_another_unit_is_named_by_the_units_names():
    from spaces.validation import Issue
    from words.inventory import issue_message

    issue = Issue(
        "carriers",
        "C1",
        "service_team_id",
        "team_unit_mismatch",
        "T9",
        {"team_unit": "huacao", "unit": "xinhong"},
    )
    assert (
        issue_message(issue, "zh", units=UNITS) == "企业服务团队 T9 属于华漕镇，而载体属于新虹街道"
    )
    assert "xinhong" not in issue_message(issue, "en", units=UNITS)
