"""`cli.py users …`: accounts from the command line, acting as the system; the sample accounts
with `info`, `users remove-samples` and `sample remove`."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime

import pytest

from access.accounts import SignInError
from cli import main
from settings import load_settings
from store.bootstrap import open_store

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SAMPLE_LOGINS = [
    "sample-admin",
    "sample-leader",
    "sample-planner",
    "sample-steward-huacao",
    "sample-steward-nanhongqiao",
    "sample-steward-xinhong",
]


@pytest.fixture
def empty_store(sqlite_store, monkeypatch) -> str:
    """A new SQLite store without the sample (and so without sample accounts)."""
    monkeypatch.setenv("HQ_SAMPLE", "never")
    return sqlite_store


def _run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _json(capsys, monkeypatch, *argv: str, stdin: str = "") -> object:
    code, out, err = _run(capsys, monkeypatch, *argv, "--json", stdin=stdin)
    assert code == 0, err
    return json.loads(out)


def _sign_in(login: str, password: str):
    repo = open_store(load_settings())
    try:
        return repo.authenticate(login, password, now=NOW)
    finally:
        repo.engine.dispose()


def test_add_with_a_password_on_stdin_or_one_made_and_shown_once(empty_store, capsys, monkeypatch):
    code, out, _ = _run(capsys, monkeypatch, "users", "list")
    assert code == 0 and "no accounts" in out
    code, out, _ = _run(
        capsys,
        monkeypatch,
        "users",
        "add",
        "Root",
        "--name",
        "管理员",
        "--role",
        "admin",
        "--password-stdin",
        stdin="admin-pass-2026\n",
    )
    assert code == 0 and out.startswith("added root (管理员, admin)")
    assert "admin-pass-2026" not in out and "changed at the first sign-in" in out
    with pytest.raises(SignInError, match="must be changed"):
        _sign_in("root", "admin-pass-2026")

    made = _json(
        capsys,
        monkeypatch,
        "users",
        "add",
        "li",
        "--name",
        "李四",
        "--role",
        "steward",
        "--unit",
        "huacao",
        "--email",
        "Li@Example.cn",
    )
    assert made["account"]["email"] == "li@example.cn" and made["account"]["unit"] == "huacao"
    assert len(made["password"]) >= 16 and made["account"]["must_change_password"]
    with pytest.raises(SignInError, match="must be changed"):
        _sign_in("li", made["password"])

    code, out, _ = _run(
        capsys, monkeypatch, "users", "add", "wu", "--name", "吴", "--role", "leader"
    )
    password = out.splitlines()[1].removeprefix("password: ")
    assert code == 0 and "shown once" in out and len(password) >= 16

    listed = _json(capsys, monkeypatch, "users", "list")
    assert [(a["login"], a["role"], a["state"]) for a in listed] == [
        ("li", "steward", "active"),
        ("root", "admin", "active"),
        ("wu", "leader", "active"),
    ]
    assert "password" not in json.dumps(listed).replace("must_change_password", "").replace(
        "has_password", ""
    )
    code, out, _ = _run(capsys, monkeypatch, "users", "list")
    assert "李四  (must change password)" in out and password not in out


def test_add_at_a_terminal_asks_twice(empty_store, capsys, monkeypatch):
    answers = iter(["typed-pass-2026", "typed-pass-2026", "one-pass-2026", "other-pass-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    tty = io.StringIO()
    tty.isatty = lambda: True
    monkeypatch.setattr(sys, "stdin", tty)
    assert main(["users", "add", "ann", "--name", "王安", "--role", "planner"]) == 0
    assert "typed-pass-2026" not in capsys.readouterr().out
    with pytest.raises(SignInError, match="must be changed"):
        _sign_in("ann", "typed-pass-2026")
    assert main(["users", "add", "bob", "--name", "Bob", "--role", "planner"]) == 2
    assert capsys.readouterr().err == "error: the two passwords differ: nothing was added\n"


def test_in_oidc_mode_an_account_gets_no_password(empty_store, tmp_path, capsys, monkeypatch):
    settings = tmp_path / "oidc.toml"
    settings.write_text('[auth]\nmode = "oidc"\n', encoding="utf-8")
    monkeypatch.setenv("HQ_SETTINGS", str(settings))
    argv = ("users", "add", "zhao", "--name", "赵六", "--role", "leader", "--email", "z@x.cn")
    code, out, _ = _run(capsys, monkeypatch, *argv)
    assert code == 0 and "signs in through the organisation's provider" in out
    (listed,) = _json(capsys, monkeypatch, "users", "list")
    assert listed["has_password"] is False and listed["email"] == "z@x.cn"


def test_an_account_added_by_subject_or_email_is_found_by_the_provider(
    empty_store, capsys, monkeypatch
):
    monkeypatch.setenv("HQ_AUTH_MODE", "oidc")
    argv = ("users", "add", "li", "--name", "李四", "--role", "planner", "--subject", " s-1 ")
    made = _json(capsys, monkeypatch, *argv)
    assert made["account"]["oidc_subject"] == "s-1" and "password" not in made
    _run(capsys, monkeypatch, "users", "add", "wang", "--name", "王五", "--role", "leader",
         "--email", "Wang@X.cn")  # fmt: skip
    code, _, err = _run(
        capsys, monkeypatch, "users", "add", "zhao", "--name", "赵", "--role", "leader",
        "--subject", "s-1",
    )  # fmt: skip
    assert code == 2 and "that identity of the provider is the account 'li'" in err

    repo = open_store(load_settings())
    try:
        assert repo.account_for_identity("s-1", now=NOW).login == "li"
        assert repo.account_for_identity("s-2", "wang@x.cn", now=NOW).login == "wang"
        assert repo.account("wang").oidc_subject == "s-2"
    finally:
        repo.engine.dispose()


def test_disable_enable_unlock_reset_and_set_role(empty_store, capsys, monkeypatch):
    for login, role in (("root", "admin"), ("ann", "planner")):
        _run(capsys, monkeypatch, "users", "add", login, "--name", login, "--role", role)
    code, out, _ = _run(capsys, monkeypatch, "users", "disable", "ann")
    assert (code, out) == (0, "disabled ann (ann, planner): disabled\n")
    assert _json(capsys, monkeypatch, "users", "enable", "ann")["account"]["state"] == "active"
    code, out, _ = _run(capsys, monkeypatch, "users", "unlock", "ann")
    assert out == "unlocked ann (ann, planner): active\n"

    reset = _json(capsys, monkeypatch, "users", "reset", "ann")
    assert reset["account"]["must_change_password"] and len(reset["password"]) >= 16
    with pytest.raises(SignInError, match="must be changed"):
        _sign_in("ann", reset["password"])
    code, out, _ = _run(capsys, monkeypatch, "users", "reset", "ann")
    assert out.startswith("new password of ann (ann, planner): ") and "shown once" in out

    steward = _json(capsys, monkeypatch, "users", "set-role", "ann", "steward", "--unit", "xinhong")
    assert (steward["account"]["role"], steward["account"]["unit"]) == ("steward", "xinhong")
    kept = _json(capsys, monkeypatch, "users", "set-role", "ann", "leader")  # the unit is kept
    assert (kept["account"]["role"], kept["account"]["unit"]) == ("leader", "xinhong")
    code, out, _ = _run(capsys, monkeypatch, "users", "set-role", "ann", "planner", "--unit", "")
    assert out == "changed ann (ann, planner): active\n"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["disable", "nobody"], "", "there is no account 'nobody'"),
        (["disable", "root"], "", "'root' is the last active admin"),
        (["set-role", "root", "leader"], "", "'root' is the last active admin"),
        (["set-role", "root", "steward"], "", "a steward needs a unit"),
        (["set-role", "nobody", "leader"], "", "there is no account 'nobody'"),
        (["add", "x", "--name", "x", "--role", "boss"], "", "'boss' is not an account's role"),
        (["add", "x", "--name", "x", "--role", "steward", "--unit", "pudong"], "", "'pudong'"),
        (["add", "root", "--name", "x", "--role", "leader"], "", "'root' exists already"),
        (["add", "a b", "--name", "x", "--role", "leader"], "", "'a b' is not a login"),
        (["add", "x", "--name", "x", "--role", "leader", "--password-stdin"], "", "no password"),
        (
            ["add", "x", "--name", "x", "--role", "leader", "--password-stdin"],
            "abc123\n",
            "the password is refused: it is shorter than 10 characters",
        ),
        (
            ["add", "x", "--name", "x", "--role", "leader", "--password-stdin"],
            "sample-admin-pw\n",
            "sample passwords",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(empty_store, capsys, monkeypatch, argv, stdin, message):
    _run(capsys, monkeypatch, "users", "add", "root", "--name", "root", "--role", "admin")
    code, out, err = _run(capsys, monkeypatch, "users", *argv, stdin=stdin)
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert stdin.strip() not in err or not stdin


def test_the_sample_s_accounts_stay_until_a_real_admin_is_added(sqlite_store, capsys, monkeypatch):
    info = _json(capsys, monkeypatch, "info")
    assert (info["accounts"], info["sample_accounts"]) == (6, 6)
    code, out, _ = _run(capsys, monkeypatch, "info")
    assert "sample accounts: 6" in out
    assert [a["login"] for a in _json(capsys, monkeypatch, "users", "list")] == SAMPLE_LOGINS
    assert _sign_in("sample-planner", "sample-planner-pw").role == "planner"

    # the sample data goes, the accounts stay: their admin is the only one
    removed = _json(capsys, monkeypatch, "sample", "remove")
    assert removed["accounts_removed"] == [] and "last active admin" in removed["accounts_kept"]
    assert "`cli.py users add LOGIN --name NAME --role admin`" in removed["accounts_kept"]
    code, out, err = _run(capsys, monkeypatch, "users", "remove-samples")
    assert code == 2 and "'sample-admin' is the last active admin" in err

    _run(capsys, monkeypatch, "users", "add", "boss", "--name", "管理员", "--role", "admin")
    code, out, _ = _run(capsys, monkeypatch, "users", "remove-samples")
    assert code == 0 and out == f"removed 6 sample account(s): {', '.join(SAMPLE_LOGINS)}\n"
    code, out, _ = _run(capsys, monkeypatch, "users", "remove-samples")
    assert out == "there are no sample accounts\n"
    assert _json(capsys, monkeypatch, "info")["sample_accounts"] == 0
    with pytest.raises(SignInError):
        _sign_in("sample-planner", "sample-planner-pw")


def test_sample_remove_takes_the_sample_accounts_too(sqlite_store, capsys, monkeypatch):
    _run(capsys, monkeypatch, "users", "add", "boss", "--name", "管理员", "--role", "admin")
    removed = _json(capsys, monkeypatch, "sample", "remove")
    assert removed["accounts_removed"] == SAMPLE_LOGINS and removed["accounts_kept"] is None
    info = _json(capsys, monkeypatch, "info")
    assert (info["sample"], info["accounts"], info["sample_accounts"]) == (False, 1, 0)
