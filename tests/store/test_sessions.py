"""Sessions in the store, on SQLite and PostGIS: start after sign-in, resolve with idle expiry,
sign-out, and every session of an account ended when an admin changes it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from access.accounts import SignInError
from access.permissions import SYSTEM, Actor
from store import schema
from store.sessions import TOUCH_EVERY, token_hash

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PASSWORD = "长城-correct-horse"
ROOT = Actor("根管理员", role="admin", account="root")


@pytest.fixture
def accounts(repo):
    """root (admin) and ann (planner, password `PASSWORD`), as in test_accounts.py."""
    repo.add_account(
        "root",
        display_name="根管理员",
        role="admin",
        actor=SYSTEM,
        password="admin-pass-2026",
        must_change_password=False,
    )
    repo.add_account(
        "ann",
        display_name="王安",
        role="planner",
        password=PASSWORD,
        must_change_password=False,
        actor=ROOT,
    )
    return repo


def _rows(repo) -> list[dict]:
    t = schema.sessions
    with repo.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(t).order_by(t.c.created_at)).mappings()]


def test_a_sign_in_starts_a_session_kept_only_as_the_hash_of_its_token(accounts):
    revision = accounts.revision()
    token, account = accounts.sign_in("ann", PASSWORD, now=NOW)
    assert account.login == "ann" and len(token) >= 40
    (row,) = _rows(accounts)
    assert row["token_hash"] == token_hash(token) != token
    assert token not in json.dumps(row, default=str)
    assert row["login"] == "ann" and row["ended_at"] is None
    assert accounts.session_account(token, now=NOW).actor() == Actor(
        "王安", role="planner", account="ann"
    )
    assert accounts.revision() == revision  # sessions leave the pages' caches alone
    other, _ = accounts.sign_in("ann", PASSWORD, now=NOW)  # a second browser: its own
    assert other != token and accounts.open_sessions("ann", now=NOW) == 2


def test_a_failed_sign_in_starts_no_session(accounts):
    with pytest.raises(SignInError):
        accounts.sign_in("ann", "wrong-password", now=NOW)
    with pytest.raises(SignInError):
        accounts.sign_in("nobody", PASSWORD, now=NOW)
    assert _rows(accounts) == []


@pytest.mark.parametrize("token", [None, "", "made-up-token", "x" * 500])
def test_an_unknown_token_signs_in_nobody(accounts, token):
    accounts.sign_in("ann", PASSWORD, now=NOW)
    assert accounts.session_account(token, now=NOW) is None


def test_a_session_idle_for_the_idle_time_expires_and_use_keeps_it_alive(accounts):
    idle = timedelta(minutes=accounts.auth.idle_minutes)
    token, _ = accounts.sign_in("ann", PASSWORD, now=NOW)
    # used just before the idle time ends: alive, and the clock starts again
    used = NOW + idle - timedelta(seconds=1)
    assert accounts.session_account(token, now=used) is not None
    assert accounts.session_account(token, now=used + idle - timedelta(seconds=1)) is not None
    # then idle for the whole idle time: expired, and ended for good
    late = used + idle - timedelta(seconds=1) + idle
    assert accounts.session_account(token, now=late) is None
    assert accounts.session_account(token, now=late - idle) is None  # ended, not idle any more
    (row,) = _rows(accounts)
    assert row["end_reason"] == "idle"


def test_the_last_use_is_written_at_most_once_per_minute(accounts):
    token, _ = accounts.sign_in("ann", PASSWORD, now=NOW)
    accounts.session_account(token, now=NOW + TOUCH_EVERY / 2)
    assert _rows(accounts)[0]["last_seen"].replace(tzinfo=UTC) == NOW
    accounts.session_account(token, now=NOW + TOUCH_EVERY)
    assert _rows(accounts)[0]["last_seen"].replace(tzinfo=UTC) == NOW + TOUCH_EVERY


def test_sign_out_ends_one_session_only(accounts):
    first, _ = accounts.sign_in("ann", PASSWORD, now=NOW)
    second, _ = accounts.sign_in("ann", PASSWORD, now=NOW)
    assert accounts.end_session(first, now=NOW) is True
    assert accounts.end_session(first, now=NOW) is False  # once
    assert accounts.end_session("made-up", now=NOW) is False
    assert accounts.session_account(first, now=NOW) is None
    assert accounts.session_account(second, now=NOW).login == "ann"
    assert {r["end_reason"] for r in _rows(accounts)} == {"signed_out", None}


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda repo: repo.disable("ann", actor=ROOT), "account_changed"),
        (lambda repo: repo.reset_password("ann", actor=ROOT), "password_changed"),
        (lambda repo: repo.set_role("ann", "steward", "xinhong", actor=ROOT), "account_changed"),
        (lambda repo: repo.set_role("ann", "leader", actor=ROOT), "account_changed"),
    ],
    ids=["disable", "reset", "unit", "role"],
)
def test_an_admin_s_change_ends_every_session_of_the_account(accounts, change, reason):
    tokens = [accounts.sign_in("ann", PASSWORD, now=NOW)[0] for _ in range(2)]
    root, _ = accounts.sign_in("root", "admin-pass-2026", now=NOW)
    change(accounts)
    assert [accounts.session_account(t, now=NOW) for t in tokens] == [None, None]
    assert accounts.session_account(root, now=NOW).login == "root"  # others' stay
    ended = {r["end_reason"] for r in _rows(accounts) if r["login"] == "ann"}
    assert ended == {reason}


def test_unlocking_or_an_unchanged_role_keeps_the_sessions(accounts):
    token, _ = accounts.sign_in("ann", PASSWORD, now=NOW)
    accounts.unlock("ann", actor=ROOT)
    accounts.set_role("ann", "planner", actor=ROOT)  # as it was
    assert accounts.session_account(token, now=NOW).login == "ann"


def test_changing_one_s_own_password_signs_out_everywhere(accounts):
    token, _ = accounts.sign_in("ann", PASSWORD, now=NOW)
    accounts.change_password("ann", PASSWORD, "a-new-password-2027", now=NOW)
    assert accounts.session_account(token, now=NOW) is None
    new, _ = accounts.sign_in("ann", "a-new-password-2027", now=NOW)
    assert accounts.session_account(new, now=NOW).login == "ann"


def test_a_session_resolves_to_the_account_as_it_is_now(accounts):
    token, _ = accounts.sign_in("ann", PASSWORD, now=NOW)
    accounts.end_sessions("nobody", now=NOW)  # another login: nothing
    with accounts.engine.begin() as conn:  # changed behind the store's back: still read anew
        t = schema.accounts
        conn.execute(t.update().where(t.c.login == "ann").values(display_name="王安安"))
    assert accounts.session_account(token, now=NOW).display_name == "王安安"
    with accounts.engine.begin() as conn:
        conn.execute(t.update().where(t.c.login == "ann").values(status="disabled"))
    assert accounts.session_account(token, now=NOW) is None


def test_removing_the_sample_accounts_ends_their_sessions(repo):
    from access.accounts import sample_accounts

    repo.seed_sample_accounts(sample_accounts({"xinhong": "新虹街道"}))
    repo.add_account(
        "root", display_name="根管理员", role="admin", actor=SYSTEM, password="admin-pass-2026"
    )
    token, _ = repo.sign_in("sample-planner", "sample-planner-pw", now=NOW)
    repo.remove_sample_accounts(actor=ROOT)
    assert repo.session_account(token, now=NOW) is None
    assert {r["end_reason"] for r in _rows(repo)} == {"removed"}


def test_times_must_be_timezone_aware_and_a_disabled_account_gets_no_session(accounts):
    with pytest.raises(ValueError, match="timezone-aware"):
        accounts.sign_in("ann", PASSWORD, now=datetime(2026, 12, 1))
    account = accounts.disable("ann", actor=ROOT)
    with pytest.raises(ValueError, match="disabled"):
        accounts.start_session(account, now=NOW)
