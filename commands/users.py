"""Account commands of the CLI: `users add|list|disable|enable|unlock|reset|set-role|…`.

`users remove-samples` removes the sample accounts. The command line acts as the system
(`access.permissions.SYSTEM`), not as an account: whoever runs it has the server and its
database already. Its changes are audited with the actor "system". A password is shown once,
when it is made (`add` without one, `reset`), and never again; a password given to `add` is
read without echo, or from stdin with --password-stdin.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from access.accounts import ACCOUNT_ROLES, Account, AccountError
from access.permissions import SYSTEM
from settings import BEIJING, Settings
from store.bootstrap import open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `users` and its actions to the CLI."""
    users = subparsers.add_parser(
        "users",
        help="the accounts that sign in: add, list, disable, enable, unlock, reset, set-role, "
        "remove-samples (acting as the system)",
    )
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    roles = ", ".join(ACCOUNT_ROLES)

    add = actions.add_parser(
        "add",
        help="add an account; without --password-stdin asks for the password twice (empty: "
        "make one), or makes one and prints it once when not at a terminal",
    )
    add.add_argument("login", help="1-64 lower-case letters, digits and . _ @ -")
    add.add_argument("--name", required=True, help="display name, as the audit log shows it")
    add.add_argument("--role", required=True, help=f"one of {roles}")
    add.add_argument("--unit", help="the responsible unit (an id of [[units]]; a steward's)")
    add.add_argument("--email", help="e-mail address (how the OIDC provider may find it)")
    add.add_argument("--subject", help="the OIDC provider's subject of the person")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin (one line)"
    )
    add.set_defaults(func=_add)

    listing = actions.add_parser("list", help="every account: role, unit, state, last sign-in")
    listing.set_defaults(func=_list)

    simple = (
        ("disable", "disable an account (it can no longer sign in)", "disabled"),
        ("enable", "enable a disabled account", "enabled"),
        ("unlock", "lift the lock after failed sign-ins", "unlocked"),
    )
    parsers = [add, listing]
    for name, text, done in simple:
        p = actions.add_parser(name, help=text)
        p.add_argument("login")
        p.set_defaults(func=_simple, method=name, done=done)
        parsers.append(p)

    reset = actions.add_parser(
        "reset", help="give an account a new random password, printed once (changed at sign-in)"
    )
    reset.add_argument("login")
    reset.set_defaults(func=_reset)

    role = actions.add_parser("set-role", help="change an account's role and unit")
    role.add_argument("login")
    role.add_argument("role", help=f"one of {roles}")
    role.add_argument("--unit", help='the unit (a steward needs one; "" clears it; default: kept)')
    role.set_defaults(func=_set_role)

    samples = actions.add_parser(
        "remove-samples",
        help="remove the sample accounts (published passwords); add a real admin first",
    )
    samples.set_defaults(func=_remove_samples)
    for p in (*parsers, reset, role, samples):
        p.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add(args: argparse.Namespace, settings: Settings) -> int:
    password = _password(args, settings)
    repo = open_store(settings)
    account, made = repo.add_account(
        args.login,
        display_name=args.name,
        role=args.role,
        unit=args.unit,
        email=args.email,
        oidc_subject=args.subject,
        password=password,
        actor=SYSTEM,
    )
    if args.json:
        out = {"account": account_json(account), **({"password": made} if made else {})}
        _print_json(out)
        return 0
    print(f"added {_who(account)}")
    if made:
        print(f"password: {made}")
        print("(shown once: give it to the person; it must be changed at the first sign-in)")
    elif account.has_password:
        print("the password must be changed at the first sign-in")
    else:
        print("no password: the account signs in through the organisation's provider (oidc)")
    return 0


def _password(args: argparse.Namespace, settings: Settings) -> str | None:
    """The password given: a line of stdin, or typed twice; None to have one made (or none,
    in oidc mode)."""
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise ValueError("--password-stdin: stdin holds no password (one line)")
        return line
    if settings.auth.mode == "oidc" or not sys.stdin.isatty():
        return None
    first = getpass.getpass("password (empty: make one): ")
    if not first:
        return None
    if getpass.getpass("the password again: ") != first:
        raise ValueError("the two passwords differ: nothing was added")
    return first


def _list(args: argparse.Namespace, settings: Settings) -> int:
    found = open_store(settings).accounts(actor=SYSTEM)
    if args.json:
        _print_json([account_json(a) for a in found])
        return 0
    if not found:
        print("no accounts: `cli.py users add LOGIN --name NAME --role admin` adds the first")
        return 0
    now = datetime.now(UTC)
    print(f"{'login':<28}{'role':<9}{'unit':<13}{'state':<10}{'last sign-in (UTC+8)':<22}name")
    for a in found:
        last = (
            a.last_sign_in.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if a.last_sign_in else "-"
        )
        notes = [
            n
            for n, on in (("sample", a.sample), ("must change password", a.must_change_password))
            if on
        ]
        extra = f"  ({', '.join(notes)})" if notes else ""
        print(
            f"{a.login:<28}{a.role:<9}{a.unit or '-':<13}{a.state(now):<10}{last:<22}"
            f"{a.display_name}{extra}"
        )
    return 0


def _simple(args: argparse.Namespace, settings: Settings) -> int:
    account = getattr(open_store(settings), args.method)(args.login, actor=SYSTEM)
    _done(args, account, args.done)
    return 0


def _reset(args: argparse.Namespace, settings: Settings) -> int:
    repo = open_store(settings)
    password = repo.reset_password(args.login, actor=SYSTEM)
    account = repo.account(args.login)
    if args.json:
        _print_json({"account": account_json(account), "password": password})
    else:
        print(f"new password of {_who(account)}: {password}")
        print("(shown once: give it to the person; it must be changed at the next sign-in)")
    return 0


def _set_role(args: argparse.Namespace, settings: Settings) -> int:
    repo = open_store(settings)
    current = repo.account(args.login)
    if current is None:
        raise AccountError("unknown", login=args.login[:80])
    unit = current.unit if args.unit is None else args.unit
    account = repo.set_role(args.login, args.role, unit, actor=SYSTEM)
    _done(args, account, "changed")
    return 0


def _remove_samples(args: argparse.Namespace, settings: Settings) -> int:
    removed = open_store(settings).remove_sample_accounts(actor=SYSTEM)
    if args.json:
        _print_json({"removed": list(removed)})
    elif removed:
        print(f"removed {len(removed)} sample account(s): {', '.join(removed)}")
    else:
        print("there are no sample accounts")
    return 0


def account_json(account: Account) -> dict[str, Any]:
    """An account as JSON-ready data (times in ISO form, UTC), with its state now."""
    out = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(account).items()}
    return {**out, "state": account.state(datetime.now(UTC))}


def _done(args: argparse.Namespace, account: Account, verb: str) -> None:
    if args.json:
        _print_json({"account": account_json(account)})
    else:
        print(f"{verb} {_who(account)}: {account.state(datetime.now(UTC))}")


def _who(account: Account) -> str:
    unit = f", {account.unit}" if account.unit else ""
    return f"{account.login} ({account.display_name}, {account.role}{unit})"


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
