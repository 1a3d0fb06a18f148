"""The one permission table: who may take which action, and the steward's unit rule."""

from __future__ import annotations

import pytest

from access.permissions import (
    ACTIONS,
    ANONYMOUS,
    NO_UNIT,
    ROLES,
    SYSTEM,
    UNIT_SCOPED,
    Actor,
    PermissionDenied,
    allowed,
    require,
)

STEWARD = Actor("li", role="steward", unit="xinhong")
PLANNER = Actor("pat", role="planner")
LEADER = Actor("wang", role="leader", unit="huacao")  # a unit does not limit a leader
ADMIN = Actor("root", role="admin")


def _may(role: str) -> set[str]:
    return {action for action, roles in ACTIONS.items() if role in roles}


def test_the_table_names_known_roles_and_actions_only():
    assert all(roles <= set(ROLES) for roles in ACTIONS.values())
    assert set(UNIT_SCOPED) <= set(ACTIONS)


def test_each_role_may_what_the_issue_says():
    assert _may("public") == {"view.finder"}  # the finder only
    # accounts only: the audit log's entries of the accounts (store.audit), no inventory
    assert _may("admin") == {"view.finder", "view.audit", "manage.accounts"}
    assert "edit.demands" not in _may("steward")  # the demand list is planners' and leaders'
    assert "view.demands" not in _may("steward")
    assert {a for a, roles in ACTIONS.items() if roles == {"leader"}} == {"decide.batch"}
    assert _may("steward") <= _may("planner") | {"view.finder"}


def test_an_import_is_an_edit():
    """One action for every change of the inventory, with one unit rule."""
    assert [a for a in ACTIONS if "inventory" in a] == ["edit.inventory"]


@pytest.mark.parametrize("action", sorted(UNIT_SCOPED))
def test_a_steward_acts_on_their_own_units_records_only(action):
    assert allowed(STEWARD, action)  # in general: yes
    assert allowed(STEWARD, action, unit="xinhong")
    assert not allowed(STEWARD, action, unit="huacao")
    assert not allowed(STEWARD, action, unit=NO_UNIT)  # a demand, a layer: nobody's unit
    assert allowed(PLANNER, action, unit="huacao") and allowed(PLANNER, action, unit=NO_UNIT)


def test_a_steward_without_a_unit_acts_on_no_record():
    nobody = Actor("x", role="steward")
    assert not allowed(nobody, "edit.inventory", unit="xinhong")


def test_the_unit_limits_stewards_only():
    assert allowed(LEADER, "view.audit", unit="xinhong")
    assert LEADER.scope is None and PLANNER.scope is None
    assert STEWARD.scope == "xinhong"


def test_the_unit_rule_applies_to_scoped_actions_only():
    assert allowed(STEWARD, "view.map", unit="huacao")
    assert not allowed(STEWARD, "replace.layers", unit="xinhong")  # the role decides first


def test_the_system_may_everything_and_an_anonymous_visitor_the_finder():
    assert all(allowed(SYSTEM, a, unit="huacao") for a in ACTIONS)
    assert [a for a in ACTIONS if allowed(ANONYMOUS, a)] == ["view.finder"]


def test_require_says_why_in_codes():
    with pytest.raises(PermissionDenied) as err:
        require(STEWARD, "edit.demands")
    assert (err.value.code, err.value.action, err.value.role) == ("role", "edit.demands", "steward")
    with pytest.raises(PermissionDenied) as err:
        require(STEWARD, "edit.inventory", unit="huacao")
    e = err.value
    assert (e.code, e.unit, e.owner) == ("unit", "xinhong", "huacao")
    assert isinstance(e, ValueError)
    require(STEWARD, "edit.inventory", unit="xinhong")  # no exception


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError, match=r"unknown action 'edit\.everything'"):
        allowed(PLANNER, "edit.everything")
