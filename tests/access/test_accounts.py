"""Accounts without a store: hashes, the password rules, the lockout rule, sample accounts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from access.accounts import (
    ACCOUNT_ROLES,
    Account,
    AccountError,
    PasswordError,
    SignInError,
    attempt,
    check_password,
    check_role,
    generate_password,
    hash_password,
    needs_rehash,
    normal_email,
    password_problems,
    sample_accounts,
    session_expired,
    verify_password,
)
from access.permissions import Actor, allowed
from settings import AuthSettings

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
AUTH = AuthSettings(lockout_attempts=3, lockout_minutes=15)
ANN = Account("ann", "王安", "planner", has_password=True)
UNITS = {"nanhongqiao": "闵行区南虹桥集团", "huacao": "华漕镇", "xinhong": "新虹街道"}


# --- hashes ------------------------------------------------------------------------------------


def test_a_hash_is_argon2id_salted_and_verifies_only_its_password():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith("$argon2id$") and first != second  # each has its own salt
    assert verify_password(first, "correct horse") and verify_password(second, "correct horse")
    assert not verify_password(first, "correct horsE")
    assert not verify_password(None, "") and not verify_password("", "x")
    assert not verify_password("$2b$12$not-argon", "x")  # a hash of another kind: no match
    assert not needs_rehash(first) and needs_rehash("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA")


@settings(max_examples=6)  # each example hashes (~0.1 s): a few suffice for a round trip
@given(st.text(max_size=40))
def test_any_password_round_trips_and_no_hash_holds_it(password):
    stored = hash_password(password)
    assert verify_password(stored, password)
    assert stored != password and (len(password) < 4 or password not in stored)
    assert not verify_password(stored, password + "x")


def test_an_overlong_password_is_never_hashed_nor_matched():
    stored = hash_password("x" * 300)
    assert not verify_password(stored, "x" * 300)


def test_generated_passwords_are_readable_random_and_long_enough():
    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    for p in passwords:
        assert len(p) == 19 and p.count("-") == 3
        assert not set(p) & set("ilo01") and password_problems(p, login="ann", min_length=16) == ()
    for n in (8, 16, 19, 20, 40, 128):
        assert len(generate_password(n)) >= n


# --- the password rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "kwargs", "codes"),
    [
        ("abc123", {}, ("too_short",)),
        ("a" * 257, {}, ("too_long",)),
        ("tab\there-is-long", {}, ("control",)),
        ("ANN", {"min_length": 3}, ("like_login",)),
        ("my-zhangsan-2026", {"login": "zhangsan"}, ("like_login",)),
        ("王安王安王安王安王安", {"display_name": "王安"}, ()),  # short names only when equal
        ("sample-admin-pw", {}, ("sample",)),
        ("Sample-Mine-2026", {}, ("sample",)),
        ("sample-admin-pw", {"sample": True}, ()),
        ("old-password-1", {"old": "old-password-1"}, ("same",)),
        ("new-password-1", {"old": "old-password-1"}, ()),
        ("长城长城长城长城长城", {}, ()),
    ],
)
def test_password_rules(password, kwargs, codes):
    rules = {"login": "ann", "display_name": "王安", "min_length": 10, **kwargs}
    assert password_problems(password, **rules) == codes
    if codes:
        with pytest.raises(PasswordError) as e:
            check_password(password, **rules)
        assert e.value.codes == codes and e.value.params["min_length"] == rules["min_length"]
        assert password not in str(e.value)


@given(st.text(min_size=1, max_size=30))
def test_a_refused_password_is_never_in_the_message(password):
    problems = password_problems(password, login="ann", min_length=31)
    assert "too_short" in problems
    with pytest.raises(PasswordError) as e:
        check_password(password, login="ann", min_length=31)
    # the message is said by the rules broken alone: nothing of the password is in it
    assert str(e.value) == str(PasswordError(e.value.codes, **e.value.params))


# --- what an account may be ---------------------------------------------------------------------


def test_roles_units_and_e_mail():
    assert "public" not in ACCOUNT_ROLES and "admin" in ACCOUNT_ROLES
    check_role("steward", "huacao", UNITS)
    check_role("planner", None, UNITS)
    for role, unit, code in [
        ("public", None, "role"),
        ("boss", None, "role"),
        ("steward", None, "steward_unit"),
        ("planner", "pudong", "unit"),
    ]:
        with pytest.raises(AccountError) as e:
            check_role(role, unit, UNITS)
        assert e.value.code == code
    assert normal_email(" Wang@Example.CN ") == "wang@example.cn"
    assert normal_email("") is None and normal_email(None) is None
    with pytest.raises(AccountError, match="not an e-mail address"):
        normal_email("wang at example")


def test_an_account_acts_as_its_display_name_role_unit_and_login():
    steward = Account("li", "李四", "steward", "huacao")
    actor = steward.actor()
    assert actor == Actor("李四", role="steward", unit="huacao", account="li")
    assert allowed(actor, "edit.inventory", unit="huacao")
    assert not allowed(actor, "edit.inventory", unit="xinhong")
    assert not allowed(ANN.actor(), "manage.accounts")
    assert allowed(Account("root", "管理员", "admin").actor(), "manage.accounts")


# --- the lockout rule ---------------------------------------------------------------------------


def _fail(account: Account, times: int, now: datetime = NOW) -> Account:
    for _ in range(times):
        account = attempt(account, False, now=now, auth=AUTH).account
    return account


def test_a_correct_password_signs_in_and_clears_the_count():
    done = attempt(replace(ANN, failed_attempts=2), True, now=NOW, auth=AUTH)
    assert done.error is None and done.event == "signed_in"
    assert done.account == replace(ANN, last_sign_in=NOW)


def test_unknown_login_and_wrong_password_give_the_same_error():
    unknown = attempt(None, False, now=NOW, auth=AUTH)
    wrong = attempt(ANN, False, now=NOW, auth=AUTH)
    assert unknown.account is None and unknown.event == "unknown"
    assert wrong.account == replace(ANN, failed_attempts=1) and wrong.event == "failed"
    assert unknown.error.code == wrong.error.code == "unknown_or_wrong"
    assert str(unknown.error) == str(wrong.error) and unknown.error.params == {}


def test_the_nth_failure_locks_for_the_configured_time_and_then_it_is_lifted():
    two = _fail(ANN, 2)
    assert two.failed_attempts == 2 and two.locked_until is None
    third = attempt(two, False, now=NOW, auth=AUTH)
    until = NOW + timedelta(minutes=15)
    assert third.event == "locked" and third.account.locked_until == until
    assert third.error.code == "locked" and third.error.params == {"until": until}
    assert "2026-12-01 17:15 (UTC+8)" in str(third.error)  # said in Beijing time
    locked = third.account
    assert locked.locked(NOW) and locked.state(NOW) == "locked"

    # while locked: refused, the correct password too, and the lock is not extended
    for ok in (True, False):
        refused = attempt(locked, ok, now=until - timedelta(seconds=1), auth=AUTH)
        assert refused.event == "refused_locked" and refused.error.code == "locked"
        assert refused.account == locked

    # once the time is over the lock is lifted and the count starts again
    assert not locked.locked(until) and locked.state(until) == "active"
    after = attempt(locked, False, now=until, auth=AUTH)
    assert after.event == "failed" and after.account.failed_attempts == 1
    assert after.account.locked_until is None
    assert attempt(locked, True, now=until, auth=AUTH).event == "signed_in"


def test_disabled_is_said_only_to_the_correct_password():
    disabled = replace(ANN, status="disabled")
    assert attempt(disabled, False, now=NOW, auth=AUTH).error.code == "unknown_or_wrong"
    right = attempt(disabled, True, now=NOW, auth=AUTH)
    assert right.error.code == "disabled" and right.account.last_sign_in is None
    assert disabled.state(NOW) == "disabled"


def test_a_password_to_change_is_asked_for_before_signing_in():
    reset = replace(ANN, must_change_password=True, failed_attempts=1)
    asked = attempt(reset, True, now=NOW, auth=AUTH)
    assert asked.error.code == "must_change" and asked.account.failed_attempts == 0
    assert asked.account.last_sign_in is None
    changing = attempt(reset, True, now=NOW, auth=AUTH, changing=True)
    assert changing.error is None and changing.event == "verified"


@given(st.lists(st.booleans(), max_size=12), st.integers(1, 6))
def test_never_more_failures_in_a_row_than_the_limit_without_a_lock(outcomes, limit):
    auth = AuthSettings(lockout_attempts=limit, lockout_minutes=15)
    account, now = ANN, NOW
    for ok in outcomes:
        before = account
        done = attempt(account, ok, now=now, auth=auth)
        account = done.account
        if before.locked(now):
            assert done.error.code == "locked" and account == before
        elif ok:
            assert done.error is None and account.failed_attempts == 0
        assert (account.failed_attempts >= limit) == account.locked(now)
        now += timedelta(minutes=1)


def test_sessions_expire_after_the_idle_time():
    assert not session_expired(NOW, NOW + timedelta(minutes=29, seconds=59), 30)
    assert session_expired(NOW, NOW + timedelta(minutes=30), 30)


# --- sample accounts ----------------------------------------------------------------------------


def test_sample_accounts_one_per_role_and_a_steward_per_unit():
    samples = sample_accounts(UNITS)
    assert [(s.login, s.role, s.unit) for s in samples] == [
        ("sample-admin", "admin", None),
        ("sample-planner", "planner", None),
        ("sample-leader", "leader", None),
        ("sample-steward-nanhongqiao", "steward", "nanhongqiao"),
        ("sample-steward-huacao", "steward", "huacao"),
        ("sample-steward-xinhong", "steward", "xinhong"),
    ]
    assert all(s.display_name.startswith("示例") for s in samples)
    assert samples[-1].display_name == "示例数据维护人员（新虹街道）"
    assert {s.password for s in samples} == {f"{s.login}-pw" for s in samples}
    for s in samples:  # a sample password is refused for a real account, allowed for its own
        rules = {"login": "x", "min_length": 10}
        assert password_problems(s.password, **rules) == ("sample",)
        assert password_problems(s.password, **rules, sample=True) == ()


def test_sign_in_errors_name_no_password():
    for code, params in [
        ("unknown_or_wrong", {}),
        ("locked", {"until": NOW}),
        ("disabled", {}),
        ("must_change", {"login": "ann"}),
    ]:
        assert SignInError(code, **params).code == code
    with pytest.raises(KeyError):
        SignInError("wrong_password")
