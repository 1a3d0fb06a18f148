"""Accounts in the store, on SQLite and PostGIS: signing in, the lockout, passwords, the admins'
changes and their permission, the last admin, the provider's identities, the audit entries."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from access.accounts import AccountError, PasswordError, SignInError
from access.permissions import SYSTEM, Actor, PermissionDenied
from spaces.changes import UndoError
from store import schema

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PASSWORD = "长城-correct-horse"
ROOT = Actor("根管理员", role="admin", account="root")


@pytest.fixture
def accounts(repo):
    """A store with an admin (root) and a planner (ann, password `PASSWORD`, no change due)."""
    repo.add_account(
        "root", display_name="根管理员", role="admin", actor=SYSTEM, password="admin-pass-2026"
    )
    repo.add_account(
        "Ann ",
        display_name="王安",
        role="planner",
        email="Ann@Example.cn",
        password=PASSWORD,
        must_change_password=False,
        actor=ROOT,
    )
    return repo


def _audit(repo, login: str | None = None) -> list[dict]:
    a = schema.audit_log
    q = sa.select(a).where(a.c.table_name == "accounts").order_by(a.c.audit_id)
    if login:
        q = q.where(a.c.record_id == login)
    with repo.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


def _row(repo, login: str) -> dict:
    t = schema.accounts
    with repo.engine.connect() as conn:
        return dict(conn.execute(sa.select(t).where(t.c.login == login)).mappings().one())


def _wrong(repo, login: str, times: int, now: datetime = NOW) -> list[SignInError]:
    errors = []
    for _ in range(times):
        with pytest.raises(SignInError) as e:
            repo.authenticate(login, "not-the-password", now=now)
        errors.append(e.value)
    return errors


# --- passwords are kept as argon2id hashes, and nowhere in clear -------------------------------


def test_a_password_is_kept_only_as_its_argon2id_hash(accounts):
    row = _row(accounts, "ann")
    assert row["password_hash"].startswith("$argon2id$")
    assert row["email"] == "ann@example.cn" and row["must_change_password"] is False
    assert PASSWORD not in json.dumps(row, default=str)
    new = accounts.reset_password("ann", actor=ROOT)
    with pytest.raises(PasswordError) as refused:
        accounts.change_password("ann", new, "ann", now=NOW)
    _wrong(accounts, "ann", 1)
    log = json.dumps(_audit(accounts), default=str, ensure_ascii=False)
    for secret in (PASSWORD, new, "admin-pass-2026", "$argon2", "not-the-password"):
        assert secret not in log
        assert secret not in json.dumps(_row(accounts, "ann"), default=str).replace(
            _row(accounts, "ann")["password_hash"], ""
        )
        assert secret not in str(refused.value)
    assert '"has_password": true' in log  # the audit names that it has one, never which


def test_sign_in_with_the_right_password_and_the_same_refusal_for_wrong_or_unknown(accounts):
    revision = accounts.revision()
    signed = accounts.authenticate(" ANN", PASSWORD, now=NOW)
    assert (signed.login, signed.display_name, signed.role) == ("ann", "王安", "planner")
    assert signed.last_sign_in == NOW and signed.failed_attempts == 0
    assert signed.actor() == Actor("王安", role="planner", account="ann")
    entries = len(_audit(accounts))
    (wrong,) = _wrong(accounts, "ann", 1)
    (unknown,) = _wrong(accounts, "nobody", 1)
    assert wrong.code == unknown.code == "unknown_or_wrong" and str(wrong) == str(unknown)
    assert accounts.account("ann").failed_attempts == 1
    log = _audit(accounts)
    assert len(log) == entries + 1  # the failure on ann; an unknown login writes nothing
    assert (log[-1]["note"], log[-1]["actor"], log[-1]["account"]) == (
        "sign-in failed",
        "anonymous",
        None,
    )
    assert log[-1]["before"]["failed_attempts"] == 0 and log[-1]["after"]["failed_attempts"] == 1
    assert "password_hash" not in log[-1]["after"]
    assert accounts.revision() == revision  # signing in leaves the pages' caches alone
    with pytest.raises(ValueError, match="timezone-aware"):
        accounts.authenticate("ann", PASSWORD, now=datetime(2026, 12, 1))


def test_the_lock_after_five_failures_refuses_the_right_password_until_it_ends(accounts):
    errors = _wrong(accounts, "ann", 5)
    assert [e.code for e in errors] == ["unknown_or_wrong"] * 4 + ["locked"]
    until = NOW + timedelta(minutes=15)
    assert errors[-1].params == {"until": until}
    account = accounts.account("ann")
    assert account.locked_until == until and account.state(NOW) == "locked"

    later = NOW + timedelta(minutes=14, seconds=59)
    with pytest.raises(SignInError) as refused:
        accounts.authenticate("ann", PASSWORD, now=later)
    assert refused.value.code == "locked" and accounts.account("ann").locked_until == until

    notes = [e["note"] for e in _audit(accounts, "ann")][-6:]
    assert notes == ["sign-in failed"] * 4 + ["sign-in failed: locked", "sign-in refused: locked"]

    signed = accounts.authenticate("ann", PASSWORD, now=until)  # the lock is over
    assert signed.locked_until is None and signed.failed_attempts == 0


def test_an_admin_unlocks_and_the_count_starts_again(accounts):
    _wrong(accounts, "ann", 5)
    version = accounts.account("ann").version
    unlocked = accounts.unlock("ann", actor=ROOT)
    assert unlocked.locked_until is None and unlocked.failed_attempts == 0
    assert unlocked.version == version + 1
    assert accounts.authenticate("ann", PASSWORD, now=NOW).login == "ann"


def test_failures_at_the_same_time_are_all_counted(accounts):
    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda _: _wrong(accounts, "ann", 1), range(4)))
    assert len(done) == 4 and accounts.account("ann").failed_attempts == 4


def test_disabled_refuses_the_right_password_and_says_so_only_then(accounts):
    disabled = accounts.disable("ann", actor=ROOT)
    assert disabled.status == "disabled" and not disabled.active
    with pytest.raises(SignInError, match="disabled") as e:
        accounts.authenticate("ann", PASSWORD, now=NOW)
    assert e.value.code == "disabled"
    assert _wrong(accounts, "ann", 1)[0].code == "unknown_or_wrong"
    accounts.enable("ann", actor=ROOT)
    assert accounts.authenticate("ann", PASSWORD, now=NOW).active


def test_a_reset_password_must_be_changed_before_signing_in(accounts):
    version = accounts.account("ann").version
    new = accounts.reset_password("ann", actor=ROOT)
    assert len(new) >= 16 and accounts.account("ann").must_change_password
    assert accounts.account("ann").version == version + 1
    assert _wrong(accounts, "ann", 1)[0].code == "unknown_or_wrong"
    with pytest.raises(SignInError):
        accounts.authenticate("ann", PASSWORD, now=NOW)  # the old password is gone
    with pytest.raises(SignInError) as e:
        accounts.authenticate("ann", new, now=NOW)
    assert e.value.code == "must_change" and e.value.params == {"login": "ann"}

    changed = accounts.change_password("ann", new, "my own 2026 password", now=NOW)
    assert not changed.must_change_password and changed.version == version + 2
    assert changed.failed_attempts == 0
    assert accounts.authenticate("ann", "my own 2026 password", now=NOW).login == "ann"
    entry = _audit(accounts, "ann")[-2]
    assert (entry["note"], entry["actor"], entry["account"]) == ("password changed", "王安", "ann")


@pytest.mark.parametrize(
    ("new", "codes"),
    [
        ("short", ("too_short",)),
        ("ann-is-me-2026", ()),  # logins shorter than four are only refused when equal
        ("王安王安王安王安王安王安", ()),
        ("sample-planner-pw", ("sample",)),
        (PASSWORD, ("same",)),
    ],
)
def test_changing_a_password_keeps_the_rules(accounts, new, codes):
    if not codes:
        assert accounts.change_password("ann", PASSWORD, new, now=NOW).login == "ann"
        return
    with pytest.raises(PasswordError) as e:
        accounts.change_password("ann", PASSWORD, new, now=NOW)
    assert e.value.codes == codes
    assert accounts.authenticate("ann", PASSWORD, now=NOW).login == "ann"  # unchanged


def test_a_wrong_current_password_counts_towards_the_lock(accounts):
    for _ in range(4):
        with pytest.raises(SignInError, match="wrong"):
            accounts.change_password("ann", "not-it", "a-new-password-1", now=NOW)
    with pytest.raises(SignInError) as e:
        accounts.change_password("ann", "not-it", "a-new-password-1", now=NOW)
    assert e.value.code == "locked"
    with pytest.raises(SignInError, match="locked"):
        accounts.change_password("ann", PASSWORD, "a-new-password-1", now=NOW)


def test_a_hash_of_older_parameters_is_made_again_at_sign_in(accounts):
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    t = schema.accounts
    with accounts.engine.begin() as conn:
        conn.execute(t.update().where(t.c.login == "ann").values(password_hash=weak))
    accounts.authenticate("ann", PASSWORD, now=NOW)
    stored = _row(accounts, "ann")["password_hash"]
    assert stored != weak and stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert accounts.authenticate("ann", PASSWORD, now=NOW).login == "ann"


# --- the admins' changes ----------------------------------------------------------------------


def test_adding_an_account_checks_login_name_role_unit_and_e_mail(accounts):
    steward, made = accounts.add_account(
        "li.si", display_name="李四", role="steward", unit="huacao", actor=ROOT
    )
    assert made is not None and steward.must_change_password and steward.version == 1
    with pytest.raises(SignInError, match="must be changed"):
        accounts.authenticate("li.si", made, now=NOW)
    cases = [
        ({"login": "ann"}, "exists"),
        ({"login": "has space"}, "login"),
        ({"login": "x" * 65}, "login"),
        ({"display_name": " "}, "display_name"),
        ({"role": "public"}, "role"),
        ({"role": "steward"}, "steward_unit"),
        ({"unit": "pudong"}, "unit"),
        ({"email": "ANN@example.cn"}, "email_taken"),
        ({"email": "no-at-sign"}, "email"),
        ({"password": "too-short"}, None),
    ]
    for change, code in cases:
        args = {"login": "wu", "display_name": "吴", "role": "planner", **change}
        with pytest.raises((AccountError, PasswordError)) as e:
            accounts.add_account(args.pop("login"), actor=ROOT, **args)
        assert getattr(e.value, "code", None) == code, change
    assert [a.login for a in accounts.accounts(actor=ROOT)] == ["ann", "li.si", "root"]


def test_an_account_of_the_provider_has_no_password(accounts):
    accounts.auth = type(accounts.auth)(mode="oidc")
    account, made = accounts.add_account(
        "zhao", display_name="赵六", role="leader", email="zhao@example.cn", actor=ROOT
    )
    assert made is None and not account.has_password and not account.must_change_password
    assert _row(accounts, "zhao")["password_hash"] is None
    assert _wrong(accounts, "zhao", 1)[0].code == "unknown_or_wrong"


def test_roles_and_units_are_set_and_checked(accounts):
    steward = accounts.set_role("ann", "steward", "xinhong", actor=ROOT)
    assert (steward.role, steward.unit, steward.version) == ("steward", "xinhong", 2)
    assert accounts.authenticate("ann", PASSWORD, now=NOW).actor().scope == "xinhong"
    for role, unit, code in [("steward", None, "steward_unit"), ("leader", "pudong", "unit")]:
        with pytest.raises(AccountError) as e:
            accounts.set_role("ann", role, unit, actor=ROOT)
        assert e.value.code == code
    with pytest.raises(AccountError, match="there is no account 'nobody'"):
        accounts.set_role("nobody", "leader", actor=ROOT)
    entry = _audit(accounts, "ann")[-2]  # the last is the sign-in
    assert entry["before"]["role"] == "planner" and entry["after"]["unit"] == "xinhong"
    assert (entry["actor"], entry["account"], entry["note"]) == ("根管理员", "root", "role set")


def test_a_change_from_a_version_shown_before_another_is_refused(accounts):
    shown = accounts.account("ann").version
    accounts.set_role("ann", "leader", actor=ROOT, expected_version=shown)
    with pytest.raises(AccountError) as e:
        accounts.disable("ann", actor=ROOT, expected_version=shown)
    assert e.value.code == "stale" and e.value.params["current"] == shown + 1
    assert accounts.account("ann").active


def test_the_last_active_admin_cannot_be_disabled_or_demoted(accounts):
    for change in (
        lambda: accounts.disable("root", actor=ROOT),
        lambda: accounts.set_role("root", "planner", actor=ROOT),
    ):
        with pytest.raises(AccountError, match="last active admin") as e:
            change()
        assert e.value.code == "last_admin"
    assert accounts.account("root").active and accounts.account("root").role == "admin"
    accounts.set_role("ann", "admin", actor=ROOT)
    accounts.disable("root", actor=ROOT)  # ann is an admin too now
    with pytest.raises(AccountError, match="last active admin"):
        accounts.set_role("ann", "leader", actor=SYSTEM)
    accounts.enable("root", actor=SYSTEM)
    assert accounts.set_role("ann", "leader", actor=SYSTEM).role == "leader"


@pytest.mark.parametrize("role", ["public", "steward", "planner", "leader"])
def test_only_an_admin_manages_accounts_and_a_refusal_writes_nothing(accounts, role):
    actor = Actor("某人", role=role, unit="huacao", account="someone")
    before = (accounts.revision(), len(_audit(accounts)), accounts.accounts(actor=SYSTEM))
    calls = [
        lambda: accounts.accounts(actor=actor),
        lambda: accounts.add_account("x1", display_name="x", role="admin", actor=actor),
        lambda: accounts.disable("ann", actor=actor),
        lambda: accounts.enable("ann", actor=actor),
        lambda: accounts.unlock("ann", actor=actor),
        lambda: accounts.reset_password("ann", actor=actor),
        lambda: accounts.set_role("ann", "admin", actor=actor),
        lambda: accounts.remove_sample_accounts(actor=actor),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied) as e:
            call()
        assert (e.value.code, e.value.action) == ("role", "manage.accounts")
    after = (accounts.revision(), len(_audit(accounts)), accounts.accounts(actor=SYSTEM))
    assert after == before


def test_account_changes_are_not_undone_from_the_audit_log(accounts):
    accounts.disable("ann", actor=ROOT)
    entry = _audit(accounts, "ann")[-1]["audit_id"]
    with pytest.raises(UndoError, match="cannot be undone"):
        accounts.undo(entry, actor=Actor("pat"))


# --- the organisation's provider ------------------------------------------------------------


def test_the_provider_s_identity_by_subject_then_by_e_mail(accounts):
    accounts.add_account(
        "zhao",
        display_name="赵六",
        role="leader",
        oidc_subject="sub-zhao",
        email="zhao@example.cn",
        actor=ROOT,
    )
    assert accounts.account_for_identity("sub-zhao").login == "zhao"
    assert accounts.account_for_identity("sub-zhao", "ann@example.cn").login == "zhao"
    assert accounts.account_for_identity("sub-other") is None
    assert accounts.account_for_identity("sub-other", "nobody@example.cn") is None
    assert accounts.account_for_identity("sub-other", "zhao@example.cn") is None  # bound already

    version = accounts.account("ann").version
    ann = accounts.account_for_identity("sub-ann", " ANN@example.CN")  # binds the subject
    assert ann.oidc_subject == "sub-ann" and ann.version == version + 1
    assert ann.last_sign_in is None
    entry = _audit(accounts, "ann")[-1]
    assert (
        entry["note"] == "provider identity bound" and entry["after"]["oidc_subject"] == "sub-ann"
    )
    signed = accounts.account_for_identity("sub-ann", None, now=NOW)
    assert signed.login == "ann" and signed.last_sign_in == NOW and signed.version == ann.version
    assert _audit(accounts, "ann")[-1]["note"] == "sign-in (provider)"

    accounts.disable("zhao", actor=ROOT)
    with pytest.raises(SignInError) as e:
        accounts.account_for_identity("sub-zhao", now=NOW)
    assert e.value.code == "disabled"
    with pytest.raises(ValueError, match="subject is empty"):
        accounts.account_for_identity(" ", "ann@example.cn")
    with pytest.raises(AccountError, match="is the account 'ann'"):
        accounts.add_account(
            "qian", display_name="钱", role="planner", oidc_subject="sub-ann", actor=ROOT
        )


# --- sample accounts --------------------------------------------------------------------------


def test_sample_accounts_are_seeded_once_and_removed_but_never_the_last_admin(repo):
    from access.accounts import sample_accounts

    samples = sample_accounts({"huacao": "华漕镇"})
    assert not repo.sample_accounts_active()
    assert repo.seed_sample_accounts(samples)
    assert not repo.seed_sample_accounts(samples)  # once
    assert repo.sample_accounts_active()
    stored = repo.accounts(actor=SYSTEM)
    assert [a.login for a in stored] == [
        "sample-admin",
        "sample-leader",
        "sample-planner",
        "sample-steward-huacao",
    ]
    assert all(a.sample and not a.must_change_password for a in stored)
    signed = repo.authenticate("sample-steward-huacao", "sample-steward-huacao-pw", now=NOW)
    assert signed.actor() == Actor(
        "示例数据维护人员（华漕镇）", role="steward", unit="huacao", account="sample-steward-huacao"
    )

    with pytest.raises(AccountError, match="'sample-admin' is the last active admin"):
        repo.remove_sample_accounts(actor=SYSTEM)
    repo.add_account("boss", display_name="管理员", role="admin", actor=SYSTEM)
    removed = repo.remove_sample_accounts(actor=SYSTEM)
    assert removed == tuple(a.login for a in stored)
    assert not repo.sample_accounts_active()
    assert [a.login for a in repo.accounts(actor=SYSTEM)] == ["boss"]
    assert [e["action"] for e in _audit(repo)][-4:] == ["delete"] * 4
    assert repo.remove_sample_accounts(actor=SYSTEM) == ()
    assert not repo.seed_sample_accounts(samples)  # never again


def test_a_store_with_accounts_gets_no_sample_accounts(accounts):
    from access.accounts import sample_accounts

    assert not accounts.seed_sample_accounts(sample_accounts({"huacao": "华漕镇"}))
    assert not accounts.sample_accounts_active() and accounts.get_meta("sample_accounts") == "0"
